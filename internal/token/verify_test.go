package token

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func b64JSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b64(b)
}

// handJWS assembles a compact JWS from a header and payload, signed by sign (nil: no signature).
func handJWS(t testing.TB, header, payload any, sign func(input []byte) []byte) string {
	t.Helper()
	input := b64JSON(t, header) + "." + b64JSON(t, payload)
	sig := ""
	if sign != nil {
		sig = b64(sign([]byte(input)))
	}
	return input + "." + sig
}

func rsaSigner(t testing.TB, priv *rsa.PrivateKey, hash crypto.Hash) func([]byte) []byte {
	return func(input []byte) []byte {
		h := hash.New()
		h.Write(input)
		sig, err := rsa.SignPKCS1v15(rand.Reader, priv, hash, h.Sum(nil))
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

func hmacSigner(secret []byte) func([]byte) []byte {
	return func(input []byte) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write(input)
		return m.Sum(nil)
	}
}

// activeKeyOf reaches into the cache for the key that signs the pool's tokens of use.
func activeKeyOf(t testing.TB, iss *Issuer, poolID, use string) *key {
	t.Helper()
	k, err := iss.activeKey(context.Background(), poolID, use)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func kidOf(t testing.TB, tok string) string {
	t.Helper()
	jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	return jws.Signatures[0].Header.KeyID
}

func TestSignVerifyRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	idTok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now))
	accessTok := e.sign(t, poolA, UseAccess, accessClaims(e.iss, poolA, now))
	if kidOf(t, idTok) == kidOf(t, accessTok) {
		t.Error("ID and access tokens are signed with the same key; Cognito uses two")
	}

	tests := []struct {
		name string
		tok  string
		want VerifyOptions
	}{
		{"id, no expectations", idTok, VerifyOptions{}},
		{"id, all expectations", idTok, VerifyOptions{PoolID: poolA, Use: UseID, ClientID: clientA}},
		{"access, no expectations", accessTok, VerifyOptions{}},
		{"access, all expectations", accessTok, VerifyOptions{PoolID: poolA, Use: UseAccess, ClientID: clientA}},
		{"pool allowed", idTok, VerifyOptions{AllowPool: func(p string) bool { return p == poolA }}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := e.iss.Verify(ctx, tt.tok, tt.want)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got := c.String("cognito:username") + c.String("username"); got != "janedoe" {
				t.Errorf("username claim = %q", got)
			}
			if got, ok := c.Int64("exp"); !ok || got != now.Add(time.Hour).Unix() {
				t.Errorf("exp = %d, %v", got, ok)
			}
			if _, isNumber := c["exp"].(json.Number); !isNumber {
				t.Errorf("exp decoded as %T, want json.Number", c["exp"])
			}
			if got := c.Strings("cognito:groups"); strings.Join(got, ",") != "admins,editors" {
				t.Errorf("groups = %q", got)
			}
		})
	}

	// The header is Cognito's: exactly kid and alg.
	hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(idTok, ".")[0])
	var h map[string]any
	if err := json.Unmarshal(hdr, &h); err != nil || len(h) != 2 || h["alg"] != "RS256" || h["kid"] == "" {
		t.Errorf("header = %s, want exactly alg RS256 and kid", hdr)
	}
	if kid := kidOf(t, idTok); len(kid) != 44 {
		t.Errorf("kid %q has %d characters, want 44 like Cognito's", kid, len(kid))
	}
}

