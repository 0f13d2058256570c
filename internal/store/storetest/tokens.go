package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func mkToken(t *testing.T, s store.Store, hash, poolID, user string, expires time.Time) store.RefreshToken {
	t.Helper()
	rt := store.RefreshToken{
		Hash: []byte(hash), PoolID: poolID, ClientID: "client", UsernameKey: user, OriginJTI: "origin-" + hash,
		AuthTime: t0(), CreatedAt: t0(), ExpiresAt: expires,
	}
	must(t, s.CreateRefreshToken(t.Context(), rt))
	return rt
}

func testRefreshTokenCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	rt := store.RefreshToken{
		Hash: []byte{0xde, 0xad, 0x00, 0xbe, 0xef}, PoolID: "a", ClientID: "c1", UsernameKey: "alice",
		OriginJTI: "6f0e8a9c-origin", AuthTime: t0().Add(-time.Minute), CreatedAt: t0(), ExpiresAt: t0().Add(30 * 24 * time.Hour),
		Scopes: "openid user_management_lambdas/api",
	}
	must(t, s.CreateRefreshToken(ctx, rt))
	got, err := s.GetRefreshToken(ctx, rt.Hash)
	must(t, err)
	wantEqual(t, "GetRefreshToken", got, rt, normToken)
	wantUTC(t, "GetRefreshToken", got.AuthTime, got.CreatedAt, got.ExpiresAt)
	got, err = s.GetRefreshTokenByOrigin(ctx, rt.OriginJTI)
	must(t, err)
	wantEqual(t, "GetRefreshTokenByOrigin", got, rt, normToken)

	_, err = s.GetRefreshToken(ctx, []byte{0xde, 0xad, 0x00})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetRefreshTokenByOrigin(ctx, "6f0e8a9c")
	wantErr(t, err, store.ErrNotFound)

	dup := rt
	dup.UsernameKey = "mallory"
	wantErr(t, s.CreateRefreshToken(ctx, dup), store.ErrAlreadyExists)
	got, err = s.GetRefreshToken(ctx, rt.Hash)
	must(t, err)
	if got.UsernameKey != "alice" {
		t.Fatalf("a rejected duplicate changed the token: %+v", got)
	}

	orphan := rt
	orphan.Hash, orphan.PoolID = []byte("orphan"), "no-such-pool"
	wantErr(t, s.CreateRefreshToken(ctx, orphan), store.ErrNotFound)
}

func testRefreshTokenRevoke(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	rt1 := mkToken(t, s, "rt1", "a", "alice", t0().Add(time.Hour))
	rt2 := mkToken(t, s, "rt2", "a", "alice", t0().Add(time.Hour))

	must(t, s.RevokeRefreshToken(ctx, rt1.Hash))
	got, err := s.GetRefreshToken(ctx, rt1.Hash)
	must(t, err)
	rt1.Revoked = true
	wantEqual(t, "revoked token", got, rt1, normToken)
	got, err = s.GetRefreshTokenByOrigin(ctx, rt1.OriginJTI)
	must(t, err)
	if !got.Revoked {
		t.Fatal("GetRefreshTokenByOrigin does not show the revocation")
	}
	got, err = s.GetRefreshToken(ctx, rt2.Hash)
	must(t, err)
	if got.Revoked {
		t.Fatal("revoking rt1 revoked rt2")
	}

	must(t, s.RevokeRefreshToken(ctx, rt1.Hash)) // again: harmless
	wantErr(t, s.RevokeRefreshToken(ctx, []byte("missing")), store.ErrNotFound)
}

func testRefreshTokenRevokeUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	mkPool(t, s, "b")
	mkToken(t, s, "a1", "a", "alice", t0().Add(time.Hour))
	mkToken(t, s, "a2", "a", "alice", t0().Add(time.Hour))
	mkToken(t, s, "a3", "a", "alice", t0().Add(time.Hour))
	mkToken(t, s, "b1", "a", "bob", t0().Add(time.Hour))
	mkToken(t, s, "x1", "b", "alice", t0().Add(time.Hour))
	must(t, s.RevokeRefreshToken(ctx, []byte("a3")))

	n, err := s.RevokeUserRefreshTokens(ctx, "a", "alice")
	must(t, err)
	if n != 2 {
		t.Fatalf("RevokeUserRefreshTokens = %d, want 2 (a3 was already revoked)", n)
	}
	for hash, want := range map[string]bool{"a1": true, "a2": true, "a3": true, "b1": false, "x1": false} {
		got, err := s.GetRefreshToken(ctx, []byte(hash))
		must(t, err)
		if got.Revoked != want {
			t.Errorf("token %s: Revoked = %v, want %v", hash, got.Revoked, want)
		}
	}
	n, err = s.RevokeUserRefreshTokens(ctx, "a", "alice")
	must(t, err)
	if n != 0 {
		t.Fatalf("second RevokeUserRefreshTokens = %d, want 0", n)
	}
	n, err = s.RevokeUserRefreshTokens(ctx, "a", "nobody")
	must(t, err)
	if n != 0 {
		t.Fatalf("RevokeUserRefreshTokens for nobody = %d", n)
	}
}

func testRefreshTokenDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	now := t0().Truncate(time.Millisecond)
	mkToken(t, s, "long-gone", "a", "alice", now.Add(-time.Hour))
	mkToken(t, s, "just-gone", "a", "alice", now.Add(-time.Millisecond))
	mkToken(t, s, "expires-now", "a", "alice", now) // not before now: stays
	mkToken(t, s, "live", "a", "alice", now.Add(time.Hour))
	mkToken(t, s, "no-expiry", "a", "alice", time.Time{})

	n, err := s.DeleteExpiredRefreshTokens(ctx, now)
	must(t, err)
	if n != 2 {
		t.Fatalf("DeleteExpiredRefreshTokens = %d, want 2", n)
	}
	for hash, present := range map[string]bool{"long-gone": false, "just-gone": false, "expires-now": true, "live": true, "no-expiry": true} {
		_, err := s.GetRefreshToken(ctx, []byte(hash))
		if present && err != nil {
			t.Errorf("token %s: %v, want it kept", hash, err)
		}
		if !present && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token %s: %v, want it deleted", hash, err)
		}
	}
	n, err = s.DeleteExpiredRefreshTokens(ctx, now)
	must(t, err)
	if n != 0 {
		t.Fatalf("second DeleteExpiredRefreshTokens = %d, want 0", n)
	}
}
