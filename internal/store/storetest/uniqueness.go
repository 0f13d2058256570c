package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// A rule as user pools use it: email unique whatever its state and folded (an
// email-as-username pool with case-insensitive names), phone number only while verified,
// preferred_username as written.
func testRule() store.Uniqueness {
	return store.Uniqueness{Attributes: []store.UniqueAttribute{
		{Name: "email", FoldCase: true},
		{Name: "phone_number", VerifiedBy: "phone_number_verified"},
		{Name: "preferred_username"},
	}}
}

func mkUniquePool(t *testing.T, s store.Store, id string) {
	t.Helper()
	rule := testRule()
	must(t, s.CreateUserPool(t.Context(), store.UserPool{ID: id, Name: id, CreatedAt: t0(), UpdatedAt: t0(), Uniqueness: &rule}))
}

func wantConflict(t *testing.T, what string, err error, attr string) {
	t.Helper()
	var ce *store.ClaimConflictError
	if !errors.As(err, &ce) || ce.Attribute != attr || !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("%s: err = %v, want a *store.ClaimConflictError for %s (ErrAlreadyExists)", what, err, attr)
	}
}

func wantHolder(t *testing.T, s store.Store, poolID, attr, value, want string) {
	t.Helper()
	u, err := s.GetUserByClaim(t.Context(), poolID, attr, value)
	if want == "" {
		wantErr(t, err, store.ErrNotFound)
		return
	}
	must(t, err)
	if u.UsernameKey != want {
		t.Fatalf("holder of %s %q = %q, want %q", attr, value, u.UsernameKey, want)
	}
}

func testUniqueClaims(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkUniquePool(t, s, "a")
	mkPool(t, s, "b") // no rule: nothing is unique beyond the key and the sub

	got, err := s.GetUserPool(ctx, "a")
	must(t, err)
	if want := testRule(); got.Uniqueness == nil || !reflect.DeepEqual(*got.Uniqueness, want) {
		t.Fatalf("Uniqueness = %+v, want %+v", got.Uniqueness, want)
	}
	// UpdateUserPool keeps the rule whatever fn returns.
	must(t, s.UpdateUserPool(ctx, "a", func(old store.UserPool) (store.UserPool, error) {
		old.Uniqueness = nil
		old.Name = "renamed"
		return old, nil
	}))
	got, err = s.GetUserPool(ctx, "a")
	must(t, err)
	if got.Uniqueness == nil || got.Name != "renamed" {
		t.Fatalf("after UpdateUserPool: Uniqueness %+v, Name %q", got.Uniqueness, got.Name)
	}

	mkUser(t, s, "a", "alice", "email", "Alice@Example.com", "phone_number", "+15550001", "phone_number_verified", "True")
	wantHolder(t, s, "a", "email", "alice@example.com", "alice")
	wantHolder(t, s, "a", "phone_number", "+15550001", "alice")

	// Another email differing only in case, and a verified phone, are taken.
	wantConflict(t, "same email", s.CreateUser(ctx, newUser("a", "bob", "email", "ALICE@example.COM")), "email")
	wantConflict(t, "same verified phone", s.CreateUser(ctx, newUser("a", "bob", "phone_number", "+15550001", "phone_number_verified", "TRUE")), "phone_number")
	// Nothing of the refused user was written.
	_, err = s.GetUser(ctx, "a", "bob")
	wantErr(t, err, store.ErrNotFound)
	// An unverified phone claims nothing; another pool is another namespace.
	mkUser(t, s, "a", "bob", "email", "bob@example.com", "phone_number", "+15550001", "phone_number_verified", "false")
	mkUser(t, s, "b", "alice2", "email", "alice@example.com")
	mkUser(t, s, "b", "alice3", "email", "alice@example.com")

	// Verifying bob's phone would take alice's: refused, and bob stays as he was.
	err = s.UpdateUser(ctx, "a", "bob", func(old store.User) (store.User, error) {
		old.Attributes = setAttribute(old.Attributes, "phone_number_verified", "true")
		return old, nil
	})
	wantConflict(t, "verify a taken phone", err, "phone_number")
	bob, err := s.GetUser(ctx, "a", "bob")
	must(t, err)
	if v := attrValue(bob, "phone_number_verified"); v != "false" {
		t.Fatalf("bob's phone_number_verified = %q after a refused update", v)
	}

	// Moving the alias: alice lets it go, then bob takes it.
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.Attributes = setAttribute(old.Attributes, "phone_number_verified", "false")
		return old, nil
	}))
	wantHolder(t, s, "a", "phone_number", "+15550001", "")
	must(t, s.UpdateUser(ctx, "a", "bob", func(old store.User) (store.User, error) {
		old.Attributes = setAttribute(old.Attributes, "phone_number_verified", "true")
		return old, nil
	}))
	wantHolder(t, s, "a", "phone_number", "+15550001", "bob")

	// A changed email frees the old one; deleting a user frees everything.
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.Attributes = setAttribute(old.Attributes, "email", "alice@new.example.com")
		return old, nil
	}))
	wantHolder(t, s, "a", "email", "alice@example.com", "")
	wantHolder(t, s, "a", "email", "alice@new.example.com", "alice")
	mkUser(t, s, "a", "carol", "email", "alice@example.com", "preferred_username", "carol")
	wantConflict(t, "same preferred_username", s.CreateUser(ctx, newUser("a", "dave", "preferred_username", "carol")), "preferred_username")
	must(t, s.DeleteUser(ctx, "a", "carol"))
	mkUser(t, s, "a", "dave", "email", "alice@example.com", "preferred_username", "carol")
	wantHolder(t, s, "a", "preferred_username", "carol", "dave")

	// Long values are unique too (they are indexed shortened, with a hash).
	long := fmt.Sprintf("%02000d", 7) + "@example.com"
	mkUser(t, s, "a", "erin", "email", long)
	wantConflict(t, "same long email", s.CreateUser(ctx, newUser("a", "frank", "email", long)), "email")
	mkUser(t, s, "a", "frank", "email", long[:len(long)-3]+"org")
	wantHolder(t, s, "a", "email", long, "erin")

	// Deleting the pool takes its claims with it.
	must(t, s.DeleteUserPool(ctx, "a"))
	mkUniquePool(t, s, "a")
	mkUser(t, s, "a", "zed", "email", "alice@example.com")
}

