package authorizer

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/internal/token"
)

// BenchmarkAuthorizeCacheHit is the steady state of a client reusing its token: a SHA-256 of
// the token and a map lookup under a read lock, no JSON and no RSA.
func BenchmarkAuthorizeCacheHit(b *testing.B) {
	e := newEnv(b)
	a := e.cognito(b, nil)
	r := request("Bearer " + e.sign(b, poolA, token.UseID, e.idClaims(poolA, clientA)))
	ctx := context.Background()
	if _, err := a.Authorize(ctx, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Authorize(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuthorizeCacheHitParallel(b *testing.B) {
	e := newEnv(b)
	a := e.cognito(b, nil)
	r := request(e.sign(b, poolA, token.UseID, e.idClaims(poolA, clientA)))
	ctx := context.Background()
	if _, err := a.Authorize(ctx, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := a.Authorize(ctx, r); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkAuthorizeCacheMiss is a token seen for the first time (here: the cache is off):
// RS256 verification with the issuer's cached keys, and the app client looked up in SQLite.
func BenchmarkAuthorizeCacheMiss(b *testing.B) {
	e := newEnv(b)
	a := e.cognito(b, func(c *CognitoConfig) { c.ResultTTL = 0 })
	r := request(e.sign(b, poolA, token.UseID, e.idClaims(poolA, clientA)))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Authorize(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}
