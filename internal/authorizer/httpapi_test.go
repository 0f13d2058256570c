package authorizer

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/token"
)

func httpReq(header map[string]string, scopes ...string) *httpapi.Request {
	req := httptest.NewRequest("GET", "http://api.example/tasks/1?q=x", nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return &httpapi.Request{HTTP: req, RouteKey: "GET /tasks/{id}", RawPath: "/tasks/1", Method: "GET", Scopes: scopes,
		APIID: "abcdefghij", Region: "us-east-1", AccountID: "000000000000", RequestID: "r", Time: time.Now()}
}

func refusedWith(t *testing.T, err error, status int) {
	t.Helper()
	var ref *httpapi.Refusal
	if !errors.As(err, &ref) || ref.Status != status {
		t.Fatalf("error %v, want a %d refusal", err, status)
	}
}

// TestHTTPJWTLocalPool: an issuer in AWS's form resolves to the Gatehouse pool of that id; ID
// tokens pass on aud, access tokens on client_id; scopes are enforced; claims are strings.
func TestHTTPJWTLocalPool(t *testing.T) {
	e := newEnv(t)
	a, err := NewJWT(JWTConfig{Issuer: "https://cognito-idp.us-east-1.amazonaws.com/" + poolA, Audience: []string{clientA},
		Local: e.iss, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if a.PoolID() != poolA {
		t.Fatalf("pool %q", a.PoolID())
	}
	id := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	access := e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "tasks/read openid"))
	auth, err := a.Authorize(context.Background(), httpReq(map[string]string{"Authorization": id}))
	if err != nil {
		t.Fatal(err)
	}
	c := auth.JWT.Claims
	if c["cognito:groups"] != "[admins editors]" || c["email_verified"] != "true" || c["exp"] == "" || c["aud"] != clientA {
		t.Errorf("claims %v", c)
	}
	if _, err := a.Authorize(context.Background(), httpReq(map[string]string{"Authorization": "Bearer " + access}, "tasks/read")); err != nil {
		t.Errorf("access token with the scope: %v", err)
	}
	_, err = a.Authorize(context.Background(), httpReq(map[string]string{"Authorization": id}, "tasks/read"))
	refusedWith(t, err, 403)
	_, err = a.Authorize(context.Background(), httpReq(nil))
	refusedWith(t, err, 401)
	// A token of pool B, and one for another client, are refused.
	_, err = a.Authorize(context.Background(), httpReq(map[string]string{"Authorization": e.sign(t, poolB, token.UseID, e.idClaims(poolB, clientB))}))
	refusedWith(t, err, 401)
	_, err = a.Authorize(context.Background(), httpReq(map[string]string{"Authorization": e.sign(t, poolA, token.UseID, e.idClaims(poolA, "someone-else"))}))
	refusedWith(t, err, 401)
	// Expired, even after it was cached.
	e.clock.Advance(2 * time.Hour)
	_, err = a.Authorize(context.Background(), httpReq(map[string]string{"Authorization": id}))
	refusedWith(t, err, 401)

	if _, err := NewJWT(JWTConfig{Issuer: "https://example.com", Audience: []string{"a"}}); err == nil {
		t.Error("a remote issuer without a JWKS client was accepted")
	}
	if _, err := NewJWT(JWTConfig{Issuer: "https://example.com", Audience: nil, Remote: NewJWKSCache(nil, nil)}); err == nil {
		t.Error("no audience accepted")
	}
}

// oidc is an issuer under test: counts its fetches, can fail.
type oidc struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	hits atomic.Int64
	fail atomic.Bool
	huge atomic.Bool
}

