package authorizer

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
)

const (
	testIssuerURL = "http://127.0.0.1:9229"
	poolA         = "us-east-1_AbC123xyz"
	poolB         = "us-east-1_ZyX987cba"
	clientA       = "1example23456789abcdefghij" // an app client of pool A
	clientB       = "2example23456789abcdefghij" // an app client of pool B
)

// clock is an injected clock that tests move by hand; the issuer and the authorizer share it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a real token.Issuer over a real SQLite store holding two pools, A and B, with one
// app client each.
type env struct {
	st     *sqlstore.Store
	master *masterkey.Key
	iss    *token.Issuer
	clock  *clock
}

// openStore opens a SQLite store in a temp dir (closed with the test) and a master key.
func openStore(t testing.TB) (*sqlstore.Store, *masterkey.Key) {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	master, err := masterkey.New(bytes.Repeat([]byte{7}, masterkey.Size))
	if err != nil {
		t.Fatal(err)
	}
	return st, master
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	st, master := openStore(t)
	e := &env{st: st, master: master, clock: &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}}
	e.iss = e.issuer(t)
	for _, pc := range [][2]string{{poolA, clientA}, {poolB, clientB}} {
		now := e.clock.Now()
		if err := st.CreateUserPool(ctx, store.UserPool{ID: pc[0], Name: "pool " + pc[0], CreatedAt: now, UpdatedAt: now, Spec: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateClient(ctx, store.Client{PoolID: pc[0], ID: pc[1], Name: "app", CreatedAt: now, UpdatedAt: now, Spec: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
		if err := e.iss.EnsureKeys(ctx, pc[0]); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// issuer returns another Issuer on the same store and clock: another Gatehouse node.
func (e *env) issuer(t testing.TB) *token.Issuer {
	t.Helper()
	iss, err := token.NewIssuer(token.Config{Keys: e.st, Master: e.master, IssuerURL: testIssuerURL, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

// storeClients is the ClientLookup over the store, as cmd/gatehouse wires it.
type storeClients struct{ st store.Clients }

func (s storeClients) ClientExists(ctx context.Context, poolID, clientID string) (bool, error) {
	_, err := s.st.GetClient(ctx, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// countingVerifier is the real issuer, counting the verifications that reach it.
type countingVerifier struct {
	v     Verifier
	calls atomic.Int64
}

func (c *countingVerifier) Verify(ctx context.Context, raw string, want token.VerifyOptions) (token.Claims, error) {
	c.calls.Add(1)
	return c.v.Verify(ctx, raw, want)
}

// authz is a Cognito under test with its verification counter.
type authz struct {
	*Cognito
	verifier *countingVerifier
}

// cognito builds an authorizer over e accepting pool A's ID tokens, with a 5-minute result
// TTL; mod changes the config first.
func (e *env) cognito(t testing.TB, mod func(*CognitoConfig)) authz {
	t.Helper()
	cv := &countingVerifier{v: e.iss}
	cfg := CognitoConfig{
		Name:      "test",
		PoolIDs:   []string{poolA},
		Verifier:  cv,
		Clients:   storeClients{e.st},
		Now:       e.clock.Now,
		ResultTTL: 5 * time.Minute,
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := NewCognito(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return authz{c, cv}
}

// idClaims and accessClaims are claim sets shaped like Cognito's
// (developer guide: amazon-cognito-user-pools-using-the-id-token / -access-token).
func (e *env) idClaims(poolID, client string) map[string]any {
	now := e.clock.Now()
	return map[string]any{
		"sub":              "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"email_verified":   true,
		"iss":              e.iss.IssuerFor(poolID),
		"cognito:username": "janedoe",
		"cognito:groups":   []string{"admins", "editors"},
		"origin_jti":       "11111111-2222-3333-4444-555555555555",
		"aud":              client,
		"event_id":         "66666666-7777-8888-9999-000000000000",
		"token_use":        token.UseID,
		"auth_time":        now.Unix(),
		"exp":              now.Add(time.Hour).Unix(),
		"iat":              now.Unix(),
		"jti":              "abcdefab-cdef-abcd-efab-cdefabcdefab",
		"email":            "janedoe@example.com",
	}
}

func (e *env) accessClaims(poolID, client, scope string) map[string]any {
	now := e.clock.Now()
	return map[string]any{
		"sub":            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"cognito:groups": []string{"admins"},
		"iss":            e.iss.IssuerFor(poolID),
		"client_id":      client,
		"origin_jti":     "11111111-2222-3333-4444-555555555555",
		"event_id":       "66666666-7777-8888-9999-000000000000",
		"token_use":      token.UseAccess,
		"scope":          scope,
		"auth_time":      now.Unix(),
		"exp":            now.Add(time.Hour).Unix(),
		"iat":            now.Unix(),
		"jti":            "bcdefabc-defa-bcde-fabc-defabcdefabc",
		"username":       "janedoe",
	}
}

func (e *env) sign(t testing.TB, poolID, use string, claims map[string]any) string {
	t.Helper()
	tok, err := e.iss.Sign(context.Background(), poolID, use, claims)
	if err != nil {
		t.Fatalf("Sign(%s, %s): %v", poolID, use, err)
	}
	return tok
}

// with returns a copy of c with the given changes; a nil value deletes the claim.
func with(c map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(c))
	for k, v := range c {
		out[k] = v
	}
	for j := 0; j+1 < len(kv); j += 2 {
		if kv[j+1] == nil {
			delete(out, kv[j].(string))
		} else {
			out[kv[j].(string)] = kv[j+1]
		}
	}
	return out
}

// publicKeyDER returns the PKIX public key of a pool's first signing key of use, as the
// JWKS publishes it: what an attacker has.
func (e *env) publicKeyDER(t testing.TB, poolID, use string) (kid string, der []byte) {
	t.Helper()
	keys, err := e.st.ListSigningKeys(context.Background(), poolID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.Use == use {
			return k.KID, k.Public
		}
	}
	t.Fatalf("pool %s has no %s key", poolID, use)
	return "", nil
}

func b64JSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// signRS256 signs claims with a key that is not the pool's, under the given kid.
func signRS256(t testing.TB, priv *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	input := b64JSON(t, map[string]any{"alg": "RS256", "kid": kid}) + "." + b64JSON(t, claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// request is a call carrying header Authorization: value.
func request(value string) *gateway.Request {
	return &gateway.Request{Method: "GET", Path: "/tasks", Headers: http.Header{"Authorization": {value}}}
}

// wantRefused checks that Authorize refused with 401 and the given message.
func wantRefused(t testing.TB, p *gateway.Principal, err error, message string) *gateway.Response {
	t.Helper()
	if p != nil {
		t.Fatalf("passed with principal %+v, want a refusal", p)
	}
	var resp *gateway.Response
	if !errors.As(err, &resp) {
		t.Fatalf("err = %v (%T), want a *gateway.Response", err, err)
	}
	if resp.Type != gateway.Unauthorized || resp.Status != http.StatusUnauthorized || resp.Message != message {
		t.Fatalf("refused with %s %d %q, want UNAUTHORIZED 401 %q (reason: %s)", resp.Type, resp.Status, resp.Message, message, resp.Reason)
	}
	if resp.Reason == "" {
		t.Fatal("refusal has no reason for the log")
	}
	return resp
}

// wantPassed checks that Authorize passed.
func wantPassed(t testing.TB, p *gateway.Principal, err error) *gateway.Principal {
	t.Helper()
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	if p == nil {
		t.Fatal("no principal and no error")
	}
	return p
}

// mustPass checks that the authorizer passes r and returns the principal.
func (a authz) mustPass(t testing.TB, r *gateway.Request) *gateway.Principal {
	t.Helper()
	p, err := a.Authorize(context.Background(), r)
	return wantPassed(t, p, err)
}