func TestVerifyRefuses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	id := idClaims(e.iss, poolA, now)
	access := accessClaims(e.iss, poolA, now)
	idTok := e.sign(t, poolA, UseID, id)
	accessTok := e.sign(t, poolA, UseAccess, access)
	otherPoolTok := e.sign(t, poolB, UseID, idClaims(e.iss, poolB, now))

	idKey := activeKeyOf(t, e.iss, poolA, UseID)
	accessKey := activeKeyOf(t, e.iss, poolA, UseAccess)
	poolBKey := activeKeyOf(t, e.iss, poolB, UseID)
	hdr := map[string]any{"kid": idKey.kid, "alg": "RS256"}

	// signWith signs claims with a cached key's own signer (bypassing Sign's checks).
	signWith := func(k *key, claims map[string]any) string {
		t.Helper()
		payload, _ := json.Marshal(claims)
		jws, err := k.signer.Sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := jws.CompactSerialize()
		return s
	}
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(idKey.pub)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	jwks, _ := e.iss.JWKS(ctx, poolA)

	parts := strings.Split(idTok, ".")
	tamperedPayload := parts[0] + "." + b64JSON(t, withClaims(id, "cognito:username", "admin")) + "." + parts[2]
	tamperedSig := parts[0] + "." + parts[1] + "." + b64([]byte(strings.Repeat("A", 256)))

	tests := []struct {
		name string
		tok  string
		want VerifyOptions
		err  error
	}{
		{"empty", "", VerifyOptions{}, ErrMalformed},
		{"garbage", "not a token", VerifyOptions{}, ErrMalformed},
		{"three empty parts", "..", VerifyOptions{}, ErrMalformed},
		{"8 KB of dots", strings.Repeat(".", 8<<10), VerifyOptions{}, ErrMalformed},
		{"8 KB header of dots", strings.Repeat(".", 8<<10) + idTok, VerifyOptions{}, ErrMalformed},
		{"over 16 KiB", idTok + strings.Repeat("A", MaxTokenSize), VerifyOptions{}, ErrMalformed},
		{"JWE-shaped", "a.b.c.d.e", VerifyOptions{}, ErrMalformed},
		{"JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, VerifyOptions{}, ErrMalformed},
		{"alg none", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "none"}, id, nil), VerifyOptions{}, ErrMalformed},
		{"alg None", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "None"}, id, nil), VerifyOptions{}, ErrMalformed},
		{"HS256 with PKIX DER as secret", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "HS256"}, id, hmacSigner(pubDER)), VerifyOptions{}, ErrMalformed},
		{"HS256 with PEM as secret", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "HS256"}, id, hmacSigner(pubPEM)), VerifyOptions{}, ErrMalformed},
		{"HS256 with JWKS as secret", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "HS256"}, id, hmacSigner(jwks)), VerifyOptions{}, ErrMalformed},
		{"RS512 by the right key", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "RS512"}, id, nil), VerifyOptions{}, ErrMalformed},
		{"PS256", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "PS256"}, id, nil), VerifyOptions{}, ErrMalformed},
		{"no kid", handJWS(t, map[string]any{"alg": "RS256"}, id, rsaSigner(t, stranger, crypto.SHA256)), VerifyOptions{}, ErrMalformed},
		{"unknown kid", handJWS(t, map[string]any{"kid": "bm90IGEga2V5IG9mIHRoaXMgcG9vbCBhdCBhbGwhISE=", "alg": "RS256"}, id, rsaSigner(t, stranger, crypto.SHA256)), VerifyOptions{}, ErrUnknownKey},
		{"known kid, stranger's key", handJWS(t, hdr, id, rsaSigner(t, stranger, crypto.SHA256)), VerifyOptions{}, ErrSignature},
		{"embedded jwk ignored", handJWS(t, map[string]any{"kid": idKey.kid, "alg": "RS256", "jwk": jose.JSONWebKey{Key: &stranger.PublicKey}}, id, rsaSigner(t, stranger, crypto.SHA256)), VerifyOptions{}, ErrSignature},
		{"tampered payload", tamperedPayload, VerifyOptions{}, ErrSignature},
		{"tampered signature", tamperedSig, VerifyOptions{}, ErrSignature},
		{"other pool's key, this pool's iss", signWith(poolBKey, id), VerifyOptions{}, ErrUnknownKey},
		{"this pool's key, other pool's iss", signWith(idKey, idClaims(e.iss, poolB, now)), VerifyOptions{}, ErrUnknownKey},
		{"other pool wanted", otherPoolTok, VerifyOptions{PoolID: poolA}, ErrIssuer},
		{"pool not allowed", otherPoolTok, VerifyOptions{AllowPool: func(p string) bool { return p == poolA }}, ErrIssuer},
		{"foreign issuer", signWith(idKey, withClaims(id, "iss", "https://cognito-idp.us-east-1.amazonaws.com/"+poolA)), VerifyOptions{}, ErrIssuer},
		{"issuer with extra path", signWith(idKey, withClaims(id, "iss", testIssuerURL+"/x/"+poolA)), VerifyOptions{}, ErrIssuer},
		{"no iss", signWith(idKey, withClaims(id, "iss", nil)), VerifyOptions{}, ErrIssuer},
		{"id token where access wanted", idTok, VerifyOptions{Use: UseAccess}, ErrTokenUse},
		{"access token where id wanted", accessTok, VerifyOptions{Use: UseID}, ErrTokenUse},
		{"access key claiming token_use id", signWith(accessKey, withClaims(id, "token_use", UseID)), VerifyOptions{}, ErrTokenUse},
		{"id key claiming token_use access", signWith(idKey, access), VerifyOptions{Use: UseAccess}, ErrTokenUse},
		{"no token_use", signWith(idKey, withClaims(id, "token_use", nil)), VerifyOptions{}, ErrTokenUse},
		{"id token for another client", idTok, VerifyOptions{ClientID: "another"}, ErrAudience},
		{"access token for another client", accessTok, VerifyOptions{ClientID: "another"}, ErrAudience},
		{"access token has no aud to match", signWith(accessKey, withClaims(access, "client_id", nil, "aud", clientA)), VerifyOptions{ClientID: clientA}, ErrAudience},
		{"no exp", signWith(idKey, withClaims(id, "exp", nil)), VerifyOptions{}, ErrMalformed},
		{"string exp", signWith(idKey, withClaims(id, "exp", "4102444800")), VerifyOptions{}, ErrMalformed},
		{"expired", signWith(idKey, withClaims(id, "exp", now.Add(-time.Second).Unix())), VerifyOptions{}, ErrExpired},
		{"expires this second", signWith(idKey, withClaims(id, "exp", now.Unix())), VerifyOptions{}, ErrExpired},
		{"nbf in the future", signWith(idKey, withClaims(id, "nbf", now.Add(time.Minute).Unix())), VerifyOptions{}, ErrNotYetValid},
		{"payload is an array", handJWS(t, hdr, []string{"a"}, rsaSigner(t, stranger, crypto.SHA256)), VerifyOptions{}, ErrMalformed},
		{"payload is null", handJWS(t, hdr, nil, rsaSigner(t, stranger, crypto.SHA256)), VerifyOptions{}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := e.iss.Verify(ctx, tt.tok, tt.want)
			if err == nil {
				t.Fatalf("Verify accepted it: %v", c)
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("Verify error = %v, want %v", err, tt.err)
			}
			if errors.Is(tt.err, ErrExpired) == isInvalid(err) {
				t.Errorf("error %v: expired errors must not be ErrInvalid and every other must", err)
			}
			if c != nil {
				t.Error("claims returned with an error")
			}
		})
	}
}

