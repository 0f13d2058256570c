-- Resource servers and user-pool domains (issue 14), postgres dialect (conventions as in
-- 0001_init.sql). Both go with their pool.

CREATE TABLE resource_servers (
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    identifier TEXT COLLATE "C" NOT NULL,
    spec       TEXT NOT NULL,
    created_at BIGINT,
    updated_at BIGINT,
    PRIMARY KEY (pool_id, identifier)
);

-- A domain name is unique across pools, and a pool has at most one domain.
CREATE TABLE pool_domains (
    domain     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    pool_id    TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES user_pools (id) ON DELETE CASCADE,
    spec       TEXT NOT NULL,
    created_at BIGINT,
    updated_at BIGINT
);

-- The OAuth scopes a refresh token from the token endpoint was granted, space-separated, so
-- that a refresh grants them again ('' for the user-pools API's sign-ins).
ALTER TABLE refresh_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
