package storetest

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
)

// testUserLongAttributeValues: Cognito allows attribute values of 2,048 characters, which in
// UTF-8 may be 8 KB — more than a PostgreSQL btree index row may hold. Such users are stored,
// found by exact value, and found by a prefix filter; a value sharing the long prefix but
// differing at the end is not confused with them.
func testUserLongAttributeValues(t *testing.T, s store.Store) {
	mkPool(t, s, "a")
	long := incompressible(2048) // 3-byte characters: 6 KB that compression cannot shrink
	other := long[:len(long)-3] + "x"
	u := newUser("a", "long", "custom:notes", long)
	must(t, s.CreateUser(t.Context(), u))
	must(t, s.CreateUser(t.Context(), newUser("a", "other", "custom:notes", other)))

	found, err := s.FindUsersByAttribute(t.Context(), "a", "custom:notes", long)
	must(t, err)
	if len(found) != 1 || found[0].UsernameKey != "long" || attrValue(found[0], "custom:notes") != long {
		t.Fatalf("exact look-up of a long value found %d users", len(found))
	}
	list, err := s.ListUsers(t.Context(), "a", &store.UserFilter{Attribute: "custom:notes", Value: "", Prefix: true}, store.Page{})
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("prefix filter over long values found %d users, want 2", len(list))
	}
	list, err = s.ListUsers(t.Context(), "a", &store.UserFilter{Attribute: "custom:notes", Value: long[:30], Prefix: true}, store.Page{})
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("prefix filter with the values' first characters found %d users, want 2", len(list))
	}
	list, err = s.ListUsers(t.Context(), "a", &store.UserFilter{Attribute: "custom:notes", Value: other}, store.Page{})
	must(t, err)
	if len(list) != 1 || list[0].UsernameKey != "other" {
		t.Fatalf("equality filter on a long value found %v", list)
	}
	// Updating re-indexes the long value.
	must(t, s.UpdateUser(t.Context(), "a", "long", func(old store.User) (store.User, error) {
		old.Attributes = []store.Attribute{{Name: "sub", Value: old.Sub}, {Name: "custom:notes", Value: long + "!"}}
		return old, nil
	}))
	found, err = s.FindUsersByAttribute(t.Context(), "a", "custom:notes", long)
	must(t, err)
	if len(found) != 0 {
		t.Fatalf("old long value still indexed")
	}
}

func attrValue(u store.User, name string) string {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// incompressible returns n distinct-looking 3-byte characters (U+4E00…), from a fixed
// linear congruential sequence so that the test is repeatable.
func incompressible(n int) string {
	var b strings.Builder
	x := uint32(12345)
	for i := 0; i < n; i++ {
		x = x*1103515245 + 12345
		b.WriteRune(rune(0x4E00 + (x>>16)%0x5000))
	}
	return b.String()
}
