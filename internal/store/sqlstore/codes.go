package sqlstore

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
)

// PutCode stores the code, replacing any earlier code of the same user and purpose (its
// hash, expiry, attempts and creation time all become the new code's).
func (s *Store) PutCode(ctx context.Context, c store.Code) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO codes (pool_id, username_key, purpose, hash, expires_at, attempts, created_at) "+
			"VALUES ($1, $2, $3, $4, $5, $6, $7) "+
			"ON CONFLICT (pool_id, username_key, purpose) DO UPDATE SET "+
			"hash = excluded.hash, expires_at = excluded.expires_at, "+
			"attempts = excluded.attempts, created_at = excluded.created_at",
		c.PoolID, c.UsernameKey, c.Purpose, nonNil(c.Hash), millis(c.ExpiresAt), c.Attempts, millis(c.CreatedAt))
	return mapErr("put code", err)
}

// GetCode returns the live code of the user for purpose, or store.ErrNotFound.
func (s *Store) GetCode(ctx context.Context, poolID, usernameKey, purpose string) (store.Code, error) {
	var c store.Code
	err := s.rdb.QueryRowContext(ctx,
		"SELECT pool_id, username_key, purpose, hash, expires_at, attempts, created_at FROM codes "+
			"WHERE pool_id = $1 AND username_key = $2 AND purpose = $3",
		poolID, usernameKey, purpose).
		Scan(&c.PoolID, &c.UsernameKey, &c.Purpose, &c.Hash, msTime{&c.ExpiresAt}, &c.Attempts, msTime{&c.CreatedAt})
	if err != nil {
		return store.Code{}, mapErr(fmt.Sprintf("get %s code of %q", purpose, usernameKey), err)
	}
	return c, nil
}

// IncrementCodeAttempts adds one to the code's attempts in a single statement, so that
// concurrent wrong guesses are all counted, and returns the new count.
func (s *Store) IncrementCodeAttempts(ctx context.Context, poolID, usernameKey, purpose string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx,
		"UPDATE codes SET attempts = attempts + 1 "+
			"WHERE pool_id = $1 AND username_key = $2 AND purpose = $3 RETURNING attempts",
		poolID, usernameKey, purpose).Scan(&n)
	if err != nil {
		return 0, mapErr(fmt.Sprintf("count attempt on %s code of %q", purpose, usernameKey), err)
	}
	return n, nil
}

// DeleteCode removes the code; store.ErrNotFound when there is none.
func (s *Store) DeleteCode(ctx context.Context, poolID, usernameKey, purpose string) error {
	op := fmt.Sprintf("delete %s code of %q", purpose, usernameKey)
	res, err := s.db.ExecContext(ctx,
		"DELETE FROM codes WHERE pool_id = $1 AND username_key = $2 AND purpose = $3",
		poolID, usernameKey, purpose)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

// nonNil binds a nil byte slice as an empty value rather than NULL, for NOT NULL columns.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
