package sqlstore_test

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// An upgrade from a database that an older Gatehouse wrote (schema version 4), whose pool
// already holds two users with one email: migration 0008 applies, nothing is lost, and
// declaring the pool's rule keeps the email with the older user and reports the other.
func testUpgradeWithDuplicates(t *testing.T, url string) {
	ctx := t.Context()
	old, err := sqlstore.OpenAtVersion(ctx, url, 4)
	if err != nil {
		t.Fatal(err)
	}
	must(t, old.Exec(ctx, "INSERT INTO user_pools (id, name, created_at, updated_at, spec) VALUES ('p', 'p', 1, 1, '{}')"))
	for _, u := range []struct {
		key     string
		created int64
	}{{"newer", 2000}, {"older", 1000}} {
		must(t, old.Exec(ctx, "INSERT INTO users (pool_id, username_key, username, sub, status, enabled, attributes, created_at, "+
			"updated_at, password_hash, failed_attempts) VALUES ('p', $1, $1, $2, 'CONFIRMED', $3, $4, $5, $5, '', 0)",
			u.key, "sub-"+u.key, true, `[{"Name":"email","Value":"dup@example.com"}]`, u.created))
		must(t, old.Exec(ctx, "INSERT INTO user_attributes (pool_id, username_key, name, value) VALUES ('p', $1, 'email', 'dup@example.com')", u.key))
	}
	must(t, old.Close())

	s, err := sqlstore.Open(ctx, url)
	if err != nil {
		t.Fatalf("open after the upgrade: %v", err)
	}
	defer s.Close()
	p, err := s.GetUserPool(ctx, "p")
	must(t, err)
	if p.Uniqueness != nil {
		t.Fatalf("an old pool has Uniqueness %+v before it is declared", p.Uniqueness)
	}
	found, err := s.FindUsersByAttribute(ctx, "p", "email", "dup@example.com")
	must(t, err)
	if len(found) != 2 {
		t.Fatalf("%d users keep the email after the migration, want both", len(found))
	}
	dups, err := s.DeclareUniqueness(ctx, "p", store.Uniqueness{Attributes: []store.UniqueAttribute{{Name: "email"}}})
	must(t, err)
	want := []store.UniqueDuplicate{{Attribute: "email", Value: "dup@example.com", Holder: "older", Other: "newer"}}
	if !reflect.DeepEqual(dups, want) {
		t.Fatalf("duplicates %+v, want %+v", dups, want)
	}
	u, err := s.GetUserByClaim(ctx, "p", "email", "dup@example.com")
	must(t, err)
	if u.UsernameKey != "older" {
		t.Fatalf("the email is held by %s, want older", u.UsernameKey)
	}
	if _, err := s.GetUser(ctx, "p", "newer"); err != nil {
		t.Fatalf("the duplicate user: %v", err)
	}
}

func TestSQLiteUpgradeWithDuplicates(t *testing.T) {
	testUpgradeWithDuplicates(t, filepath.Join(t.TempDir(), "gatehouse.db"))
}

func TestPostgresUpgradeWithDuplicates(t *testing.T) {
	testUpgradeWithDuplicates(t, storetest.PostgresURL(t, "gh_upgrade_"))
}
