-- The resources serverless.yml stacks created (store.StackResource), SQLite dialect
-- (conventions as in 0001_init.sql: times as INTEGER Unix milliseconds, JSON as TEXT).
CREATE TABLE stack_resources (
    stack       TEXT NOT NULL,
    logical_id  TEXT NOT NULL,
    type        TEXT NOT NULL,
    physical_id TEXT NOT NULL,
    attributes  TEXT NOT NULL,
    properties  TEXT NOT NULL,
    created_at  INTEGER,
    updated_at  INTEGER,
    PRIMARY KEY (stack, logical_id)
);
