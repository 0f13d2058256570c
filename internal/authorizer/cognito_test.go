package authorizer

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/token"
)

func TestValidIDTokenPasses(t *testing.T) {
	e := newEnv(t)
	a := e.cognito(t, nil)
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))

	p := a.mustPass(t, request(tok))
	if got := p.Claims["cognito:username"]; got != "janedoe" {
		t.Errorf("claims[cognito:username] = %v", got)
	}
	if got := p.Claims["aud"]; got != clientA {
		t.Errorf("claims[aud] = %v", got)
	}
	if got := token.Claims(p.Claims).Strings("cognito:groups"); !slices.Equal(got, []string{"admins", "editors"}) {
		t.Errorf("claims[cognito:groups] = %v", got)
	}
	if exp, ok := token.Claims(p.Claims).Time("exp"); !ok || !exp.Equal(e.clock.Now().Add(time.Hour).Truncate(time.Second)) {
		t.Errorf("claims[exp] = %v", p.Claims["exp"])
	}
	if p.Scopes != nil {
		t.Errorf("Scopes = %q on a method without scopes, want nil", p.Scopes)
	}
	if !strings.Contains(p.Reason, poolA) || !strings.Contains(p.Reason, clientA) {
		t.Errorf("Reason = %q, want the pool and the client", p.Reason)
	}
	if strings.Contains(p.Reason, tok) {
		t.Error("Reason holds the token")
	}
}

// TestBearerScheme: AWS's clients send "Bearer <token>" to Cognito-authorized REST APIs
// (see stripBearer); the bare token passes too.
func TestBearerScheme(t *testing.T) {
	e := newEnv(t)
	a := e.cognito(t, func(c *CognitoConfig) { c.ResultTTL = 0 })
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	for _, h := range []string{tok, "Bearer " + tok, "bearer " + tok, "BEARER " + tok} {
		a.mustPass(t, request(h))
	}
	for _, h := range []string{"Bearer", "Bearer ", "Bearer  " + tok, "Bearer\t" + tok, "Token " + tok, "Bearer Bearer " + tok} {
		p, err := a.Authorize(context.Background(), request(h))
		wantRefused(t, p, err, "Unauthorized")
	}
}

