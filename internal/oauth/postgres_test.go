package oauth_test

import (
	"net/http"
	"net/url"
	"sync"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
)

// The code flow, refresh, replay and client_credentials on PostgreSQL (codes and their marks,
// refresh tokens with their scopes), as several nodes sharing one database run them.
func TestFlowsOnPostgres(t *testing.T) {
	e := newEnvOn(t, storetest.PostgresURL(t, "oauth"))
	ctx := e.clientCtx()
	provider := e.provider(t)
	conf := oauth2.Config{ClientID: e.web.UserPoolClient.ClientId, ClientSecret: e.web.UserPoolClient.ClientSecret,
		Endpoint: provider.Endpoint(), RedirectURL: callback, Scopes: []string{"openid", "user_management_lambdas/api"}}
	verifier := oauth2.GenerateVerifier()
	back := e.signIn(t, e.browserClient(), conf.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)), "alice", password, "")
	tok := must(conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier)))
	fresh := must(conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token())
	c := must(e.issuer.Verify(e.ctx, fresh.AccessToken, token.VerifyOptions{Use: token.UseAccess}))
	if c.String("scope") != "openid user_management_lambdas/api" {
		t.Fatalf("refreshed scope %q", c.String("scope"))
	}
	_, err := conf.Exchange(ctx, back.Query().Get("code"), oauth2.VerifierOption(verifier))
	wantOAuthError(t, err, "invalid_grant")
	_, err = conf.TokenSource(ctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	wantOAuthError(t, err, "invalid_grant")

	cc := clientcredentials.Config{ClientID: e.service.UserPoolClient.ClientId, ClientSecret: e.service.UserPoolClient.ClientSecret,
		TokenURL: provider.Endpoint().TokenURL}
	must(cc.Token(e.clientCtx()))
}

// A code redeemed by several requests at once buys tokens for exactly one of them.
func TestCodeRedeemedConcurrently(t *testing.T) {
	e := newEnv(t)
	code := e.code(t, "", "")
	var wg sync.WaitGroup
	statuses := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.post(t, e.domain+"/oauth2/token", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {callback}},
				e.web.UserPoolClient.ClientId, e.web.UserPoolClient.ClientSecret)
			readBody(t, res)
			statuses <- res.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for s := range statuses {
		switch s {
		case http.StatusOK:
			ok++
		case http.StatusBadRequest:
		default:
			t.Fatalf("status %d", s)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of 8 concurrent redemptions got tokens, want 1", ok)
	}
}
