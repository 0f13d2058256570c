package oauth_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// Hostile input: each case is refused with the RFC's error and nothing is issued.

// Open-redirect attempts: a redirect_uri that is not one of the client's callback URLs
// character for character is answered with a page, never a redirect (RFC 6749 §4.1.2.1).
func TestAuthorizeRedirectURIVariants(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	for _, tc := range []struct{ name, uri string }{
		{"other host", "http://evil.example.com/cb"},
		{"userinfo part", "http://localhost:8080@evil.example.com/cb"},
		{"userinfo before host", "http://evil@localhost:8080/cb"},
		{"scheme change", "https://localhost:8080/cb"},
		{"path suffix", "http://localhost:8080/cb/evil"},
		{"longer path", "http://localhost:8080/cbx"},
		{"dot segments", "http://localhost:8080/cb/../evil"},
		{"added query", "http://localhost:8080/cb?next=http://evil.example.com"},
		{"trailing slash", "http://localhost:8080/cb/"},
		{"case", "http://LOCALHOST:8080/cb"},
		{"other port", "http://localhost:8081/cb"},
		{"fragment", "http://localhost:8080/cb#x"},
		{"encoded", "http%3A%2F%2Flocalhost%3A8080%2Fcb"},
		{"javascript", "javascript:alert(1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/oauth2/authorize", "/login"} {
				q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {tc.uri}, "state": {"s"}}
				res := must(hc.Get(e.domain + path + "?" + q.Encode()))
				body := readBody(t, res)
				if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" || !strings.Contains(body, "redirect_mismatch") {
					t.Fatalf("%s: %d Location %q\n%s", path, res.StatusCode, res.Header.Get("Location"), body)
				}
			}
		})
	}
}

// authorizeErrors: once the redirect URI is trusted, errors go back to it with the state.
func TestAuthorizeErrorsRedirected(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	for _, tc := range []struct {
		name  string
		set   url.Values
		error string
	}{
		{"unsupported response_type", url.Values{"response_type": {"id_token"}}, "unsupported_response_type"},
		{"implicit not allowed", url.Values{"response_type": {"token"}}, "unauthorized_client"},
		{"scope not allowed", url.Values{"scope": {"openid phone"}}, "invalid_scope"},
		{"unknown scope", url.Values{"scope": {"user_management_lambdas/admin"}}, "invalid_scope"},
		{"bad PKCE method", url.Values{"code_challenge": {strings.Repeat("a", 43)}, "code_challenge_method": {"S512"}}, "invalid_request"},
		{"short PKCE challenge", url.Values{"code_challenge": {"abc"}, "code_challenge_method": {"S256"}}, "invalid_request"},
		{"method without challenge", url.Values{"code_challenge_method": {"S256"}}, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}, "state": {"st"}}
			for k, v := range tc.set {
				q[k] = v
			}
			res := must(hc.Get(e.domain + "/oauth2/authorize?" + q.Encode()))
			readBody(t, res)
			loc := must(res.Location())
			params, sep := loc.Query(), "?"
			if q.Get("response_type") == "token" {
				// The implicit grant answers in the fragment (RFC 6749 §4.2.2.1).
				params, sep = must(url.ParseQuery(loc.Fragment)), "#"
			}
			if res.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), callback+sep) ||
				params.Get("error") != tc.error || params.Get("state") != "st" || params.Get("code") != "" {
				t.Fatalf("%d %s", res.StatusCode, loc)
			}
		})
	}
}

// code signs alice in for the web client with the given PKCE parameters and returns the code.
func (e *env) code(t *testing.T, challenge, method string) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}, "scope": {"openid"}}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", method)
	}
	back := e.signIn(t, e.browserClient(), e.domain+"/oauth2/authorize?"+q.Encode(), "alice", password, "")
	return back.Query().Get("code")
}

// exchange posts a code to the token endpoint as the web client and decodes the answer.
func (e *env) exchange(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	if form.Get("grant_type") == "" {
		form.Set("grant_type", "authorization_code")
	}
	if _, ok := form["redirect_uri"]; !ok {
		form.Set("redirect_uri", callback)
	}
	res := e.post(t, e.domain+"/oauth2/token", form, e.web.UserPoolClient.ClientId, e.web.UserPoolClient.ClientSecret)
	body := readBody(t, res)
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("token endpoint answered %d %q", res.StatusCode, body)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	return res.StatusCode, out
}

func wantTokenError(t *testing.T, status int, out map[string]any, wantStatus int, code string) {
	t.Helper()
	if status != wantStatus || out["error"] != code || out["access_token"] != nil || out["id_token"] != nil {
		t.Fatalf("want %d %s and no tokens, got %d %v", wantStatus, code, status, out)
	}
}

