package userpool

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// TestCollectGarbage: a sweep deletes the refresh tokens and challenge sessions that expired
// by the service's clock, and keeps the others; CollectGarbage stops with its context.
func TestCollectGarbage(t *testing.T) {
	e := newPoolTestEnv(t)
	pool := e.createPool(t, &CreateUserPoolRequest{})
	now := e.clock.Now()
	for i, exp := range []time.Duration{-time.Minute, time.Minute} {
		if err := e.store.CreateRefreshToken(e.ctx, store.RefreshToken{
			Hash: []byte{byte(i)}, PoolID: pool.Id, ClientID: "c", UsernameKey: "u", OriginJTI: string(rune('a' + i)),
			AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(exp),
		}); err != nil {
			t.Fatal(err)
		}
		if err := e.store.CreateAuthSession(e.ctx, store.AuthSession{
			Hash: []byte{byte(i)}, PoolID: pool.Id, ClientID: "c", UsernameKey: "u", Challenge: "NEW_PASSWORD_REQUIRED",
			Data: []byte(`{}`), CreatedAt: now, ExpiresAt: now.Add(exp),
		}); err != nil {
			t.Fatal(err)
		}
	}
	e.svc.sweep(e.ctx)
	if _, err := e.store.GetRefreshToken(e.ctx, []byte{0}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired refresh token: %v, want it deleted", err)
	}
	if _, err := e.store.GetRefreshToken(e.ctx, []byte{1}); err != nil {
		t.Errorf("live refresh token: %v", err)
	}
	if _, err := e.store.ConsumeAuthSession(e.ctx, []byte{0}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired session: %v, want it deleted", err)
	}
	if _, err := e.store.ConsumeAuthSession(e.ctx, []byte{1}); err != nil {
		t.Errorf("live session: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.svc.CollectGarbage(ctx, time.Millisecond); close(done) }()
	time.Sleep(5 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("CollectGarbage did not stop with its context")
	}
}

func TestPoolExists(t *testing.T) {
	e := newPoolTestEnv(t)
	pool := e.createPool(t, &CreateUserPoolRequest{})
	for id, want := range map[string]bool{pool.Id: true, "us-east-1_Missing00": false} {
		if got, err := e.svc.PoolExists(e.ctx, id); err != nil || got != want {
			t.Errorf("PoolExists(%s) = %v, %v; want %v", id, got, err, want)
		}
	}
}