func TestForgedTokensRefused(t *testing.T) {
	e := newEnv(t)
	a := e.cognito(t, nil)
	ctx := context.Background()
	now := e.clock.Now()
	claims := e.idClaims(poolA, clientA)
	valid := e.sign(t, poolA, token.UseID, claims)
	parts := strings.Split(valid, ".")
	kid, pubDER := e.publicKeyDER(t, poolA, token.UseID)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	attacker, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	hs256 := func(secret []byte) string {
		input := b64JSON(t, map[string]any{"alg": "HS256", "kid": kid}) + "." + b64JSON(t, claims)
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	// The claims of the valid token, re-encoded with more privileges, under its signature.
	tampered := parts[0] + "." + b64JSON(t, with(claims, "cognito:groups", []string{"admins", "root"})) + "." + parts[2]

	cases := []struct {
		name, header string
	}{
		{"empty", ""},
		{"alg none", b64JSON(t, map[string]any{"alg": "none", "kid": kid}) + "." + parts[1] + "."},
		{"alg none with the real signature", b64JSON(t, map[string]any{"alg": "none", "kid": kid}) + "." + parts[1] + "." + parts[2]},
		{"HS256 keyed with the public key (DER)", hs256(pubDER)},
		{"HS256 keyed with the public key (PEM)", hs256(pubPEM)},
		{"unknown kid", signRS256(t, attacker, "not-a-kid-of-the-pool", claims)},
		{"real kid, attacker's key", signRS256(t, attacker, kid, claims)},
		{"iss of another issuer URL", signRS256(t, attacker, kid, with(claims, "iss", "https://cognito-idp.us-east-1.amazonaws.com/"+poolA))},
		{"iss not a string", signRS256(t, attacker, kid, with(claims, "iss", 42))},
		{"no iss", signRS256(t, attacker, kid, with(claims, "iss", nil))},
		{"token of a pool not in the config", e.sign(t, poolB, token.UseID, e.idClaims(poolB, clientB))},
		{"access token where an ID token is required", e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "aws.cognito.signin.user.admin"))},
		{"tampered payload", tampered},
		{"tampered header", b64JSON(t, map[string]any{"alg": "RS256", "kid": kid, "x": 1}) + "." + parts[1] + "." + parts[2]},
		{"signature of another token", strings.Join(strings.Split(e.sign(t, poolA, token.UseID, with(claims, "sub", "other")), ".")[:2], ".") + "." + parts[2]},
		{"8 KB of dots", strings.Repeat(".", 8<<10)},
		{"larger than MaxTokenSize", parts[0] + "." + strings.Repeat("A", token.MaxTokenSize) + "." + parts[2]},
		{"garbage base64", "eyJ!!!.@@@.###"},
		{"two dots", ".."},
		{"not a JWT", "Basic dXNlcjpwYXNzd29yZA=="},
		{"four parts", valid + ".x"},
		{"trailing space", valid + " "},
		{"unknown client", e.sign(t, poolA, token.UseID, e.idClaims(poolA, "3unknown3456789abcdefghij"))},
		{"client of another pool", e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientB))},
		{"two audiences", e.sign(t, poolA, token.UseID, with(claims, "aud", []string{clientA, clientB}))},
		{"no aud", e.sign(t, poolA, token.UseID, with(claims, "aud", nil))},
		{"no exp", e.sign(t, poolA, token.UseID, with(claims, "exp", nil))},
		{"nbf in the future", e.sign(t, poolA, token.UseID, with(claims, "nbf", now.Add(time.Minute).Unix()))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // and again, in case the first answer was cached
				p, err := a.Authorize(ctx, request(tc.header))
				resp := wantRefused(t, p, err, "Unauthorized")
				if tc.header != "" && len(tc.header) > 20 && strings.Contains(resp.Reason, tc.header) {
					t.Errorf("reason %q holds the token", resp.Reason)
				}
			}
		})
	}
	t.Run("missing header", func(t *testing.T) {
		p, err := a.Authorize(ctx, &gateway.Request{Headers: http.Header{"X-Other": {valid}}})
		wantRefused(t, p, err, "Unauthorized")
		p, err = a.Authorize(ctx, &gateway.Request{})
		wantRefused(t, p, err, "Unauthorized")
	})
	if got := a.Stats().Entries; got != 0 {
		t.Errorf("%d refusals cached, want none", got)
	}
	// And the genuine token still passes.
	a.mustPass(t, request(valid))
}

func TestExpiredToken(t *testing.T) {
	e := newEnv(t)
	a := e.cognito(t, nil)
	ctx := context.Background()
	expired := with(e.idClaims(poolA, clientA), "exp", e.clock.Now().Add(-time.Second).Unix())
	p, err := a.Authorize(ctx, request(e.sign(t, poolA, token.UseID, expired)))
	wantRefused(t, p, err, MessageTokenExpired)

	// A token expiring this second is expired: exp is the first second it is not valid.
	atNow := with(e.idClaims(poolA, clientA), "exp", e.clock.Now().Unix())
	p, err = a.Authorize(ctx, request(e.sign(t, poolA, token.UseID, atNow)))
	wantRefused(t, p, err, MessageTokenExpired)

	// An expired token of a pool the authorizer does not accept says nothing about its expiry.
	other := with(e.idClaims(poolB, clientB), "exp", e.clock.Now().Add(-time.Second).Unix())
	p, err = a.Authorize(ctx, request(e.sign(t, poolB, token.UseID, other)))
	wantRefused(t, p, err, "Unauthorized")

	// A forged expired token is not "expired": its signature fails first.
	attacker, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := e.publicKeyDER(t, poolA, token.UseID)
	p, err = a.Authorize(ctx, request(signRS256(t, attacker, kid, expired)))
	wantRefused(t, p, err, "Unauthorized")
}

