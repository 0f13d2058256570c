package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
)

const identityPoolColumns = "id, name, created_at, updated_at, spec"

func scanIdentityPool(row scanner) (store.IdentityPool, error) {
	var p store.IdentityPool
	err := row.Scan(&p.ID, &p.Name, msTime{&p.CreatedAt}, msTime{&p.UpdatedAt}, rawJSON{&p.Spec})
	return p, err
}

// CreateIdentityPool stores a new identity pool; store.ErrAlreadyExists when its ID is taken.
func (s *Store) CreateIdentityPool(ctx context.Context, p store.IdentityPool) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO identity_pools ("+identityPoolColumns+") VALUES ($1, $2, $3, $4, $5)",
		p.ID, p.Name, millis(p.CreatedAt), millis(p.UpdatedAt), jsonValue(p.Spec))
	return mapErr(fmt.Sprintf("create identity pool %q", p.ID), err)
}

// GetIdentityPool returns the identity pool with the given ID, or store.ErrNotFound.
func (s *Store) GetIdentityPool(ctx context.Context, id string) (store.IdentityPool, error) {
	return getIdentityPool(ctx, s.rdb, id, "")
}

func getIdentityPool(ctx context.Context, q querier, id, lock string) (store.IdentityPool, error) {
	return queryOne(ctx, q, scanIdentityPool, "SELECT "+identityPoolColumns+" FROM identity_pools WHERE id = $1"+lock,
		[]any{id}, "get identity pool %q", id)
}

// ListIdentityPools pages through all identity pools ordered by ID.
func (s *Store) ListIdentityPools(ctx context.Context, page store.Page) ([]store.IdentityPool, error) {
	return listPage(ctx, s.rdb, "list identity pools", scanIdentityPool,
		"SELECT "+identityPoolColumns+" FROM identity_pools WHERE id > $1", "id", page, page.After)
}

// UpdateIdentityPool runs fn on the current pool in a transaction and stores its result;
// the pool's ID stays the one given.
func (s *Store) UpdateIdentityPool(ctx context.Context, id string, fn func(old store.IdentityPool) (store.IdentityPool, error)) error {
	return updateRow(ctx, s, fmt.Sprintf("update identity pool %q", id),
		func(q querier, lock string) (store.IdentityPool, error) { return getIdentityPool(ctx, q, id, lock) }, fn,
		func(tx *sql.Tx, p store.IdentityPool) (sql.Result, error) {
			return tx.ExecContext(ctx,
				"UPDATE identity_pools SET name = $2, created_at = $3, updated_at = $4, spec = $5 WHERE id = $1",
				id, p.Name, millis(p.CreatedAt), millis(p.UpdatedAt), jsonValue(p.Spec))
		})
}

