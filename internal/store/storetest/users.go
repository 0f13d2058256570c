package storetest

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func fullUser() store.User {
	return store.User{
		PoolID: "a", Username: "Alice", UsernameKey: "alice", Sub: "9a1b2c3d-0000-4000-8000-000000000001",
		Status: "FORCE_CHANGE_PASSWORD", Enabled: false,
		// Deliberately not sorted: the store keeps the order it was given.
		Attributes: []store.Attribute{
			{Name: "sub", Value: "9a1b2c3d-0000-4000-8000-000000000001"},
			{Name: "email", Value: "alice@example.com"},
			{Name: "custom:team", Value: "red"},
			{Name: "email_verified", Value: "true"},
			{Name: "address", Value: `{"street": "1 Main St"}`},
		},
		CreatedAt:         t0(),
		UpdatedAt:         t0().Add(time.Second),
		PasswordHash:      "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		PasswordExpiresAt: t0().Add(7 * 24 * time.Hour),
		FailedAttempts:    3,
		LastFailureAt:     t0().Add(-time.Minute),
		LockedUntil:       t0().Add(time.Minute),
		Extra:             json.RawMessage(`{"srp":{"salt":"00ff","verifier":"abcd"}, "mfa": null}`),
	}
}

func testUserCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	u := fullUser()
	must(t, s.CreateUser(ctx, u))

	got, err := s.GetUser(ctx, "a", "alice")
	must(t, err)
	wantEqual(t, "GetUser", got, u, normUser)
	if string(got.Extra) != string(u.Extra) {
		t.Fatalf("Extra = %s, want it verbatim: %s", got.Extra, u.Extra)
	}
	wantUTC(t, "GetUser", got.CreatedAt, got.UpdatedAt, got.PasswordExpiresAt, got.LastFailureAt, got.LockedUntil)

	got, err = s.GetUserBySub(ctx, "a", u.Sub)
	must(t, err)
	wantEqual(t, "GetUserBySub", got, u, normUser)

	_, err = s.GetUser(ctx, "a", "Alice") // the key, not the display username
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetUser(ctx, "b", "alice")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetUserBySub(ctx, "a", "no-such-sub")
	wantErr(t, err, store.ErrNotFound)

	// A minimal user: no attributes, no Extra, zero times.
	bare := store.User{PoolID: "a", Username: "bare", UsernameKey: "bare", Sub: "sub-bare", Status: "UNCONFIRMED", Enabled: true}
	must(t, s.CreateUser(ctx, bare))
	got, err = s.GetUser(ctx, "a", "bare")
	must(t, err)
	wantEqual(t, "bare user", got, bare, normUser)
	if got.Extra != nil {
		t.Fatalf("nil Extra read back as %q", got.Extra)
	}
	if len(got.Attributes) != 0 {
		t.Fatalf("no attributes read back as %+v", got.Attributes)
	}
}

func testUserDuplicates(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	alice := mkUser(t, s, "a", "alice", "email", "alice@example.com")

	sameKey := newUser("a", "alice", "email", "ghost@example.com")
	sameKey.Sub = "another-sub"
	wantErr(t, s.CreateUser(ctx, sameKey), store.ErrAlreadyExists)

	sameSub := newUser("a", "bob", "email", "ghost@example.com")
	sameSub.Sub = alice.Sub
	wantErr(t, s.CreateUser(ctx, sameSub), store.ErrAlreadyExists)
	_, err := s.GetUser(ctx, "a", "bob")
	wantErr(t, err, store.ErrNotFound)

	// Neither rejected user left attribute index rows behind.
	found, err := s.FindUsersByAttribute(ctx, "a", "email", "ghost@example.com")
	must(t, err)
	wantKeys(t, "index rows of rejected users", found)
	got, err := s.GetUser(ctx, "a", "alice")
	must(t, err)
	wantEqual(t, "alice after rejected duplicates", got, alice, normUser)

	// Keys and subs are unique per pool only.
	inB := alice
	inB.PoolID = "b"
	must(t, s.CreateUser(ctx, inB))

	orphan := newUser("no-such-pool", "carol")
	wantErr(t, s.CreateUser(ctx, orphan), store.ErrNotFound)
}