func TestVerifyExpiryUsesInjectedClock(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	now := e.clock.Now()
	tok := e.sign(t, poolA, UseAccess, withClaims(accessClaims(e.iss, poolA, now), "exp", now.Add(5*time.Minute).Unix()))

	e.clock.Advance(5*time.Minute - time.Nanosecond)
	if _, err := e.iss.Verify(ctx, tok, VerifyOptions{}); err != nil {
		t.Fatalf("a nanosecond before exp: %v", err)
	}
	e.clock.Advance(time.Nanosecond)
	_, err := e.iss.Verify(ctx, tok, VerifyOptions{})
	var exp *ExpiredError
	if !errors.As(err, &exp) {
		t.Fatalf("at exp: %v, want *ExpiredError", err)
	}
	if exp.Expiry.Unix() != now.Add(5*time.Minute).Unix() || !exp.Now.Equal(e.clock.Now()) {
		t.Errorf("ExpiredError = %+v", exp)
	}
	if want := "token: token expired: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q", err.Error())
	}
}

func TestVerifyStoreFailureIsNotAVerdict(t *testing.T) {
	e := newEnv(t)
	tok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, e.clock.Now()))
	boom := errors.New("database is down")
	e.keys.setFail(boom)

	// A fresh instance has no cache: the failure must surface as an internal error.
	fresh := e.issuer(t, testMaster(t, 1))
	_, err := fresh.Verify(context.Background(), tok, VerifyOptions{})
	if !errors.Is(err, boom) || isInvalid(err) || errors.Is(err, ErrExpired) {
		t.Fatalf("Verify with a failing store: %v, want the store error and no verdict", err)
	}

	// The instance with cached keys keeps verifying when a refresh fails.
	e.clock.Advance(2 * cacheTTL)
	if _, err := e.iss.Verify(context.Background(), tok, VerifyOptions{}); err != nil {
		t.Fatalf("Verify from cache while the store fails: %v", err)
	}
}

