package oauth_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode reads the code of the newest message the pool "sent" (the outbox).
func (e *env) lastCode(t *testing.T) string {
	t.Helper()
	msgs := must(e.store.ListMessages(e.ctx, e.poolID, 0, 0))
	if len(msgs) == 0 {
		t.Fatal("no message was sent")
	}
	code := sixDigits.FindString(msgs[len(msgs)-1].Body)
	if code == "" {
		t.Fatalf("no code in %q", msgs[len(msgs)-1].Body)
	}
	return code
}

// postPage fills a hosted form: fields from the page (hidden ones and the CSRF token) plus set.
func (e *env) postPage(t *testing.T, hc *http.Client, path, body string, set url.Values) (*http.Response, string) {
	t.Helper()
	form := formFields(t, body)
	for k, v := range set {
		form[k] = v
	}
	res := must(hc.PostForm(e.domain+path, form))
	return res, readBody(t, res)
}

// Sign-up and confirmation, then a forgotten password, through the hosted pages; each ends on
// the sign-in page of the same app, where the new credentials work.
func TestHostedSignUpAndPasswordReset(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	q := "?" + url.Values{"response_type": {"code"}, "client_id": {e.web.UserPoolClient.ClientId}, "redirect_uri": {callback}}.Encode()
	res := must(hc.Get(e.domain + "/login" + q))
	if body := readBody(t, res); !strings.Contains(body, `href="/signup?`) || !strings.Contains(body, `href="/forgotPassword?`) {
		t.Fatalf("login page lacks the sign-up and reset links:\n%s", body)
	}
	res = must(hc.Get(e.domain + "/signup" + q))
	body := readBody(t, res)
	res, body = e.postPage(t, hc, "/signup", body, url.Values{"username": {"carol"}, "email": {"carol@example.com"}, "password": {"short"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "Password") {
		t.Fatalf("weak password: %d\n%s", res.StatusCode, body)
	}
	res, body = e.postPage(t, hc, "/signup", body, url.Values{"username": {"carol"}, "email": {"carol@example.com"}, "password": {"Car0l-Passw0rd!"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Confirm your account") {
		t.Fatalf("sign-up: %d\n%s", res.StatusCode, body)
	}
	res, body = e.postPage(t, hc, "/confirmUser", body, url.Values{"username": {"carol"}, "code": {"000000"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `role="alert"`) {
		t.Fatalf("wrong code: %d\n%s", res.StatusCode, body)
	}
	res, body = e.postPage(t, hc, "/confirmUser", body, url.Values{"username": {"carol"}, "code": {e.lastCode(t)}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your account is confirmed") {
		t.Fatalf("confirm: %d\n%s", res.StatusCode, body)
	}
	res, _ = e.postPage(t, hc, "/login", body, url.Values{"username": {"carol"}, "password": {"Car0l-Passw0rd!"}})
	if loc, _ := res.Location(); res.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("sign-in after sign-up: %d", res.StatusCode)
	}

	res = must(hc.Get(e.domain + "/forgotPassword" + q))
	body = readBody(t, res)
	res, body = e.postPage(t, hc, "/forgotPassword", body, url.Values{"username": {"carol"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "We sent a code to") {
		t.Fatalf("forgot: %d\n%s", res.StatusCode, body)
	}
	res, body = e.postPage(t, hc, "/confirmForgotPassword", body, url.Values{"username": {"carol"}, "code": {e.lastCode(t)},
		"new_password": {"Car0l-Changed!"}, "confirm_password": {"Car0l-Changed!"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your password is changed") {
		t.Fatalf("reset: %d\n%s", res.StatusCode, body)
	}
	res, _ = e.postPage(t, hc, "/login", body, url.Values{"username": {"carol"}, "password": {"Car0l-Changed!"}})
	if loc, _ := res.Location(); res.StatusCode != http.StatusFound || loc.Query().Get("code") == "" {
		t.Fatalf("sign-in after reset: %d", res.StatusCode)
	}
}
