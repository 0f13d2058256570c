package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// PostgresEnv names the PostgreSQL database tests run against (testclient.PostgresEnv). A
// test that needs PostgreSQL should call testclient.RequirePostgres or PostgresURL rather than
// read it, so that GATEHOUSE_REQUIRE_CLIENTS=1 turns its skip into a failure.
const PostgresEnv = testclient.PostgresEnv

// PostgresURL creates a schema of its own for one test in the database named by
// GATEHOUSE_TEST_POSTGRES, so that parallel packages and reruns never see each other's
// tables, and returns a URL whose connections use it (search_path). The schema, named
// prefix + random hex, is dropped when the test ends. Without GATEHOUSE_TEST_POSTGRES the
// test is skipped, or fails under GATEHOUSE_REQUIRE_CLIENTS=1 (testclient.RequirePostgres).
func PostgresURL(t testing.TB, prefix string) string {
	t.Helper()
	base := testclient.RequirePostgres(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	var b [8]byte
	_, _ = rand.Read(b[:])
	schema := prefix + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