func testUserList(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	n, err := s.CountUsers(ctx, "a")
	must(t, err)
	if n != 0 {
		t.Fatalf("CountUsers of an empty pool = %d", n)
	}
	for _, key := range []string{"dave", "alice", "carol", "bob", "erin"} {
		mkUser(t, s, "a", key)
	}
	mkUser(t, s, "b", "aaron")
	for _, tc := range []struct {
		page store.Page
		want []string
	}{
		{store.Page{}, []string{"alice", "bob", "carol", "dave", "erin"}},
		{store.Page{Limit: 2}, []string{"alice", "bob"}},
		{store.Page{After: "bob", Limit: 2}, []string{"carol", "dave"}},
		{store.Page{After: "dave", Limit: 2}, []string{"erin"}},
		{store.Page{After: "erin"}, nil},
		{store.Page{After: "c"}, []string{"carol", "dave", "erin"}},
	} {
		got, err := s.ListUsers(ctx, "a", nil, tc.page)
		must(t, err)
		wantKeys(t, "ListUsers", got, tc.want...)
	}
	got, err := s.ListUsers(ctx, "a", nil, store.Page{Limit: 1})
	must(t, err)
	wantEqual(t, "listed user", got[0], newUser("a", "alice"), normUser)

	n, err = s.CountUsers(ctx, "a")
	must(t, err)
	if n != 5 {
		t.Fatalf("CountUsers = %d, want 5", n)
	}
	n, err = s.CountUsers(ctx, "b")
	must(t, err)
	if n != 1 {
		t.Fatalf("CountUsers(b) = %d, want 1", n)
	}
}

func testUserFindByAttribute(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	mkUser(t, s, "a", "alice", "email", "alice@example.com")
	mkUser(t, s, "a", "carol", "email", "shared@example.com", "custom:team", "red")
	mkUser(t, s, "a", "bob", "email", "shared@example.com", "phone_number", "+15550100")
	mkUser(t, s, "a", "dave", "email", "SHARED@example.com")
	mkUser(t, s, "b", "erin", "email", "shared@example.com")

	for _, tc := range []struct {
		pool, name, value string
		want              []string
	}{
		{"a", "email", "shared@example.com", []string{"bob", "carol"}},
		{"a", "email", "SHARED@example.com", []string{"dave"}},
		{"a", "email", "alice@example.com", []string{"alice"}},
		{"a", "email", "shared@example", nil},            // exact, not a prefix
		{"a", "email", "%@example.com", nil},             // no wildcards
		{"a", "phone_number", "shared@example.com", nil}, // the name matters
		{"a", "custom:team", "red", []string{"carol"}},
		{"a", "sub", "sub-a-bob", []string{"bob"}},
		{"b", "email", "shared@example.com", []string{"erin"}},
		{"c", "email", "shared@example.com", nil},
	} {
		got, err := s.FindUsersByAttribute(ctx, tc.pool, tc.name, tc.value)
		must(t, err)
		wantKeys(t, "FindUsersByAttribute("+tc.pool+", "+tc.name+", "+tc.value+")", got, tc.want...)
	}
	got, err := s.FindUsersByAttribute(ctx, "a", "phone_number", "+15550100")
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("found %d users", len(got))
	}
	wantEqual(t, "found user", got[0], newUser("a", "bob", "email", "shared@example.com", "phone_number", "+15550100"), normUser)
}

func testUserUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	u := fullUser()
	must(t, s.CreateUser(ctx, u))
	mkUser(t, s, "a", "other")

	want := u
	want.Username = "Alice2"
	want.Sub = "new-sub"
	want.Status = "CONFIRMED"
	want.Enabled = true
	want.PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3"
	want.PasswordExpiresAt = time.Time{}
	want.FailedAttempts = 0
	want.LastFailureAt = time.Time{}
	want.LockedUntil = time.Time{}
	want.UpdatedAt = t0().Add(time.Hour)
	want.Extra = json.RawMessage(`{"mfa":"SOFTWARE_TOKEN_MFA"}`)
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		wantEqual(t, "fn's argument", old, u, normUser)
		next := want
		next.PoolID, next.UsernameKey = "b", "other" // keys cannot change: must be ignored
		return next, nil
	}))
	got, err := s.GetUser(ctx, "a", "alice")
	must(t, err)
	wantEqual(t, "updated user", got, want, normUser)
	got, err = s.GetUserBySub(ctx, "a", "new-sub")
	must(t, err)
	if got.UsernameKey != "alice" {
		t.Fatalf("new sub finds %q", got.UsernameKey)
	}
	_, err = s.GetUserBySub(ctx, "a", u.Sub)
	wantErr(t, err, store.ErrNotFound)
	other, err := s.GetUser(ctx, "a", "other")
	must(t, err)
	wantEqual(t, "the user named by fn's keys", other, newUser("a", "other"), normUser)
	if n, _ := s.CountUsers(ctx, "b"); n != 0 {
		t.Fatalf("update moved a user to pool b (%d users there)", n)
	}

	// Taking another user's sub is a uniqueness violation, and changes nothing.
	err = s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.Sub = "sub-a-other"
		old.Status = "RESET_REQUIRED"
		return old, nil
	})
	wantErr(t, err, store.ErrAlreadyExists)
	got, err = s.GetUser(ctx, "a", "alice")
	must(t, err)
	wantEqual(t, "user after a rejected update", got, want, normUser)

	for _, key := range [][2]string{{"a", "missing"}, {"b", "alice"}, {"a", "Alice"}} {
		called := false
		err := s.UpdateUser(ctx, key[0], key[1], func(old store.User) (store.User, error) {
			called = true
			return old, nil
		})
		wantErr(t, err, store.ErrNotFound)
		if called {
			t.Fatalf("fn was called for missing user %v", key)
		}
	}
}

func testUserUpdateReindexes(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkUser(t, s, "a", "alice", "email", "old@example.com", "custom:team", "red", "name", "Alice")
	mkUser(t, s, "a", "bob", "email", "bob@example.com", "custom:team", "red")

	find := func(name, value string, want ...string) {
		t.Helper()
		got, err := s.FindUsersByAttribute(ctx, "a", name, value)
		must(t, err)
		wantKeys(t, "FindUsersByAttribute("+name+", "+value+")", got, want...)
		got, err = s.ListUsers(ctx, "a", &store.UserFilter{Attribute: name, Value: value}, store.Page{})
		must(t, err)
		wantKeys(t, "ListUsers("+name+" = "+value+")", got, want...)
	}

	// Change one attribute, drop another, add a third.
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.Attributes = []store.Attribute{
			{Name: "sub", Value: old.Sub},
			{Name: "email", Value: "new@example.com"},
			{Name: "name", Value: "Alice"},
			{Name: "given_name", Value: "Alice"},
		}
		return old, nil
	}))
	find("email", "old@example.com")
	find("email", "new@example.com", "alice")
	find("custom:team", "red", "bob")
	find("given_name", "Alice", "alice")
	find("name", "Alice", "alice")
	got, err := s.GetUser(ctx, "a", "alice")
	must(t, err)
	if len(got.Attributes) != 4 || got.Attributes[1].Value != "new@example.com" || got.Attributes[3].Name != "given_name" {
		t.Fatalf("attributes after update: %+v", got.Attributes)
	}

	// Editing the attributes fn was given in place counts as a change too.
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.Attributes[1].Value = "newer@example.com"
		return old, nil
	}))
	find("email", "new@example.com")
	find("email", "newer@example.com", "alice")

	// An update that leaves the attributes alone leaves the index alone.
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.FailedAttempts++
		return old, nil
	}))
	find("email", "newer@example.com", "alice")

	// Removing every attribute empties the user's index rows.
	must(t, s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		old.Attributes = nil
		return old, nil
	}))
	find("email", "newer@example.com")
	find("name", "Alice")
}

