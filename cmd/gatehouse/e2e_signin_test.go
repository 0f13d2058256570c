package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// The tutorial path from the issue: an email-username pool, a client with password flows,
// sign-up, admin confirmation, ADMIN_NO_SRP_AUTH.
func TestTutorialSignUpToTokens(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)

	su, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("admin@example.com"), Password: aws.String("Passw0rd!")})
	if err != nil {
		t.Fatal(err)
	}
	if su.UserConfirmed || su.UserSub == nil || len(*su.UserSub) != 36 {
		t.Fatalf("sign-up answer: confirmed=%v sub=%v", su.UserConfirmed, aws.ToString(su.UserSub))
	}
	// Unconfirmed users may not sign in (even with the right password).
	_, err = ts.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client,
		AuthFlow: types.AuthFlowTypeAdminNoSrpAuth, AuthParameters: map[string]string{"USERNAME": "admin@example.com", "PASSWORD": "Passw0rd!"}})
	wantAPIError(t, err, "UserNotConfirmedException", "User is not confirmed.")

	if _, err := ts.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("admin@example.com")}); err != nil {
		t.Fatal(err)
	}
	out, err := ts.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client,
		AuthFlow: types.AuthFlowTypeAdminNoSrpAuth, AuthParameters: map[string]string{"USERNAME": "admin@example.com", "PASSWORD": "Passw0rd!"}})
	if err != nil {
		t.Fatal(err)
	}
	res := out.AuthenticationResult
	if res == nil || res.IdToken == nil || res.AccessToken == nil || res.RefreshToken == nil || aws.ToString(res.TokenType) != "Bearer" || res.ExpiresIn != 3600 {
		t.Fatalf("authentication result: %+v", res)
	}
	idc := ts.verifyToken(t, pool, *res.IdToken)
	ac := ts.verifyToken(t, pool, *res.AccessToken)
	issuer := ts.awsURL + "/" + pool
	for name, want := range map[string]any{"iss": issuer, "aud": client, "token_use": "id", "email": "admin@example.com",
		"cognito:username": *su.UserSub, "sub": *su.UserSub} {
		if fmt.Sprint(idc[name]) != fmt.Sprint(want) {
			t.Errorf("id token %s = %v, want %v", name, idc[name], want)
		}
	}
	for name, want := range map[string]any{"iss": issuer, "client_id": client, "token_use": "access",
		"scope": "aws.cognito.signin.user.admin", "username": *su.UserSub, "sub": *su.UserSub} {
		if fmt.Sprint(ac[name]) != fmt.Sprint(want) {
			t.Errorf("access token %s = %v, want %v", name, ac[name], want)
		}
	}
	if _, ok := ac["aud"]; ok {
		t.Errorf("access token has aud; Cognito's has none")
	}
	for _, c := range []string{"jti", "origin_jti", "event_id", "auth_time", "iat", "exp"} {
		if idc[c] == nil || ac[c] == nil {
			t.Errorf("claim %s missing", c)
		}
	}
	if idc["origin_jti"] != ac["origin_jti"] || idc["jti"] == ac["jti"] {
		t.Errorf("origin_jti must be shared and jti distinct: %v %v / %v %v", idc["origin_jti"], ac["origin_jti"], idc["jti"], ac["jti"])
	}
	// GetUser with the access token sees the user.
	gu, err := ts.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(gu.Username) != *su.UserSub {
		t.Fatalf("GetUser username %q", aws.ToString(gu.Username))
	}
}

// emailPool creates a pool whose usernames are emails and a client with the password flows.
func (ts *testServer) emailPool(t testing.TB, secret bool) (pool, client string) {
	t.Helper()
	ctx := context.Background()
	p, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("todo-user-pool"),
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("todo-app-client"),
		GenerateSecret: secret,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

// verifyToken checks a token with go-jose against the JWKS the server publishes, as an
// independent verifier would: signature with the key named by kid, RS256 only, iss, exp.
func (ts *testServer) verifyToken(t *testing.T, pool, raw string) map[string]any {
	t.Helper()
	resp, err := http.Get(ts.awsURL + "/" + pool + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("jwks: %d %s", resp.StatusCode, body)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		t.Fatalf("jwks: %v", err)
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse token: %v", err)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("kid %q not in JWKS", tok.Headers[0].KeyID)
	}
	var std jwt.Claims
	claims := map[string]any{}
	if err := tok.Claims(keys[0].Key, &std, &claims); err != nil {
		t.Fatalf("verify token: %v", err)
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: ts.awsURL + "/" + pool, Time: ts.clock.Now()}, 0); err != nil {
		t.Fatalf("validate token: %v", err)
	}
	return claims
}