func newOIDC(t *testing.T) *oidc {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	o := &oidc{key: key}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.hits.Add(1)
		if o.fail.Load() {
			http.Error(w, "down", 500)
			return
		}
		if r.URL.Path == "/.well-known/openid-configuration" {
			_ = json.NewEncoder(w).Encode(map[string]string{"jwks_uri": o.srv.URL + "/jwks"})
			return
		}
		if o.huge.Load() {
			_, _ = w.Write([]byte(`{"keys":[` + strings.Repeat(" ", 2<<20) + `]}`))
			return
		}
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *oidc) sign(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestHTTPJWTRemoteIssuer: tokens of another issuer through its JWKS; HMAC and unknown keys
// are refused; an unreachable or oversized JWKS is an error (500), never a pass; a made-up
// kid fetches again at most once a minute.
func TestHTTPJWTRemoteIssuer(t *testing.T) {
	o := newOIDC(t)
	clk := &clock{t: time.Now()}
	jwks := NewJWKSCache(nil, clk.Now)
	a, err := NewJWT(JWTConfig{Issuer: o.srv.URL, Audience: []string{"api"}, IdentitySource: "$request.querystring.token", Remote: jwks, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	now := clk.Now()
	good := map[string]any{"iss": o.srv.URL, "client_id": "api", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "scp": []string{"a", "b"}}
	call := func(tok string, scopes ...string) (*httpapi.Authorization, error) {
		r := httpReq(nil, scopes...)
		r.HTTP.URL.RawQuery = "token=" + tok
		return a.Authorize(context.Background(), r)
	}
	auth, err := call(o.sign(t, jose.RS256, o.key, "k1", good), "b")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(auth.JWT.Scopes, ",") != "a,b" {
		t.Errorf("scopes %v", auth.JWT.Scopes)
	}
	_, err = call(o.sign(t, jose.HS256, []byte(strings.Repeat("k", 32)), "k1", good))
	refusedWith(t, err, 401)
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	_, err = call(o.sign(t, jose.RS256, other, "k1", good))
	refusedWith(t, err, 401)
	hits := o.hits.Load()
	for range 5 {
		_, err = call(o.sign(t, jose.RS256, o.key, "made-up", good))
		refusedWith(t, err, 401)
	}
	if o.hits.Load() != hits {
		t.Errorf("made-up kids fetched the JWKS %d times within a minute", o.hits.Load()-hits)
	}
	clk.Advance(2 * time.Minute)
	_, _ = call(o.sign(t, jose.RS256, o.key, "made-up", good))
	if o.hits.Load() == hits {
		t.Error("an unknown kid did not refetch after a minute")
	}

	// A fresh cache against a failing or oversized issuer: errors, not passes.
	for name, set := range map[string]func(){"down": func() { o.fail.Store(true) }, "huge": func() { o.fail.Store(false); o.huge.Store(true) }} {
		set()
		b, _ := NewJWT(JWTConfig{Issuer: o.srv.URL, Audience: []string{"api"}, Remote: NewJWKSCache(nil, clk.Now), Now: clk.Now})
		r := httpReq(map[string]string{"Authorization": o.sign(t, jose.RS256, o.key, "k1", good)})
		_, err := b.Authorize(context.Background(), r)
		var ref *httpapi.Refusal
		if err == nil || errors.As(err, &ref) {
			t.Errorf("%s: %v, want an error", name, err)
		}
	}
}

type countingInvoker struct {
	calls  atomic.Int64
	answer func(event []byte) ([]byte, error)
}

func (c *countingInvoker) Invoke(_ context.Context, _ string, event []byte) ([]byte, error) {
	c.calls.Add(1)
	return c.answer(event)
}

func TestHTTPLambdaAuthorizer(t *testing.T) {
	simple := &countingInvoker{answer: func(ev []byte) ([]byte, error) {
		var e struct {
			IdentitySource []string `json:"identitySource"`
		}
		_ = json.Unmarshal(ev, &e)
		return json.Marshal(map[string]any{"isAuthorized": e.IdentitySource[0] == "ok", "context": map[string]any{"n": 1}})
	}}
	clk := &clock{t: time.Now()}
	a, err := NewHTTPLambda(HTTPLambdaConfig{Name: "s", Function: "f", PayloadVersion: "2.0", Simple: true,
		IdentitySource: []string{"$request.header.X-Key", "$context.routeKey"}, ResultTTL: time.Minute, Invoker: simple, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = a.Authorize(ctx, httpReq(nil))
	refusedWith(t, err, 401)
	if simple.calls.Load() != 0 {
		t.Error("invoked without an identity source")
	}
	auth, err := a.Authorize(ctx, httpReq(map[string]string{"X-Key": "ok"}))
	if err != nil || auth.Lambda["n"] == nil {
		t.Fatalf("%v %v", auth, err)
	}
	_, _ = a.Authorize(ctx, httpReq(map[string]string{"X-Key": "ok"}))
	if simple.calls.Load() != 1 {
		t.Errorf("cached answer invoked again: %d calls", simple.calls.Load())
	}
	_, err = a.Authorize(ctx, httpReq(map[string]string{"X-Key": "no"}))
	refusedWith(t, err, 403)
	clk.Advance(2 * time.Minute)
	_, _ = a.Authorize(ctx, httpReq(map[string]string{"X-Key": "ok"}))
	if simple.calls.Load() != 3 {
		t.Errorf("expired answer reused: %d calls", simple.calls.Load())
	}

	pol := &countingInvoker{answer: func(ev []byte) ([]byte, error) {
		var e struct {
			MethodARN string `json:"methodArn"`
		}
		_ = json.Unmarshal(ev, &e)
		return json.Marshal(map[string]any{"principalId": "p", "policyDocument": map[string]any{"Version": "2012-10-17",
			"Statement": []any{map[string]any{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:us-east-1:000000000000:abcdefghij/$default/GET/tasks/1"}}}})
	}}
	p, err := NewHTTPLambda(HTTPLambdaConfig{Name: "p", Function: "f", PayloadVersion: "1.0", IdentitySource: []string{"$request.querystring.q"}, Invoker: pol})
	if err != nil {
		t.Fatal(err)
	}
	if auth, err := p.Authorize(ctx, httpReq(nil)); err != nil || auth.PrincipalID != "p" {
		t.Errorf("policy allow: %v %v", auth, err)
	}
	r := httpReq(nil)
	r.RawPath = "/tasks/2"
	_, err = p.Authorize(ctx, r)
	refusedWith(t, err, 403)

	broken := &countingInvoker{answer: func([]byte) ([]byte, error) { return []byte(`{"nope":1}`), nil }}
	b, _ := NewHTTPLambda(HTTPLambdaConfig{Function: "f", PayloadVersion: "2.0", Simple: true, Invoker: broken})
	if _, err := b.Authorize(ctx, httpReq(nil)); err == nil || errors.As(err, new(*httpapi.Refusal)) {
		t.Errorf("malformed answer: %v", err)
	}
	thrown := &countingInvoker{answer: func([]byte) ([]byte, error) { return nil, &gateway.FunctionError{Type: "Unhandled"} }}
	b, _ = NewHTTPLambda(HTTPLambdaConfig{Function: "f", PayloadVersion: "2.0", Invoker: thrown})
	if _, err := b.Authorize(ctx, httpReq(nil)); err == nil || errors.As(err, new(*httpapi.Refusal)) {
		t.Errorf("function error: %v", err)
	}
	for _, cfg := range []HTTPLambdaConfig{
		{Function: "f", PayloadVersion: "1.0", Simple: true, Invoker: pol},
		{Function: "f", PayloadVersion: "3.0", Invoker: pol},
		{Function: "f", PayloadVersion: "2.0", ResultTTL: time.Second, Invoker: pol},
		{Function: "f", PayloadVersion: "2.0", IdentitySource: []string{"$stageVariables.x"}, Invoker: pol},
		{Function: "f", PayloadVersion: "2.0", IdentitySource: []string{"$context.identity.sourceIp"}, Invoker: pol},
	} {
		if _, err := NewHTTPLambda(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
