package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func testCodePutGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	c := store.Code{
		PoolID: "a", UsernameKey: "alice", Purpose: "signup",
		Hash: []byte{0x00, 0xff, 0x10, 0x80}, ExpiresAt: t0().Add(24 * time.Hour), Attempts: 1, CreatedAt: t0(),
	}
	must(t, s.PutCode(ctx, c))
	got, err := s.GetCode(ctx, "a", "alice", "signup")
	must(t, err)
	wantEqual(t, "GetCode", got, c, normCode)
	wantUTC(t, "GetCode", got.ExpiresAt, got.CreatedAt)

	// A second code for the same user and purpose replaces the first, attempts and all.
	next := store.Code{
		PoolID: "a", UsernameKey: "alice", Purpose: "signup",
		Hash: []byte("second"), ExpiresAt: t0().Add(48 * time.Hour), Attempts: 0, CreatedAt: t0().Add(time.Hour),
	}
	must(t, s.PutCode(ctx, next))
	got, err = s.GetCode(ctx, "a", "alice", "signup")
	must(t, err)
	wantEqual(t, "replaced code", got, next, normCode)

	// Purposes, users and pools are separate.
	verify := store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "verify:email", Hash: []byte("verify")}
	must(t, s.PutCode(ctx, verify))
	got, err = s.GetCode(ctx, "a", "alice", "signup")
	must(t, err)
	wantEqual(t, "signup code beside a verify code", got, next, normCode)
	got, err = s.GetCode(ctx, "a", "alice", "verify:email")
	must(t, err)
	wantEqual(t, "verify code", got, verify, normCode)
	for _, key := range [][3]string{{"a", "bob", "signup"}, {"b", "alice", "signup"}, {"a", "alice", "forgot"}} {
		_, err = s.GetCode(ctx, key[0], key[1], key[2])
		wantErr(t, err, store.ErrNotFound)
	}

	orphan := c
	orphan.PoolID = "no-such-pool"
	wantErr(t, s.PutCode(ctx, orphan), store.ErrNotFound)
}

func testCodeAttempts(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "forgot", Hash: []byte("h"), Attempts: 2}))
	must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "signup", Hash: []byte("h")}))
	for want := 3; want <= 5; want++ {
		n, err := s.IncrementCodeAttempts(ctx, "a", "alice", "forgot")
		must(t, err)
		if n != want {
			t.Fatalf("IncrementCodeAttempts = %d, want %d", n, want)
		}
	}
	got, err := s.GetCode(ctx, "a", "alice", "forgot")
	must(t, err)
	if got.Attempts != 5 || string(got.Hash) != "h" {
		t.Fatalf("code after increments: %+v", got)
	}
	got, err = s.GetCode(ctx, "a", "alice", "signup")
	must(t, err)
	if got.Attempts != 0 {
		t.Fatalf("incrementing one purpose changed another: %d attempts", got.Attempts)
	}
	_, err = s.IncrementCodeAttempts(ctx, "a", "bob", "forgot")
	wantErr(t, err, store.ErrNotFound)
	if _, err := s.GetCode(ctx, "a", "bob", "forgot"); err == nil {
		t.Fatal("incrementing a missing code created it")
	}
}

func testCodeAttemptsConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "forgot", Hash: []byte("h")}))
	const n = 16
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		counts  []int
		errList []error
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := s.IncrementCodeAttempts(ctx, "a", "alice", "forgot")
			mu.Lock()
			defer mu.Unlock()
			counts = append(counts, c)
			if err != nil {
				errList = append(errList, err)
			}
		}()
	}
	wg.Wait()
	if len(errList) > 0 {
		t.Fatalf("concurrent increments: %v", errList)
	}
	// Every increment saw a different count: 1..n, each once.
	slices.Sort(counts)
	for i, c := range counts {
		if c != i+1 {
			t.Fatalf("counts returned by concurrent increments: %v", counts)
		}
	}
	got, err := s.GetCode(ctx, "a", "alice", "forgot")
	must(t, err)
	if got.Attempts != n {
		t.Fatalf("Attempts = %d after %d increments", got.Attempts, n)
	}
}

func testCodeDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "forgot", Hash: []byte("h")}))
	must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "signup", Hash: []byte("h")}))
	must(t, s.DeleteCode(ctx, "a", "alice", "forgot"))
	_, err := s.GetCode(ctx, "a", "alice", "forgot")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteCode(ctx, "a", "alice", "forgot"), store.ErrNotFound)
	if _, err := s.GetCode(ctx, "a", "alice", "signup"); err != nil {
		t.Fatalf("deleting one purpose removed another: %v", err)
	}
	// After a delete, a new code starts afresh.
	must(t, s.PutCode(ctx, store.Code{PoolID: "a", UsernameKey: "alice", Purpose: "forgot", Hash: []byte("new")}))
	got, err := s.GetCode(ctx, "a", "alice", "forgot")
	must(t, err)
	if string(got.Hash) != "new" || got.Attempts != 0 {
		t.Fatalf("code after re-put: %+v", got)
	}
}
