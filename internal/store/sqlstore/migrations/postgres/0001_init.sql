-- Gatehouse schema, PostgreSQL dialect.
-- Times are BIGINT Unix milliseconds; NULL stands for the zero time.
-- JSON documents are TEXT kept verbatim (not JSONB, which would reorder keys); NULL stands for
-- a nil document. Hashes are BYTEA.
-- Key and indexed text columns use COLLATE "C": byte order, so ordering, pagination and prefix
-- ranges agree with SQLite's BINARY collation and never depend on the server's locale.
-- Every table hanging off a pool cascades on the pool's delete.

CREATE TABLE user_pools (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT,
    updated_at BIGINT,
    spec       TEXT
);

CREATE TABLE clients (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- unique across all pools
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    created_at BIGINT,
    updated_at BIGINT,
    spec       TEXT
);
CREATE INDEX clients_pool ON clients (pool_id, id);

CREATE TABLE users (
    pool_id             TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key        TEXT COLLATE "C" NOT NULL,
    username            TEXT COLLATE "C" NOT NULL,
    sub                 TEXT COLLATE "C" NOT NULL,
    status              TEXT COLLATE "C" NOT NULL,
    enabled             BOOLEAN NOT NULL,
    attributes          TEXT NOT NULL, -- the ordered []Attribute as JSON
    created_at          BIGINT,
    updated_at          BIGINT,
    password_hash       TEXT NOT NULL,
    password_expires_at BIGINT,
    failed_attempts     INTEGER NOT NULL,
    last_failure_at     BIGINT,
    locked_until        BIGINT,
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
    pool_id      TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    name         TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, username_key, name, value),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
);
CREATE INDEX user_attributes_lookup ON user_attributes (pool_id, name, value, username_key);

CREATE TABLE codes (
    pool_id      TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username_key TEXT COLLATE "C" NOT NULL,
    purpose      TEXT COLLATE "C" NOT NULL,
    hash         BYTEA NOT NULL,
    expires_at   BIGINT,
    attempts     INTEGER NOT NULL,
    created_at   BIGINT,
    PRIMARY KEY (pool_id, username_key, purpose)
);

-- Messages outlive their pool on purpose: the outbox is a developer's log.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    pool_id     TEXT COLLATE "C" NOT NULL,
    username    TEXT NOT NULL,
    medium      TEXT NOT NULL,
    destination TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT
);
CREATE INDEX outbox_pool ON outbox (pool_id, id);

CREATE TABLE signing_keys (
    pool_id     TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    kid         TEXT COLLATE "C" NOT NULL,
    use         TEXT NOT NULL,
    alg         TEXT NOT NULL,
    private_key BYTEA,
    public_key  BYTEA,
    created_at  BIGINT,
    retired_at  BIGINT,
    PRIMARY KEY (pool_id, kid)
);

CREATE TABLE refresh_tokens (
    hash         BYTEA NOT NULL PRIMARY KEY,
    pool_id      TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    origin_jti   TEXT COLLATE "C" NOT NULL,
    auth_time    BIGINT,
    created_at   BIGINT,
    expires_at   BIGINT,
    revoked      BOOLEAN NOT NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (pool_id, username_key);
CREATE INDEX refresh_tokens_client ON refresh_tokens (client_id);
CREATE INDEX refresh_tokens_origin ON refresh_tokens (origin_jti);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

CREATE TABLE auth_sessions (
    hash         BYTEA NOT NULL PRIMARY KEY,
    pool_id      TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT COLLATE "C" NOT NULL,
    username_key TEXT COLLATE "C" NOT NULL,
    challenge    TEXT NOT NULL,
    data         TEXT,
    expires_at   BIGINT,
    created_at   BIGINT
);
CREATE INDEX auth_sessions_pool ON auth_sessions (pool_id, username_key);
CREATE INDEX auth_sessions_client ON auth_sessions (client_id);
CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);