func TestScopes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.Scopes = []string{"tasks/read", "tasks/write"} })

	tok := e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "openid tasks/write email"))
	p := a.mustPass(t, request(tok))
	if want := []string{"openid", "tasks/write", "email"}; !slices.Equal(p.Scopes, want) {
		t.Errorf("Scopes = %q, want %q", p.Scopes, want)
	}
	if p.Claims["client_id"] != clientA {
		t.Errorf("claims[client_id] = %v", p.Claims["client_id"])
	}

	refused := map[string]string{
		"none of the scopes":   e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "openid tasks/readonly aws.cognito.signin.user.admin")),
		"empty scope":          e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "")),
		"no scope claim":       e.sign(t, poolA, token.UseAccess, with(e.accessClaims(poolA, clientA, ""), "scope", nil)),
		"scope prefix only":    e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "tasks/rea")),
		"ID token":             e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA)),
		"unknown client":       e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, "3unknown3456789abcdefghij", "tasks/read")),
		"no client_id":         e.sign(t, poolA, token.UseAccess, with(e.accessClaims(poolA, clientA, "tasks/read"), "client_id", nil)),
		"access token of pool": e.sign(t, poolB, token.UseAccess, e.accessClaims(poolB, clientB, "tasks/read")),
	}
	for name, tok := range refused {
		p, err := a.Authorize(ctx, request(tok))
		if resp := wantRefused(t, p, err, "Unauthorized"); name == "none of the scopes" && !strings.Contains(resp.Reason, "scopes") {
			t.Errorf("%s: reason %q does not name the scopes", name, resp.Reason)
		}
	}
}

func TestSeveralPools(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.PoolIDs = []string{poolA, poolB} })
	a.mustPass(t, request(e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))))
	a.mustPass(t, request(e.sign(t, poolB, token.UseID, e.idClaims(poolB, clientB))))
	// A token of pool B naming pool A's client: the client must be of the token's pool.
	p, err := a.Authorize(ctx, request(e.sign(t, poolB, token.UseID, e.idClaims(poolB, clientA))))
	wantRefused(t, p, err, "Unauthorized")
}

func TestIdentitySourceHeader(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.IdentitySource = []string{"method.request.header.x-id-token"} })
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	a.mustPass(t, &gateway.Request{Headers: http.Header{"X-Id-Token": {tok}}})
	p, err := a.Authorize(ctx, request(tok)) // Authorization is not the identity source here
	wantRefused(t, p, err, "Unauthorized")
	// A repeated header counts with its last value, as in the proxy event's "headers".
	p, err = a.Authorize(ctx, &gateway.Request{Headers: http.Header{"X-Id-Token": {tok, "junk"}}})
	wantRefused(t, p, err, "Unauthorized")
	a.mustPass(t, &gateway.Request{Headers: http.Header{"X-Id-Token": {"junk", tok}}})
}

func TestValidationExpression(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// As the serverless package compiles identityValidationExpression: anchored.
	a := e.cognito(t, func(c *CognitoConfig) { c.ValidationExpression = regexp.MustCompile(`^(?:eyJ[A-Za-z0-9_.-]+)$`) })
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))

	for _, h := range []string{"Bearer " + tok, "junk", "eyJ junk"} {
		p, err := a.Authorize(ctx, request(h))
		wantRefused(t, p, err, "Unauthorized")
	}
	if n := a.verifier.calls.Load(); n != 0 {
		t.Fatalf("%d verifications of headers the expression refuses, want 0", n)
	}
	a.mustPass(t, request(tok))
	// The token is cached now; the expression still applies to the header that carries it.
	p, err := a.Authorize(ctx, request("Bearer "+tok))
	wantRefused(t, p, err, "Unauthorized")
	a.mustPass(t, request(tok))
	if n := a.verifier.calls.Load(); n != 1 {
		t.Errorf("%d verifications, want 1", n)
	}
}

func TestCacheHit(t *testing.T) {
	e := newEnv(t)
	a := e.cognito(t, nil)
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	first := a.mustPass(t, request(tok))
	first.Reason += "; changed by the caller" // the caller owns its copy
	for range 10 {
		p := a.mustPass(t, request("Bearer "+tok)) // same token, same entry
		if p.Claims["sub"] != first.Claims["sub"] || strings.Contains(p.Reason, "changed") {
			t.Fatalf("cached principal %+v", p)
		}
	}
	if n := a.verifier.calls.Load(); n != 1 {
		t.Errorf("%d verifications, want 1", n)
	}
	if s := a.Stats(); s.Hits != 10 || s.Misses != 1 || s.Entries != 1 {
		t.Errorf("Stats = %+v, want 10 hits, 1 miss, 1 entry", s)
	}
}