func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// The admin-created-user path: temporary password, NEW_PASSWORD_REQUIRED, a single-use
// Session that expires after 3 minutes.
func TestAdminCreatedUserNewPasswordChallenge(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)
	user := aws.String("new@example.com")
	cu, err := ts.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: user,
		TemporaryPassword: aws.String("Temp0rary!"), MessageAction: types.MessageActionTypeSuppress})
	if err != nil {
		t.Fatal(err)
	}
	if cu.User.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Fatalf("status %s", cu.User.UserStatus)
	}
	start := func() *cip.AdminInitiateAuthOutput {
		out, err := ts.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client,
			AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": *user, "PASSWORD": "Temp0rary!"}})
		if err != nil {
			t.Fatal(err)
		}
		if out.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(out.Session) == "" || out.AuthenticationResult != nil {
			t.Fatalf("want NEW_PASSWORD_REQUIRED with a session, got %+v", out)
		}
		return out
	}
	respond := func(session *string, pw string) (*cip.AdminRespondToAuthChallengeOutput, error) {
		return ts.idp.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: &pool, ClientId: &client,
			ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: session,
			ChallengeResponses: map[string]string{"USERNAME": *user, "NEW_PASSWORD": pw}})
	}

	// An expired session is refused.
	first := start()
	ts.clock.Advance(3*time.Minute + time.Second)
	_, err = respond(first.Session, "N3wPassword!")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	second := start()
	// A password that breaks the policy is refused and the session stays usable.
	_, err = respond(second.Session, "short")
	wantAPIError(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	done, err := respond(second.Session, "N3wPassword!")
	if err != nil {
		t.Fatal(err)
	}
	if done.AuthenticationResult == nil || done.AuthenticationResult.IdToken == nil {
		t.Fatalf("no tokens: %+v", done)
	}
	// The session is single-use.
	_, err = respond(second.Session, "An0therPassword!")
	wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")

	// The new password works, the temporary one no longer does.
	_, err = ts.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": *user, "PASSWORD": "Temp0rary!"}})
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	ok, err := ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": *user, "PASSWORD": "N3wPassword!"}})
	if err != nil || ok.AuthenticationResult == nil {
		t.Fatalf("sign in with new password: %v", err)
	}
	gu, err := ts.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: user})
	if err != nil || gu.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("status after challenge: %v %v", gu, err)
	}
}

// The failure paths of sign-in, each with AWS's error.
func TestSignInFailures(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, "a@example.com", "Passw0rd!")
	ts.confirmedUser(t, pool, client, "disabled@example.com", "Passw0rd!")
	if _, err := ts.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("disabled@example.com")}); err != nil {
		t.Fatal(err)
	}
	// A client with only SRP enabled.
	srpOnly, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("srp"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, client, flow, user, pass string
		code, msg                      string
	}{
		{"wrong password", client, "USER_PASSWORD_AUTH", "a@example.com", "Wrong0ne!", "NotAuthorizedException", "Incorrect username or password."},
		{"unknown user, LEGACY", client, "USER_PASSWORD_AUTH", "nobody@example.com", "Passw0rd!", "UserNotFoundException", "User does not exist."},
		{"disabled user", client, "USER_PASSWORD_AUTH", "disabled@example.com", "Passw0rd!", "NotAuthorizedException", "User is disabled."},
		{"flow not enabled", *srpOnly.UserPoolClient.ClientId, "USER_PASSWORD_AUTH", "a@example.com", "Passw0rd!", "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"admin flow on InitiateAuth", client, "ADMIN_NO_SRP_AUTH", "a@example.com", "Passw0rd!", "InvalidParameterException", "Initiate Auth method not supported."},
		{"missing password", client, "USER_PASSWORD_AUTH", "a@example.com", "", "InvalidParameterException", "Missing required parameter PASSWORD"},
		{"unknown client", "nosuchclient1234567890abcd", "USER_PASSWORD_AUTH", "a@example.com", "Passw0rd!", "ResourceNotFoundException", "User pool client nosuchclient1234567890abcd does not exist."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			params := map[string]string{"USERNAME": tc.user}
			if tc.pass != "" {
				params["PASSWORD"] = tc.pass
			}
			_, err := ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(tc.client), AuthFlow: types.AuthFlowType(tc.flow), AuthParameters: params})
			wantAPIError(t, err, tc.code, tc.msg)
		})
	}
}

// confirmedUser signs a user up and confirms them.
func (ts *testServer) confirmedUser(t testing.TB, pool, client, user, pass string) {
	t.Helper()
	ctx := context.Background()
	if _, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: &user, Password: &pass}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: &user}); err != nil {
		t.Fatal(err)
	}
}

