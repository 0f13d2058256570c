package oauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkClientCredentials measures client_credentials tokens per second over HTTP: Basic
// client authentication, the scope checks, one RS256 signature. docs/benchmarks.md records it.
func BenchmarkClientCredentials(b *testing.B) {
	e := newEnv(b)
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"user_management_lambdas/api"}}.Encode()
	id, secret := e.service.UserPoolClient.ClientId, e.service.UserPoolClient.ClientSecret
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		hc := &http.Client{Transport: localhostTransport()}
		for pb.Next() {
			req, _ := http.NewRequest("POST", e.domain+"/oauth2/token", strings.NewReader(form))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(id, secret)
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			readBody(b, res)
			if res.StatusCode != http.StatusOK {
				b.Fatalf("status %d", res.StatusCode)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkCodeFlowLogin measures the server's time for one whole code-flow login: the
// authorization request, the login page, the password check (argon2id), the code, and the
// code exchange with PKCE.
func BenchmarkCodeFlowLogin(b *testing.B) {
	e := newEnv(b)
	hc := e.browserClient()
	q := url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}, "scope": {"openid email"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		back := e.signIn(b, hc, e.domain+"/oauth2/authorize?"+q.Encode(), "alice", password, "")
		form := url.Values{"grant_type": {"authorization_code"}, "code": {back.Query().Get("code")}, "redirect_uri": {callback},
			"code_verifier": {"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}}
		res := e.post(b, e.domain+"/oauth2/token", form, e.web.UserPoolClient.ClientId, e.web.UserPoolClient.ClientSecret)
		readBody(b, res)
		if res.StatusCode != http.StatusOK {
			b.Fatalf("token: %d", res.StatusCode)
		}
	}
}
