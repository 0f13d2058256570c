package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	// Registers the "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
	// Registers the "sqlite" database/sql driver.
	_ "modernc.org/sqlite"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Store is the SQL implementation of store.Store. It is safe for concurrent use.
type Store struct {
	dialect dialect
	// db takes every write and every transaction. On SQLite it holds a single connection
	// whose transactions begin IMMEDIATE: writers queue in database/sql's pool instead of
	// racing for SQLite's write lock, so they never see SQLITE_BUSY inside one process
	// (busy_timeout covers other processes).
	db *sql.DB
	// rdb serves reads outside transactions. On SQLite it is a separate pool of query-only
	// connections, which WAL lets run alongside the writer; elsewhere it is db.
	rdb *sql.DB
	// stackMu is LockStack on SQLite (PostgreSQL uses advisory locks).
	stackMu sync.Mutex
}

// sqliteReaders bounds the SQLite read pool: enough to overlap reads with the writer on a
// small machine without holding many file descriptors and page caches.
func sqliteReaders() int { return max(4, runtime.GOMAXPROCS(0)) }

// Open connects to the database named by url and applies pending migrations.
//
// url is a PostgreSQL URL (postgres://… or postgresql://…, any parameter pgx understands,
// e.g. search_path=…) or a SQLite database: a file path, sqlite://path, or a file: URI.
// ":memory:" opens a private in-memory SQLite database (one connection; for tests).
func Open(ctx context.Context, url string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		s, err = openPostgres(url)
	default:
		s, err = openSQLite(url)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openPostgres(url string) (*Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open postgres: %w", err)
	}
	// Bounded so that several nodes sharing one server stay well under its
	// max_connections (100 by default).
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{dialect: dialectPostgres, db: db, rdb: db}, nil
}

func openSQLite(url string) (*Store, error) {
	path, query, memory, err := sqlitePath(url)
	if err != nil {
		return nil, err
	}
	// busy_timeout comes first (the driver applies it before the other pragmas) so that
	// switching the journal mode waits for another process instead of failing.
	params := "_busy_timeout=5000&_foreign_keys=on&_synchronous=FULL"
	if !memory {
		params += "&_journal_mode=WAL"
	}
	dsn := func(extra string) string {
		q := params + extra
		if query != "" {
			q = query + "&" + q
		}
		return path + "?" + q
	}

	db, err := sql.Open("sqlite", dsn("&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	// The writer's connection is never recycled: for :memory: it is the database.
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	s := &Store{dialect: dialectSQLite, db: db, rdb: db}
	if memory {
		return s, nil
	}

	rdb, err := sql.Open("sqlite", dsn("&_query_only=on"))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlstore: open sqlite readers: %w", err)
	}
	rdb.SetMaxOpenConns(sqliteReaders())
	rdb.SetMaxIdleConns(sqliteReaders())
	s.rdb = rdb
	return s, nil
}

// sqlitePath turns the accepted spellings of a SQLite database into a file: URI without
// its query, the caller's own URI parameters (if any), and whether the database lives in
// memory.
func sqlitePath(url string) (uri, query string, memory bool, err error) {
	switch {
	case strings.HasPrefix(url, "sqlite://"):
		url = strings.TrimPrefix(url, "sqlite://")
	case strings.HasPrefix(url, "sqlite:"):
		url = strings.TrimPrefix(url, "sqlite:")
	}
	if url == "" {
		return "", "", false, errors.New("sqlstore: empty database path")
	}
	if url == ":memory:" {
		return "file::memory:", "", true, nil
	}
	if strings.HasPrefix(url, "file:") {
		// Already a URI: keep the caller's parameters (mode=ro, vfs=…) and add ours.
		uri, query, _ = strings.Cut(url, "?")
		memory = uri == "file::memory:" || strings.Contains("&"+query+"&", "&mode=memory&")
		return uri, query, memory, nil
	}
	// A plain path: escape the characters a URI would read as syntax, so that a path
	// containing '?', '#' or '%' opens the file it names.
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(url), "", false, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("sqlstore: ping: %w", err)
	}
	return nil
}

// Close releases every connection. The Store must not be used afterwards.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// IntegrityCheck verifies the database's structure: PRAGMA integrity_check on SQLite (an
// error unless it reports "ok"), a trivial query on PostgreSQL, whose server checks itself.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	if s.dialect != dialectSQLite {
		var one int
		if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
			return fmt.Errorf("sqlstore: integrity check: %w", err)
		}
		return nil
	}
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("sqlstore: integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("sqlstore: integrity check: %w", err)
		}
		problems = append(problems, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlstore: integrity check: %w", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("sqlstore: integrity check failed: %s", strings.Join(problems, "; "))
	}
	return nil
}

var _ store.Store = (*Store)(nil)