func testUserUpdateError(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	u := mkUser(t, s, "a", "alice", "email", "alice@example.com")

	fnErr := &testError{code: 13}
	calls := 0
	err := s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
		calls++
		old.Status = "RESET_REQUIRED"
		old.Attributes = []store.Attribute{{Name: "email", Value: "mallory@example.com"}}
		return old, fnErr
	})
	wantFnError(t, err, fnErr)
	if calls != 1 {
		t.Fatalf("fn ran %d times after returning an error, want 1", calls)
	}
	got, err := s.GetUser(ctx, "a", "alice")
	must(t, err)
	wantEqual(t, "user after fn's error", got, u, normUser)
	found, err := s.FindUsersByAttribute(ctx, "a", "email", "alice@example.com")
	must(t, err)
	wantKeys(t, "old email after fn's error", found, "alice")
	found, err = s.FindUsersByAttribute(ctx, "a", "email", "mallory@example.com")
	must(t, err)
	wantKeys(t, "fn's email after fn's error", found)
}

// testUserUpdateConcurrent increments a counter from several goroutines: every increment
// must land (no lost update), whatever the backend's locking.
func testUserUpdateConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkUser(t, s, "a", "alice")
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				errs <- s.UpdateUser(ctx, "a", "alice", func(old store.User) (store.User, error) {
					old.FailedAttempts++
					return old, nil
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent update: %v", err)
		}
	}
	got, err := s.GetUser(ctx, "a", "alice")
	must(t, err)
	if got.FailedAttempts != workers*each {
		t.Fatalf("FailedAttempts = %d after %d increments: updates were lost", got.FailedAttempts, workers*each)
	}
}

func testUserDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkClient(t, s, "a", "c1")
	alice := mkUser(t, s, "a", "alice", "email", "shared@example.com")
	mkUser(t, s, "a", "bob", "email", "shared@example.com")
	for _, key := range []string{"alice", "bob"} {
		must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: key, Purpose: "forgot", Hash: []byte("code-" + key)}))
		must(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: []byte("rt-" + key), PoolID: "a", ClientID: "c1", UsernameKey: key, OriginJTI: "o-" + key}))
		must(t, s.CreateAuthSession(ctx, store.AuthSession{Hash: []byte("s-" + key), PoolID: "a", ClientID: "c1", UsernameKey: key, Challenge: "SMS_MFA"}))
	}

	must(t, s.DeleteUser(ctx, "a", "alice"))
	_, err := s.GetUser(ctx, "a", "alice")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetUserBySub(ctx, "a", alice.Sub)
	wantErr(t, err, store.ErrNotFound)
	found, err := s.FindUsersByAttribute(ctx, "a", "email", "shared@example.com")
	must(t, err)
	wantKeys(t, "index after delete", found, "bob")
	n, err := s.CountUsers(ctx, "a")
	must(t, err)
	if n != 1 {
		t.Fatalf("CountUsers after delete = %d, want 1", n)
	}
	wantErr(t, s.DeleteUser(ctx, "a", "alice"), store.ErrNotFound)
	wantErr(t, s.DeleteUser(ctx, "b", "bob"), store.ErrNotFound)

	// What was issued to alice went with her; bob's stays.
	_, err = s.GetCode(ctx, "a", "alice", "forgot")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetRefreshToken(ctx, []byte("rt-alice"))
	wantErr(t, err, store.ErrNotFound)
	_, err = s.ConsumeAuthSession(ctx, []byte("s-alice"))
	wantErr(t, err, store.ErrNotFound)
	if _, err := s.GetCode(ctx, "a", "bob", "forgot"); err != nil {
		t.Fatalf("bob's code: %v", err)
	}
	if _, err := s.GetRefreshToken(ctx, []byte("rt-bob")); err != nil {
		t.Fatalf("bob's refresh token: %v", err)
	}
	if _, err := s.ConsumeAuthSession(ctx, []byte("s-bob")); err != nil {
		t.Fatalf("bob's auth session: %v", err)
	}

	// The key and sub are free again.
	must(t, s.CreateUser(ctx, alice))
	found, err = s.FindUsersByAttribute(ctx, "a", "email", "shared@example.com")
	must(t, err)
	wantKeys(t, "index after re-create", found, "alice", "bob")
}
