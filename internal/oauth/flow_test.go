package oauth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/gatehouse/gatehouse/internal/token"
)

func (e *env) clientCtx() context.Context {
	return context.WithValue(e.ctx, oauth2.HTTPClient, &http.Client{Transport: localhostTransport(), Timeout: 30 * time.Second})
}

func (e *env) provider(t testing.TB) *oidc.Provider {
	t.Helper()
	return must(oidc.NewProvider(e.clientCtx(), e.url+"/"+e.poolID))
}

// The code flow with PKCE for a confidential web app, as golang.org/x/oauth2 and go-oidc run
// it: discovery, the hosted page, the code exchange, the ID token verified through the JWKS,
// userInfo, refresh, revocation.
func TestCodeFlowWithOAuth2AndOIDCClients(t *testing.T) {
	e := newEnv(t)
	ctx := e.clientCtx()
	provider := e.provider(t)
	conf := oauth2.Config{ClientID: e.web.UserPoolClient.ClientId, ClientSecret: e.web.UserPoolClient.ClientSecret,
		Endpoint: provider.Endpoint(), RedirectURL: callback, Scopes: []string{"openid", "email", "user_management_lambdas/api"}}
	if !strings.HasPrefix(conf.Endpoint.AuthURL, e.domain+"/oauth2/authorize") {
		t.Fatalf("discovery lists authorization_endpoint %q", conf.Endpoint.AuthURL)
	}
	verifier := oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL("st4te-1", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n0nce-1"))
	back := e.signIn(t, e.browserClient(), authURL, "alice", password, "")
	if got := back.Scheme + "://" + back.Host + back.Path; got != callback || back.Query().Get("state") != "st4te-1" || back.Query().Get("code") == "" {
		t.Fatalf("redirected to %s", back)
	}
	tok := must(conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier)))
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" {
		t.Fatalf("token response: %+v id_token %q", tok, rawID)
	}
	idt := must(provider.Verifier(&oidc.Config{ClientID: conf.ClientID}).Verify(ctx, rawID))
	var claims struct {
		Email    string `json:"email"`
		Username string `json:"cognito:username"`
		Nonce    string `json:"nonce"`
		TokenUse string `json:"token_use"`
	}
	noErr(t, idt.Claims(&claims))
	if claims.Email != "alice@example.com" || claims.Username != "alice" || idt.Nonce != "n0nce-1" || claims.TokenUse != "id" {
		t.Fatalf("ID token claims %+v", claims)
	}
	noErr(t, idt.VerifyAccessToken(tok.AccessToken))

	// The access token verifies with the pool's keys like any other and carries the scopes.
	at := must(e.issuer.Verify(e.ctx, tok.AccessToken, token.VerifyOptions{Use: token.UseAccess}))
	if scopes := strings.Fields(at.String("scope")); !slices.Equal(scopes, []string{"openid", "email", "user_management_lambdas/api"}) || at.String("username") != "alice" {
		t.Fatalf("access token scope %q username %q", at.String("scope"), at.String("username"))
	}

	// userInfo: openid email narrows to email and email_verified, plus sub and username.
	ui := must(provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)))
	var info map[string]any
	noErr(t, ui.Claims(&info))
	if ui.Email != "alice@example.com" || info["username"] != "alice" || info["sub"] != idt.Subject {
		t.Fatalf("userInfo %v", info)
	}

	// Refresh: new tokens, same scopes, no new refresh token.
	ts := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)})
	fresh := must(ts.Token())
	if fresh.AccessToken == tok.AccessToken || fresh.Extra("id_token") == nil {
		t.Fatalf("refresh gave %+v", fresh)
	}
	fat := must(e.issuer.Verify(e.ctx, fresh.AccessToken, token.VerifyOptions{Use: token.UseAccess}))
	if fat.String("scope") != at.String("scope") {
		t.Fatalf("refreshed scope %q, first %q", fat.String("scope"), at.String("scope"))
	}

	// Revoke the refresh token: it stops working, and so do the access tokens minted from it.
	res := e.post(t, e.domain+"/oauth2/revoke", url.Values{"token": {tok.RefreshToken}}, conf.ClientID, conf.ClientSecret)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	_, err := conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}).Token()
	wantOAuthError(t, err, "invalid_grant")
	if _, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("userInfo with a revoked token: %v", err)
	}
}

