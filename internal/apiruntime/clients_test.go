package apiruntime

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// TestClientLookupExpiry: a found client is remembered for ClientTTL by the injected clock,
// then asked for again; a missing one is never remembered; a clock that went back does not
// keep an entry alive.
func TestClientLookupExpiry(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	clk := newClock()
	const pool, client = "us-east-1_AbCdEf123", "1example23456789abcdefghij"
	if err := st.CreateUserPool(ctx, store.UserPool{ID: pool, Name: "p", CreatedAt: clk.Now(), UpdatedAt: clk.Now(), Spec: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	l := NewClientLookup(st, clk.Now)
	exists := func(want bool) {
		t.Helper()
		got, err := l.ClientExists(ctx, pool, client)
		if err != nil || got != want {
			t.Fatalf("ClientExists at %s = %v, %v; want %v", clk.Now().Format(time.TimeOnly), got, err, want)
		}
	}
	exists(false) // not created yet, and not remembered as missing:
	if err := st.CreateClient(ctx, store.Client{PoolID: pool, ID: client, Name: "app", CreatedAt: clk.Now(), UpdatedAt: clk.Now(), Spec: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	exists(true)
	if err := st.DeleteClient(ctx, pool, client); err != nil {
		t.Fatal(err)
	}
	start := clk.Now()
	exists(true) // remembered
	clk.Advance(ClientTTL - time.Nanosecond)
	exists(true) // still within the TTL
	clk.Set(start.Add(ClientTTL))
	exists(false) // expired: asked the store again
	exists(false)

	// A clock that went back cannot vouch for an entry.
	if err := st.CreateClient(ctx, store.Client{PoolID: pool, ID: client, Name: "app", CreatedAt: clk.Now(), UpdatedAt: clk.Now(), Spec: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	exists(true)
	if err := st.DeleteClient(ctx, pool, client); err != nil {
		t.Fatal(err)
	}
	clk.Advance(-time.Second)
	exists(false)
}

// TestClientLookupBound: past maxSeenClients remembered answers, the map starts over instead
// of growing.
func TestClientLookupBound(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	clk := newClock()
	const pool = "us-east-1_AbCdEf123"
	if err := st.CreateUserPool(ctx, store.UserPool{ID: pool, Name: "p", CreatedAt: clk.Now(), UpdatedAt: clk.Now(), Spec: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateClient(ctx, store.Client{PoolID: pool, ID: "c1", Name: "app", CreatedAt: clk.Now(), UpdatedAt: clk.Now(), Spec: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	l := NewClientLookup(st, clk.Now)
	for i := range maxSeenClients {
		l.seen[[2]string{pool, string(rune(i))}] = clk.Now()
	}
	if ok, err := l.ClientExists(ctx, pool, "c1"); err != nil || !ok {
		t.Fatalf("ClientExists = %v, %v", ok, err)
	}
	if len(l.seen) != 1 {
		t.Fatalf("%d entries remembered, want 1 after starting over", len(l.seen))
	}
}
