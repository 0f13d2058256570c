package storetest

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// testResourceServers covers ResourceServers: create, uniqueness per pool, paging in
// identifier order (byte order), update, delete and the pool's cascade.
func testResourceServers(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "rs-a")
	mkPool(t, s, "rs-b")
	mk := func(pool, id string) store.ResourceServer {
		r := store.ResourceServer{PoolID: pool, Identifier: id, CreatedAt: t0(), UpdatedAt: t0(),
			Spec: json.RawMessage(`{"Name":"n","Scopes":[{"ScopeName":"api","ScopeDescription":"d"}]}`)}
		must(t, s.CreateResourceServer(ctx, r))
		return r
	}
	want := mk("rs-a", "https://api.example.com")
	mk("rs-a", "Zeta")
	mk("rs-a", "alpha")
	mk("rs-b", "alpha") // the same identifier in another pool is fine
	wantErr(t, s.CreateResourceServer(ctx, want), store.ErrAlreadyExists)
	wantErr(t, s.CreateResourceServer(ctx, store.ResourceServer{PoolID: "rs-none", Identifier: "x", Spec: json.RawMessage(`{}`)}), store.ErrNotFound)

	got, err := s.GetResourceServer(ctx, "rs-a", "https://api.example.com")
	must(t, err)
	got.CreatedAt, got.UpdatedAt = msUTC(got.CreatedAt), msUTC(got.UpdatedAt)
	var gs, ws any
	must(t, json.Unmarshal(got.Spec, &gs))
	must(t, json.Unmarshal(want.Spec, &ws))
	if got.PoolID != want.PoolID || got.Identifier != want.Identifier || !got.CreatedAt.Equal(msUTC(want.CreatedAt)) || !reflect.DeepEqual(gs, ws) {
		t.Fatalf("GetResourceServer = %+v, want %+v", got, want)
	}
	_, err = s.GetResourceServer(ctx, "rs-b", "Zeta")
	wantErr(t, err, store.ErrNotFound)

	ids := func(rs []store.ResourceServer) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Identifier)
		}
		return out
	}
	page1, err := s.ListResourceServers(ctx, "rs-a", store.Page{Limit: 2})
	must(t, err)
	page2, err := s.ListResourceServers(ctx, "rs-a", store.Page{After: "alpha", Limit: 2})
	must(t, err)
	if g := append(ids(page1), ids(page2)...); !slices.Equal(g, []string{"Zeta", "alpha", "https://api.example.com"}) {
		t.Fatalf("ListResourceServers pages = %q", g)
	}

	must(t, s.UpdateResourceServer(ctx, "rs-a", "alpha", func(old store.ResourceServer) (store.ResourceServer, error) {
		old.Spec = json.RawMessage(`{"Name":"renamed"}`)
		old.UpdatedAt = t0().Add(time.Hour)
		return old, nil
	}))
	got, err = s.GetResourceServer(ctx, "rs-a", "alpha")
	must(t, err)
	if !msUTC(got.UpdatedAt).Equal(msUTC(t0().Add(time.Hour))) || string(got.Spec) != `{"Name":"renamed"}` {
		t.Fatalf("after update: %+v %s", got, got.Spec)
	}
	boom := errors.New("boom")
	if err := s.UpdateResourceServer(ctx, "rs-a", "alpha", func(old store.ResourceServer) (store.ResourceServer, error) {
		return old, boom
	}); !errors.Is(err, boom) {
		t.Fatalf("update with a failing fn = %v, want boom", err)
	}
	wantErr(t, s.UpdateResourceServer(ctx, "rs-a", "missing", func(old store.ResourceServer) (store.ResourceServer, error) { return old, nil }), store.ErrNotFound)

	must(t, s.DeleteResourceServer(ctx, "rs-a", "alpha"))
	wantErr(t, s.DeleteResourceServer(ctx, "rs-a", "alpha"), store.ErrNotFound)
	must(t, s.DeleteUserPool(ctx, "rs-b"))
	_, err = s.GetResourceServer(ctx, "rs-b", "alpha")
	wantErr(t, err, store.ErrNotFound)
}

// testDomains covers Domains: names unique across pools, one domain per pool, lookups by
// name and by pool, update, delete and the pool's cascade.
func testDomains(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "dom-a")
	mkPool(t, s, "dom-b")
	d := store.Domain{Domain: "my-app", PoolID: "dom-a", CreatedAt: t0(), UpdatedAt: t0(), Spec: json.RawMessage(`{"Version":"1"}`)}
	must(t, s.CreateDomain(ctx, d))
	wantErr(t, s.CreateDomain(ctx, store.Domain{Domain: "my-app", PoolID: "dom-b", Spec: json.RawMessage(`{}`)}), store.ErrAlreadyExists)
	wantErr(t, s.CreateDomain(ctx, store.Domain{Domain: "other", PoolID: "dom-a", Spec: json.RawMessage(`{}`)}), store.ErrAlreadyExists)
	wantErr(t, s.CreateDomain(ctx, store.Domain{Domain: "nopool", PoolID: "dom-none", Spec: json.RawMessage(`{}`)}), store.ErrNotFound)

	got, err := s.GetDomain(ctx, "my-app")
	must(t, err)
	if got.PoolID != "dom-a" || got.Domain != "my-app" || !msUTC(got.CreatedAt).Equal(msUTC(t0())) {
		t.Fatalf("GetDomain = %+v", got)
	}
	got, err = s.GetPoolDomain(ctx, "dom-a")
	must(t, err)
	if got.Domain != "my-app" {
		t.Fatalf("GetPoolDomain = %+v", got)
	}
	_, err = s.GetPoolDomain(ctx, "dom-b")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetDomain(ctx, "MY-APP")
	wantErr(t, err, store.ErrNotFound)

	must(t, s.UpdateDomain(ctx, "my-app", func(old store.Domain) (store.Domain, error) {
		old.Spec = json.RawMessage(`{"Version":"2"}`)
		return old, nil
	}))
	got, err = s.GetDomain(ctx, "my-app")
	must(t, err)
	if string(got.Spec) != `{"Version":"2"}` {
		t.Fatalf("after update: %s", got.Spec)
	}
	wantErr(t, s.UpdateDomain(ctx, "missing", func(old store.Domain) (store.Domain, error) { return old, nil }), store.ErrNotFound)

	must(t, s.CreateDomain(ctx, store.Domain{Domain: "b-app", PoolID: "dom-b", Spec: json.RawMessage(`{}`)}))
	must(t, s.DeleteDomain(ctx, "my-app"))
	wantErr(t, s.DeleteDomain(ctx, "my-app"), store.ErrNotFound)
	must(t, s.CreateDomain(ctx, store.Domain{Domain: "my-app", PoolID: "dom-a", Spec: json.RawMessage(`{}`)}))
	must(t, s.DeleteUserPool(ctx, "dom-b"))
	_, err = s.GetDomain(ctx, "b-app")
	wantErr(t, err, store.ErrNotFound)
}
