package oauth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzHostedRequests sends arbitrary queries and form bodies to the authorization, login and
// token endpoints: nothing may answer 500, and a redirect may only go to the hosted page itself
// or to one of the client's registered callback URLs.
func FuzzHostedRequests(f *testing.F) {
	e := newEnv(f)
	hc := e.browserClient()
	id := e.web.UserPoolClient.ClientId
	f.Add("response_type=code&client_id="+id+"&redirect_uri="+url.QueryEscape(callback), "grant_type=authorization_code&code=x&redirect_uri=x")
	f.Add("response_type=token&client_id="+id+"&redirect_uri="+url.QueryEscape(callback)+"&scope=openid%20email&state=%00%ff", "grant_type=refresh_token&refresh_token=%zz")
	f.Add("client_id="+id+"&redirect_uri=https://app.example.com/cb&response_type=code&code_challenge=abc&code_challenge_method=S256", "grant_type=client_credentials&scope=a+b+c")
	f.Add("a=1&a=2&;;&=&%", "code=1&code=2")
	f.Fuzz(func(t *testing.T, query, body string) {
		check := func(res *http.Response, err error) {
			if err != nil {
				return // a request Go's client refuses to send is not ours to judge
			}
			readBody(t, res)
			if res.StatusCode >= 500 {
				t.Fatalf("%s %s: %d", res.Request.Method, res.Request.URL, res.StatusCode)
			}
			if loc := res.Header.Get("Location"); loc != "" && !strings.HasPrefix(loc, "/login?") &&
				!strings.HasPrefix(loc, callback+"?") && !strings.HasPrefix(loc, callback+"#") &&
				!strings.HasPrefix(loc, "https://app.example.com/cb?") && !strings.HasPrefix(loc, "https://app.example.com/cb#") {
				t.Fatalf("%s %s redirected to %q", res.Request.Method, res.Request.URL, loc)
			}
		}
		check(hc.Get(e.domain + "/oauth2/authorize?" + query))
		check(hc.Get(e.domain + "/login?" + query))
		check(hc.Post(e.domain+"/login", "application/x-www-form-urlencoded", strings.NewReader(body)))
		check(hc.Post(e.domain+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(body)))
		check(hc.Post(e.domain+"/oauth2/revoke", "application/x-www-form-urlencoded", strings.NewReader(body)))
	})
}