// A public client (no secret) with PKCE, and an admin-created user who must choose a new
// password on the hosted page first.
func TestCodeFlowPublicClientNewPassword(t *testing.T) {
	e := newEnv(t)
	e.createUser("bob", "bob@example.com", false)
	ctx := e.clientCtx()
	conf := oauth2.Config{ClientID: e.spa.UserPoolClient.ClientId, Endpoint: e.provider(t).Endpoint(), RedirectURL: callback,
		Scopes: []string{"openid", "profile"}}
	verifier := oauth2.GenerateVerifier()
	back := e.signIn(t, e.browserClient(), conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "bob", "Temp0rary!x", "N3w-Passw0rd!")
	tok := must(conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier)))
	idc := must(e.issuer.Verify(e.ctx, tok.Extra("id_token").(string), token.VerifyOptions{Use: token.UseID}))
	if idc.String("cognito:username") != "bob" {
		t.Fatalf("ID token for %q", idc.String("cognito:username"))
	}
	// The new password is now the user's.
	e.signIn(t, e.browserClient(), conf.AuthCodeURL("s2"), "bob", "N3w-Passw0rd!", "")
	// userInfo with openid profile returns no email.
	ui := must(e.provider(t).UserInfo(ctx, oauth2.StaticTokenSource(tok)))
	if ui.Email != "" {
		t.Fatalf("userInfo with openid profile returned email %q", ui.Email)
	}
}

// client_credentials for a service: a token with the resource server's scope, the client as
// its subject, verifiable with the pool's JWKS; no ID or refresh token.
func TestClientCredentials(t *testing.T) {
	e := newEnv(t)
	provider := e.provider(t)
	cc := clientcredentials.Config{ClientID: e.service.UserPoolClient.ClientId, ClientSecret: e.service.UserPoolClient.ClientSecret,
		TokenURL: provider.Endpoint().TokenURL, Scopes: []string{"user_management_lambdas/api"}}
	tok := must(cc.Token(e.clientCtx()))
	c := must(e.issuer.Verify(e.ctx, tok.AccessToken, token.VerifyOptions{Use: token.UseAccess}))
	if c.String("scope") != "user_management_lambdas/api" || c.String("sub") != cc.ClientID || c.String("client_id") != cc.ClientID || c.String("username") != "" {
		t.Fatalf("claims %v", c)
	}
	if tok.RefreshToken != "" || tok.Extra("id_token") != nil {
		t.Fatalf("client_credentials returned more than an access token: %+v", tok)
	}
	// Form-post authentication works too, and no scope means every scope the client has.
	cc.AuthStyle, cc.Scopes = oauth2.AuthStyleInParams, nil
	tok = must(cc.Token(e.clientCtx()))
	if c := must(e.issuer.Verify(e.ctx, tok.AccessToken, token.VerifyOptions{Use: token.UseAccess})); c.String("scope") != "user_management_lambdas/api" {
		t.Fatalf("scope %q", c.String("scope"))
	}
	// A browser app may call the token endpoint from another origin.
	req := must(http.NewRequest("OPTIONS", provider.Endpoint().TokenURL, nil))
	req.Header.Set("Origin", "http://localhost:8080")
	req.Header.Set("Access-Control-Request-Method", "POST")
	res := must(e.browserClient().Do(req))
	readBody(t, res)
	if res.StatusCode != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight: %d %v", res.StatusCode, res.Header)
	}
	// A standard scope is not a client's to ask for.
	cc.Scopes = []string{"openid"}
	_, err := cc.Token(e.clientCtx())
	wantOAuthError(t, err, "invalid_scope")
	cc.ClientSecret = "wrong"
	_, err = cc.Token(e.clientCtx())
	wantOAuthError(t, err, "invalid_client")
}