func TestTokenEndpointRefusals(t *testing.T) {
	e := newEnv(t)
	verifier := oauth2.GenerateVerifier()
	challenge := oauth2.S256ChallengeFromVerifier(verifier)
	for _, tc := range []struct {
		name     string
		codeWith [2]string // challenge, method of the authorization request
		form     func(code string) url.Values
		status   int
		error    string
	}{
		{"wrong verifier", [2]string{challenge, "S256"}, func(c string) url.Values {
			return url.Values{"code": {c}, "code_verifier": {oauth2.GenerateVerifier()}}
		}, 400, "invalid_grant"},
		{"no verifier", [2]string{challenge, "S256"}, func(c string) url.Values { return url.Values{"code": {c}} }, 400, "invalid_grant"},
		{"downgrade: the challenge as a plain verifier", [2]string{challenge, "S256"}, func(c string) url.Values {
			return url.Values{"code": {c}, "code_verifier": {challenge}}
		}, 400, "invalid_grant"},
		{"downgrade: verifier for a code without challenge", [2]string{}, func(c string) url.Values {
			return url.Values{"code": {c}, "code_verifier": {verifier}}
		}, 400, "invalid_grant"},
		{"plain verifier mismatch", [2]string{verifier, "plain"}, func(c string) url.Values {
			return url.Values{"code": {c}, "code_verifier": {verifier + "x"}}
		}, 400, "invalid_grant"},
		{"redirect_uri mismatch", [2]string{challenge, "S256"}, func(c string) url.Values {
			return url.Values{"code": {c}, "code_verifier": {verifier}, "redirect_uri": {"https://app.example.com/cb"}}
		}, 400, "invalid_grant"},
		{"redirect_uri missing", [2]string{challenge, "S256"}, func(c string) url.Values {
			return url.Values{"code": {c}, "code_verifier": {verifier}, "redirect_uri": {""}}
		}, 400, "invalid_grant"},
		{"unknown code", [2]string{}, func(string) url.Values { return url.Values{"code": {"not-a-code"}} }, 400, "invalid_grant"},
		{"oversized code", [2]string{}, func(string) url.Values { return url.Values{"code": {strings.Repeat("a", 10000)}} }, 400, "invalid_grant"},
		{"unsupported grant", [2]string{}, func(string) url.Values { return url.Values{"grant_type": {"password"}} }, 400, "unsupported_grant_type"},
		{"repeated parameter", [2]string{}, func(string) url.Values { return url.Values{"code": {"a", "b"}} }, 400, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := ""
			if tc.codeWith[0] != "" || strings.Contains(tc.name, "without challenge") {
				code = e.code(t, tc.codeWith[0], tc.codeWith[1])
			}
			status, out := e.exchange(t, tc.form(code))
			wantTokenError(t, status, out, tc.status, tc.error)
			if code != "" {
				// The refused attempt used the code up: the right request now fails too.
				status, out = e.exchange(t, url.Values{"code": {code}, "code_verifier": {verifier}})
				wantTokenError(t, status, out, 400, "invalid_grant")
			}
		})
	}

	t.Run("plain PKCE works", func(t *testing.T) {
		code := e.code(t, verifier, "plain")
		if status, out := e.exchange(t, url.Values{"code": {code}, "code_verifier": {verifier}}); status != 200 || out["access_token"] == nil {
			t.Fatalf("%d %v", status, out)
		}
	})
	t.Run("expired code", func(t *testing.T) {
		code := e.code(t, "", "")
		e.clock.Advance(5*time.Minute + time.Second)
		status, out := e.exchange(t, url.Values{"code": {code}})
		wantTokenError(t, status, out, 400, "invalid_grant")
	})
	t.Run("another client's code", func(t *testing.T) {
		code := e.code(t, "", "")
		res := e.post(t, e.domain+"/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback}},
			e.service.UserPoolClient.ClientId, e.service.UserPoolClient.ClientSecret)
		var out map[string]any
		_ = json.Unmarshal([]byte(readBody(t, res)), &out)
		wantTokenError(t, res.StatusCode, out, 400, "invalid_grant")
	})
	t.Run("wrong client secret", func(t *testing.T) {
		res := e.post(t, e.domain+"/oauth2/token", url.Values{"grant_type": {"client_credentials"}}, e.service.UserPoolClient.ClientId, "nope")
		var out map[string]any
		_ = json.Unmarshal([]byte(readBody(t, res)), &out)
		wantTokenError(t, res.StatusCode, out, 401, "invalid_client")
		if res.Header.Get("WWW-Authenticate") == "" {
			t.Fatal("no WWW-Authenticate on invalid_client with Basic")
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		status, out := e.exchange(t, url.Values{"code": {"x"}, "pad": {strings.Repeat("a", 70<<10)}})
		wantTokenError(t, status, out, 400, "invalid_request")
	})
}

