package sqlstore

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gatehouse/gatehouse/internal/store"
)

// dialect names the SQL flavour a Store speaks. Queries are written once, with $N
// placeholders that both drivers understand; the dialect only matters where the two
// servers differ (migrations, locking, error codes).
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

func (d dialect) String() string {
	if d == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// PostgreSQL SQLSTATEs (Appendix A, "PostgreSQL Error Codes").
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// mapErr turns a driver error into a store sentinel where one applies, wrapping it with
// what was being done. When it becomes a sentinel the driver's error is kept as text only
// (%v), so callers test with errors.Is and never branch on a driver type. Any other error
// stays wrapped (%w): it is unexpected, and inTx still has to recognise a serialization
// failure in it to retry.
func mapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", op, store.ErrNotFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case pgUniqueViolation:
			return fmt.Errorf("%s: %w (%v)", op, store.ErrAlreadyExists, err)
		case pgForeignKeyViolation:
			// The row's parent (its pool) does not exist.
			return fmt.Errorf("%s: parent %w (%v)", op, store.ErrNotFound, err)
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%s: %w (%v)", op, store.ErrAlreadyExists, err)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return fmt.Errorf("%s: parent %w (%v)", op, store.ErrNotFound, err)
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// retryable reports whether a transaction failed only because it raced another one, so
// that running it again from the start may succeed.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == pgSerializationFailure || pgErr.Code == pgDeadlockDetected
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		// Another process held the write lock past busy_timeout.
		primary := liteErr.Code() & 0xff
		return primary == sqlite3.SQLITE_BUSY || primary == sqlite3.SQLITE_LOCKED
	}
	return false
}
