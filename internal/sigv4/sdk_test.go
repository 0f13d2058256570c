package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Requests signed by aws-sdk-go-v2's signer go over real HTTP to a server that verifies them
// from the wire (RequestFromHTTP), so the paths and queries are what a Go client sends.

var (
	sdkSignedAt = time.Date(2026, 1, 15, 10, 15, 0, 0, time.UTC)
	longTerm    = aws.Credentials{AccessKeyID: "AKIAGATEHOUSE0000001", SecretAccessKey: "sEcReT/K7MDENG+bPxRfiCYEXAMPLEKEY0000001"}
	temporary   = aws.Credentials{AccessKeyID: "ASIAGATEHOUSE0000002", SecretAccessKey: "tEmP/K7MDENG+bPxRfiCYEXAMPLEKEY00000002",
		SessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes=="}
)

func sdkCredentials() *memCredentials {
	return newCreds(
		longTerm.AccessKeyID, Secret{SecretAccessKey: longTerm.SecretAccessKey},
		temporary.AccessKeyID, Secret{SecretAccessKey: temporary.SecretAccessKey, SessionToken: temporary.SessionToken},
	)
}

type verified struct {
	res *Result
	err error
	req *Request
}

// sdkEnv is a verifying server with a settable clock.
type sdkEnv struct {
	srv   *httptest.Server
	now   atomic.Pointer[time.Time]
	v     *Verifier
	creds *memCredentials
	got   chan verified
}

func newSDKEnv(t *testing.T, region string) *sdkEnv {
	t.Helper()
	e := &sdkEnv{creds: sdkCredentials(), got: make(chan verified, 1)}
	e.setNow(sdkSignedAt.Add(2 * time.Minute))
	e.v = newVerifier(t, Config{
		Service: "execute-api", Region: region, Credentials: e.creds,
		Now: func() time.Time { return *e.now.Load() },
	})
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
		}
		req := RequestFromHTTP(r, body)
		res, err := e.v.Verify(r.Context(), req)
		e.got <- verified{res, err, req}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *sdkEnv) setNow(t time.Time) { e.now.Store(&t) }

// send sends r and returns what the server's Verify said.
func (e *sdkEnv) send(t *testing.T, r *http.Request) verified {
	t.Helper()
	resp, err := e.srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return <-e.got
}

type sdkCase struct {
	name     string
	method   string
	path     string // URL.Path, unescaped
	rawPath  string // URL.RawPath, when the escaping matters
	rawQuery string
	header   http.Header
	body     string
	creds    aws.Credentials
	payload  string // payload hash to sign, default the body's
}

