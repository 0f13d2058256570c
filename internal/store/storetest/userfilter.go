package storetest

import (
	"fmt"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
)

// filterUsers fills pool "a" with users whose values probe the filter's edges: LIKE
// wildcards and the escape character, case, multi-byte prefixes.
func filterUsers(t *testing.T, s store.Store) {
	t.Helper()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	add := func(key, username, status string, enabled bool, attrs ...string) {
		t.Helper()
		u := newUser("a", key, attrs...)
		u.Username, u.Status, u.Enabled = username, status, enabled
		must(t, s.CreateUser(t.Context(), u))
	}
	add("alice", "Alice", "CONFIRMED", true, "email", "alice@example.com", "name", "Alice Liddell", "custom:team", "red")
	add("axb", "axb", "CONFIRMED", true, "email", "axb@example.com")
	add("bob", "bob", "UNCONFIRMED", false, "email", "bob@example.com", "custom:team", "blue")
	add("bsl", "bsl", "CONFIRMED", true, "email", `a\b@example.com`)
	add("carol", "Carol", "FORCE_CHANGE_PASSWORD", true, "email", "Carol@Example.com", "given_name", "Carol")
	add("pct", "pct", "CONFIRMED", true, "email", "a%b@example.com")
	add("und", "und", "RESET_REQUIRED", true, "email", "a_b@example.com")
	add("uni1", "uni1", "CONFIRMED", true, "email", "éa@example.com")
	add("uni2", "uni2", "CONFIRMED", true, "email", "êa@example.com")
	add("nomail", "nomail", "CONFIRMED", true, "phone_number", "+15550100")
	// Another pool's users never show.
	mkUser(t, s, "b", "alice", "email", "alice@example.com")
}