// DeleteIdentityPool removes the pool and, through ON DELETE CASCADE, its identities and
// their login keys.
func (s *Store) DeleteIdentityPool(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete identity pool %q", id)
	res, err := s.db.ExecContext(ctx, "DELETE FROM identity_pools WHERE id = $1", id)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

const identityColumns = "pool_id, id, logins, created_at, updated_at"

func scanIdentity(row scanner) (store.Identity, error) {
	var (
		i      store.Identity
		logins string
	)
	if err := row.Scan(&i.PoolID, &i.ID, &logins, msTime{&i.CreatedAt}, msTime{&i.UpdatedAt}); err != nil {
		return store.Identity{}, err
	}
	if err := json.Unmarshal([]byte(logins), &i.Logins); err != nil {
		return store.Identity{}, fmt.Errorf("decode logins of identity %q: %w", i.ID, err)
	}
	if len(i.Logins) == 0 {
		i.Logins = nil
	}
	return i, nil
}

func loginsValue(logins []string) (string, error) {
	if logins == nil {
		logins = []string{}
	}
	b, err := json.Marshal(logins)
	return string(b), err
}

// errLoginTaken says that a racing caller stored the login key first; GetOrCreateIdentity
// then runs again and finds that caller's identity.
var errLoginTaken = errors.New("login key taken")

// maxIdentityAttempts bounds GetOrCreateIdentity's rounds; a second round always finds the
// winner's row, more are only for a winner deleted in between.
const maxIdentityAttempts = 5

// GetOrCreateIdentity returns the pool's identity for loginKey or creates it from
// candidate. Creating inserts the identity and then its login key with ON CONFLICT DO
// NOTHING: on PostgreSQL that insert waits for a racing transaction holding the same key
// and, once it commits, inserts nothing, so this transaction rolls back and the next round
// reads the winner's identity. On SQLite writers are serialised and the first read sees it.
func (s *Store) GetOrCreateIdentity(ctx context.Context, loginKey string, candidate store.Identity) (store.Identity, bool, error) {
	op := fmt.Sprintf("get or create identity in pool %q", candidate.PoolID)
	logins, err := loginsValue(candidate.Logins)
	if err != nil {
		return store.Identity{}, false, fmt.Errorf("%s: %w", op, err)
	}
	for attempt := 1; ; attempt++ {
		var (
			got     store.Identity
			created bool
		)
		err := s.inTx(ctx, op, func(tx *sql.Tx) error {
			created = false
			if loginKey != "" {
				var id string
				err := tx.QueryRowContext(ctx,
					"SELECT identity_id FROM identity_logins WHERE pool_id = $1 AND login_key = $2",
					candidate.PoolID, loginKey).Scan(&id)
				switch {
				case err == nil:
					got, err = getIdentity(ctx, tx, id, "")
					return err
				case !errors.Is(err, sql.ErrNoRows):
					return err
				}
			}
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO identities ("+identityColumns+") VALUES ($1, $2, $3, $4, $5)",
				candidate.PoolID, candidate.ID, logins, millis(candidate.CreatedAt), millis(candidate.UpdatedAt)); err != nil {
				return mapErr(op, err)
			}
			if loginKey != "" {
				res, err := tx.ExecContext(ctx,
					"INSERT INTO identity_logins (pool_id, login_key, identity_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
					candidate.PoolID, loginKey, candidate.ID)
				if err != nil {
					return mapErr(op, err)
				}
				if n, err := res.RowsAffected(); err != nil {
					return err
				} else if n == 0 {
					return callerError{errLoginTaken}
				}
			}
			got, created = candidate, true
			return nil
		})
		if errors.Is(err, errLoginTaken) && attempt < maxIdentityAttempts {
			continue
		}
		if errors.Is(err, errLoginTaken) {
			return store.Identity{}, false, fmt.Errorf("%s: %w", op, store.ErrConflict)
		}
		if err != nil {
			return store.Identity{}, false, err
		}
		if created {
			// Read back as stored (times in UTC to the millisecond).
			got, err = s.getIdentityFresh(ctx, candidate.ID)
			if err != nil {
				return store.Identity{}, false, err
			}
		}
		return got, created, nil
	}
}

// getIdentityFresh reads through the writer so that a just-committed row is seen whatever
// the reader pool's snapshot.
func (s *Store) getIdentityFresh(ctx context.Context, id string) (store.Identity, error) {
	return getIdentity(ctx, s.db, id, "")
}

// GetIdentity returns the identity with the given ID, or store.ErrNotFound.
func (s *Store) GetIdentity(ctx context.Context, id string) (store.Identity, error) {
	return getIdentity(ctx, s.rdb, id, "")
}

func getIdentity(ctx context.Context, q querier, id, lock string) (store.Identity, error) {
	return queryOne(ctx, q, scanIdentity, "SELECT "+identityColumns+" FROM identities WHERE id = $1"+lock, []any{id},
		"get identity %q", id)
}

// ListIdentities pages through a pool's identities ordered by ID.
func (s *Store) ListIdentities(ctx context.Context, poolID string, page store.Page) ([]store.Identity, error) {
	return listPage(ctx, s.rdb, "list identities", scanIdentity,
		"SELECT "+identityColumns+" FROM identities WHERE pool_id = $1 AND id > $2", "id", page, poolID, page.After)
}

// UpdateIdentity runs fn on the current identity in a transaction and stores its logins
// and times.
func (s *Store) UpdateIdentity(ctx context.Context, id string, fn func(old store.Identity) (store.Identity, error)) error {
	op := fmt.Sprintf("update identity %q", id)
	return updateRow(ctx, s, op,
		func(q querier, lock string) (store.Identity, error) { return getIdentity(ctx, q, id, lock) }, fn,
		func(tx *sql.Tx, i store.Identity) (sql.Result, error) {
			logins, err := loginsValue(i.Logins)
			if err != nil {
				return nil, callerError{fmt.Errorf("%s: %w", op, err)}
			}
			return tx.ExecContext(ctx,
				"UPDATE identities SET logins = $2, created_at = $3, updated_at = $4 WHERE id = $1",
				id, logins, millis(i.CreatedAt), millis(i.UpdatedAt))
		})
}

// DeleteIdentities removes the identities and, through ON DELETE CASCADE, their login
// keys, and returns the IDs that did not exist.
func (s *Store) DeleteIdentities(ctx context.Context, ids []string) ([]string, error) {
	var missing []string
	err := s.inTx(ctx, "delete identities", func(tx *sql.Tx) error {
		missing = nil
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, "DELETE FROM identities WHERE id = $1", id)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			if n == 0 {
				missing = append(missing, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return missing, nil
}

var (
	_ store.IdentityPools = (*Store)(nil)
	_ store.Identities    = (*Store)(nil)
)
