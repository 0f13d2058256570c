package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// refreshNodes are one or two Gatehouse nodes sharing a store; the tests sign in on the
// first and refresh on the last, so a rotation recorded by one node binds the other.
func refreshNodes(t *testing.T, backend string) []*testServer {
	t.Helper()
	switch backend {
	case "sqlite":
		return []*testServer{startTestServer(t, "")}
	default:
		url := storetest.PostgresURL(t, "gh_refresh_")
		dir := t.TempDir() // the nodes share the master key in it
		// and, as behind a balancer, one issuer URL (DESIGN.md: issuer).
		lb := func(o *serveOptions) { o.issuerURL = "http://gatehouse.lb.test" }
		nodes := []*testServer{startTestServerWith(t, dir, url, lb), startTestServerWith(t, dir, url, lb)}
		// One time on both nodes, as NTP would give them.
		now := nodes[0].clock.Now()
		nodes[1].clock.mu.Lock()
		nodes[1].clock.t = now
		nodes[1].clock.mu.Unlock()
		return nodes
	}
}

func advanceAll(nodes []*testServer, d time.Duration) {
	for _, n := range nodes {
		n.clock.Advance(d)
	}
}

// rotatingClient creates an app client with refresh token rotation through the SDK.
func (ts *testServer) rotatingClient(t *testing.T, pool string, grace int32, secret bool, validity *types.TokenValidityUnitsType, refresh int32) *types.UserPoolClientType {
	t.Helper()
	in := &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("rotating"), GenerateSecret: secret,
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(grace)}}
	if validity != nil {
		in.TokenValidityUnits, in.RefreshTokenValidity = validity, refresh
	}
	out, err := ts.idp.CreateUserPoolClient(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.UserPoolClient
}

func (ts *testServer) getTokens(c *types.UserPoolClientType, rt string) (*types.AuthenticationResultType, error) {
	out, err := ts.idp.GetTokensFromRefreshToken(context.Background(), &cip.GetTokensFromRefreshTokenInput{
		ClientId: c.ClientId, ClientSecret: c.ClientSecret, RefreshToken: &rt, ClientMetadata: map[string]string{"app": "test"}})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

func (ts *testServer) secretSignIn(t *testing.T, c *types.UserPoolClientType, user, pass string) *types.AuthenticationResultType {
	t.Helper()
	params := map[string]string{"USERNAME": user, "PASSWORD": pass}
	if c.ClientSecret != nil {
		params["SECRET_HASH"] = secretHash(*c.ClientSecret, user, *c.ClientId)
	}
	out, err := ts.idp.InitiateAuth(context.Background(), &cip.InitiateAuthInput{ClientId: c.ClientId,
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: params})
	if err != nil {
		t.Fatal(err)
	}
	return out.AuthenticationResult
}

// Refresh and rotation through the AWS SDK for Go v2, on SQLite and on two nodes sharing
// PostgreSQL.
func TestRefreshTokenRotationSDK(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			nodes := refreshNodes(t, backend)
			first, last := nodes[0], nodes[len(nodes)-1]
			ctx := context.Background()
			pool, plain := first.emailPool(t, false)
			first.confirmedUser(t, pool, plain, "rot@example.com", "Passw0rd!")

			// Without rotation: GetTokensFromRefreshToken is REFRESH_TOKEN_AUTH.
			in := first.secretSignIn(t, &types.UserPoolClientType{ClientId: &plain}, "rot@example.com", "Passw0rd!")
			got, err := last.getTokens(&types.UserPoolClientType{ClientId: &plain}, *in.RefreshToken)
			if err != nil || got.RefreshToken != nil || got.IdToken == nil {
				t.Fatalf("refresh without rotation: %+v %v", got, err)
			}

			// With rotation (and a secret): a new refresh token each time; the replaced one
			// serves within the grace period and not after it.
			rot := first.rotatingClient(t, pool, 5, true, nil, 0)
			desc, err := last.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: rot.ClientId})
			if err != nil || desc.UserPoolClient.RefreshTokenRotation.Feature != types.FeatureTypeEnabled ||
				aws.ToInt32(desc.UserPoolClient.RefreshTokenRotation.RetryGracePeriodSeconds) != 5 {
				t.Fatalf("DescribeUserPoolClient: %+v %v", desc, err)
			}
			r0 := *first.secretSignIn(t, rot, "rot@example.com", "Passw0rd!").RefreshToken
			a, err := last.getTokens(rot, r0)
			if err != nil || a.RefreshToken == nil || *a.RefreshToken == r0 {
				t.Fatalf("rotation: %+v %v", a, err)
			}
			r1 := *a.RefreshToken
			advanceAll(nodes, 4*time.Second)
			if _, err := first.getTokens(rot, r0); err != nil {
				t.Fatalf("replaced token within the grace period: %v", err)
			}
			advanceAll(nodes, time.Second)
			_, err = first.getTokens(rot, r0)
			wantAPIError(t, err, "RefreshTokenReuseException", "")
			_, err = last.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: rot.ClientId, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				AuthParameters: map[string]string{"REFRESH_TOKEN": r1, "SECRET_HASH": secretHash(*rot.ClientSecret, "rot@example.com", *rot.ClientId)}})
			wantAPIError(t, err, "InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client")
			_, err = last.idp.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: rot.ClientId, RefreshToken: &r1})
			wantAPIError(t, err, "NotAuthorizedException", "")

			// RevokeToken on the newest token of the family revokes the older ones too.
			b, err := last.getTokens(rot, r1)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := first.idp.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: rot.ClientId, ClientSecret: rot.ClientSecret, Token: b.RefreshToken}); err != nil {
				t.Fatal(err)
			}
			for _, rt := range []string{r1, *b.RefreshToken} {
				_, err := last.getTokens(rot, rt)
				wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
			}
			_, err = last.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: a.AccessToken})
			wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")

			// GlobalSignOut reaches rotated tokens.
			r0 = *first.secretSignIn(t, rot, "rot@example.com", "Passw0rd!").RefreshToken
			c, err := last.getTokens(rot, r0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := first.idp.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: c.AccessToken}); err != nil {
				t.Fatal(err)
			}
			_, err = last.getTokens(rot, *c.RefreshToken)
			wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
		})
	}
}

