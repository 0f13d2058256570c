package token

import (
	"context"
	"sync"
	"testing"
	"time"
)

// Signing, verifying, serving the JWKS, rotating and cache refreshes all at once: run with
// -race. Every token signed must verify whatever happened meanwhile.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	other := e.issuer(t, testMaster(t, 1))
	if err := e.iss.EnsureKeys(ctx, poolA); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for range 15 {
				iss := e.iss
				if w%2 == 1 {
					iss = other
				}
				id, err := iss.Sign(ctx, poolA, UseID, idClaims(iss, poolA, now))
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := e.iss.Verify(ctx, id, VerifyOptions{Use: UseID}); err != nil {
					t.Error(err)
				}
				if _, err := other.Verify(ctx, id, VerifyOptions{Use: UseID}); err != nil {
					t.Error(err)
				}
				if _, err := iss.JWKS(ctx, poolA); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			e.clock.Advance(2 * time.Second) // past missReloadAfter, within exp
			if err := other.Rotate(ctx, poolA, UseID); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Go(func() {
		for range 3 {
			e.clock.Advance(cacheTTL)
			e.iss.Forget(poolB)
		}
	})
	wg.Wait()
}
