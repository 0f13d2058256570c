package sigv4

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTampered sends SDK-signed requests changed after signing: each is refused as a
// mismatch whose message shows the canonical request the server computed.
func TestTampered(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	base := sdkCase{method: http.MethodPost, path: "/dev/pets/1", rawQuery: "a=1&b=2", body: `{"n":1}`,
		header: http.Header{"X-Custom": {"v1"}, "Content-Type": {"application/json"}}}
	tests := []struct {
		name    string
		tamper  func(r *http.Request)
		inCanon string // a line the server's canonical request must contain
	}{
		{"path", func(r *http.Request) { r.URL.Path = "/dev/pets/2" }, "\n/dev/pets/2\n"},
		{"path encoding", func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/dev/pets/1", "/dev/pets/%31" }, "\n/dev/pets/%2531\n"},
		{"path dot segment", func(r *http.Request) { r.URL.Path = "/dev/pets/./2" }, "\n/dev/pets/./2\n"},
		{"query added", func(r *http.Request) { r.URL.RawQuery += "&c=3" }, "\na=1&b=2&c=3\n"},
		{"query value", func(r *http.Request) { r.URL.RawQuery = "a=1&b=3" }, "\na=1&b=3\n"},
		{"signed header", func(r *http.Request) { r.Header.Set("X-Custom", "v2") }, "\nx-custom:v2\n"},
		{"signed header removed", func(r *http.Request) { r.Header.Del("X-Custom") }, "\nx-custom:\n"},
		{"header value added", func(r *http.Request) { r.Header.Add("X-Custom", "v2") }, "\nx-custom:v1,v2\n"},
		{"method", func(r *http.Request) { r.Method = http.MethodPut }, "PUT\n"},
		{"host", func(r *http.Request) { r.Host = "evil.example:443" }, "\nhost:evil.example:443\n"},
		{"body", func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader(`{"n":2}`)) }, "\n" + sha256Hex(`{"n":2}`)},
		{"x-amz-date", func(r *http.Request) { r.Header.Set("X-Amz-Date", "20260115T101501Z") }, "\nx-amz-date:20260115T101501Z\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := signedSDK(t, e, base)
			tc.tamper(r)
			got := e.send(t, r)
			wantRefusal(t, got.err, InvalidSignature, msgMismatch+"\n\nThe Canonical String for this request should have been\n'…")
			if got.err != nil && !strings.Contains(got.err.(*Error).Message, tc.inCanon) {
				t.Errorf("canonical request in the message lacks %q:\n%s", tc.inCanon, got.err.(*Error).Message)
			}
		})
	}

	t.Run("unsigned header added", func(t *testing.T) {
		r := signedSDK(t, e, base)
		r.Header.Set("X-Not-Signed", "whatever")
		if got := e.send(t, r); got.err != nil {
			t.Fatal(got.err)
		}
	})
	// A path that normalizes to the signed one is accepted, as AWS's test suite has it
	// (normalize-path), and reported.
	t.Run("path normalizing to the signed one", func(t *testing.T) {
		r := signedSDK(t, e, base)
		r.URL.Path = "/dev/pets/../pets//1"
		got := e.send(t, r)
		if got.err != nil {
			t.Fatal(got.err)
		}
		if !got.res.NormalizedPath {
			t.Error("NormalizedPath not reported")
		}
	})
	t.Run("signature", func(t *testing.T) {
		r := signedSDK(t, e, base)
		auth := r.Header.Get("Authorization")
		r.Header.Set("Authorization", auth[:len(auth)-1]+string("01"[boolInt(auth[len(auth)-1] == '0')]))
		wantRefusal(t, e.send(t, r).err, InvalidSignature, msgMismatch+"…")
	})
	t.Run("signature uppercase", func(t *testing.T) {
		r := signedSDK(t, e, base)
		auth := r.Header.Get("Authorization")
		i := strings.Index(auth, "Signature=") + len("Signature=")
		r.Header.Set("Authorization", auth[:i]+strings.ToUpper(auth[i:]))
		wantRefusal(t, e.send(t, r).err, InvalidSignature, msgMismatch+"…")
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sha256Hex(s string) string { return actualPayloadHash(&Request{Body: []byte(s)}) }

// TestClockWindow: five minutes each way, with AWS's messages.
func TestClockWindow(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	tests := []struct {
		offset time.Duration
		msg    string
	}{
		{5 * time.Minute, ""},
		{-5 * time.Minute, ""},
		{5*time.Minute + time.Second,
			"Signature expired: 20260115T101500Z is now earlier than 20260115T101501Z (20260115T102001Z - 5 min.)"},
		{-5*time.Minute - time.Second,
			"Signature not yet current: 20260115T101500Z is still later than 20260115T101459Z (20260115T100959Z + 5 min.)"},
		{24 * time.Hour,
			"Signature expired: 20260115T101500Z is now earlier than 20260116T101000Z (20260116T101500Z - 5 min.)"},
	}
	for _, tc := range tests {
		t.Run(tc.offset.String(), func(t *testing.T) {
			e.setNow(sdkSignedAt.Add(tc.offset))
			got := e.send(t, signedSDK(t, e, sdkCase{path: "/dev/pets"}))
			if tc.msg == "" {
				if got.err != nil {
					t.Fatal(got.err)
				}
				return
			}
			wantRefusal(t, got.err, Expired, tc.msg)
		})
	}
}

// TestExpiredMessageAWSExample is the example in docs/dev/aws-behaviour.md#sigv4-errors, to the
// byte.
func TestExpiredMessageAWSExample(t *testing.T) {
	got := msgSignatureExpired(mustTime(t, "20170517T062414Z"), mustTime(t, "20170517T063340Z"))
	if want := "Signature expired: 20170517T062414Z is now earlier than 20170517T062840Z (20170517T063340Z - 5 min.)"; got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
}

// handSign signs r in the header form with the package's own canonicalization, for the
// cases no SDK produces (a Date header, a credential scope of our choosing). It sets
// X-Amz-Date unless r has a Date header.
func handSign(t testing.TB, r *Request, cred, secret string, at time.Time, signed string) {
	t.Helper()
	if r.Header.Get("Date") == "" {
		r.Header.Set("X-Amz-Date", amzDate(at))
	}
	p := &authParams{}
	if err := p.setSignedHeaders(signed); err != nil {
		t.Fatal(err)
	}
	q, _ := parseQuery(r.RawQuery)
	c, err := newCanonical(r, p, q, actualPayloadHash(r))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.SplitN(cred, "/", 5)
	sts := stringToSign(amzDate(at), cred[len(parts[0])+1:], c.string(c.uri))
	key := deriveKey(secret, parts[1], parts[2], parts[3])
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+cred+", SignedHeaders="+p.signedList+
		", Signature="+hex.EncodeToString(hmacSHA256(key, sts)))
}

func plainRequest() *Request {
	return &Request{Method: "GET", Path: "/dev/pets", Host: "api.example.com", Header: http.Header{}}
}

func TestDateHeader(t *testing.T) {
	at := sdkSignedAt
	v := newVerifier(t, Config{Service: "execute-api", Region: "us-east-1", Credentials: sdkCredentials(), Now: fixedClock(at)})
	cred := longTerm.AccessKeyID + "/20260115/us-east-1/execute-api/aws4_request"
	for _, date := range []string{at.Format(http.TimeFormat), amzDate(at), at.Format(time.RFC850)} {
		r := plainRequest()
		r.Header.Set("Date", date)
		handSign(t, r, cred, longTerm.SecretAccessKey, at, "date;host")
		res, err := v.Verify(context.Background(), r)
		if err != nil {
			t.Fatalf("Date %q: %v", date, err)
		}
		if !res.SignedAt.Equal(at) {
			t.Errorf("SignedAt %v", res.SignedAt)
		}
	}

	// X-Amz-Date wins over Date.
	r := plainRequest()
	handSign(t, r, cred, longTerm.SecretAccessKey, at, "host;x-amz-date")
	r.Header.Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
	if _, err := v.Verify(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	// An HTTP-date is not an X-Amz-Date.
	r.Header.Set("X-Amz-Date", at.Format(http.TimeFormat))
	_, err := v.Verify(context.Background(), r)
	wantRefusal(t, err, IncompleteSignature, "Date must be in ISO-8601 'basic format'. …")
}

// TestMalformed covers the refusals that come before any signature is computed.
func TestMalformed(t *testing.T) {
	at := sdkSignedAt
	v := newVerifier(t, Config{Service: "execute-api", Region: "us-east-1", Credentials: sdkCredentials(), Now: fixedClock(at)})
	good := longTerm.AccessKeyID + "/20260115/us-east-1/execute-api/aws4_request"
	const all = "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
		"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
	tests := []struct {
		name   string
		auth   string
		date   string // X-Amz-Date; "-" for none
		kind   Kind
		msg    string
		header map[string]string
	}{
		{name: "none", date: "-", kind: Missing, msg: "Request is missing Authentication Token"},
		{name: "bearer token", auth: "Bearer sometoken", date: "-", kind: IncompleteSignature,
			msg: "'sometoken' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer sometoken'."},
		{name: "bare jwt", auth: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", date: "-", kind: IncompleteSignature,
			msg: all + " Authorization=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"},
		{name: "basic", auth: "Basic Og==", date: "-", kind: IncompleteSignature, msg: all + " Authorization=Basic Og=="},
		{name: "space after Credential=", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential= " + good + ", SignedHeaders=host;x-amz-date, Signature=abc",
			msg:  "'" + good + "' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential= " + good + ", SignedHeaders=host;x-amz-date, Signature=abc'."},
		{name: "date missing", date: "-", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host;x-amz-date, Signature=abc",
			msg:  "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host;x-amz-date, Signature=abc"},
		{name: "signature missing", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host",
			msg:  "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host"},
		{name: "algorithm", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA512 Credential=" + good + ", SignedHeaders=host, Signature=abc",
			msg:  "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'."},
		{name: "host not signed", date: "20260115T101500Z", kind: InvalidSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=x-amz-date, Signature=abc",
			msg:  "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "empty signed headers", date: "20260115T101500Z", kind: InvalidSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=, Signature=abc",
			msg:  "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "bad signed header name", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host;x:y, Signature=abc", msg: msgBadSignedHeaders},
		{name: "bad date", date: "2026-01-15T10:15:00Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host;x-amz-date, Signature=abc",
			msg:  "Date must be in ISO-8601 'basic format'. Got '2026-01-15T10:15:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "impossible date", date: "20260230T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host;x-amz-date, Signature=abc",
			msg:  "Date must be in ISO-8601 'basic format'. Got '20260230T101500Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		{name: "credential parts", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260115/us-east-1/execute-api, SignedHeaders=host, Signature=abc",
			msg:  "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKID/20260115/us-east-1/execute-api'"},
		{name: "region", date: "20260115T101500Z", kind: InvalidSignature,
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260115/eu-west-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc",
			msg:  "Credential should be scoped to a valid region, not 'eu-west-1'. "},
		{name: "service", date: "20260115T101500Z", kind: InvalidSignature,
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260115/us-east-1/apigateway/aws4_request, SignedHeaders=host, Signature=abc",
			msg:  "Credential should be scoped to correct service: 'execute-api'. "},
		{name: "scope all wrong", date: "20260115T101500Z", kind: InvalidSignature,
			auth: "AWS4-HMAC-SHA256 Credential=AKID/20260114/eu-west-1/s3/aws5_request, SignedHeaders=host, Signature=abc",
			msg: "Credential should be scoped to a valid region, not 'eu-west-1'. Credential should be scoped to correct service: 'execute-api'. " +
				"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
				"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260114' != '20260115', from '20260115T101500Z'. "},
		{name: "unknown key", date: "20260115T101500Z", kind: UnknownKey,
			auth: "AWS4-HMAC-SHA256 Credential=AKIANOBODY/20260115/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc",
			msg:  "The security token included in the request is invalid."},
		{name: "empty key", date: "20260115T101500Z", kind: UnknownKey,
			auth: "AWS4-HMAC-SHA256 Credential=/20260115/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc",
			msg:  "The security token included in the request is invalid."},
		{name: "token with long-term key", date: "20260115T101500Z", kind: InvalidToken,
			auth:   "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host, Signature=abc",
			header: map[string]string{"X-Amz-Security-Token": "something"},
			msg:    "The security token included in the request is invalid."},
		{name: "content sha256 invalid", date: "20260115T101500Z", kind: IncompleteSignature,
			auth:   "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host;x-amz-content-sha256, Signature=abc",
			header: map[string]string{"X-Amz-Content-Sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
			msg:    msgContentInvalid},
		{name: "both mechanisms", date: "20260115T101500Z", kind: IncompleteSignature,
			auth:   "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=host, Signature=abc",
			header: map[string]string{"query": "X-Amz-Algorithm=AWS4-HMAC-SHA256"},
			msg:    msgBothMechanisms},
		{name: "too long", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + strings.Repeat("A", MaxAuthorizationBytes), msg: msgTooLongAuthorization},
		{name: "too many signed headers", date: "20260115T101500Z", kind: IncompleteSignature,
			auth: "AWS4-HMAC-SHA256 Credential=" + good + ", SignedHeaders=" + strings.Repeat("host;", MaxSignedHeaders) + ", Signature=abc",
			msg:  msgTooManySignedHeaders},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := plainRequest()
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if tc.date != "-" {
				r.Header.Set("X-Amz-Date", tc.date)
			}
			for k, v := range tc.header {
				if k == "query" {
					r.RawQuery = v
				} else {
					r.Header.Set(k, v)
				}
			}
			_, err := v.Verify(context.Background(), r)
			wantRefusal(t, err, tc.kind, tc.msg)
		})
	}
}

// TestSessionTokens: temporary credentials need their token; expired ones are refused.
func TestSessionTokens(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	c := sdkCase{path: "/dev/pets", creds: temporary}

	t.Run("missing", func(t *testing.T) {
		r := signedSDK(t, e, c)
		r.Header.Del("X-Amz-Security-Token")
		wantRefusal(t, e.send(t, r).err, InvalidToken, "The security token included in the request is invalid.")
	})
	t.Run("wrong", func(t *testing.T) {
		r := signedSDK(t, e, c)
		r.Header.Set("X-Amz-Security-Token", temporary.SessionToken+"x")
		wantRefusal(t, e.send(t, r).err, InvalidToken, "The security token included in the request is invalid.")
	})
	t.Run("expired", func(t *testing.T) {
		s := e.creds.m[temporary.AccessKeyID]
		s.Expiration = sdkSignedAt.Add(time.Minute)
		e.creds.m[temporary.AccessKeyID] = s
		defer func() { s.Expiration = time.Time{}; e.creds.m[temporary.AccessKeyID] = s }()
		wantRefusal(t, e.send(t, signedSDK(t, e, c)).err, ExpiredToken, "The security token included in the request is expired")
	})
	t.Run("signed with the secret of another key", func(t *testing.T) {
		r := c.request(t, e.srv.URL)
		forged := temporary
		forged.SecretAccessKey = longTerm.SecretAccessKey
		signWith(t, r, forged)
		wantRefusal(t, e.send(t, r).err, InvalidSignature, msgMismatch+"…")
	})
}

func TestLookupFailure(t *testing.T) {
	creds := sdkCredentials()
	boom := errors.New("store down")
	creds.err = boom
	v := newVerifier(t, Config{Service: "execute-api", Region: "us-east-1", Credentials: creds, Now: fixedClock(sdkSignedAt)})
	r := plainRequest()
	handSign(t, r, longTerm.AccessKeyID+"/20260115/us-east-1/execute-api/aws4_request", longTerm.SecretAccessKey, sdkSignedAt, "host;x-amz-date")
	_, err := v.Verify(context.Background(), r)
	var refusal *Error
	if !errors.Is(err, boom) || errors.As(err, &refusal) {
		t.Fatalf("err = %v, want the store's error", err)
	}

	creds.err = nil
	creds.m[longTerm.AccessKeyID] = Secret{}
	if _, err := v.Verify(context.Background(), r); err == nil || errors.As(err, &refusal) {
		t.Fatalf("empty secret: err = %v, want a lookup failure", err)
	}
	creds.m[longTerm.AccessKeyID] = Secret{SecretAccessKey: longTerm.SecretAccessKey}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	creds.err = nil
	if _, err := v.Verify(ctx, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestPayloadHash: a signed X-Amz-Content-Sha256 must be the body's; PayloadHash stands in
// for the body.
func TestPayloadHash(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	hello := sdkCase{method: http.MethodPost, path: "/dev/pets", body: "hello",
		header: http.Header{"X-Amz-Content-Sha256": {sha256Hex("hello")}}}
	r := signedSDK(t, e, hello)
	r.Body = io.NopCloser(strings.NewReader("HELLO"))
	wantRefusal(t, e.send(t, r).err, InvalidSignature, msgContentMismatch)

	// The caller's hash instead of the body.
	r = signedSDK(t, e, sdkCase{method: http.MethodPost, path: "/dev/pets", body: "payload"})
	req := RequestFromHTTP(r, nil)
	req.Header.Set("Content-Length", "7")
	req.PayloadHash = sha256Hex("payload")
	if _, err := e.v.Verify(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	req.PayloadHash = sha256Hex("payloaD")
	_, err := e.v.Verify(context.Background(), req)
	wantRefusal(t, err, InvalidSignature, msgMismatch+"…")
}

// TestPresignedRefusals covers what only presigned URLs have.
func TestPresignedRefusals(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	presign := func(t *testing.T, query string) string {
		t.Helper()
		r := sdkCase{path: "/dev/socket", rawQuery: query}.request(t, e.srv.URL)
		u, _, err := signerPresign(r)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	get := func(t *testing.T, u string) verified {
		t.Helper()
		r, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		return e.send(t, r)
	}

	t.Run("expires honoured", func(t *testing.T) {
		u := presign(t, "X-Amz-Expires=3600")
		e.setNow(sdkSignedAt.Add(59 * time.Minute))
		defer e.setNow(sdkSignedAt.Add(2 * time.Minute))
		if got := get(t, u); got.err != nil {
			t.Fatal(got.err)
		}
		e.setNow(sdkSignedAt.Add(time.Hour + time.Second))
		wantRefusal(t, get(t, u).err, Expired, "Request has expired")
	})
	t.Run("without expires, five minutes", func(t *testing.T) {
		u := presign(t, "")
		defer e.setNow(sdkSignedAt.Add(2 * time.Minute))
		e.setNow(sdkSignedAt.Add(5*time.Minute + time.Second))
		wantRefusal(t, get(t, u).err, Expired, "Signature expired: …")
	})
	t.Run("not yet current", func(t *testing.T) {
		u := presign(t, "X-Amz-Expires=3600")
		defer e.setNow(sdkSignedAt.Add(2 * time.Minute))
		e.setNow(sdkSignedAt.Add(-6 * time.Minute))
		wantRefusal(t, get(t, u).err, Expired, "Signature not yet current: …")
	})
	t.Run("signature altered", func(t *testing.T) {
		u := presign(t, "a=1")
		wantRefusal(t, get(t, u[:len(u)-1]+string("01"[boolInt(u[len(u)-1] == '0')])).err, InvalidSignature, msgMismatch+"…")
	})
	t.Run("query altered", func(t *testing.T) {
		wantRefusal(t, get(t, presign(t, "a=1")+"&a=2").err, InvalidSignature, msgMismatch+"…")
	})

	base := e.srv.URL + "/dev/socket?"
	const cred = "X-Amz-Credential=AKIAGATEHOUSE0000001%2F20260115%2Fus-east-1%2Fexecute-api%2Faws4_request"
	tests := []struct {
		name, query string
		kind        Kind
		msg         string
	}{
		{"missing all", "X-Amz-Algorithm=AWS4-HMAC-SHA256", IncompleteSignature,
			"AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. " +
				"AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
				"Re-examine the query-string parameters."},
		{"missing date", "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + cred + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00", IncompleteSignature,
			"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."},
		{"other algorithm", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&" + cred, Missing, "Request is missing Authentication Token"},
		{"expires not a number", "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + cred + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Date=20260115T101500Z&X-Amz-Expires=1h",
			IncompleteSignature, "X-Amz-Expires should be a number"},
		{"expires negative", "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + cred + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Date=20260115T101500Z&X-Amz-Expires=-1",
			IncompleteSignature, "X-Amz-Expires must be non-negative"},
		{"expires over a week", "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + cred + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Date=20260115T101500Z&X-Amz-Expires=604801",
			IncompleteSignature, msgExpiresTooLong},
		{"expires huge", "X-Amz-Algorithm=AWS4-HMAC-SHA256&" + cred + "&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Date=20260115T101500Z&X-Amz-Expires=99999999999999999999",
			IncompleteSignature, msgExpiresTooLong},
		{"too many params", "X-Amz-Algorithm=AWS4-HMAC-SHA256" + strings.Repeat("&a=1", MaxQueryParams), IncompleteSignature, msgTooManyQueryParams},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantRefusal(t, get(t, base+tc.query).err, tc.kind, tc.msg)
		})
	}
	// X-Amz-Expires=604800 itself is allowed.
	if _, err := parseExpires(strconv.Itoa(MaxPresignExpires)); err != nil {
		t.Error(err)
	}
}

func TestBounds(t *testing.T) {
	v := newVerifier(t, Config{Service: "execute-api", Credentials: sdkCredentials(), Now: fixedClock(sdkSignedAt)})
	r := plainRequest()
	r.Path = "/" + strings.Repeat("a", MaxPathBytes)
	_, err := v.Verify(context.Background(), r)
	wantRefusal(t, err, IncompleteSignature, msgTooLongPath)

	r = plainRequest()
	r.RawQuery = strings.Repeat("a", MaxQueryBytes+1)
	_, err = v.Verify(context.Background(), r)
	wantRefusal(t, err, IncompleteSignature, msgTooLongQuery)

	r = plainRequest()
	r.Header.Set("X-Big", strings.Repeat("b", MaxSignedHeaderBytes))
	handSign(t, r, longTerm.AccessKeyID+"/20260115/us-east-1/execute-api/aws4_request", longTerm.SecretAccessKey, sdkSignedAt, "host;x-amz-date")
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=host;x-amz-date", "SignedHeaders=host;x-amz-date;x-big", 1))
	_, err = v.Verify(context.Background(), r)
	wantRefusal(t, err, IncompleteSignature, msgTooLongHeaders)
}

func TestNewValidates(t *testing.T) {
	for _, cfg := range []Config{
		{Credentials: sdkCredentials()},
		{Service: "execute-api"},
		{Service: "execute-api", Credentials: sdkCredentials(), KeyCacheSize: -1},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded", cfg)
		}
	}
}

func TestKeyCache(t *testing.T) {
	c := newKeyCache(2)
	a := c.signingKey("s", "20260115", "us-east-1", "execute-api")
	if b := c.signingKey("s", "20260115", "us-east-1", "execute-api"); &a[0] != &b[0] {
		t.Error("second derivation not cached")
	}
	c.signingKey("s", "20260116", "us-east-1", "execute-api")
	c.signingKey("s", "20260117", "us-east-1", "execute-api")
	if len(c.m) > 2 {
		t.Errorf("cache holds %d keys, bound 2", len(c.m))
	}
	// The suite's published example signing key (IAM User Guide).
	if got := hex.EncodeToString(deriveKey(suiteSecret, "20150830", "us-east-1", "iam")); got != "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9" {
		t.Errorf("derived key %s", got)
	}
}

func TestRequestFromHTTP(t *testing.T) {
	for uri, want := range map[string]string{
		"/a%20b?x=1":               "/a%20b",
		"http://h:80/a/b?x":        "/a/b",
		"http://h:80?x":            "/",
		"https://h/a%2Fb":          "/a%2Fb",
		"/dev/./a/../b//c/":        "/dev/./a/../b//c/",
		"/caf%C3%A9/%E1%88%B4?q=1": "/caf%C3%A9/%E1%88%B4",
	} {
		r := httptest.NewRequest(http.MethodGet, uri, nil)
		if got := RequestFromHTTP(r, nil).Path; got != want {
			t.Errorf("%s: path %q, want %q", uri, got, want)
		}
	}
}

// TestConcurrent verifies from many goroutines at once (run with -race).
func TestConcurrent(t *testing.T) {
	v := newVerifier(t, Config{Service: "execute-api", Region: "us-east-1", Credentials: sdkCredentials(),
		Now: fixedClock(sdkSignedAt), KeyCacheSize: 4})
	var reqs []*Request
	for i := range 8 {
		r := plainRequest()
		r.Path = fmt.Sprintf("/dev/pets/%d", i)
		at := sdkSignedAt.Add(-time.Duration(i) * time.Second)
		handSign(t, r, longTerm.AccessKeyID+"/20260115/us-east-1/execute-api/aws4_request", longTerm.SecretAccessKey, at, "host;x-amz-date")
		reqs = append(reqs, r)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				if _, err := v.Verify(context.Background(), reqs[(g+i)%len(reqs)]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