func TestForgetAfterPoolDeletion(t *testing.T) {
	e := newEnv(t)
	tok := e.sign(t, poolA, UseID, idClaims(e.iss, poolA, e.clock.Now()))
	e.keys.deletePool(poolA)
	e.iss.Forget(poolA)
	if _, err := e.iss.Verify(context.Background(), tok, VerifyOptions{}); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("token of a deleted pool: %v, want ErrUnknownKey", err)
	}
}

func TestClaimsHelpers(t *testing.T) {
	c := Claims{
		"s":     "x",
		"n":     json.Number("1700000000"),
		"nf":    json.Number("1.7e9"),
		"frac":  json.Number("1.5"),
		"big":   json.Number("1e30"),
		"f":     float64(42),
		"i":     7,
		"arr":   []any{"a", "b"},
		"mixed": []any{"a", 1},
	}
	if c.String("s") != "x" || c.String("n") != "" || c.String("missing") != "" {
		t.Error("String")
	}
	for name, want := range map[string]int64{"n": 1700000000, "nf": 1700000000, "f": 42, "i": 7} {
		if got, ok := c.Int64(name); !ok || got != want {
			t.Errorf("Int64(%s) = %d, %v", name, got, ok)
		}
	}
	for _, name := range []string{"frac", "big", "s", "missing"} {
		if _, ok := c.Int64(name); ok {
			t.Errorf("Int64(%s) ok", name)
		}
	}
	if tm, ok := c.Time("n"); !ok || tm.Unix() != 1700000000 {
		t.Error("Time")
	}
	if got := c.Strings("arr"); len(got) != 2 || got[1] != "b" {
		t.Errorf("Strings(arr) = %q", got)
	}
	if got := c.Strings("s"); len(got) != 1 || got[0] != "x" {
		t.Errorf("Strings(s) = %q", got)
	}
	if c.Strings("mixed") != nil || c.Strings("n") != nil {
		t.Error("Strings of non-strings")
	}
}

func FuzzVerify(f *testing.F) {
	e := newEnv(f)
	now := e.clock.Now()
	idTok := e.sign(f, poolA, UseID, idClaims(e.iss, poolA, now))
	f.Add(idTok)
	f.Add(e.sign(f, poolA, UseAccess, accessClaims(e.iss, poolA, now)))
	f.Add(idTok[:len(idTok)/2])
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("..")
	f.Add("")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := e.iss.Verify(ctx, raw, VerifyOptions{})
		if err != nil {
			if !isInvalid(err) && !errors.Is(err, ErrExpired) {
				t.Fatalf("error %v is neither ErrInvalid nor ErrExpired", err)
			}
			return
		}
		// Only a token this process signed can verify (each fuzz worker has its own keys).
		if c.String("iss") != e.iss.IssuerFor(poolA) {
			t.Fatalf("accepted a token with iss %q", c.String("iss"))
		}
	})
}
