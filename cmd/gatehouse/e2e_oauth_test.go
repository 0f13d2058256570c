package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// localhostClient resolves *.localhost to the loopback address, as browsers do.
func localhostClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if host, port, err := net.SplitHostPort(addr); err == nil && strings.HasSuffix(host, ".localhost") {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Issue 14's scoped flow end to end on the real server: a resource server and a service
// client made with the SDK, a client_credentials token from the pool's domain, the issue's
// serverless.yml with a scoped COGNITO_USER_POOLS authorizer (authorizerId: Ref to an
// AWS::ApiGateway::Authorizer): the token with user_management_lambdas/api → 200; an ID
// token or an InitiateAuth access token → 401.
func TestScopedAuthorizerClientCredentials(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	copyDir(t, "testdata/scoped", dir)
	data := t.TempDir()
	first := startTestServerWith(t, data, "", nil)
	ctx := context.Background()
	idp := first.idp
	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("scoped")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	if _, err := idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: &poolID, Identifier: aws.String("user_management_lambdas"),
		Name: aws.String("User management"), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("api"), ScopeDescription: aws.String("api")}}}); err != nil {
		t.Fatal(err)
	}
	svc, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("service"), GenerateSecret: true,
		AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"user_management_lambdas/api"}})
	if err != nil {
		t.Fatal(err)
	}
	app, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: &poolID, Domain: aws.String("scoped-app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &poolID, Username: aws.String("ada"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	if _, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &poolID, Username: aws.String("ada"), Password: aws.String("Passw0rd!"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	first.server = nil
	ts := startTestServerWith(t, data, "", func(o *serveOptions) {
		o.config = filepath.Join(dir, "serverless.yml")
		o.apiAddr = "127.0.0.1:0"
		o.env = func(k string) (string, bool) {
			if k == "POOL_ARN" {
				return *pool.UserPool.Arn, true
			}
			return "", false
		}
	})

	// The discovery document names the domain's token endpoint.
	res, err := http.Get(ts.awsURL + "/" + poolID + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(ts.awsURL, "http://"))
	tokenURL := "http://scoped-app.localhost:" + port + "/oauth2/token"
	if doc["token_endpoint"] != tokenURL {
		t.Fatalf("token_endpoint %v, want %s", doc["token_endpoint"], tokenURL)
	}

	// client_credentials, as a service would ask with curl.
	req, _ := http.NewRequest("POST", tokenURL, strings.NewReader(url.Values{"grant_type": {"client_credentials"}, "scope": {"user_management_lambdas/api"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(*svc.UserPoolClient.ClientId, *svc.UserPoolClient.ClientSecret)
	res, err = localhostClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token endpoint: %d %s", res.StatusCode, body)
	}
	auth, err := ts.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &poolID, ClientId: app.UserPoolClient.ClientId,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "ada", "PASSWORD": "Passw0rd!"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"client_credentials token with the scope", tok.AccessToken, 200},
		{"ID token", *auth.AuthenticationResult.IdToken, 401},
		{"InitiateAuth access token", *auth.AuthenticationResult.AccessToken, 401},
		{"no token", "", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ts.apiURL+"/my_path", strings.NewReader(`{"hello":"world"}`))
			req.Header.Set("Content-Type", "application/json")
			if tc.token != "" {
				req.Header.Set("Authorization", tc.token)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tc.status, body)
			}
			if tc.status == 401 && string(body) != `{"message":"Unauthorized"}` {
				t.Fatalf("body %s", body)
			}
			if tc.status == 200 && !strings.Contains(string(body), `"ok":true`) {
				t.Fatalf("body %s", body)
			}
		})
	}
}
