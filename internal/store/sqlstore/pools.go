package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
)

const poolColumns = "id, name, created_at, updated_at, spec, uniqueness"

func scanPool(row scanner) (store.UserPool, error) {
	var (
		p    store.UserPool
		uniq json.RawMessage
	)
	err := row.Scan(&p.ID, &p.Name, msTime{&p.CreatedAt}, msTime{&p.UpdatedAt}, rawJSON{&p.Spec}, rawJSON{&uniq})
	if err != nil {
		return p, err
	}
	if p.Uniqueness, err = decodeUniqueness(uniq); err != nil {
		return p, fmt.Errorf("pool %q: %w", p.ID, err)
	}
	return p, nil
}

// CreateUserPool stores a new pool; store.ErrAlreadyExists when its ID is taken.
func (s *Store) CreateUserPool(ctx context.Context, p store.UserPool) error {
	uniq, err := encodeUniqueness(p.Uniqueness)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx,
		"INSERT INTO user_pools ("+poolColumns+") VALUES ($1, $2, $3, $4, $5, $6)",
		p.ID, p.Name, millis(p.CreatedAt), millis(p.UpdatedAt), jsonValue(p.Spec), uniq)
	return mapErr("create user pool", err)
}

// GetUserPool returns the pool with the given ID, or store.ErrNotFound.
func (s *Store) GetUserPool(ctx context.Context, id string) (store.UserPool, error) {
	return getPool(ctx, s.rdb, id, "")
}

func getPool(ctx context.Context, q querier, id, lock string) (store.UserPool, error) {
	return queryOne(ctx, q, scanPool, "SELECT "+poolColumns+" FROM user_pools WHERE id = $1"+lock, []any{id},
		"get user pool %q", id)
}

// ListUserPools pages through all pools ordered by ID.
func (s *Store) ListUserPools(ctx context.Context, page store.Page) ([]store.UserPool, error) {
	return listPage(ctx, s.rdb, "list user pools", scanPool,
		"SELECT "+poolColumns+" FROM user_pools WHERE id > $1", "id", page, page.After)
}

// UpdateUserPool runs fn on the current pool in a transaction and stores its result;
// the pool's ID and Uniqueness stay the ones stored (DeclareUniqueness changes the latter).
func (s *Store) UpdateUserPool(ctx context.Context, id string, fn func(old store.UserPool) (store.UserPool, error)) error {
	return updateRow(ctx, s, fmt.Sprintf("update user pool %q", id),
		func(q querier, lock string) (store.UserPool, error) { return getPool(ctx, q, id, lock) }, fn,
		func(tx *sql.Tx, p store.UserPool) (sql.Result, error) {
			return tx.ExecContext(ctx,
				"UPDATE user_pools SET name = $2, created_at = $3, updated_at = $4, spec = $5 WHERE id = $1",
				id, p.Name, millis(p.CreatedAt), millis(p.UpdatedAt), jsonValue(p.Spec))
		})
}

// DeleteUserPool removes the pool and everything in it: through ON DELETE CASCADE its
// clients, users and their attribute rows, codes, refresh tokens and auth sessions, and
// explicitly its signing keys (which since migration 0004 may belong to owners that are not
// pools). Outbox messages stay: they are a log of what was sent.
func (s *Store) DeleteUserPool(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete user pool %q", id)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM user_pools WHERE id = $1", id)
		if err != nil {
			return mapErr(op, err)
		}
		if err := mustAffect(op, res); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM signing_keys WHERE pool_id = $1", id); err != nil {
			return mapErr(op, err)
		}
		return nil
	})
}
