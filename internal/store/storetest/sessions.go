package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func testAuthSessionCreateConsume(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	a := store.AuthSession{
		Hash: []byte{0x01, 0x00, 0xfe}, PoolID: "a", ClientID: "c1", UsernameKey: "alice",
		Challenge: "NEW_PASSWORD_REQUIRED", Data: json.RawMessage(`{"requiredAttributes": ["email"]}`),
		ExpiresAt: t0().Add(3 * time.Minute), CreatedAt: t0(),
	}
	must(t, s.CreateAuthSession(ctx, a))
	dup := a
	dup.Challenge = "SMS_MFA"
	wantErr(t, s.CreateAuthSession(ctx, dup), store.ErrAlreadyExists)

	got, err := s.ConsumeAuthSession(ctx, a.Hash)
	must(t, err)
	wantEqual(t, "ConsumeAuthSession", got, a, normSession)
	if string(got.Data) != string(a.Data) {
		t.Fatalf("Data = %s, want it verbatim", got.Data)
	}
	wantUTC(t, "ConsumeAuthSession", got.ExpiresAt, got.CreatedAt)
	_, err = s.ConsumeAuthSession(ctx, a.Hash)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.ConsumeAuthSession(ctx, []byte("missing"))
	wantErr(t, err, store.ErrNotFound)

	bare := store.AuthSession{Hash: []byte("bare"), PoolID: "a", ClientID: "c1", UsernameKey: "bob", Challenge: "SMS_MFA"}
	must(t, s.CreateAuthSession(ctx, bare))
	got, err = s.ConsumeAuthSession(ctx, bare.Hash)
	must(t, err)
	if got.Data != nil {
		t.Fatalf("nil Data read back as %q", got.Data)
	}
	wantEqual(t, "bare session", got, bare, normSession)

	orphan := a
	orphan.PoolID = "no-such-pool"
	wantErr(t, s.CreateAuthSession(ctx, orphan), store.ErrNotFound)
}

// testAuthSessionConsumeConcurrent races consumers for one session: exactly one wins.
func testAuthSessionConsumeConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	const rounds, consumers = 5, 8
	for round := range rounds {
		hash := []byte(fmt.Sprintf("session-%d", round))
		must(t, s.CreateAuthSession(ctx, store.AuthSession{Hash: hash, PoolID: "a", ClientID: "c1", UsernameKey: "alice", Challenge: "SMS_MFA"}))
		var (
			wg            sync.WaitGroup
			mu            sync.Mutex
			wins, misses  int
			unexpectedErr error
		)
		start := make(chan struct{})
		for range consumers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got, err := s.ConsumeAuthSession(ctx, hash)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && string(got.Hash) == string(hash):
					wins++
				case errors.Is(err, store.ErrNotFound):
					misses++
				default:
					unexpectedErr = fmt.Errorf("consume: %+v, %w", got, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if unexpectedErr != nil {
			t.Fatal(unexpectedErr)
		}
		if wins != 1 || misses != consumers-1 {
			t.Fatalf("round %d: %d consumers got the session, %d did not; want exactly one", round, wins, misses)
		}
	}
}

func testAuthSessionDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "a")
	now := t0().Truncate(time.Millisecond)
	for name, exp := range map[string]time.Time{
		"long-gone": now.Add(-time.Hour), "just-gone": now.Add(-time.Millisecond),
		"expires-now": now, "live": now.Add(time.Minute),
	} {
		must(t, s.CreateAuthSession(ctx, store.AuthSession{Hash: []byte(name), PoolID: "a", ClientID: "c1", UsernameKey: "alice", Challenge: "SMS_MFA", ExpiresAt: exp}))
	}
	n, err := s.DeleteExpiredAuthSessions(ctx, now)
	must(t, err)
	if n != 2 {
		t.Fatalf("DeleteExpiredAuthSessions = %d, want 2", n)
	}
	for name, present := range map[string]bool{"long-gone": false, "just-gone": false, "expires-now": true, "live": true} {
		_, err := s.ConsumeAuthSession(ctx, []byte(name))
		if present && err != nil {
			t.Errorf("session %s: %v, want it kept", name, err)
		}
		if !present && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session %s: %v, want it deleted", name, err)
		}
	}
}
