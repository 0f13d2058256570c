-- Signing keys belong to a user pool or to the identity pools' OpenID token issuer (owner
-- "cognito-identity"), so they no longer reference user_pools. DeleteUserPool deletes a
-- pool's keys itself. SQLite cannot drop a constraint: the table is rebuilt.
CREATE TABLE signing_keys_0004 (
    pool_id     TEXT NOT NULL,
    kid         TEXT NOT NULL,
    use         TEXT NOT NULL,
    alg         TEXT NOT NULL,
    private_key BLOB,
    public_key  BLOB,
    created_at  INTEGER,
    retired_at  INTEGER,
    PRIMARY KEY (pool_id, kid)
);
INSERT INTO signing_keys_0004 (pool_id, kid, use, alg, private_key, public_key, created_at, retired_at)
    SELECT pool_id, kid, use, alg, private_key, public_key, created_at, retired_at FROM signing_keys;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_0004 RENAME TO signing_keys;
