package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// next is the token a rotation of old stores: same family, user and expiry, a new hash.
func nextToken(old store.RefreshToken, hash string, at time.Time) store.RefreshToken {
	n := old
	n.Hash, n.CreatedAt, n.ReplacedAt, n.Revoked = []byte(hash), at, time.Time{}, false
	return n
}

func testRefreshTokenRotate(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	rt := mkToken(t, s, "r0", "a", "alice", t0().Add(time.Hour))

	// The function sees the token as stored; its result is stored and the old token is
	// marked replaced at the new one's CreatedAt.
	at1 := t0().Add(time.Minute)
	must(t, s.RotateRefreshToken(ctx, rt.Hash, func(old store.RefreshToken) (store.RefreshToken, error) {
		wantEqual(t, "token given to fn", old, rt, normToken)
		return nextToken(old, "r1", at1), nil
	}))
	got, err := s.GetRefreshToken(ctx, []byte("r1"))
	must(t, err)
	wantEqual(t, "rotated-in token", got, nextToken(rt, "r1", at1), normToken)
	old, err := s.GetRefreshToken(ctx, rt.Hash)
	must(t, err)
	if !old.ReplacedAt.Equal(msUTC(at1)) || old.Revoked {
		t.Fatalf("replaced token: ReplacedAt %v Revoked %v, want %v false", old.ReplacedAt, old.Revoked, at1)
	}
	wantUTC(t, "ReplacedAt", old.ReplacedAt)
	newest, err := s.GetRefreshTokenByOrigin(ctx, rt.OriginJTI)
	must(t, err)
	if string(newest.Hash) != "r1" {
		t.Fatalf("GetRefreshTokenByOrigin = %q, want the newest of the family r1", newest.Hash)
	}

	// A second rotation of the same token (a retry) keeps the first replacement time.
	at2 := t0().Add(2 * time.Minute)
	must(t, s.RotateRefreshToken(ctx, rt.Hash, func(old store.RefreshToken) (store.RefreshToken, error) {
		if !old.ReplacedAt.Equal(msUTC(at1)) {
			t.Errorf("fn saw ReplacedAt %v, want %v", old.ReplacedAt, at1)
		}
		return nextToken(old, "r2", at2), nil
	}))
	old, err = s.GetRefreshToken(ctx, rt.Hash)
	must(t, err)
	if !old.ReplacedAt.Equal(msUTC(at1)) {
		t.Fatalf("ReplacedAt after a second rotation = %v, want the first %v", old.ReplacedAt, at1)
	}

	// An error from fn stores nothing and comes back as is.
	refuse := errors.New("refused by the caller")
	err = s.RotateRefreshToken(ctx, []byte("r1"), func(old store.RefreshToken) (store.RefreshToken, error) {
		return store.RefreshToken{}, refuse
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("fn's error came back as %v", err)
	}
	r1, err := s.GetRefreshToken(ctx, []byte("r1"))
	must(t, err)
	if !r1.ReplacedAt.IsZero() {
		t.Fatalf("a refused rotation marked r1 replaced: %v", r1.ReplacedAt)
	}

	// A missing old token, and a new hash that is taken, store nothing.
	wantErr(t, s.RotateRefreshToken(ctx, []byte("missing"), func(old store.RefreshToken) (store.RefreshToken, error) {
		t.Error("fn ran for a missing token")
		return old, nil
	}), store.ErrNotFound)
	wantErr(t, s.RotateRefreshToken(ctx, []byte("r1"), func(old store.RefreshToken) (store.RefreshToken, error) {
		return nextToken(old, "r2", at2), nil
	}), store.ErrAlreadyExists)
	r1, err = s.GetRefreshToken(ctx, []byte("r1"))
	must(t, err)
	if !r1.ReplacedAt.IsZero() {
		t.Fatalf("a failed rotation marked r1 replaced: %v", r1.ReplacedAt)
	}
}

// Concurrent rotations of one token all run, one after the other, each seeing the
// replacement time the first one recorded.
func testRefreshTokenRotateConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	rt := mkToken(t, s, "r0", "a", "alice", t0().Add(time.Hour))
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.RotateRefreshToken(ctx, rt.Hash, func(old store.RefreshToken) (store.RefreshToken, error) {
				return nextToken(old, fmt.Sprintf("next-%d", i), t0().Add(time.Duration(i+1)*time.Second)), nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	old, err := s.GetRefreshToken(ctx, rt.Hash)
	must(t, err)
	if old.ReplacedAt.IsZero() {
		t.Fatal("no rotation recorded")
	}
	for i := range n {
		if _, err := s.GetRefreshToken(ctx, fmt.Appendf(nil, "next-%d", i)); err != nil {
			t.Errorf("rotation %d: %v", i, err)
		}
	}
}

func testRefreshTokenRevokeFamily(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	rt := mkToken(t, s, "f0", "a", "alice", t0().Add(time.Hour))
	must(t, s.RotateRefreshToken(ctx, rt.Hash, func(old store.RefreshToken) (store.RefreshToken, error) {
		return nextToken(old, "f1", t0().Add(time.Minute)), nil
	}))
	other := mkToken(t, s, "o0", "a", "alice", t0().Add(time.Hour))
	elsewhere := rt
	elsewhere.Hash, elsewhere.PoolID = []byte("x0"), "b" // same origin in another pool
	must(t, s.CreateRefreshToken(ctx, elsewhere))

	n, err := s.RevokeRefreshTokenFamily(ctx, "a", rt.OriginJTI)
	must(t, err)
	if n != 2 {
		t.Fatalf("RevokeRefreshTokenFamily = %d, want 2", n)
	}
	for hash, want := range map[string]bool{"f0": true, "f1": true, string(other.Hash): false, "x0": false} {
		got, err := s.GetRefreshToken(ctx, []byte(hash))
		must(t, err)
		if got.Revoked != want {
			t.Errorf("token %s: Revoked = %v, want %v", hash, got.Revoked, want)
		}
	}
	n, err = s.RevokeRefreshTokenFamily(ctx, "a", rt.OriginJTI)
	must(t, err)
	if n != 0 {
		t.Fatalf("second RevokeRefreshTokenFamily = %d, want 0", n)
	}
}
