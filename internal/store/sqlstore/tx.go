package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// maxTxAttempts bounds how often a transaction that lost a race is run again before the
// caller gets store.ErrConflict.
const maxTxAttempts = 5

// querier is what both *sql.DB and *sql.Tx offer, so that a read helper serves a plain
// read and a read inside an update alike.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// callerError carries an error returned by a caller's update function through the
// transaction machinery, so that it is neither retried nor translated and comes back to
// the caller unchanged.
type callerError struct{ err error }

func (e callerError) Error() string { return e.err.Error() }

// inTx runs fn in a write transaction and commits it, running it again (from a fresh
// transaction) when it failed only because it raced another writer. fn may therefore
// run more than once.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.tryTx(ctx, fn)
		if err == nil {
			return nil
		}
		var ce callerError
		if errors.As(err, &ce) {
			return ce.err
		}
		if !retryable(err) {
			if isSentinel(err) {
				return err // already translated (and described) inside fn
			}
			return mapErr(op, err)
		}
		if attempt == maxTxAttempts {
			return fmt.Errorf("%s: %w after %d attempts (%v)", op, store.ErrConflict, attempt, err)
		}
		// A short, growing pause lets the winner of the race commit.
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", op, ctx.Err())
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	// On SQLite the writer's DSN makes this BEGIN IMMEDIATE: the write lock is taken up
	// front, so a read-then-write never has to upgrade its lock and deadlock.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func isSentinel(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrAlreadyExists) ||
		errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrInUse)
}

// forUpdate is the suffix that locks the row an update reads. SQLite needs none: its
// IMMEDIATE transaction already holds the database's write lock.
func (s *Store) forUpdate() string {
	if s.dialect == dialectPostgres {
		return " FOR UPDATE"
	}
	return ""
}

// forNoKeyUpdate locks a row that an update rewrites without changing its key. Unlike FOR
// UPDATE it lets other transactions insert rows that reference it (the FOREIGN KEY checks
// of user_attributes and user_claims take a key-share lock).
func (s *Store) forNoKeyUpdate() string {
	if s.dialect == dialectPostgres {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// mustAffect turns "no row matched" into store.ErrNotFound.
func mustAffect(op string, res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	return nil
}

// updateRow is the read-modify-write every Update method shares: in a transaction it reads
// the current row with get under lock, lets fn (the caller's function) change it, and
// stores the result with write; store.ErrNotFound when write matched no row. An error from
// fn comes back unchanged (callerError), and the whole may run again on a lost race.
func updateRow[T any](ctx context.Context, s *Store, op string,
	get func(q querier, lock string) (T, error), fn func(old T) (T, error),
	write func(tx *sql.Tx, v T) (sql.Result, error)) error {
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		old, err := get(tx, s.forUpdate())
		if err != nil {
			return err
		}
		v, err := fn(old)
		if err != nil {
			return callerError{err}
		}
		res, err := write(tx, v)
		if err != nil {
			return err
		}
		return mustAffect(op, res)
	})
}