func (ts *testServer) passwordSignIn(client, user, pass string) (*cip.InitiateAuthOutput, error) {
	return ts.idp.InitiateAuth(context.Background(), &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": pass}})
}

// Cognito's lockout: five failures lock for 1 s, doubling; attempts while locked are refused
// without extending it; a success resets the count.
func TestLockout(t *testing.T) {
	ts := startTestServer(t, "")
	pool, client := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, "l@example.com", "Passw0rd!")
	for i := 1; i <= 5; i++ {
		_, err := ts.passwordSignIn(client, "l@example.com", "Wrong0ne!")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	// Locked for 1 s: even the right password is refused.
	_, err := ts.passwordSignIn(client, "l@example.com", "Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	ts.clock.Advance(1100 * time.Millisecond)
	// Sixth failure: locked for 2 s.
	_, err = ts.passwordSignIn(client, "l@example.com", "Wrong0ne!")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	ts.clock.Advance(1500 * time.Millisecond)
	_, err = ts.passwordSignIn(client, "l@example.com", "Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	ts.clock.Advance(600 * time.Millisecond)
	if _, err := ts.passwordSignIn(client, "l@example.com", "Passw0rd!"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	// The success reset the count: four failures do not lock.
	for i := 0; i < 4; i++ {
		_, err := ts.passwordSignIn(client, "l@example.com", "Wrong0ne!")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	if _, err := ts.passwordSignIn(client, "l@example.com", "Passw0rd!"); err != nil {
		t.Fatalf("four failures must not lock: %v", err)
	}
}

// Refresh: new ID/access tokens, no new refresh token, same auth_time; revocation and
// global sign-out end it.
func TestRefreshRevokeAndSignOut(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, "r@example.com", "Passw0rd!")
	first, err := ts.passwordSignIn(client, "r@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(10 * time.Minute)
	refresh := func(rt *string) (*cip.InitiateAuthOutput, error) {
		return ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
			AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(rt)}})
	}
	again, err := refresh(first.AuthenticationResult.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if again.AuthenticationResult.RefreshToken != nil {
		t.Fatalf("REFRESH_TOKEN_AUTH returned a new refresh token")
	}
	a := ts.verifyToken(t, pool, *first.AuthenticationResult.IdToken)
	b := ts.verifyToken(t, pool, *again.AuthenticationResult.IdToken)
	if fmt.Sprint(a["auth_time"]) != fmt.Sprint(b["auth_time"]) || fmt.Sprint(a["iat"]) == fmt.Sprint(b["iat"]) {
		t.Fatalf("auth_time must be kept and iat renewed: %v/%v %v/%v", a["auth_time"], b["auth_time"], a["iat"], b["iat"])
	}
	_, err = refresh(aws.String("not-a-token"))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Refresh Token")

	// RevokeToken ends the refresh token and the access tokens minted from it.
	if _, err := ts.idp.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: &client, Token: first.AuthenticationResult.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	_, err = refresh(first.AuthenticationResult.RefreshToken)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = ts.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: again.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")

	// GlobalSignOut ends every session of the user.
	s2, err := ts.passwordSignIn(client, "r@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.idp.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: s2.AuthenticationResult.AccessToken}); err != nil {
		t.Fatal(err)
	}
	_, err = refresh(s2.AuthenticationResult.RefreshToken)
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
	_, err = ts.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: s2.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Access Token has been revoked")

	// An expired access token is refused.
	s3, err := ts.passwordSignIn(client, "r@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(61 * time.Minute)
	_, err = ts.idp.GetUser(ctx, &cip.GetUserInput{AccessToken: s3.AuthenticationResult.AccessToken})
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
}

// A client with a secret requires SECRET_HASH on every flow.
func TestSecretHash(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, true)
	dc, err := ts.idp.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: &pool, ClientId: &client})
	if err != nil {
		t.Fatal(err)
	}
	secret := aws.ToString(dc.UserPoolClient.ClientSecret)
	if secret == "" {
		t.Fatal("no client secret")
	}
	user := "s@example.com"
	_, err = ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: &user, Password: aws.String("Passw0rd!")})
	if err == nil {
		t.Fatal("sign-up without SECRET_HASH succeeded")
	}
	if _, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: &user, Password: aws.String("Passw0rd!"),
		SecretHash: aws.String(secretHash(secret, user, client))}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: &user}); err != nil {
		t.Fatal(err)
	}
	signIn := func(hash string) (*cip.InitiateAuthOutput, error) {
		return ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": "Passw0rd!", "SECRET_HASH": hash}})
	}
	_, err = signIn(secretHash("wrong-secret", user, client))
	wantAPIError(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+client)
	if _, err := signIn(secretHash(secret, user, client)); err != nil {
		t.Fatalf("right SECRET_HASH: %v", err)
	}
	if strings.Contains(secret, " ") {
		t.Fatal("secret has spaces")
	}
}
