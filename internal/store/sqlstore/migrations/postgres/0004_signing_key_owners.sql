-- Signing keys belong to a user pool or to the identity pools' OpenID token issuer (owner
-- "cognito-identity"), so they no longer reference user_pools. DeleteUserPool deletes a
-- pool's keys itself.
ALTER TABLE signing_keys DROP CONSTRAINT IF EXISTS signing_keys_pool_id_fkey;
