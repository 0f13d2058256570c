package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// CreateSigningKey stores a new key; store.ErrAlreadyExists when the pool already has
// its KID, store.ErrNotFound when the pool does not exist.
func (s *Store) CreateSigningKey(ctx context.Context, k store.SigningKey) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO signing_keys (pool_id, kid, use, alg, private_key, public_key, created_at, retired_at) "+
			"VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		k.PoolID, k.KID, k.Use, k.Alg, k.Private, k.Public, millis(k.CreatedAt), millis(k.RetiredAt))
	return mapErr("create signing key", err)
}

// ListSigningKeys returns every key of the pool, retired ones included, oldest first
// (ties broken by KID). A pool has a handful of keys, so there is no paging.
func (s *Store) ListSigningKeys(ctx context.Context, poolID string) ([]store.SigningKey, error) {
	rows, err := s.rdb.QueryContext(ctx,
		"SELECT pool_id, kid, use, alg, private_key, public_key, created_at, retired_at "+
			"FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid", poolID)
	if err != nil {
		return nil, mapErr("list signing keys", err)
	}
	return collect(rows, "list signing keys", func(row scanner) (store.SigningKey, error) {
		var k store.SigningKey
		err := row.Scan(&k.PoolID, &k.KID, &k.Use, &k.Alg, &k.Private, &k.Public,
			msTime{&k.CreatedAt}, msTime{&k.RetiredAt})
		return k, err
	})
}

// RetireSigningKey records when the key stopped signing; store.ErrNotFound when the pool
// has no such key.
func (s *Store) RetireSigningKey(ctx context.Context, poolID, kid string, at time.Time) error {
	op := fmt.Sprintf("retire signing key %q of pool %q", kid, poolID)
	res, err := s.db.ExecContext(ctx,
		"UPDATE signing_keys SET retired_at = $3 WHERE pool_id = $1 AND kid = $2", poolID, kid, millis(at))
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}
