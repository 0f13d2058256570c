package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Resource servers and user-pool domains (migration 0005).

const resourceServerColumns = "pool_id, identifier, created_at, updated_at, spec"

func scanResourceServer(row scanner) (store.ResourceServer, error) {
	var r store.ResourceServer
	err := row.Scan(&r.PoolID, &r.Identifier, msTime{&r.CreatedAt}, msTime{&r.UpdatedAt}, rawJSON{&r.Spec})
	return r, err
}

// CreateResourceServer stores a new resource server: store.ErrAlreadyExists when the pool has
// one with that identifier, store.ErrNotFound when the pool does not exist.
func (s *Store) CreateResourceServer(ctx context.Context, r store.ResourceServer) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO resource_servers ("+resourceServerColumns+") VALUES ($1, $2, $3, $4, $5)",
		r.PoolID, r.Identifier, millis(r.CreatedAt), millis(r.UpdatedAt), jsonValue(r.Spec))
	return mapErr(fmt.Sprintf("create resource server %q of pool %q", r.Identifier, r.PoolID), err)
}

// GetResourceServer returns the pool's resource server, or store.ErrNotFound.
func (s *Store) GetResourceServer(ctx context.Context, poolID, identifier string) (store.ResourceServer, error) {
	return getResourceServer(ctx, s.rdb, poolID, identifier, "")
}

func getResourceServer(ctx context.Context, q querier, poolID, identifier, lock string) (store.ResourceServer, error) {
	return queryOne(ctx, q, scanResourceServer,
		"SELECT "+resourceServerColumns+" FROM resource_servers WHERE pool_id = $1 AND identifier = $2"+lock,
		[]any{poolID, identifier}, "get resource server %q of pool %q", identifier, poolID)
}

// ListResourceServers pages through a pool's resource servers ordered by identifier.
func (s *Store) ListResourceServers(ctx context.Context, poolID string, page store.Page) ([]store.ResourceServer, error) {
	return listPage(ctx, s.rdb, "list resource servers", scanResourceServer,
		"SELECT "+resourceServerColumns+" FROM resource_servers WHERE pool_id = $1 AND identifier > $2",
		"identifier", page, poolID, page.After)
}

// UpdateResourceServer runs fn on the current resource server in a transaction and stores
// its result.
func (s *Store) UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(old store.ResourceServer) (store.ResourceServer, error)) error {
	return updateRow(ctx, s, fmt.Sprintf("update resource server %q of pool %q", identifier, poolID),
		func(q querier, lock string) (store.ResourceServer, error) {
			return getResourceServer(ctx, q, poolID, identifier, lock)
		}, fn,
		func(tx *sql.Tx, r store.ResourceServer) (sql.Result, error) {
			return tx.ExecContext(ctx,
				"UPDATE resource_servers SET created_at = $3, updated_at = $4, spec = $5 WHERE pool_id = $1 AND identifier = $2",
				poolID, identifier, millis(r.CreatedAt), millis(r.UpdatedAt), jsonValue(r.Spec))
		})
}

// DeleteResourceServer removes a resource server, store.ErrNotFound when there is none.
func (s *Store) DeleteResourceServer(ctx context.Context, poolID, identifier string) error {
	op := fmt.Sprintf("delete resource server %q of pool %q", identifier, poolID)
	res, err := s.db.ExecContext(ctx, "DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2", poolID, identifier)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

const domainColumns = "domain, pool_id, created_at, updated_at, spec"

func scanDomain(row scanner) (store.Domain, error) {
	var d store.Domain
	err := row.Scan(&d.Domain, &d.PoolID, msTime{&d.CreatedAt}, msTime{&d.UpdatedAt}, rawJSON{&d.Spec})
	return d, err
}

// CreateDomain stores a new domain: store.ErrAlreadyExists when the name is taken or the pool
// has a domain (both are unique), store.ErrNotFound when the pool does not exist.
func (s *Store) CreateDomain(ctx context.Context, d store.Domain) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO pool_domains ("+domainColumns+") VALUES ($1, $2, $3, $4, $5)",
		d.Domain, d.PoolID, millis(d.CreatedAt), millis(d.UpdatedAt), jsonValue(d.Spec))
	return mapErr(fmt.Sprintf("create domain %q of pool %q", d.Domain, d.PoolID), err)
}

// GetDomain returns a domain by name, or store.ErrNotFound.
func (s *Store) GetDomain(ctx context.Context, domain string) (store.Domain, error) {
	return getDomain(ctx, s.rdb, "domain", domain, "")
}

// GetPoolDomain returns the pool's domain, or store.ErrNotFound.
func (s *Store) GetPoolDomain(ctx context.Context, poolID string) (store.Domain, error) {
	return getDomain(ctx, s.rdb, "pool_id", poolID, "")
}

func getDomain(ctx context.Context, q querier, column, value, lock string) (store.Domain, error) {
	return queryOne(ctx, q, scanDomain, "SELECT "+domainColumns+" FROM pool_domains WHERE "+column+" = $1"+lock,
		[]any{value}, "get domain by %s %q", column, value)
}

// UpdateDomain runs fn on the current domain in a transaction and stores its result.
func (s *Store) UpdateDomain(ctx context.Context, domain string, fn func(old store.Domain) (store.Domain, error)) error {
	return updateRow(ctx, s, fmt.Sprintf("update domain %q", domain),
		func(q querier, lock string) (store.Domain, error) { return getDomain(ctx, q, "domain", domain, lock) }, fn,
		func(tx *sql.Tx, d store.Domain) (sql.Result, error) {
			return tx.ExecContext(ctx,
				"UPDATE pool_domains SET created_at = $2, updated_at = $3, spec = $4 WHERE domain = $1",
				domain, millis(d.CreatedAt), millis(d.UpdatedAt), jsonValue(d.Spec))
		})
}

// DeleteDomain removes a domain, store.ErrNotFound when there is none.
func (s *Store) DeleteDomain(ctx context.Context, domain string) error {
	op := fmt.Sprintf("delete domain %q", domain)
	res, err := s.db.ExecContext(ctx, "DELETE FROM pool_domains WHERE domain = $1", domain)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

var (
	_ store.ResourceServers = (*Store)(nil)
	_ store.Domains         = (*Store)(nil)
)
