-- Identity pools, identities, IAM roles and users, access keys and temporary credentials,
-- PostgreSQL dialect (conventions as in 0001_init.sql: key columns COLLATE "C", times as
-- BIGINT Unix milliseconds, JSON as TEXT, secrets and hashes as BYTEA).

CREATE TABLE identity_pools (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT,
    updated_at BIGINT,
    spec       TEXT
);

CREATE TABLE identities (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY, -- unique across all pools
    pool_id    TEXT COLLATE "C" NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    logins     TEXT NOT NULL, -- the ordered provider names as a JSON array
    created_at BIGINT,
    updated_at BIGINT
);
CREATE INDEX identities_pool ON identities (pool_id, id);

-- The keys an identity is found again by; unique within the pool, which is what makes
-- GetOrCreateIdentity hand racing callers one identity.
CREATE TABLE identity_logins (
    pool_id     TEXT COLLATE "C" NOT NULL,
    login_key   TEXT COLLATE "C" NOT NULL,
    identity_id TEXT COLLATE "C" NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    PRIMARY KEY (pool_id, login_key)
);
CREATE INDEX identity_logins_identity ON identity_logins (identity_id);

-- name_key is the lower-cased name: IAM names are unique regardless of case.
CREATE TABLE iam_roles (
    name_key             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name                 TEXT NOT NULL,
    id                   TEXT COLLATE "C" NOT NULL UNIQUE,
    arn                  TEXT NOT NULL,
    path                 TEXT NOT NULL,
    description          TEXT NOT NULL,
    assume_role_policy   TEXT NOT NULL,
    max_session_duration INTEGER NOT NULL,
    created_at           BIGINT
);

CREATE TABLE iam_role_policies (
    role_key TEXT COLLATE "C" NOT NULL REFERENCES iam_roles (name_key) ON DELETE CASCADE,
    name     TEXT COLLATE "C" NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (role_key, name)
);

CREATE TABLE iam_users (
    name_key   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    id         TEXT COLLATE "C" NOT NULL UNIQUE,
    arn        TEXT NOT NULL,
    path       TEXT NOT NULL,
    created_at BIGINT
);

CREATE TABLE iam_user_policies (
    user_key TEXT COLLATE "C" NOT NULL REFERENCES iam_users (name_key) ON DELETE CASCADE,
    name     TEXT COLLATE "C" NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (user_key, name)
);

CREATE TABLE iam_access_keys (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_key      TEXT COLLATE "C" NOT NULL REFERENCES iam_users (name_key) ON DELETE CASCADE,
    secret_sealed BYTEA NOT NULL,
    status        TEXT NOT NULL,
    created_at    BIGINT
);
CREATE INDEX iam_access_keys_user ON iam_access_keys (user_key, created_at, id);

-- Temporary credentials outlive nothing they refer to by foreign key: they expire.
CREATE TABLE temporary_credentials (
    access_key_id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    secret_sealed      BYTEA NOT NULL,
    session_token_hash BYTEA NOT NULL,
    identity_id        TEXT COLLATE "C" NOT NULL,
    role_arn           TEXT NOT NULL,
    session            TEXT,
    created_at         BIGINT,
    expires_at         BIGINT
);
CREATE INDEX temporary_credentials_expiry ON temporary_credentials (expires_at);