func TestCacheEntryNotUsedAfterExp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.ResultTTL = time.Hour })
	tok := e.sign(t, poolA, token.UseID, with(e.idClaims(poolA, clientA), "exp", e.clock.Now().Add(10*time.Minute).Unix()))
	a.mustPass(t, request(tok))
	e.clock.Advance(10*time.Minute - time.Second)
	a.mustPass(t, request(tok))
	if n := a.verifier.calls.Load(); n != 1 {
		t.Fatalf("%d verifications before exp, want 1", n)
	}
	e.clock.Advance(time.Second)
	p, err := a.Authorize(ctx, request(tok))
	wantRefused(t, p, err, MessageTokenExpired)
	if n := a.verifier.calls.Load(); n != 2 {
		t.Errorf("%d verifications, want the expired entry re-verified", n)
	}
}

// TestCacheResultTTL: within the result TTL a cached token passes without its client being
// looked up again; after it, the token is checked afresh, so a deleted client takes effect.
func TestCacheResultTTL(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.ResultTTL = 5 * time.Minute })
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	a.mustPass(t, request(tok))
	if err := e.st.DeleteClient(ctx, poolA, clientA); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(5*time.Minute - time.Second)
	a.mustPass(t, request(tok))
	e.clock.Advance(time.Second)
	p, err := a.Authorize(ctx, request(tok))
	wantRefused(t, p, err, "Unauthorized")

	// And a fresh authorizer refuses the deleted client's token at once.
	b := e.cognito(t, nil)
	p, err = b.Authorize(ctx, request(tok))
	wantRefused(t, p, err, "Unauthorized")
}

func TestCacheOff(t *testing.T) {
	e := newEnv(t)
	a := e.cognito(t, func(c *CognitoConfig) { c.ResultTTL = 0 })
	tok := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	for range 3 {
		a.mustPass(t, request(tok))
	}
	if n := a.verifier.calls.Load(); n != 3 {
		t.Errorf("%d verifications with the cache off, want 3", n)
	}
	if s := a.Stats(); s.Hits != 0 || s.Misses != 3 || s.Entries != 0 {
		t.Errorf("Stats = %+v", s)
	}
}