func (c sdkCase) request(t *testing.T, base string) *http.Request {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path, u.RawPath, u.RawQuery = c.path, c.rawPath, c.rawQuery
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	r, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range c.header {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return r
}

func (c sdkCase) payloadHash() string {
	if c.payload != "" {
		return c.payload
	}
	sum := sha256.Sum256([]byte(c.body))
	return hex.EncodeToString(sum[:])
}

func (c sdkCase) credentials() aws.Credentials {
	if c.creds.AccessKeyID == "" {
		return longTerm
	}
	return c.creds
}

var sdkCases = []sdkCase{
	{name: "vanilla", path: "/dev/pets"},
	{name: "empty path", path: ""},
	{name: "root", path: "/"},
	{name: "space", path: "/dev/pets/a b"},
	{name: "unicode", path: "/dev/café/ሴ/日本語"},
	{name: "encoded slash", path: "/dev/files/a/b c", rawPath: "/dev/files/a%2Fb%20c"},
	{name: "encoded percent", path: "/dev/100%/x", rawPath: "/dev/100%25/x"},
	{name: "sub-delims", path: "/dev/a+b=c@d:e,f;g!h*i'j(k)$&"},
	{name: "dot segments", path: "/dev/./a/../b//c/"},
	{name: "trailing slash", path: "/dev/pets/"},
	{name: "query", path: "/dev/pets",
		rawQuery: "b=2&a=1&a=0&a=10&c=x%20y&d=%2B&e=&flag&f=it%27s+fine&%E2%9C%93=%C3%A9&sp=%20lead&slash=a%2Fb&tilde=~"},
	{name: "query repeated keys unsorted values", path: "/dev/search", rawQuery: "q=z&q=a&q=M&Q=1&q=%41"},
	{name: "query special chars", path: "/dev/search", rawQuery: "k%20ey=v%26al&x=%3D%3F%23&y=*%27()!&z=%7E%25"},
	{name: "multiple header values", path: "/dev/pets", header: http.Header{
		"X-Custom":  {"a", "b   c", "  d  "},
		"X-Another": {"one  two   three"},
		"Accept":    {"application/json"},
	}},
	{name: "session token", path: "/dev/pets", creds: temporary},
	{name: "post json", method: http.MethodPost, path: "/dev/pets", body: `{"name":"Rex","tags":["a","b"]}`,
		header: http.Header{"Content-Type": {"application/json"}}},
	{name: "put body session token", method: http.MethodPut, path: "/dev/pets/1", body: "x=1&y=2", creds: temporary,
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}},
	{name: "delete", method: http.MethodDelete, path: "/dev/pets/1", rawQuery: "force=true"},
	{name: "large body", method: http.MethodPost, path: "/dev/upload", body: strings.Repeat("0123456789abcdef", 1<<16)},
	{name: "signed content sha256", method: http.MethodPost, path: "/dev/pets", body: "hello",
		header: http.Header{"X-Amz-Content-Sha256": {"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}}},
	{name: "unsigned payload", method: http.MethodPost, path: "/dev/pets", body: "anything", payload: "UNSIGNED-PAYLOAD",
		header: http.Header{"X-Amz-Content-Sha256": {"UNSIGNED-PAYLOAD"}}},
}

func TestSDKSignHTTP(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	signer := v4.NewSigner()
	for _, c := range sdkCases {
		t.Run(c.name, func(t *testing.T) {
			r := c.request(t, e.srv.URL)
			creds := c.credentials()
			if err := signer.SignHTTP(context.Background(), creds, r, c.payloadHash(), "execute-api", "us-east-1", sdkSignedAt); err != nil {
				t.Fatal(err)
			}
			got := e.send(t, r)
			if got.err != nil {
				t.Fatalf("refused: %v\nwire path %q query %q", got.err, got.req.Path, got.req.RawQuery)
			}
			res := got.res
			if res.AccessKeyID != creds.AccessKeyID || res.Region != "us-east-1" || res.Service != "execute-api" ||
				res.SessionToken != creds.SessionToken || !res.SignedAt.Equal(sdkSignedAt) || res.Presigned {
				t.Errorf("result %+v", res)
			}
			if res.UnsignedPayload != (c.payload == "UNSIGNED-PAYLOAD") {
				t.Errorf("UnsignedPayload = %v", res.UnsignedPayload)
			}
			if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders="+strings.Join(res.SignedHeaders, ";")+",") {
				t.Errorf("SignedHeaders %v, header %s", res.SignedHeaders, r.Header.Get("Authorization"))
			}
		})
	}
}

func TestSDKPresignHTTP(t *testing.T) {
	e := newSDKEnv(t, "us-east-1")
	signer := v4.NewSigner()
	cases := append(sdkCases[:0:0], sdkCases...)
	cases = append(cases,
		sdkCase{name: "expires", path: "/dev/socket", rawQuery: "X-Amz-Expires=3600&room=lobby"},
		sdkCase{name: "expires session token", path: "/dev/socket", rawQuery: "X-Amz-Expires=300", creds: temporary},
		sdkCase{name: "hoisted amz header", path: "/dev/pets", header: http.Header{"X-Amz-Meta-Color": {"blue"}}},
	)
	for _, c := range cases {
		if c.body != "" || c.payload != "" {
			continue // a presigned URL is for a request without a body here
		}
		t.Run(c.name, func(t *testing.T) {
			r := c.request(t, e.srv.URL)
			creds := c.credentials()
			signed, headers, err := signer.PresignHTTP(context.Background(), creds, r, emptySHA256, "execute-api", "us-east-1", sdkSignedAt)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := http.NewRequest(r.Method, signed, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range headers {
				if k != "Host" {
					pr.Header[k] = vs
				}
			}
			got := e.send(t, pr)
			if got.err != nil {
				t.Fatalf("refused: %v\nurl %s", got.err, signed)
			}
			if !got.res.Presigned || got.res.AccessKeyID != creds.AccessKeyID || got.res.SessionToken != creds.SessionToken {
				t.Errorf("result %+v", got.res)
			}
		})
	}
}

// TestSDKAnyRegion: with Config.Region empty, any region verifies and is reported.
func TestSDKAnyRegion(t *testing.T) {
	e := newSDKEnv(t, "")
	for _, region := range []string{"us-east-1", "eu-west-3", "ap-southeast-2"} {
		r := sdkCase{path: "/dev/pets"}.request(t, e.srv.URL)
		if err := v4.NewSigner().SignHTTP(context.Background(), longTerm, r, emptySHA256, "execute-api", region, sdkSignedAt); err != nil {
			t.Fatal(err)
		}
		got := e.send(t, r)
		if got.err != nil || got.res.Region != region {
			t.Errorf("%s: %+v %v", region, got.res, got.err)
		}
	}
}

// signedSDK returns a request to e signed by the SDK at sdkSignedAt, and its body.
func signedSDK(t *testing.T, e *sdkEnv, c sdkCase) *http.Request {
	t.Helper()
	r := c.request(t, e.srv.URL)
	if err := v4.NewSigner().SignHTTP(context.Background(), c.credentials(), r, c.payloadHash(), "execute-api", "us-east-1", sdkSignedAt); err != nil {
		t.Fatal(err)
	}
	if c.body != "" {
		r.Body = io.NopCloser(bytes.NewReader([]byte(c.body)))
	}
	return r
}

// signWith signs r for execute-api in us-east-1 at sdkSignedAt, without a body.
func signWith(t *testing.T, r *http.Request, creds aws.Credentials) {
	t.Helper()
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, emptySHA256, "execute-api", "us-east-1", sdkSignedAt); err != nil {
		t.Fatal(err)
	}
}

// signerPresign presigns r with the long-term key.
func signerPresign(r *http.Request) (string, http.Header, error) {
	return v4.NewSigner().PresignHTTP(context.Background(), longTerm, r, emptySHA256, "execute-api", "us-east-1", sdkSignedAt)
}