// A rotated refresh token lives only as long as the sign-in's first one.
func TestRefreshTokenRotationValiditySDK(t *testing.T) {
	ts := startTestServer(t, "")
	pool, plain := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, plain, "v@example.com", "Passw0rd!")
	rot := ts.rotatingClient(t, pool, 0, false, &types.TokenValidityUnitsType{RefreshToken: types.TimeUnitsTypeMinutes}, 60)
	rt := *ts.secretSignIn(t, rot, "v@example.com", "Passw0rd!").RefreshToken
	for range 3 {
		ts.clock.Advance(15 * time.Minute)
		out, err := ts.getTokens(rot, rt)
		if err != nil {
			t.Fatal(err)
		}
		rt = *out.RefreshToken
	}
	ts.clock.Advance(15 * time.Minute) // 60 minutes after the sign-in
	_, err := ts.getTokens(rot, rt)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has expired")
}

// RefreshTokenRotation is validated, stored and returned by Create/Update/DescribeUserPoolClient.
func TestRefreshTokenRotationClientSettingsSDK(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, _ := ts.emailPool(t, false)
	for _, tc := range []struct {
		name  string
		flows []types.ExplicitAuthFlowsType
		rot   *types.RefreshTokenRotationType
		msg   string
	}{
		{"with ALLOW_REFRESH_TOKEN_AUTH", []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
			&types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}, "ALLOW_REFRESH_TOKEN_AUTH is not a permitted ExplicitAuthFlow when refresh token rotation is enabled."},
		{"grace above 60", nil, &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(61)}, ""},
		{"grace below 0", nil, &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(-1)}, ""},
		{"unknown feature", nil, &types.RefreshTokenRotationType{Feature: "MAYBE"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("x"),
				ExplicitAuthFlows: tc.flows, RefreshTokenRotation: tc.rot})
			wantAPIError(t, err, "InvalidParameterException", tc.msg)
		})
	}
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("plain")})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.UserPoolClient.RefreshTokenRotation; r == nil || r.Feature != types.FeatureTypeDisabled {
		t.Fatalf("default RefreshTokenRotation %+v", r)
	}
	up, err := ts.idp.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: &pool, ClientId: c.UserPoolClient.ClientId,
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled, RetryGracePeriodSeconds: aws.Int32(60)}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := ts.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: c.UserPoolClient.ClientId})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*types.RefreshTokenRotationType{up.UserPoolClient.RefreshTokenRotation, d.UserPoolClient.RefreshTokenRotation} {
		if r.Feature != types.FeatureTypeEnabled || aws.ToInt32(r.RetryGracePeriodSeconds) != 60 {
			t.Fatalf("RefreshTokenRotation after update %+v", r)
		}
	}
}

// The AWS CLI creates a rotating client and refreshes with get-tokens-from-refresh-token.
func TestRefreshTokenRotationCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	ts := startTestServer(t, "")
	pool, plain := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, plain, "cli@example.com", "Passw0rd!")
	c := ts.awsCLI(t, "cognito-idp", "create-user-pool-client", "--user-pool-id", pool, "--client-name", "web",
		"--explicit-auth-flows", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH",
		"--refresh-token-rotation", "Feature=ENABLED,RetryGracePeriodSeconds=10")["UserPoolClient"].(map[string]any)
	if r := c["RefreshTokenRotation"].(map[string]any); r["Feature"] != "ENABLED" || r["RetryGracePeriodSeconds"] != float64(10) {
		t.Fatalf("RefreshTokenRotation %v", r)
	}
	client := c["ClientId"].(string)
	auth := ts.awsCLI(t, "cognito-idp", "initiate-auth", "--client-id", client, "--auth-flow", "USER_PASSWORD_AUTH",
		"--auth-parameters", "USERNAME=cli@example.com,PASSWORD=Passw0rd!")["AuthenticationResult"].(map[string]any)
	got := ts.awsCLI(t, "cognito-idp", "get-tokens-from-refresh-token", "--client-id", client,
		"--refresh-token", auth["RefreshToken"].(string))["AuthenticationResult"].(map[string]any)
	if got["RefreshToken"] == nil || got["RefreshToken"] == auth["RefreshToken"] || got["IdToken"] == nil {
		t.Fatalf("get-tokens-from-refresh-token: %v", got)
	}
	ts.clock.Advance(10 * time.Second)
	out, err := ts.awsCLIRaw(t, "cognito-idp", "get-tokens-from-refresh-token", "--client-id", client, "--refresh-token", auth["RefreshToken"].(string))
	if err == nil || !strings.Contains(string(out), "RefreshTokenReuseException") {
		t.Fatalf("replaced token after the grace period: %v %s", err, out)
	}
}
