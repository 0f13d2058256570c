package sigv4

import (
	"context"
	"net/http"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// benchRequest is a typical SDK-signed API Gateway call: a GET with a query, a session
// token and a few signed headers.
func benchRequest(b *testing.B, body string) (*Verifier, *Request) {
	b.Helper()
	v := newVerifier(b, Config{Service: "execute-api", Region: "us-east-1", Credentials: sdkCredentials(), Now: fixedClock(sdkSignedAt)})
	method := http.MethodGet
	if body != "" {
		method = http.MethodPost
	}
	hr, err := http.NewRequest(method, "https://abc123.execute-api.us-east-1.amazonaws.com/dev/pets/42?limit=10&next=abc%20def", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	hr.Header.Set("Accept", "application/json")
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("X-Request-Id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
	if err := v4.NewSigner().SignHTTP(context.Background(), temporary, hr, sha256Hex(body), "execute-api", "us-east-1", sdkSignedAt); err != nil {
		b.Fatal(err)
	}
	r := RequestFromHTTP(hr, []byte(body))
	if hr.ContentLength > 0 {
		r.Header.Set("Content-Length", "1024")
	}
	if _, err := v.Verify(context.Background(), r); err != nil { // warms the key cache
		b.Fatal(err)
	}
	return v, r
}

// BenchmarkVerify is the steady state: a cached signing key, so one SHA-256 of the
// canonical request and one HMAC.
func BenchmarkVerify(b *testing.B) {
	v, r := benchRequest(b, "")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyBody1KiB(b *testing.B) {
	v, r := benchRequest(b, strings.Repeat("x", 1024))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyParallel(b *testing.B) {
	v, r := benchRequest(b, "")
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(ctx, r); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyPresigned verifies a presigned URL.
func BenchmarkVerifyPresigned(b *testing.B) {
	v := newVerifier(b, Config{Service: "execute-api", Region: "us-east-1", Credentials: sdkCredentials(), Now: fixedClock(sdkSignedAt)})
	hr, _ := http.NewRequest(http.MethodGet, "https://abc123.execute-api.us-east-1.amazonaws.com/dev/socket?X-Amz-Expires=300", nil)
	u, _, err := signerPresign(hr)
	if err != nil {
		b.Fatal(err)
	}
	pr, _ := http.NewRequest(http.MethodGet, u, nil)
	r := RequestFromHTTP(pr, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyUncachedKey derives the signing key every time (four more HMACs).
func BenchmarkVerifyUncachedKey(b *testing.B) {
	v, r := benchRequest(b, "")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		clear(v.keys.m)
		if _, err := v.Verify(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
}
