-- Refresh token rotation (API reference: RefreshTokenRotationType): when a rotation replaced
-- a token, so that the replaced token is refused once the client's grace period is over.
ALTER TABLE refresh_tokens ADD COLUMN replaced_at INTEGER;