// Code replay: the second use is refused and the tokens of the first are revoked (RFC 6749
// §4.1.2).
func TestCodeReplayRevokesTokens(t *testing.T) {
	e := newEnv(t)
	code := e.code(t, "", "")
	status, first := e.exchange(t, url.Values{"code": {code}})
	if status != 200 {
		t.Fatalf("first use: %d %v", status, first)
	}
	at, rt := first["access_token"].(string), first["refresh_token"].(string)
	userInfo := func() int {
		req := must(http.NewRequest("GET", e.domain+"/oauth2/userInfo", nil))
		req.Header.Set("Authorization", "Bearer "+at)
		res := must(e.browserClient().Do(req))
		readBody(t, res)
		return res.StatusCode
	}
	if s := userInfo(); s != 200 {
		t.Fatalf("userInfo before the replay: %d", s)
	}
	status, again := e.exchange(t, url.Values{"code": {code}})
	wantTokenError(t, status, again, 400, "invalid_grant")
	if s := userInfo(); s != 401 {
		t.Fatalf("userInfo after the replay: %d, want 401", s)
	}
	status, out := e.exchange(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	wantTokenError(t, status, out, 400, "invalid_grant")
}

// The login form without its CSRF token (or with another) is refused and issues nothing.
func TestLoginCSRF(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}}
	res := must(hc.Get(e.domain + "/login?" + q.Encode()))
	form := formFields(t, readBody(t, res))
	form.Set("username", "alice")
	form.Set("password", password)
	for _, tc := range []struct {
		name  string
		csrf  string
		fresh bool // a client without the cookie
	}{
		{"missing", "", false},
		{"other value", strings.Repeat("A", 43), false},
		{"no cookie", form.Get("_csrf"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tc.csrf == "" {
				f.Del("_csrf")
			} else {
				f.Set("_csrf", tc.csrf)
			}
			c := hc
			if tc.fresh {
				c = e.browserClient()
			}
			res := must(c.PostForm(e.domain+"/login", f))
			body := readBody(t, res)
			if res.StatusCode != http.StatusForbidden || res.Header.Get("Location") != "" || !strings.Contains(body, `role="alert"`) {
				t.Fatalf("%d Location %q\n%s", res.StatusCode, res.Header.Get("Location"), body)
			}
		})
	}
	// With the token, the same form signs in.
	res = must(hc.PostForm(e.domain+"/login", form))
	readBody(t, res)
	if loc, _ := res.Location(); res.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("with the CSRF token: %d", res.StatusCode)
	}
}

// Wrong passwords are told in the user's words, on the page, announced; unknown users get the
// same sentence.
func TestLoginErrorsInUserWords(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}}
	for _, user := range []string{"alice", "nobody"} {
		res := must(hc.Get(e.domain + "/login?" + q.Encode()))
		form := formFields(t, readBody(t, res))
		form.Set("username", user)
		form.Set("password", "wrong-password")
		res = must(hc.PostForm(e.domain+"/login", form))
		body := readBody(t, res)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "Incorrect username or password.") {
			t.Fatalf("%s: %d\n%s", user, res.StatusCode, body)
		}
	}
}

// Oversized authorization parameters get a page, not a redirect and not a 500.
func TestOversizedAuthorizeParams(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	for _, k := range []string{"state", "nonce", "scope", "redirect_uri", "client_id"} {
		q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}}
		q.Set(k, strings.Repeat("a", 5000))
		res := must(hc.Get(e.domain + "/oauth2/authorize?" + q.Encode()))
		readBody(t, res)
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
			t.Fatalf("%s: %d %q", k, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// A host that names no domain gets a 404 page on the hosted paths; the AWS endpoint's own
// paths are not affected.
func TestUnknownDomain(t *testing.T) {
	e := newEnv(t)
	res := must(e.browserClient().Get("http://nobody.localhost:" + e.port + "/login"))
	body := readBody(t, res)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "No user pool has the domain nobody.localhost") {
		t.Fatalf("%d\n%s", res.StatusCode, body)
	}
	res = must(e.browserClient().Get(e.url + "/" + e.poolID + "/.well-known/jwks.json"))
	readBody(t, res)
	if res.StatusCode != 200 {
		t.Fatalf("JWKS: %d", res.StatusCode)
	}
}
