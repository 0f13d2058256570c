-- User-pool groups and their members, SQLite dialect (conventions as in 0001_init.sql).

CREATE TABLE pool_groups (
    pool_id     TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL,
    role_arn    TEXT NOT NULL,
    precedence  INTEGER, -- NULL: the group has no precedence
    created_at  INTEGER,
    updated_at  INTEGER,
    PRIMARY KEY (pool_id, name)
);

-- One row per membership. It goes with its group and with its user (and so with the pool).
CREATE TABLE group_members (
    pool_id      TEXT NOT NULL,
    group_name   TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES pool_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX group_members_user ON group_members (pool_id, username_key, group_name);
