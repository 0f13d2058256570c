package sigv4

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// FuzzVerify feeds untrusted Authorization headers, query strings, paths and dates to a
// Verifier with a healthy credential store: it must never panic, and every failure must be
// a refusal (an *Error with a known kind and a message), never anything else.
func FuzzVerify(f *testing.F) {
	at := sdkSignedAt
	cred := longTerm.AccessKeyID + "/20260115/us-east-1/execute-api/aws4_request"
	r := plainRequest()
	r.RawQuery = "b=2&a=1"
	handSign(f, r, cred, longTerm.SecretAccessKey, at, "host;x-amz-date")
	genuine := r.Header.Get("Authorization")
	seeds := [][4]string{
		{genuine, "b=2&a=1", "/dev/pets", amzDate(at)},
		{genuine, "a=1&b=2", "/dev/./pets", amzDate(at)},
		{"", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + strings.ReplaceAll(cred, "/", "%2F") +
			"&X-Amz-Date=20260115T101500Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=00", "/", ""},
		{"", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=-1&X-Amz-Expires=abc", "", ""},
		{"Bearer x", "", "/", ""},
		{"Basic Og==", "", "/", ""},
		{"AWS4-HMAC-SHA256", "", "", ""},
		{"AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host;;HOST;x-amz-date, Signature=", "%zz=%&&=&+", "/%/..//./", "20261399T999999Z"},
		{"AWS4-HMAC-SHA256 Credential=////, SignedHeaders=host, Signature=" + strings.Repeat("f", 64), "", "/", "Mon, 02 Jan 2006 15:04:05 GMT"},
		{"AWS4-HMAC-SHA256 ,,,, =,=", "=", "//", "0"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3])
	}
	v := newVerifier(f, Config{Service: "execute-api", Region: "us-east-1", Credentials: sdkCredentials(), Now: fixedClock(at)})
	if _, err := v.Verify(context.Background(), r); err != nil {
		f.Fatalf("the genuine seed is refused: %v", err) // the fuzzer must start from a pass
	}
	f.Fuzz(func(t *testing.T, auth, query, path, date string) {
		r := &Request{Method: "GET", Path: path, RawQuery: query, Host: "api.example.com", Header: http.Header{}}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		if date != "" {
			r.Header.Set("X-Amz-Date", date)
		}
		res, err := v.Verify(context.Background(), r)
		if err == nil {
			if res == nil || res.AccessKeyID != longTerm.AccessKeyID {
				t.Fatalf("accepted with result %+v", res)
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want a refusal", err)
		}
		if e.Message == "" || e.Kind < Missing || e.Kind > ExpiredToken {
			t.Fatalf("refusal %#v", e)
		}
	})
}
