package sqlstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"hash/fnv"

	"github.com/gatehouse/gatehouse/internal/store"
)

const stackColumns = "stack, logical_id, type, physical_id, attributes, properties, created_at, updated_at"

// ListStackResources returns the stack's resources ordered by logical ID.
func (s *Store) ListStackResources(ctx context.Context, stack string) ([]store.StackResource, error) {
	op := fmt.Sprintf("list resources of stack %q", stack)
	rows, err := s.rdb.QueryContext(ctx,
		"SELECT "+stackColumns+" FROM stack_resources WHERE stack = $1 ORDER BY logical_id", stack)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(rows, op, func(row scanner) (store.StackResource, error) {
		var r store.StackResource
		err := row.Scan(&r.Stack, &r.LogicalID, &r.Type, &r.PhysicalID, &r.Attributes, &r.Properties,
			msTime{&r.CreatedAt}, msTime{&r.UpdatedAt})
		return r, err
	})
}

// PutStackResource inserts the resource or replaces the one of the same stack and logical ID.
func (s *Store) PutStackResource(ctx context.Context, r store.StackResource) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO stack_resources ("+stackColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "+
			"ON CONFLICT (stack, logical_id) DO UPDATE SET type = excluded.type, physical_id = excluded.physical_id, "+
			"attributes = excluded.attributes, properties = excluded.properties, created_at = excluded.created_at, updated_at = excluded.updated_at",
		r.Stack, r.LogicalID, r.Type, r.PhysicalID, r.Attributes, r.Properties, millis(r.CreatedAt), millis(r.UpdatedAt))
	return mapErr(fmt.Sprintf("put resource %s of stack %q", r.LogicalID, r.Stack), err)
}

// DeleteStackResource forgets a resource; store.ErrNotFound when there is none.
func (s *Store) DeleteStackResource(ctx context.Context, stack, logicalID string) error {
	op := fmt.Sprintf("delete resource %s of stack %q", logicalID, stack)
	res, err := s.db.ExecContext(ctx, "DELETE FROM stack_resources WHERE stack = $1 AND logical_id = $2", stack, logicalID)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

// LockStack runs fn holding the stack's lock. On PostgreSQL it is a session advisory lock
// (pg_advisory_lock, one per stack) on a connection of its own, so nodes sharing the
// database take turns, and so do goroutines of one node; SQLite has one writer process, and
// an in-process mutex (one for all stacks) is the lock.
func (s *Store) LockStack(ctx context.Context, stack string, fn func(ctx context.Context) error) error {
	if s.dialect != dialectPostgres {
		s.stackMu.Lock()
		defer s.stackMu.Unlock()
		return fn(ctx)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte("gatehouse/stack\x00" + stack))
	key := int64(h.Sum64())
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return mapErr("lock stack", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key); err != nil {
		return mapErr(fmt.Sprintf("lock stack %q", stack), err)
	}
	ferr := fn(ctx)
	// The unlock must run even when ctx is done: the connection goes back to the pool, which
	// would keep the lock held.
	_, uerr := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", key)
	if uerr != nil {
		// The lock's state is unknown: the connection must not go back to the pool.
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	return ferr
}
