package sqlstore_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// TestSQLiteConcurrentWriters runs writers and readers through two Stores on one file, as
// two processes sharing a data directory would, and requires that none of them ever sees
// "database is locked" and that no update is lost.
func TestSQLiteConcurrentWriters(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	var stores []*sqlstore.Store
	for range 2 {
		s, err := sqlstore.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores = append(stores, s)
	}
	must(t, stores[0].CreateUserPool(ctx, store.UserPool{ID: "p", Name: "p"}))
	must(t, stores[0].CreateUser(ctx, store.User{PoolID: "p", Username: "alice", UsernameKey: "alice", Sub: "s", Status: "CONFIRMED", Enabled: true}))

	const workers, each = 4, 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*each*4)
	for si, s := range stores {
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					errs <- s.UpdateUser(ctx, "p", "alice", func(old store.User) (store.User, error) {
						old.FailedAttempts++
						return old, nil
					})
					key := fmt.Sprintf("u-%d-%d-%d", si, w, i)
					errs <- s.CreateUser(ctx, store.User{PoolID: "p", Username: key, UsernameKey: key, Sub: key,
						Status: "CONFIRMED", Enabled: true, Attributes: []store.Attribute{{Name: "email", Value: key + "@example.com"}}})
					_, err := s.AddMessage(ctx, store.Message{PoolID: "p", Username: key, Medium: "EMAIL", Body: "hi"})
					errs <- err
					_, err = s.ListUsers(ctx, "p", &store.UserFilter{Attribute: "email", Value: "u-", Prefix: true}, store.Page{Limit: 10})
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	u, err := stores[1].GetUser(ctx, "p", "alice")
	must(t, err)
	if want := 2 * workers * each; u.FailedAttempts != want {
		t.Fatalf("FailedAttempts = %d, want %d", u.FailedAttempts, want)
	}
	n, err := stores[0].CountUsers(ctx, "p")
	must(t, err)
	if want := 1 + 2*workers*each; n != want {
		t.Fatalf("CountUsers = %d, want %d", n, want)
	}
	must(t, stores[0].IntegrityCheck(ctx))
}

// openConcurrently opens n Stores on url at once: migrations must let them all succeed.
func openConcurrently(t *testing.T, url string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := sqlstore.Open(t.Context(), url)
			if err == nil {
				err = s.Ping(t.Context())
				s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent open: %v", err)
		}
	}
}

func countMigrations(t *testing.T, driver, dsn string) int {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	must(t, db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n))
	return n
}

func TestSQLiteConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	openConcurrently(t, path, 4)
	if n, want := countMigrations(t, "sqlite", path), migrationFiles(t, "sqlite"); n != want {
		t.Fatalf("schema_migrations has %d rows, want %d", n, want)
	}
	// Reopening applies nothing and keeps the data.
	s, err := sqlstore.Open(t.Context(), path)
	must(t, err)
	must(t, s.CreateUserPool(t.Context(), store.UserPool{ID: "p"}))
	s.Close()
	s, err = sqlstore.Open(t.Context(), "sqlite://"+path)
	must(t, err)
	defer s.Close()
	if _, err := s.GetUserPool(t.Context(), "p"); err != nil {
		t.Fatalf("after reopening: %v", err)
	}
}

func TestPostgresConcurrentOpen(t *testing.T) {
	url := storetest.PostgresURL(t, "gh_test_")
	openConcurrently(t, url, 4)
	if n, want := countMigrations(t, "pgx", url), migrationFiles(t, "postgres"); n != want {
		t.Fatalf("schema_migrations has %d rows, want %d", n, want)
	}
}

// TestOpenForms opens each accepted spelling of a SQLite database.
func TestOpenForms(t *testing.T) {
	dir := t.TempDir()
	for _, url := range []string{
		filepath.Join(dir, "plain.db"),
		"sqlite://" + filepath.Join(dir, "scheme.db"),
		"file:" + filepath.Join(dir, "uri.db") + "?mode=rwc",
		filepath.Join(dir, "odd?name#1%.db"),
		":memory:",
	} {
		t.Run(url, func(t *testing.T) {
			s, err := sqlstore.Open(t.Context(), url)
			must(t, err)
			defer s.Close()
			must(t, s.CreateUserPool(t.Context(), store.UserPool{ID: "p"}))
			if _, err := s.GetUserPool(t.Context(), "p"); err != nil {
				t.Fatal(err)
			}
			must(t, s.IntegrityCheck(t.Context()))
		})
	}
	// Each file is named exactly as given: '?', '#' and '%' in a plain path are not URI syntax.
	for _, name := range []string{"plain.db", "scheme.db", "uri.db", "odd?name#1%.db"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

// migrationFiles counts a dialect's migrations: each must be recorded exactly once.
func migrationFiles(t *testing.T, dialect string) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migrations", dialect))
	must(t, err)
	if len(entries) == 0 {
		t.Fatalf("no %s migrations", dialect)
	}
	return len(entries)
}
