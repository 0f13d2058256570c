package iam

import (
	"context"
	"testing"
)

// BenchmarkLookupResolve is what the gateway does on every signed request: Lookup (for the
// verifier) then Resolve, both served from the cache.
func BenchmarkLookupResolve(b *testing.B) {
	e := newAPIEnv(b, "")
	ctx := context.Background()
	creds, err := e.issuer.Mint(ctx, Session{RoleARN: "arn:aws:iam::123456789012:role/r", SessionName: CognitoSessionName})
	if err != nil {
		b.Fatal(err)
	}
	for _, k := range []struct{ name, id string }{{"user", e.adminKey.AccessKeyID}, {"assumed-role", creds.AccessKeyID}} {
		b.Run(k.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := e.principals.Lookup(ctx, k.id); err != nil {
						b.Fatal(err)
					}
					if _, err := e.principals.Resolve(ctx, k.id); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