// The implicit flow returns tokens in the fragment, with no refresh token.
func TestImplicitFlow(t *testing.T) {
	e := newEnv(t)
	q := url.Values{"response_type": {"token"}, "client_id": {e.implct.UserPoolClient.ClientId}, "redirect_uri": {callback},
		"scope": {"openid email"}, "state": {"xyz"}, "nonce": {"n"}}
	back := e.signIn(t, e.browserClient(), e.domain+"/oauth2/authorize?"+q.Encode(), "alice", password, "")
	frag := must(url.ParseQuery(back.Fragment))
	if frag.Get("access_token") == "" || frag.Get("id_token") == "" || frag.Get("state") != "xyz" || frag.Get("refresh_token") != "" || back.RawQuery != "" {
		t.Fatalf("implicit redirect %s", back)
	}
	idc := must(e.issuer.Verify(e.ctx, frag.Get("id_token"), token.VerifyOptions{Use: token.UseID}))
	if idc.String("nonce") != "n" {
		t.Fatalf("nonce %q", idc.String("nonce"))
	}
}

func (e *env) post(t testing.TB, u string, form url.Values, id, secret string) *http.Response {
	t.Helper()
	req := must(http.NewRequest("POST", u, strings.NewReader(form.Encode())))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	}
	res := must(e.browserClient().Do(req))
	return res
}

func wantOAuthError(t testing.TB, err error, code string) {
	t.Helper()
	re, ok := err.(*oauth2.RetrieveError)
	if !ok {
		t.Fatalf("want OAuth error %s, got %v", code, err)
	}
	if re.ErrorCode != code {
		t.Fatalf("want OAuth error %s, got %s (%s)", code, re.ErrorCode, re.Body)
	}
}

var _ = json.Marshal

// After a sign-in the domain's session answers the next authorization request without the
// form, for another app of the pool too; prompt=login and /logout end that.
func TestHostedSession(t *testing.T) {
	e := newEnv(t)
	hc := e.browserClient()
	q := func(clientID string, extra ...string) string {
		v := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {callback}, "scope": {"openid"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return e.domain + "/oauth2/authorize?" + v.Encode()
	}
	e.signIn(t, hc, q(e.web.UserPoolClient.ClientId), "alice", password, "")
	direct := func(u string) *url.URL {
		res := must(hc.Get(u))
		readBody(t, res)
		return must(res.Location())
	}
	for _, id := range []string{e.web.UserPoolClient.ClientId, e.spa.UserPoolClient.ClientId} {
		if loc := direct(q(id, "state", "again")); loc.Query().Get("code") == "" || loc.Query().Get("state") != "again" {
			t.Fatalf("with a session, authorize sent the browser to %s", loc)
		}
	}
	if loc := direct(q(e.spa.UserPoolClient.ClientId, "prompt", "login")); loc.Path != "/login" {
		t.Fatalf("prompt=login went to %s", loc)
	}
	res := must(hc.Get(e.domain + "/logout?" + url.Values{"client_id": {e.web.UserPoolClient.ClientId}, "logout_uri": {"http://localhost:8080/bye"}}.Encode()))
	readBody(t, res)
	if loc := must(res.Location()); loc.String() != "http://localhost:8080/bye" {
		t.Fatalf("logout went to %s", loc)
	}
	if loc := direct(q(e.web.UserPoolClient.ClientId)); loc.Path != "/login" {
		t.Fatalf("after logout, authorize went to %s", loc)
	}
	// A logout_uri that is not registered is refused with a page.
	res = must(hc.Get(e.domain + "/logout?" + url.Values{"client_id": {e.web.UserPoolClient.ClientId}, "logout_uri": {"http://evil.example.com/"}}.Encode()))
	readBody(t, res)
	if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
		t.Fatalf("unregistered logout_uri: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}