func testUserFilters(t *testing.T, s store.Store) {
	filterUsers(t, s)
	all := []string{"alice", "axb", "bob", "bsl", "carol", "nomail", "pct", "und", "uni1", "uni2"}
	for _, tc := range []struct {
		f    store.UserFilter
		want []string
	}{
		{store.UserFilter{Attribute: "email", Value: "alice@example.com"}, []string{"alice"}},
		{store.UserFilter{Attribute: "email", Value: "ALICE@example.com"}, nil},
		{store.UserFilter{Attribute: "email", Value: "a_b@example.com"}, []string{"und"}},
		{store.UserFilter{Attribute: "email", Value: "a%b@example.com"}, []string{"pct"}},
		{store.UserFilter{Attribute: "email", Value: "a", Prefix: true}, []string{"alice", "axb", "bsl", "pct", "und"}},
		{store.UserFilter{Attribute: "email", Value: "a%", Prefix: true}, []string{"pct"}},
		{store.UserFilter{Attribute: "email", Value: "a_", Prefix: true}, []string{"und"}},
		{store.UserFilter{Attribute: "email", Value: `a\`, Prefix: true}, []string{"bsl"}},
		{store.UserFilter{Attribute: "email", Value: `a\%`, Prefix: true}, nil},
		{store.UserFilter{Attribute: "email", Value: "%", Prefix: true}, nil},
		{store.UserFilter{Attribute: "email", Value: "_", Prefix: true}, nil},
		{store.UserFilter{Attribute: "email", Value: "c", Prefix: true}, nil}, // case-sensitive
		{store.UserFilter{Attribute: "email", Value: "C", Prefix: true}, []string{"carol"}},
		{store.UserFilter{Attribute: "email", Value: "é", Prefix: true}, []string{"uni1"}},
		{store.UserFilter{Attribute: "email", Value: "", Prefix: true}, []string{"alice", "axb", "bob", "bsl", "carol", "pct", "und", "uni1", "uni2"}},
		{store.UserFilter{Attribute: "email", Value: "alice@example.com", Prefix: true}, []string{"alice"}},
		{store.UserFilter{Attribute: "custom:team", Value: "red"}, []string{"alice"}},
		{store.UserFilter{Attribute: "name", Value: "Alice", Prefix: true}, []string{"alice"}},
		{store.UserFilter{Attribute: "given_name", Value: "Carol"}, []string{"carol"}},
		{store.UserFilter{Attribute: "phone_number", Value: "+1555", Prefix: true}, []string{"nomail"}},
		{store.UserFilter{Attribute: "sub", Value: "sub-a-bob"}, []string{"bob"}},
		{store.UserFilter{Attribute: "family_name", Value: "x"}, nil},

		// username: the stored Username (case-sensitive) or the UsernameKey.
		{store.UserFilter{Attribute: "username", Value: "Alice"}, []string{"alice"}},
		{store.UserFilter{Attribute: "username", Value: "alice"}, []string{"alice"}},
		{store.UserFilter{Attribute: "username", Value: "ALICE"}, nil},
		{store.UserFilter{Attribute: "username", Value: "Ca", Prefix: true}, []string{"carol"}},
		{store.UserFilter{Attribute: "username", Value: "b", Prefix: true}, []string{"bob", "bsl"}},
		{store.UserFilter{Attribute: "username", Value: "%", Prefix: true}, nil},

		// cognito:user_status: the Status field.
		{store.UserFilter{Attribute: "cognito:user_status", Value: "UNCONFIRMED"}, []string{"bob"}},
		{store.UserFilter{Attribute: "cognito:user_status", Value: "confirmed"}, nil},
		{store.UserFilter{Attribute: "cognito:user_status", Value: "FORCE", Prefix: true}, []string{"carol"}},
		{store.UserFilter{Attribute: "cognito:user_status", Value: "RESET_REQUIRED"}, []string{"und"}},

		// status: Enabled / Disabled.
		{store.UserFilter{Attribute: "status", Value: "Disabled"}, []string{"bob"}},
		{store.UserFilter{Attribute: "status", Value: "Enabled"}, []string{"alice", "axb", "bsl", "carol", "nomail", "pct", "und", "uni1", "uni2"}},
		{store.UserFilter{Attribute: "status", Value: "enabled"}, nil},
		{store.UserFilter{Attribute: "status", Value: "Dis", Prefix: true}, []string{"bob"}},
		{store.UserFilter{Attribute: "status", Value: "", Prefix: true}, all},
	} {
		op := "="
		if tc.f.Prefix {
			op = "^="
		}
		t.Run(fmt.Sprintf("%s %s %q", tc.f.Attribute, op, tc.f.Value), func(t *testing.T) {
			got, err := s.ListUsers(t.Context(), "a", &tc.f, store.Page{})
			must(t, err)
			wantKeys(t, "ListUsers", got, tc.want...)
		})
	}
}

func testUserFilterPaging(t *testing.T, s store.Store) {
	filterUsers(t, s)
	ctx := t.Context()
	f := &store.UserFilter{Attribute: "email", Value: "a", Prefix: true}
	var pages [][]string
	after := ""
	for range 10 {
		got, err := s.ListUsers(ctx, "a", f, store.Page{After: after, Limit: 2})
		must(t, err)
		if len(got) == 0 {
			break
		}
		pages = append(pages, userKeys(got))
		after = got[len(got)-1].UsernameKey
	}
	if fmt.Sprint(pages) != "[[alice axb] [bsl pct] [und]]" {
		t.Fatalf("pages of email ^= \"a\": %v", pages)
	}

	got, err := s.ListUsers(ctx, "a", &store.UserFilter{Attribute: "status", Value: "Enabled"}, store.Page{After: "carol", Limit: 3})
	must(t, err)
	wantKeys(t, "status = Enabled after carol", got, "nomail", "pct", "und")
	got, err = s.ListUsers(ctx, "a", &store.UserFilter{Attribute: "username", Value: "b", Prefix: true}, store.Page{After: "bob"})
	must(t, err)
	wantKeys(t, "username ^= b after bob", got, "bsl")
	got, err = s.ListUsers(ctx, "a", &store.UserFilter{Attribute: "email", Value: "alice@example.com"}, store.Page{})
	must(t, err)
	if len(got) != 1 || got[0].Username != "Alice" || len(got[0].Attributes) != 4 {
		t.Fatalf("filtered user came back incomplete: %+v", got)
	}
}