// TestKeyRotation: a key rotated in by another node sharing the store verifies at once (the
// issuer reloads the pool's keys on an unknown kid), and tokens of the retired key still do.
func TestKeyRotation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.ResultTTL = 0 })
	old := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	a.mustPass(t, request(old))

	node2 := e.issuer(t)
	if err := node2.Rotate(ctx, poolA, token.UseID); err != nil {
		t.Fatal(err)
	}
	fresh, err := node2.Sign(ctx, poolA, token.UseID, with(e.idClaims(poolA, clientA), "jti", "rotated"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Split(fresh, ".")[0] == strings.Split(old, ".")[0] {
		t.Fatal("rotation did not change the kid")
	}
	a.mustPass(t, request(fresh))
	a.mustPass(t, request(old))
}

// TestCacheBounded: the cache never holds more than CacheSize tokens, and tokens evicted
// from it still pass (verified again).
func TestCacheBounded(t *testing.T) {
	e := newEnv(t)
	const size = 8
	a := e.cognito(t, func(c *CognitoConfig) { c.CacheSize = size })
	var toks []string
	for i := range 5 * size {
		toks = append(toks, e.sign(t, poolA, token.UseID, with(e.idClaims(poolA, clientA), "jti", string(rune('a'+i)))))
	}
	for _, tok := range toks {
		a.mustPass(t, request(tok))
		if n := a.Stats().Entries; n > size {
			t.Fatalf("%d entries, more than %d", n, size)
		}
	}
	for _, tok := range toks {
		a.mustPass(t, request(tok))
	}
}

// TestCacheEvictsExpiredFirst: a full cache drops the entries past their time before live ones.
func TestCacheEvictsExpiredFirst(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	c := newTokenCache(64)
	key := func(i int) cacheKey { return cacheKey(sha256.Sum256([]byte{byte(i)})) }
	for i := range 64 {
		until := now.Add(time.Hour)
		if i%2 == 0 {
			until = now.Add(time.Minute)
		}
		c.put(key(i), &cacheEntry[gateway.Principal]{until: until}, now)
	}
	later := now.Add(2 * time.Minute)
	c.put(key(100), &cacheEntry[gateway.Principal]{until: later.Add(time.Hour)}, later)
	if n := c.len(); n != 33 {
		t.Fatalf("%d entries after eviction, want the 32 live ones and the new one", n)
	}
	for i := 1; i < 64; i += 2 {
		if _, ok := c.get(key(i), later); !ok {
			t.Errorf("live entry %d evicted", i)
		}
	}

	// With nothing expired, a full cache frees a sixteenth of itself.
	c = newTokenCache(64)
	for i := range 64 {
		c.put(key(i), &cacheEntry[gateway.Principal]{until: now.Add(time.Hour)}, now)
	}
	c.put(key(100), &cacheEntry[gateway.Principal]{until: now.Add(time.Hour)}, now)
	if n := c.len(); n != 64-4+1 {
		t.Errorf("%d entries, want %d", n, 64-4+1)
	}
	if _, ok := c.get(key(100), now); !ok {
		t.Error("the new entry is missing")
	}
}

// TestBrokenDependencies: a store failure is a plain error (500 AUTHORIZER_FAILURE), never a
// pass and never a 401 that would hide it.
func TestBrokenDependencies(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, nil)
	warm := e.sign(t, poolA, token.UseID, e.idClaims(poolA, clientA))
	a.mustPass(t, request(warm)) // the issuer caches pool A's keys
	tok := e.sign(t, poolA, token.UseID, with(e.idClaims(poolA, clientA), "jti", "other"))
	cold := e.issuer(t) // no keys cached
	coldAuth := e.cognito(t, func(c *CognitoConfig) { c.Verifier = cold })
	e.st.Close()

	p, err := a.Authorize(ctx, request(tok)) // verifies with cached keys; the client lookup fails
	wantBroken(t, p, err)
	p, err = coldAuth.Authorize(ctx, request(tok)) // the key lookup fails
	wantBroken(t, p, err)
	a.mustPass(t, request(warm)) // a cached token needs no store
}

func wantBroken(t *testing.T, p *gateway.Principal, err error) {
	t.Helper()
	var resp *gateway.Response
	switch {
	case p != nil:
		t.Fatalf("passed with a broken store: %+v", p)
	case err == nil:
		t.Fatal("no principal and no error")
	case errors.As(err, &resp):
		t.Fatalf("answered %s with a broken store, want a plain error: %v", resp.Type, err)
	}
}

func TestConcurrentAuthorize(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.cognito(t, func(c *CognitoConfig) { c.CacheSize = 4 }) // small: evictions race too
	var good []string
	for i := range 8 {
		good = append(good, e.sign(t, poolA, token.UseID, with(e.idClaims(poolA, clientA), "jti", string(rune('a'+i)))))
	}
	bad := e.sign(t, poolB, token.UseID, e.idClaims(poolB, clientB))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				p, err := a.Authorize(ctx, request(good[(g+i)%len(good)]))
				if err != nil || p == nil {
					t.Errorf("genuine token refused: %v", err)
					return
				}
				p.Reason = "mine" // callers may change their copy
				if p, err := a.Authorize(ctx, request(bad)); p != nil || err == nil {
					t.Error("foreign token passed")
					return
				}
				_ = a.Stats()
			}
		})
	}
	wg.Wait()
}

