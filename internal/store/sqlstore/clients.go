package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
)

const clientColumns = "pool_id, id, name, created_at, updated_at, spec"

func scanClient(row scanner) (store.Client, error) {
	var c store.Client
	err := row.Scan(&c.PoolID, &c.ID, &c.Name, msTime{&c.CreatedAt}, msTime{&c.UpdatedAt}, rawJSON{&c.Spec})
	return c, err
}

// CreateClient stores a new app client. Client IDs are unique across pools:
// store.ErrAlreadyExists when the ID is taken anywhere, store.ErrNotFound when the pool
// does not exist.
func (s *Store) CreateClient(ctx context.Context, c store.Client) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO clients ("+clientColumns+") VALUES ($1, $2, $3, $4, $5, $6)",
		c.PoolID, c.ID, c.Name, millis(c.CreatedAt), millis(c.UpdatedAt), jsonValue(c.Spec))
	return mapErr("create client", err)
}

// GetClient returns the pool's client, or store.ErrNotFound (also when the client
// belongs to another pool).
func (s *Store) GetClient(ctx context.Context, poolID, clientID string) (store.Client, error) {
	return getClient(ctx, s.rdb, poolID, clientID, "")
}

func getClient(ctx context.Context, q querier, poolID, clientID, lock string) (store.Client, error) {
	c, err := scanClient(q.QueryRowContext(ctx,
		"SELECT "+clientColumns+" FROM clients WHERE id = $1 AND pool_id = $2"+lock, clientID, poolID))
	if err != nil {
		return store.Client{}, mapErr(fmt.Sprintf("get client %q of pool %q", clientID, poolID), err)
	}
	return c, nil
}

// GetClientByID returns the client with the given ID in whichever pool holds it.
func (s *Store) GetClientByID(ctx context.Context, clientID string) (store.Client, error) {
	c, err := scanClient(s.rdb.QueryRowContext(ctx,
		"SELECT "+clientColumns+" FROM clients WHERE id = $1", clientID))
	if err != nil {
		return store.Client{}, mapErr(fmt.Sprintf("get client %q", clientID), err)
	}
	return c, nil
}

// ListClients pages through a pool's clients ordered by client ID.
func (s *Store) ListClients(ctx context.Context, poolID string, page store.Page) ([]store.Client, error) {
	query, args := paged("SELECT "+clientColumns+" FROM clients WHERE pool_id = $1 AND id > $2",
		"id", page, poolID, page.After)
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr("list clients", err)
	}
	return collect(rows, "list clients", scanClient)
}

// UpdateClient runs fn on the current client in a transaction and stores its result;
// the pool and client IDs stay the ones given.
func (s *Store) UpdateClient(ctx context.Context, poolID, clientID string, fn func(old store.Client) (store.Client, error)) error {
	op := fmt.Sprintf("update client %q of pool %q", clientID, poolID)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		old, err := getClient(ctx, tx, poolID, clientID, s.forUpdate())
		if err != nil {
			return err
		}
		c, err := fn(old)
		if err != nil {
			return callerError{err}
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE clients SET name = $3, created_at = $4, updated_at = $5, spec = $6 WHERE id = $1 AND pool_id = $2",
			clientID, poolID, c.Name, millis(c.CreatedAt), millis(c.UpdatedAt), jsonValue(c.Spec))
		if err != nil {
			return err
		}
		return mustAffect(op, res)
	})
}

// DeleteClient removes the client together with the refresh tokens and challenge
// sessions issued through it, which must not outlive it.
func (s *Store) DeleteClient(ctx context.Context, poolID, clientID string) error {
	op := fmt.Sprintf("delete client %q of pool %q", clientID, poolID)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM clients WHERE id = $1 AND pool_id = $2", clientID, poolID)
		if err != nil {
			return err
		}
		if err := mustAffect(op, res); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx,
			"DELETE FROM refresh_tokens WHERE client_id = $1 AND pool_id = $2", clientID, poolID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			"DELETE FROM auth_sessions WHERE client_id = $1 AND pool_id = $2", clientID, poolID)
		return err
	})
}
