package sqlstore

import (
	"context"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

const authSessionColumns = "hash, pool_id, client_id, username_key, challenge, data, expires_at, created_at"

// CreateAuthSession stores a challenge session by the hash of its Session value;
// store.ErrAlreadyExists when the hash is taken, store.ErrNotFound when the pool does not
// exist.
func (s *Store) CreateAuthSession(ctx context.Context, a store.AuthSession) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO auth_sessions ("+authSessionColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		nonNil(a.Hash), a.PoolID, a.ClientID, a.UsernameKey, a.Challenge, jsonValue(a.Data),
		millis(a.ExpiresAt), millis(a.CreatedAt))
	return mapErr("create auth session", err)
}

// ConsumeAuthSession deletes the session and returns it in one statement, so that of two
// concurrent consumers exactly one gets it; the other gets store.ErrNotFound.
func (s *Store) ConsumeAuthSession(ctx context.Context, hash []byte) (store.AuthSession, error) {
	var a store.AuthSession
	err := s.db.QueryRowContext(ctx,
		"DELETE FROM auth_sessions WHERE hash = $1 RETURNING "+authSessionColumns, nonNil(hash)).
		Scan(&a.Hash, &a.PoolID, &a.ClientID, &a.UsernameKey, &a.Challenge, rawJSON{&a.Data},
			msTime{&a.ExpiresAt}, msTime{&a.CreatedAt})
	if err != nil {
		return store.AuthSession{}, mapErr("consume auth session", err)
	}
	return a, nil
}

// DeleteExpiredAuthSessions removes the sessions whose expiry is before t and returns
// how many it removed.
func (s *Store) DeleteExpiredAuthSessions(ctx context.Context, t time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM auth_sessions WHERE expires_at < $1", t.UnixMilli())
	return affected("delete expired auth sessions", res, err)
}