func TestNewCognitoRefuses(t *testing.T) {
	e := newEnv(t)
	base := func() CognitoConfig {
		return CognitoConfig{PoolIDs: []string{poolA}, Verifier: e.iss, Clients: storeClients{e.st}}
	}
	many := make([]string, MaxPools+1)
	for i := range many {
		many[i] = "us-east-1_pool" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	}
	cases := map[string]func(*CognitoConfig){
		"no verifier": func(c *CognitoConfig) { c.Verifier = nil },
		"no clients":  func(c *CognitoConfig) { c.Clients = nil },
		"no pools":    func(c *CognitoConfig) { c.PoolIDs = nil },
		"bad pool id": func(c *CognitoConfig) {
			c.PoolIDs = []string{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + poolA}
		},
		"too many pools":               func(c *CognitoConfig) { c.PoolIDs = many },
		"query string identity source": func(c *CognitoConfig) { c.IdentitySource = []string{"method.request.querystring.token"} },
		"two identity sources": func(c *CognitoConfig) {
			c.IdentitySource = []string{"method.request.header.A", "method.request.header.B"}
		},
		"context identity source":  func(c *CognitoConfig) { c.IdentitySource = []string{"context.authorizer.x"} },
		"header without a name":    func(c *CognitoConfig) { c.IdentitySource = []string{"method.request.header."} },
		"header name with a space": func(c *CognitoConfig) { c.IdentitySource = []string{"method.request.header.X Token"} },
		"bare header name":         func(c *CognitoConfig) { c.IdentitySource = []string{"Authorization"} },
		"empty scope":              func(c *CognitoConfig) { c.Scopes = []string{""} },
		"scope with a space":       func(c *CognitoConfig) { c.Scopes = []string{"tasks/read tasks/write"} },
		"negative TTL":             func(c *CognitoConfig) { c.ResultTTL = -time.Second },
		"negative cache size":      func(c *CognitoConfig) { c.CacheSize = -1 },
	}
	for name, mod := range cases {
		cfg := base()
		mod(&cfg)
		if _, err := NewCognito(cfg); err == nil {
			t.Errorf("%s: NewCognito accepted the config", name)
		}
	}
	cfg := base()
	cfg.PoolIDs = many[:MaxPools]
	if _, err := NewCognito(cfg); err != nil {
		t.Errorf("%d pools: %v", MaxPools, err)
	}
}

func TestPoolIDFromARN(t *testing.T) {
	good := map[string]string{
		"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz":           "us-east-1_AbC123xyz",
		"arn:aws:cognito-idp:eu-central-1:000000000000:userpool/eu-central-1_Z":             "eu-central-1_Z",
		"arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_abc":            "cn-north-1_abc",
		"arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Abc1": "us-gov-west-1_Abc1",
	}
	for arn, want := range good {
		if got, err := PoolIDFromARN(arn); err != nil || got != want {
			t.Errorf("PoolIDFromARN(%q) = %q, %v; want %q", arn, got, err, want)
		}
	}
	bad := []string{
		"",
		"us-east-1_AbC123xyz",
		"arn:aws:cognito-idp:us-east-1:123456789012:userpool/",
		"arn:aws:cognito-idp:us-east-1:123456789012:userpool/${stageVariables.MyUserPool}",
		"arn:aws:cognito-idp:us-east-1:123456789012:identitypool/us-east-1_AbC123xyz",
		"arn:aws:cognito-identity:us-east-1:123456789012:userpool/us-east-1_AbC123xyz",
		"arn:aws:cognito-idp:us-east-1:1234:userpool/us-east-1_AbC123xyz",
		"arn:aws:cognito-idp:us-east-1:12345678901a:userpool/us-east-1_AbC123xyz",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123xyz",
		"arn:aws:cognito-idp::123456789012:userpool/us-east-1_AbC123xyz",
		"arn:gcp:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz",
		"arn:awsx:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz",
		"arn:aws-:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz",
		"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz/extra",
		"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC 123",
		"ARN:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123xyz",
	}
	for _, arn := range bad {
		if got, err := PoolIDFromARN(arn); err == nil {
			t.Errorf("PoolIDFromARN(%q) = %q, want an error", arn, got)
		} else if !strings.Contains(err.Error(), "userpool/{poolId}") {
			t.Errorf("PoolIDFromARN(%q): error %q does not say what an ARN looks like", arn, err)
		}
	}
}

func TestNoneIsGatewayNone(t *testing.T) {
	var a gateway.Authorizer = None{}
	if p, err := a.Authorize(context.Background(), request("")); p != nil || err != nil {
		t.Errorf("None.Authorize = %v, %v", p, err)
	}
}