// testUniqueRace races writers that want one value: on every backend exactly one wins,
// whatever the interleaving, and the others get a *store.ClaimConflictError.
func testUniqueRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkUniquePool(t, s, "a")
	const rounds, racers = 10, 4

	// Creations with one email.
	for r := range rounds {
		email := fmt.Sprintf("race%d@example.com", r)
		errs := race(racers, func(i int) error {
			return s.CreateUser(ctx, newUser("a", fmt.Sprintf("c%d-%d", r, i), "email", email))
		})
		wantOneWinner(t, "create "+email, errs, "email")
		wantClaimCount(t, s, "a", "email", email, 1)
	}

	// Updates moving users onto one email.
	for r := range rounds {
		email := fmt.Sprintf("move%d@example.com", r)
		for i := range racers {
			mkUser(t, s, "a", fmt.Sprintf("m%d-%d", r, i), "email", fmt.Sprintf("m%d-%d@example.com", r, i))
		}
		errs := race(racers, func(i int) error {
			return s.UpdateUser(ctx, "a", fmt.Sprintf("m%d-%d", r, i), func(old store.User) (store.User, error) {
				old.Attributes = setAttribute(old.Attributes, "email", email)
				return old, nil
			})
		})
		wantOneWinner(t, "move to "+email, errs, "email")
		wantClaimCount(t, s, "a", "email", email, 1)
	}

	// A creation racing an update for one email.
	for r := range rounds {
		email := fmt.Sprintf("mixed%d@example.com", r)
		mkUser(t, s, "a", fmt.Sprintf("x%d", r), "email", fmt.Sprintf("x%d@example.com", r))
		errs := race(2, func(i int) error {
			if i == 0 {
				return s.CreateUser(ctx, newUser("a", fmt.Sprintf("y%d", r), "email", email))
			}
			return s.UpdateUser(ctx, "a", fmt.Sprintf("x%d", r), func(old store.User) (store.User, error) {
				old.Attributes = setAttribute(old.Attributes, "email", email)
				return old, nil
			})
		})
		wantOneWinner(t, "create and move to "+email, errs, "email")
		wantClaimCount(t, s, "a", "email", email, 1)
	}
}

// race runs fn(0..n-1) at once and returns their errors.
func race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func wantOneWinner(t *testing.T, what string, errs []error, attr string) {
	t.Helper()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		wantConflict(t, what, err, attr)
	}
	if wins != 1 {
		t.Fatalf("%s: %d writers won, want exactly 1", what, wins)
	}
}

// wantClaimCount counts the users whose attribute holds value (through the attribute
// index, not the claims), so a duplicate that slipped past the claims shows.
func wantClaimCount(t *testing.T, s store.Store, poolID, attr, value string, want int) {
	t.Helper()
	users, err := s.FindUsersByAttribute(t.Context(), poolID, attr, value)
	must(t, err)
	if len(users) != want {
		t.Fatalf("%d users have %s %q, want %d", len(users), attr, value, want)
	}
	if want == 1 {
		wantHolder(t, s, poolID, attr, value, users[0].UsernameKey)
	}
}

