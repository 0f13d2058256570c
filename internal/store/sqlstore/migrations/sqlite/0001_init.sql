-- Gatehouse schema, SQLite dialect.
-- Times are INTEGER Unix milliseconds; NULL stands for the zero time.
-- JSON documents are TEXT kept verbatim; NULL stands for a nil document.
-- Hashes are BLOBs. Booleans are INTEGER 0/1.
-- Every table hanging off a pool cascades on the pool's delete (PRAGMA foreign_keys=ON).

CREATE TABLE user_pools (
    id         TEXT NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER,
    updated_at INTEGER,
    spec       TEXT
);

CREATE TABLE clients (
    id         TEXT NOT NULL PRIMARY KEY, -- unique across all pools
    pool_id    TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at INTEGER,
    updated_at INTEGER,
    spec       TEXT
);
CREATE INDEX clients_pool ON clients (pool_id, id);

CREATE TABLE users (
    pool_id             TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key        TEXT NOT NULL,
    username            TEXT NOT NULL,
    sub                 TEXT NOT NULL,
    status              TEXT NOT NULL,
    enabled             INTEGER NOT NULL,
    attributes          TEXT NOT NULL, -- the ordered []Attribute as JSON
    created_at          INTEGER,
    updated_at          INTEGER,
    password_hash       TEXT NOT NULL,
    password_expires_at INTEGER,
    failed_attempts     INTEGER NOT NULL,
    last_failure_at     INTEGER,
    locked_until        INTEGER,
    extra               TEXT,
    PRIMARY KEY (pool_id, username_key),
    UNIQUE (pool_id, sub)
);
CREATE INDEX users_username ON users (pool_id, username, username_key);
CREATE INDEX users_enabled ON users (pool_id, enabled, username_key);
CREATE INDEX users_status ON users (pool_id, status, username_key);

-- One row per (user, attribute name, value): the index behind FindUsersByAttribute and
-- ListUsers' attribute filters. Kept in sync with users.attributes by the store.
CREATE TABLE user_attributes (
    pool_id      TEXT NOT NULL,
    username_key TEXT NOT NULL,
    name         TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (pool_id, username_key, name, value),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX user_attributes_lookup ON user_attributes (pool_id, name, value, username_key);

CREATE TABLE codes (
    pool_id      TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    hash         BLOB NOT NULL,
    expires_at   INTEGER,
    attempts     INTEGER NOT NULL,
    created_at   INTEGER,
    PRIMARY KEY (pool_id, username_key, purpose)
);

-- Messages outlive their pool on purpose: the outbox is a developer's log.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id     TEXT NOT NULL,
    username    TEXT NOT NULL,
    medium      TEXT NOT NULL,
    destination TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  INTEGER
);
CREATE INDEX outbox_pool ON outbox (pool_id, id);

CREATE TABLE signing_keys (
    pool_id     TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    kid         TEXT NOT NULL,
    use         TEXT NOT NULL,
    alg         TEXT NOT NULL,
    private_key BLOB,
    public_key  BLOB,
    created_at  INTEGER,
    retired_at  INTEGER,
    PRIMARY KEY (pool_id, kid)
);

CREATE TABLE refresh_tokens (
    hash         BLOB NOT NULL PRIMARY KEY,
    pool_id      TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT NOT NULL,
    username_key TEXT NOT NULL,
    origin_jti   TEXT NOT NULL,
    auth_time    INTEGER,
    created_at   INTEGER,
    expires_at   INTEGER,
    revoked      INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, username_key);
CREATE INDEX refresh_tokens_client ON refresh_tokens (client_id);
CREATE INDEX refresh_tokens_origin ON refresh_tokens (origin_jti);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

CREATE TABLE auth_sessions (
    hash         BLOB NOT NULL PRIMARY KEY,
    pool_id      TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT NOT NULL,
    username_key TEXT NOT NULL,
    challenge    TEXT NOT NULL,
    data         TEXT,
    expires_at   INTEGER,
    created_at   INTEGER
);
CREATE INDEX auth_sessions_pool ON auth_sessions (pool_id, username_key);
CREATE INDEX auth_sessions_client ON auth_sessions (client_id);
CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);
