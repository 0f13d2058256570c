package storetest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func clientIDs(cs []store.Client) []string {
	ids := make([]string, 0, len(cs))
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

func testClientCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	c := store.Client{
		PoolID: "a", ID: "1example23456789abcdefghij", Name: "web",
		CreatedAt: t0(), UpdatedAt: t0().Add(time.Minute),
		Spec: json.RawMessage(`{"CallbackURLs": ["https://example.com/cb"]}`),
	}
	must(t, s.CreateClient(ctx, c))

	got, err := s.GetClient(ctx, "a", c.ID)
	must(t, err)
	wantEqual(t, "GetClient", got, c, normClient)
	wantUTC(t, "GetClient", got.CreatedAt, got.UpdatedAt)
	got, err = s.GetClientByID(ctx, c.ID)
	must(t, err)
	wantEqual(t, "GetClientByID", got, c, normClient)

	_, err = s.GetClient(ctx, "b", c.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetClientByID(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)

	// Client IDs are unique across pools.
	wantErr(t, s.CreateClient(ctx, c), store.ErrAlreadyExists)
	other := c
	other.PoolID = "b"
	wantErr(t, s.CreateClient(ctx, other), store.ErrAlreadyExists)
	if _, err := s.GetClient(ctx, "b", c.ID); err == nil {
		t.Fatal("a rejected duplicate client was stored in pool b")
	}

	orphan := c
	orphan.PoolID, orphan.ID = "no-such-pool", "orphan"
	wantErr(t, s.CreateClient(ctx, orphan), store.ErrNotFound)

	bare := store.Client{PoolID: "a", ID: "bare"}
	must(t, s.CreateClient(ctx, bare))
	got, err = s.GetClient(ctx, "a", "bare")
	must(t, err)
	if got.Spec != nil {
		t.Fatalf("nil Spec read back as %q", got.Spec)
	}
}

func testClientList(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	for _, id := range []string{"c3", "c1", "c4", "c2"} {
		mkClient(t, s, "a", id)
	}
	mkClient(t, s, "b", "c0")
	for _, tc := range []struct {
		pool string
		page store.Page
		want []string
	}{
		{"a", store.Page{}, []string{"c1", "c2", "c3", "c4"}},
		{"a", store.Page{Limit: 3}, []string{"c1", "c2", "c3"}},
		{"a", store.Page{After: "c3", Limit: 3}, []string{"c4"}},
		{"a", store.Page{After: "c4"}, nil},
		{"b", store.Page{}, []string{"c0"}},
		{"missing", store.Page{}, nil},
	} {
		got, err := s.ListClients(ctx, tc.pool, tc.page)
		must(t, err)
		if g := clientIDs(got); !slices.Equal(g, tc.want) {
			t.Errorf("ListClients(%q, %+v) = %v, want %v", tc.pool, tc.page, g, tc.want)
		}
	}
	got, err := s.ListClients(ctx, "b", store.Page{})
	must(t, err)
	wantEqual(t, "listed client", got[0], store.Client{
		PoolID: "b", ID: "c0", Name: "client c0", CreatedAt: t0(), UpdatedAt: t0(),
		Spec: json.RawMessage(`{"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH"]}`),
	}, normClient)
}

func testClientUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	c := mkClient(t, s, "a", "c1")
	later := t0().Add(time.Hour)
	must(t, s.UpdateClient(ctx, "a", "c1", func(old store.Client) (store.Client, error) {
		wantEqual(t, "fn's argument", old, c, normClient)
		old.PoolID, old.ID = "b", "c9" // keys cannot change: must be ignored
		old.Name, old.UpdatedAt, old.Spec = "renamed", later, json.RawMessage(`{"v":2}`)
		return old, nil
	}))
	want := c
	want.Name, want.UpdatedAt, want.Spec = "renamed", later, json.RawMessage(`{"v":2}`)
	got, err := s.GetClient(ctx, "a", "c1")
	must(t, err)
	wantEqual(t, "updated client", got, want, normClient)
	_, err = s.GetClientByID(ctx, "c9")
	wantErr(t, err, store.ErrNotFound)

	fnErr := &testError{code: 7}
	err = s.UpdateClient(ctx, "a", "c1", func(old store.Client) (store.Client, error) {
		old.Name = "half-done"
		return old, fnErr
	})
	wantFnError(t, err, fnErr)
	got, err = s.GetClient(ctx, "a", "c1")
	must(t, err)
	wantEqual(t, "client after failed update", got, want, normClient)

	for _, key := range [][2]string{{"a", "missing"}, {"b", "c1"}} {
		called := false
		err = s.UpdateClient(ctx, key[0], key[1], func(old store.Client) (store.Client, error) {
			called = true
			return old, nil
		})
		wantErr(t, err, store.ErrNotFound)
		if called {
			t.Fatalf("fn was called for missing client %v", key)
		}
	}
}

func testClientDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	mkClient(t, s, "a", "c1")
	mkClient(t, s, "a", "c2")
	mkUser(t, s, "a", "alice")
	for _, cid := range []string{"c1", "c2"} {
		must(t, s.CreateRefreshToken(ctx, store.RefreshToken{Hash: []byte("rt-" + cid), PoolID: "a", ClientID: cid, UsernameKey: "alice", OriginJTI: "o-" + cid}))
		must(t, s.CreateAuthSession(ctx, store.AuthSession{Hash: []byte("s-" + cid), PoolID: "a", ClientID: cid, UsernameKey: "alice", Challenge: "SMS_MFA"}))
	}

	wantErr(t, s.DeleteClient(ctx, "b", "c1"), store.ErrNotFound)
	if _, err := s.GetClient(ctx, "a", "c1"); err != nil {
		t.Fatalf("deleting through the wrong pool removed the client: %v", err)
	}

	must(t, s.DeleteClient(ctx, "a", "c1"))
	_, err := s.GetClient(ctx, "a", "c1")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetClientByID(ctx, "c1")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteClient(ctx, "a", "c1"), store.ErrNotFound)

	// What was issued through the deleted client goes with it; the other client's stays.
	_, err = s.GetRefreshToken(ctx, []byte("rt-c1"))
	wantErr(t, err, store.ErrNotFound)
	_, err = s.ConsumeAuthSession(ctx, []byte("s-c1"))
	wantErr(t, err, store.ErrNotFound)
	if _, err := s.GetRefreshToken(ctx, []byte("rt-c2")); err != nil {
		t.Fatalf("c2's refresh token: %v", err)
	}
	if _, err := s.ConsumeAuthSession(ctx, []byte("s-c2")); err != nil {
		t.Fatalf("c2's auth session: %v", err)
	}
	got, err := s.ListClients(ctx, "a", store.Page{})
	must(t, err)
	if g := clientIDs(got); !slices.Equal(g, []string{"c2"}) {
		t.Fatalf("clients after delete: %v", g)
	}
}
