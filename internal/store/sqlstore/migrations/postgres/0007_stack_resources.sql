-- The resources serverless.yml stacks created (store.StackResource), PostgreSQL dialect
-- (conventions as in 0001_init.sql: key columns COLLATE "C", times as BIGINT Unix
-- milliseconds, JSON as TEXT).
CREATE TABLE stack_resources (
    stack       TEXT COLLATE "C" NOT NULL,
    logical_id  TEXT COLLATE "C" NOT NULL,
    type        TEXT NOT NULL,
    physical_id TEXT NOT NULL,
    attributes  TEXT NOT NULL,
    properties  TEXT NOT NULL,
    created_at  BIGINT,
    updated_at  BIGINT,
    PRIMARY KEY (stack, logical_id)
);