// testUniqueDeclare applies a rule to a pool that already holds duplicates (a database
// from before the store enforced uniqueness): the older user keeps the value, the others
// are reported and left as they were, and stay updatable.
func testUniqueDeclare(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	at := func(u store.User, d time.Duration) store.User {
		u.CreatedAt = t0().Add(d)
		return u
	}
	// Created in an order unlike their age, so the test tells "older" from "first".
	must(t, s.CreateUser(ctx, at(newUser("a", "newer", "email", "dup@example.com"), 2*time.Hour)))
	must(t, s.CreateUser(ctx, at(newUser("a", "older", "email", "DUP@example.com"), time.Hour)))
	must(t, s.CreateUser(ctx, at(newUser("a", "newest", "email", "dup@example.com", "preferred_username", "p"), 3*time.Hour)))
	must(t, s.CreateUser(ctx, at(newUser("a", "other", "email", "other@example.com", "preferred_username", "p"), 0)))

	dups, err := s.DeclareUniqueness(ctx, "a", testRule())
	must(t, err)
	want := []store.UniqueDuplicate{
		{Attribute: "email", Value: "dup@example.com", Holder: "older", Other: "newer"},
		{Attribute: "email", Value: "dup@example.com", Holder: "older", Other: "newest"},
		{Attribute: "preferred_username", Value: "p", Holder: "other", Other: "newest"},
	}
	if !reflect.DeepEqual(dups, want) {
		t.Fatalf("duplicates = %+v, want %+v", dups, want)
	}
	wantHolder(t, s, "a", "email", "dup@example.com", "older")
	wantHolder(t, s, "a", "preferred_username", "p", "other")
	newer, err := s.GetUser(ctx, "a", "newer")
	must(t, err)
	if attrValue(newer, "email") != "dup@example.com" {
		t.Fatalf("the duplicate's attributes changed: %+v", newer.Attributes)
	}

	// Declaring the same rule again changes nothing and reports nothing.
	dups, err = s.DeclareUniqueness(ctx, "a", testRule())
	must(t, err)
	if len(dups) != 0 {
		t.Fatalf("second declaration reported %+v", dups)
	}

	// The duplicate can still be updated in ways that leave its claims alone...
	must(t, s.UpdateUser(ctx, "a", "newer", func(old store.User) (store.User, error) {
		old.FailedAttempts++
		old.Attributes = setAttribute(old.Attributes, "name", "N")
		return old, nil
	}))
	// ...cannot claim its email by another change of its claims...
	err = s.UpdateUser(ctx, "a", "newer", func(old store.User) (store.User, error) {
		old.Attributes = setAttribute(old.Attributes, "preferred_username", "newer")
		return old, nil
	})
	wantConflict(t, "duplicate re-claiming", err, "email")
	// ...and is resolved by giving it a value of its own.
	must(t, s.UpdateUser(ctx, "a", "newer", func(old store.User) (store.User, error) {
		old.Attributes = setAttribute(old.Attributes, "email", "newer@example.com")
		return old, nil
	}))
	wantHolder(t, s, "a", "email", "newer@example.com", "newer")

	// New writes follow the declared rule.
	wantConflict(t, "after declaring", s.CreateUser(ctx, newUser("a", "late", "email", "Dup@Example.com")), "email")
	_, err = s.DeclareUniqueness(ctx, "missing", testRule())
	wantErr(t, err, store.ErrNotFound)
}

// testUniqueBulk: a batch whose user takes a held value, or one an earlier user of the
// batch took, fails naming that user and writes nothing.
func testUniqueBulk(t *testing.T, s store.Store) {
	bulk, ok := s.(store.BulkUsers)
	if !ok {
		t.Skip("the backend has no BulkUsers")
	}
	ctx := t.Context()
	mkUniquePool(t, s, "a")
	mkUser(t, s, "a", "alice", "email", "alice@example.com")
	for _, tc := range []struct {
		name  string
		batch []store.NewUser
		index int
	}{
		{"held by a stored user", []store.NewUser{
			{User: newUser("a", "b1", "email", "b1@example.com")},
			{User: newUser("a", "b2", "email", "ALICE@example.com")},
		}, 1},
		{"taken earlier in the batch", []store.NewUser{
			{User: newUser("a", "c1", "email", "c@example.com")},
			{User: newUser("a", "c2", "email", "d@example.com")},
			{User: newUser("a", "c3", "email", "C@example.com")},
		}, 2},
	} {
		_, err := bulk.CreateUsers(ctx, tc.batch)
		var be *store.UserBatchError
		if !errors.As(err, &be) || be.Index != tc.index {
			t.Fatalf("%s: err = %v, want a *store.UserBatchError for user %d", tc.name, err, tc.index)
		}
		wantConflict(t, tc.name, err, "email")
		for _, nu := range tc.batch {
			_, err := s.GetUser(ctx, "a", nu.User.UsernameKey)
			wantErr(t, err, store.ErrNotFound)
		}
	}
	created, err := bulk.CreateUsers(ctx, []store.NewUser{{User: newUser("a", "e1", "email", "e1@example.com")}})
	must(t, err)
	if !reflect.DeepEqual(created, []bool{true}) {
		t.Fatalf("created = %v", created)
	}
	wantHolder(t, s, "a", "email", "e1@example.com", "e1")
}

func setAttribute(attrs []store.Attribute, name, value string) []store.Attribute {
	for i := range attrs {
		if attrs[i].Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, store.Attribute{Name: name, Value: value})
}
