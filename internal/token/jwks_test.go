package token

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// parseJWKS returns the keys of a JWKS document as generic maps.
func parseJWKS(t testing.TB, doc []byte) []map[string]any {
	t.Helper()
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatalf("JWKS %s: %v", doc, err)
	}
	return set.Keys
}

func get(t testing.TB, h http.Handler, path string) (*http.Response, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

func poolsExist(ids ...string) func(context.Context, string) (bool, error) {
	return func(_ context.Context, id string) (bool, error) { return slices.Contains(ids, id), nil }
}

// The served JWKS verifies tokens through an independent path: go-jose's own JWT parser and
// JSONWebKeySet, as a third-party verifier would use it.
func TestJWKSVerifiesIndependently(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now()
	tokens := []string{
		e.sign(t, poolA, UseID, idClaims(e.iss, poolA, now)),
		e.sign(t, poolA, UseAccess, accessClaims(e.iss, poolA, now)),
	}
	res, body := get(t, e.iss.Handler(poolsExist(poolA)), "/"+poolA+"/.well-known/jwks.json")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}

	keys := parseJWKS(t, body)
	if len(keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2", len(keys))
	}
	for _, k := range keys {
		var members []string
		for m := range k {
			members = append(members, m)
		}
		slices.Sort(members)
		if !slices.Equal(members, []string{"alg", "e", "kid", "kty", "n", "use"}) {
			t.Errorf("JWK members %v, want Cognito's alg e kid kty n use", members)
		}
		if k["alg"] != "RS256" || k["e"] != "AQAB" || k["kty"] != "RSA" || k["use"] != "sig" {
			t.Errorf("JWK %v", k)
		}
	}

	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	for _, tok := range tokens {
		parsed, err := jwt.ParseSigned(tok, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		found := set.Key(parsed.Headers[0].KeyID)
		if len(found) != 1 {
			t.Fatalf("kid %q is %d times in the JWKS", parsed.Headers[0].KeyID, len(found))
		}
		var std jwt.Claims
		var all map[string]any
		if err := parsed.Claims(found[0].Key, &std, &all); err != nil {
			t.Fatalf("go-jose does not verify the token with the served key: %v", err)
		}
		if err := std.Validate(jwt.Expected{Issuer: e.iss.IssuerFor(poolA), Time: now}); err != nil {
			t.Errorf("go-jose claim validation: %v", err)
		}
		if all["token_use"] == "id" && !std.Audience.Contains(clientA) {
			t.Errorf("ID token aud %v", std.Audience)
		}
	}
}

func TestJWKSOfPoolWithoutKeys(t *testing.T) {
	e := newEnv(t)
	b, err := e.iss.JWKS(context.Background(), poolA)
	if err != nil || string(b) != `{"keys":[]}` {
		t.Fatalf("JWKS = %s, %v", b, err)
	}
	if rows, _ := e.keys.ListSigningKeys(context.Background(), poolA); len(rows) != 0 {
		t.Error("JWKS created keys")
	}
}

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	res, body := get(t, e.iss.Handler(poolsExist(poolA)), "/"+poolA+"/.well-known/openid-configuration")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	iss := testIssuerURL + "/" + poolA
	// Only what exists: no OAuth endpoint (none is served yet), so no client follows a link
	// to a 404.
	want := map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + "/.well-known/jwks.json",
		"subject_types_supported":               []any{"public"},
		"id_token_signing_alg_values_supported": []any{"RS256"},
	}
	for k, v := range want {
		got, _ := json.Marshal(doc[k])
		exp, _ := json.Marshal(v)
		if string(got) != string(exp) {
			t.Errorf("%s = %s, want %s", k, got, exp)
		}
	}
	if len(doc) != len(want) {
		t.Errorf("discovery has %d members, want %d: %s", len(doc), len(want), body)
	}
	// Every URL it names answers.
	res, _ = get(t, e.iss.Handler(poolsExist(poolA)), "/"+poolA+"/.well-known/jwks.json")
	if res.StatusCode != http.StatusOK {
		t.Errorf("jwks_uri answers %d", res.StatusCode)
	}
}

func TestHandlerErrors(t *testing.T) {
	e := newEnv(t)
	failing := func(context.Context, string) (bool, error) { return false, errors.New("db down") }
	tests := []struct {
		name   string
		h      http.Handler
		method string
		path   string
		status int
		body   string
	}{
		{"unknown pool jwks", e.iss.Handler(poolsExist(poolA)), "GET", "/" + poolB + "/.well-known/jwks.json", 404, `{"message":"User pool ` + poolB + ` does not exist."}`},
		{"unknown pool discovery", e.iss.Handler(poolsExist(poolA)), "GET", "/" + poolB + "/.well-known/openid-configuration", 404, `{"message":"User pool ` + poolB + ` does not exist."}`},
		{"invalid pool id is escaped", e.iss.Handler(poolsExist(poolA)), "GET", "/%3Cscript%3E/.well-known/jwks.json", 404, `{"message":"User pool \u003cscript\u003e does not exist."}`},
		{"poolExists fails", e.iss.Handler(failing), "GET", "/" + poolA + "/.well-known/jwks.json", 500, `{"message":"Internal server error"}`},
		{"POST", e.iss.Handler(poolsExist(poolA)), "POST", "/" + poolA + "/.well-known/jwks.json", 405, ""},
		{"other path", e.iss.Handler(poolsExist(poolA)), "GET", "/" + poolA + "/.well-known/other", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if tt.body != "" {
				if got := rec.Body.String(); got != tt.body {
					t.Errorf("body %s, want %s", got, tt.body)
				}
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			}
		})
	}
}
