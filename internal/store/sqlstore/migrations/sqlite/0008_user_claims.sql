-- Unique attribute values (store.Uniqueness): one row per value a user claims, so that the
-- primary key refuses a second user with the same email, phone number or alias, whatever
-- the interleaving of writers. Values are in the form the pool's rule compares (lower-cased
-- under FoldCase) and, when long, shortened as user_attributes shortens them.
-- user_pools.uniqueness holds the pool's rule as JSON; NULL for pools created before this
-- migration, until the user-pool service declares it (DeclareUniqueness), which fills
-- user_claims for the pool's existing users, older users first.
-- Numbers 0005-0007 are left to migrations developed alongside this one.
ALTER TABLE user_pools ADD COLUMN uniqueness TEXT;

CREATE TABLE user_claims (
    pool_id      TEXT NOT NULL,
    attribute    TEXT NOT NULL,
    value        TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, attribute, value),
    FOREIGN KEY (pool_id, username_key) REFERENCES users (pool_id, username_key) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX user_claims_user ON user_claims (pool_id, username_key);
