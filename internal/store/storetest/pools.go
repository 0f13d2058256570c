package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func poolIDs(ps []store.UserPool) []string {
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids
}

func testPoolCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := store.UserPool{
		ID: "us-east-1_AAAAAAAAA", Name: "alpha", CreatedAt: t0(), UpdatedAt: t0().Add(time.Second),
		// Whitespace and key order must survive: the store keeps Spec verbatim.
		Spec: json.RawMessage(`{"b": 1,  "a": [true, null]}`),
	}
	must(t, s.CreateUserPool(ctx, p))
	got, err := s.GetUserPool(ctx, p.ID)
	must(t, err)
	wantEqual(t, "GetUserPool", got, p, normPool)
	if string(got.Spec) != string(p.Spec) {
		t.Fatalf("Spec = %s, want it verbatim: %s", got.Spec, p.Spec)
	}
	wantUTC(t, "GetUserPool", got.CreatedAt, got.UpdatedAt)

	dup := p
	dup.Name = "impostor"
	wantErr(t, s.CreateUserPool(ctx, dup), store.ErrAlreadyExists)
	got, err = s.GetUserPool(ctx, p.ID)
	must(t, err)
	if got.Name != "alpha" {
		t.Fatalf("a failed duplicate create changed the pool: name %q", got.Name)
	}

	_, err = s.GetUserPool(ctx, "us-east-1_missing")
	wantErr(t, err, store.ErrNotFound)

	bare := store.UserPool{ID: "us-east-1_BBBBBBBBB", Name: "bare"}
	must(t, s.CreateUserPool(ctx, bare))
	got, err = s.GetUserPool(ctx, bare.ID)
	must(t, err)
	if got.Spec != nil {
		t.Fatalf("nil Spec read back as %q, want nil", got.Spec)
	}
	if !got.CreatedAt.IsZero() || !got.UpdatedAt.IsZero() {
		t.Fatalf("zero times read back as %v, %v", got.CreatedAt, got.UpdatedAt)
	}
}

func testPoolList(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.ListUserPools(ctx, store.Page{})
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("empty store lists %d pools", len(got))
	}
	for _, id := range []string{"p3", "p1", "p5", "p2", "p4"} {
		mkPool(t, s, id)
	}
	for _, tc := range []struct {
		page store.Page
		want []string
	}{
		{store.Page{}, []string{"p1", "p2", "p3", "p4", "p5"}},
		{store.Page{Limit: -1}, []string{"p1", "p2", "p3", "p4", "p5"}},
		{store.Page{Limit: 2}, []string{"p1", "p2"}},
		{store.Page{After: "p2", Limit: 2}, []string{"p3", "p4"}},
		{store.Page{After: "p4", Limit: 2}, []string{"p5"}},
		{store.Page{After: "p5", Limit: 2}, nil},
		{store.Page{After: "p2x"}, []string{"p3", "p4", "p5"}},
	} {
		got, err := s.ListUserPools(ctx, tc.page)
		must(t, err)
		if g := poolIDs(got); !slices.Equal(g, tc.want) {
			t.Errorf("ListUserPools(%+v) = %v, want %v", tc.page, g, tc.want)
		}
	}
	got, err = s.ListUserPools(ctx, store.Page{Limit: 1})
	must(t, err)
	wantEqual(t, "listed pool", got[0], store.UserPool{
		ID: "p1", Name: "pool p1", CreatedAt: t0(), UpdatedAt: t0(),
		Spec: json.RawMessage(`{"Policies":{"PasswordPolicy":{"MinimumLength":8}}}`),
	}, normPool)
}

func testPoolUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkPool(t, s, "p")
	mkPool(t, s, "q")
	later := t0().Add(time.Hour)
	must(t, s.UpdateUserPool(ctx, "p", func(old store.UserPool) (store.UserPool, error) {
		wantEqual(t, "fn's argument", old, p, normPool)
		old.ID = "q" // keys cannot change: must be ignored
		old.Name = "renamed"
		old.UpdatedAt = later
		old.Spec = json.RawMessage(`{"v":2}`)
		return old, nil
	}))
	got, err := s.GetUserPool(ctx, "p")
	must(t, err)
	want := p
	want.Name, want.UpdatedAt, want.Spec = "renamed", later, json.RawMessage(`{"v":2}`)
	wantEqual(t, "updated pool", got, want, normPool)
	q, err := s.GetUserPool(ctx, "q")
	must(t, err)
	if q.Name != "pool q" {
		t.Fatalf("updating p with ID q changed q: %+v", q)
	}

	fnErr := &testError{code: 42}
	err = s.UpdateUserPool(ctx, "p", func(old store.UserPool) (store.UserPool, error) {
		old.Name = "half-done"
		return old, fnErr
	})
	wantFnError(t, err, fnErr)
	got, err = s.GetUserPool(ctx, "p")
	must(t, err)
	wantEqual(t, "pool after failed update", got, want, normPool)

	called := false
	err = s.UpdateUserPool(ctx, "missing", func(old store.UserPool) (store.UserPool, error) {
		called = true
		return old, nil
	})
	wantErr(t, err, store.ErrNotFound)
	if called {
		t.Fatal("fn was called for a missing pool")
	}
	if _, err := s.GetUserPool(ctx, "missing"); err == nil {
		t.Fatal("updating a missing pool created it")
	}
}

func testPoolDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "p")
	mkPool(t, s, "q")
	must(t, s.DeleteUserPool(ctx, "p"))
	_, err := s.GetUserPool(ctx, "p")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteUserPool(ctx, "p"), store.ErrNotFound)
	if _, err := s.GetUserPool(ctx, "q"); err != nil {
		t.Fatalf("deleting p touched q: %v", err)
	}
	got, err := s.ListUserPools(ctx, store.Page{})
	must(t, err)
	if g := poolIDs(got); !slices.Equal(g, []string{"q"}) {
		t.Fatalf("pools after delete: %v", g)
	}
}

// poolContents fills a pool with one of everything that hangs off it.
type poolContents struct {
	client  store.Client
	user    store.User
	code    store.Code
	token   store.RefreshToken
	key     store.SigningKey
	session store.AuthSession
}

func fillPool(t *testing.T, s store.Store, poolID string) poolContents {
	t.Helper()
	ctx := t.Context()
	var c poolContents
	mkPool(t, s, poolID)
	c.client = mkClient(t, s, poolID, "client-"+poolID)
	c.user = mkUser(t, s, poolID, "alice", "email", "alice@example.com")
	c.code = store.Code{PoolID: poolID, UsernameKey: "alice", Purpose: "signup", Hash: []byte("code-" + poolID), ExpiresAt: t0().Add(time.Hour)}
	must(t, s.PutCode(ctx, c.code))
	c.token = store.RefreshToken{Hash: []byte("rt-" + poolID), PoolID: poolID, ClientID: c.client.ID, UsernameKey: "alice", OriginJTI: "origin-" + poolID, ExpiresAt: t0().Add(time.Hour)}
	must(t, s.CreateRefreshToken(ctx, c.token))
	c.key = store.SigningKey{PoolID: poolID, KID: "kid-" + poolID, Use: "id", Alg: "RS256", Private: []byte{1}, Public: []byte{2}, CreatedAt: t0()}
	must(t, s.CreateSigningKey(ctx, c.key))
	c.session = store.AuthSession{Hash: []byte("session-" + poolID), PoolID: poolID, ClientID: c.client.ID, UsernameKey: "alice", Challenge: "NEW_PASSWORD_REQUIRED", ExpiresAt: t0().Add(time.Hour)}
	must(t, s.CreateAuthSession(ctx, c.session))
	_, err := s.AddMessage(ctx, store.Message{PoolID: poolID, Username: "alice", Medium: "EMAIL", Destination: "alice@example.com", Body: "code"})
	must(t, err)
	return c
}

func testPoolDeleteCascades(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := fillPool(t, s, "pool-a")
	b := fillPool(t, s, "pool-b")
	must(t, s.DeleteUserPool(ctx, "pool-a"))

	_, err := s.GetClient(ctx, "pool-a", a.client.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetClientByID(ctx, a.client.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetUser(ctx, "pool-a", "alice")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetUserBySub(ctx, "pool-a", a.user.Sub)
	wantErr(t, err, store.ErrNotFound)
	n, err := s.CountUsers(ctx, "pool-a")
	must(t, err)
	if n != 0 {
		t.Fatalf("CountUsers after pool delete = %d", n)
	}
	_, err = s.GetCode(ctx, "pool-a", "alice", "signup")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetRefreshToken(ctx, a.token.Hash)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetRefreshTokenByOrigin(ctx, a.token.OriginJTI)
	wantErr(t, err, store.ErrNotFound)
	keys, err := s.ListSigningKeys(ctx, "pool-a")
	must(t, err)
	if len(keys) != 0 {
		t.Fatalf("signing keys survived their pool: %+v", keys)
	}
	_, err = s.ConsumeAuthSession(ctx, a.session.Hash)
	wantErr(t, err, store.ErrNotFound)

	// A new pool with the same ID starts empty: no unique key or index row survived.
	mkPool(t, s, "pool-a")
	found, err := s.FindUsersByAttribute(ctx, "pool-a", "email", "alice@example.com")
	must(t, err)
	wantKeys(t, "attribute index after pool delete", found)
	mkClient(t, s, "pool-a", a.client.ID)
	mkUser(t, s, "pool-a", "alice", "email", "alice@example.com")
	found, err = s.FindUsersByAttribute(ctx, "pool-a", "email", "alice@example.com")
	must(t, err)
	wantKeys(t, "attribute index after re-creating the user", found, "alice")

	// The other pool is untouched.
	if _, err := s.GetClient(ctx, "pool-b", b.client.ID); err != nil {
		t.Fatalf("pool-b client: %v", err)
	}
	if _, err := s.GetUser(ctx, "pool-b", "alice"); err != nil {
		t.Fatalf("pool-b user: %v", err)
	}
	found, err = s.FindUsersByAttribute(ctx, "pool-b", "email", "alice@example.com")
	must(t, err)
	wantKeys(t, "pool-b attribute index", found, "alice")
	if _, err := s.GetCode(ctx, "pool-b", "alice", "signup"); err != nil {
		t.Fatalf("pool-b code: %v", err)
	}
	if _, err := s.GetRefreshToken(ctx, b.token.Hash); err != nil {
		t.Fatalf("pool-b refresh token: %v", err)
	}
	keys, err = s.ListSigningKeys(ctx, "pool-b")
	must(t, err)
	if len(keys) != 1 {
		t.Fatalf("pool-b signing keys: %+v", keys)
	}
	if _, err := s.ConsumeAuthSession(ctx, b.session.Hash); err != nil {
		t.Fatalf("pool-b auth session: %v", err)
	}
}
