package token

import (
	"context"
	"testing"
)

// BenchmarkSignPair signs one ID and one access token with Cognito-shaped claim sets: the
// token cost of one sign-in (budget: ≤ 2.5 ms CPU).
func BenchmarkSignPair(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	now := e.clock.Now()
	id, access := idClaims(e.iss, poolA, now), accessClaims(e.iss, poolA, now)
	if err := e.iss.EnsureKeys(ctx, poolA); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.iss.Sign(ctx, poolA, UseID, id); err != nil {
			b.Fatal(err)
		}
		if _, err := e.iss.Sign(ctx, poolA, UseAccess, access); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	tok := e.sign(b, poolA, UseAccess, accessClaims(e.iss, poolA, e.clock.Now()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.iss.Verify(ctx, tok, VerifyOptions{Use: UseAccess, ClientID: clientA}); err != nil {
			b.Fatal(err)
		}
	}
}
