package userpool

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// refreshEnv is a pool with one confirmed user and the clients a test asks for.
func refreshEnv(t *testing.T) (*usersTestEnv, string) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	e.createConfirmed(poolID, "alice", "Passw0rd!", AttributeType{Name: "email", Value: "alice@example.com"})
	return e, poolID
}

func rotatingClient(e *usersTestEnv, poolID string, grace int64, secret bool) *UserPoolClientType {
	return e.client(&CreateUserPoolClientRequest{UserPoolId: poolID, GenerateSecret: ptr(secret),
		ExplicitAuthFlows:    []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"},
		RefreshTokenRotation: &RefreshTokenRotationType{Feature: "ENABLED", RetryGracePeriodSeconds: ptr(grace)}})
}

func (e *usersTestEnv) refresh(c *UserPoolClientType, rt string) (*AuthenticationResultType, error) {
	out, err := e.s.GetTokensFromRefreshToken(e.ctx, &GetTokensFromRefreshTokenRequest{
		ClientId: c.ClientId, ClientSecret: c.ClientSecret, RefreshToken: rt,
		ClientMetadata: map[string]string{"k": "v"}})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// With rotation off, GetTokensFromRefreshToken is REFRESH_TOKEN_AUTH: new ID and access
// tokens of the same sign-in, no new refresh token, the old one still good.
func TestGetTokensFromRefreshTokenWithoutRotation(t *testing.T) {
	e, poolID := refreshEnv(t)
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	first := e.signIn(poolID, c.ClientId, "alice", "Passw0rd!")
	e.clock.Advance(time.Minute)
	for range 2 {
		got, err := e.refresh(c, first.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if got.RefreshToken != "" || got.IdToken == "" || got.AccessToken == "" || got.IdToken == first.IdToken {
			t.Fatalf("refresh = %+v", got)
		}
		if origin(t, e, got.AccessToken) != origin(t, e, first.AccessToken) {
			t.Fatal("a refresh started a new origin")
		}
	}
	// REFRESH_TOKEN_AUTH still works on the same client.
	out, err := e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "REFRESH_TOKEN_AUTH",
		AuthParameters: map[string]string{"REFRESH_TOKEN": first.RefreshToken}})
	if err != nil || out.AuthenticationResult.RefreshToken != "" {
		t.Fatalf("REFRESH_TOKEN_AUTH = %+v, %v", out, err)
	}
}

func origin(t *testing.T, e *usersTestEnv, access string) string {
	t.Helper()
	parts := strings.Split(access, ".")
	claims := map[string]any{}
	decodeSegment(t, parts[1], &claims)
	return claims["origin_jti"].(string)
}

// With rotation on, each refresh answers a new refresh token of the same family; the one
// it replaced still serves within the grace period and is refused after it.
func TestGetTokensFromRefreshTokenRotation(t *testing.T) {
	for _, grace := range []int64{0, 1, 30, 60} {
		t.Run(time.Duration(grace*int64(time.Second)).String(), func(t *testing.T) {
			e, poolID := refreshEnv(t)
			c := rotatingClient(e, poolID, grace, false)
			first := e.signIn(poolID, c.ClientId, "alice", "Passw0rd!")

			second, err := e.refresh(c, first.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
				t.Fatalf("rotation returned refresh token %q", second.RefreshToken)
			}
			if origin(t, e, second.AccessToken) != origin(t, e, first.AccessToken) {
				t.Fatal("rotation started a new origin")
			}
			if grace > 0 {
				// Just inside the grace period: a retry with the old token still works.
				e.clock.Advance(time.Duration(grace)*time.Second - time.Millisecond)
				retry, err := e.refresh(c, first.RefreshToken)
				if err != nil {
					t.Fatalf("old token within the grace period: %v", err)
				}
				if retry.RefreshToken == "" || retry.RefreshToken == second.RefreshToken {
					t.Fatalf("retry answered refresh token %q", retry.RefreshToken)
				}
				e.clock.Advance(time.Millisecond)
			}
			// At the end of the grace period the old token is refused, the new one is not.
			_, err = e.refresh(c, first.RefreshToken)
			wantUserErr(t, err, "RefreshTokenReuseException", "Refresh token has been rotated and is no longer valid.")
			third, err := e.refresh(c, second.RefreshToken)
			if err != nil {
				t.Fatalf("new token: %v", err)
			}
			if third.RefreshToken == "" {
				t.Fatal("second rotation answered no refresh token")
			}
			// REFRESH_TOKEN_AUTH stays refused on a rotating client.
			_, err = e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "REFRESH_TOKEN_AUTH",
				AuthParameters: map[string]string{"REFRESH_TOKEN": third.RefreshToken}})
			wantUserErr(t, err, "InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client")
		})
	}
}

// A rotated token keeps the expiry of the sign-in's first refresh token.
func TestGetTokensFromRefreshTokenRotationKeepsExpiry(t *testing.T) {
	e, poolID := refreshEnv(t)
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID, ExplicitAuthFlows: []string{"ALLOW_ADMIN_USER_PASSWORD_AUTH"},
		RefreshTokenValidity: ptr(int64(60)), TokenValidityUnits: &TokenValidityUnitsType{RefreshToken: "minutes"},
		RefreshTokenRotation: &RefreshTokenRotationType{Feature: "ENABLED"}})
	rt := e.signIn(poolID, c.ClientId, "alice", "Passw0rd!").RefreshToken
	for range 3 {
		e.clock.Advance(15 * time.Minute)
		got, err := e.refresh(c, rt)
		if err != nil {
			t.Fatal(err)
		}
		rt = got.RefreshToken
	}
	e.clock.Advance(15 * time.Minute) // 60 minutes after sign-in
	_, err := e.refresh(c, rt)
	wantUserErr(t, err, "NotAuthorizedException", "Refresh Token has expired")
}

// Revocation and sign-out reach every token of a rotated family.
func TestGetTokensFromRefreshTokenRotationRevocation(t *testing.T) {
	for _, how := range []string{"RevokeToken old", "RevokeToken new", "GlobalSignOut", "AdminUserGlobalSignOut"} {
		t.Run(how, func(t *testing.T) {
			e, poolID := refreshEnv(t)
			c := rotatingClient(e, poolID, 60, true)
			first := e.signInClient(poolID, c, "alice", "Passw0rd!")
			second, err := e.refresh(c, first.RefreshToken)
			if err != nil {
				t.Fatal(err)
			}
			switch how {
			case "RevokeToken old", "RevokeToken new":
				tok := first.RefreshToken
				if how == "RevokeToken new" {
					tok = second.RefreshToken
				}
				if _, err := e.s.RevokeToken(e.ctx, &RevokeTokenRequest{ClientId: c.ClientId, ClientSecret: c.ClientSecret, Token: tok}); err != nil {
					t.Fatal(err)
				}
			case "GlobalSignOut":
				if _, err := e.s.GlobalSignOut(e.ctx, &GlobalSignOutRequest{AccessToken: second.AccessToken}); err != nil {
					t.Fatal(err)
				}
			case "AdminUserGlobalSignOut":
				if _, err := e.s.AdminUserGlobalSignOut(e.ctx, &AdminUserGlobalSignOutRequest{UserPoolId: poolID, Username: "alice"}); err != nil {
					t.Fatal(err)
				}
			}
			for _, rt := range []string{first.RefreshToken, second.RefreshToken} {
				_, err := e.refresh(c, rt)
				wantUserErr(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
			}
			for _, access := range []string{first.AccessToken, second.AccessToken} {
				_, err := e.s.GetUser(e.ctx, &GetUserRequest{AccessToken: access})
				wantUserErr(t, err, "NotAuthorizedException", "Access Token has been revoked")
			}
		})
	}
}

func TestGetTokensFromRefreshTokenErrors(t *testing.T) {
	e, poolID := refreshEnv(t)
	secretClient := rotatingClient(e, poolID, 0, true)
	plain := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	other := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	rt := e.signIn(poolID, plain.ClientId, "alice", "Passw0rd!").RefreshToken
	secretRT := e.signInClient(poolID, secretClient, "alice", "Passw0rd!").RefreshToken

	for _, tc := range []struct {
		name     string
		in       GetTokensFromRefreshTokenRequest
		typ, msg string
	}{
		{"unknown client", GetTokensFromRefreshTokenRequest{ClientId: "nosuchclient000000000000ab", RefreshToken: rt},
			"ResourceNotFoundException", "User pool client nosuchclient000000000000ab does not exist."},
		{"unknown token", GetTokensFromRefreshTokenRequest{ClientId: plain.ClientId, RefreshToken: "not-a-token"},
			"NotAuthorizedException", "Invalid Refresh Token"},
		{"huge token", GetTokensFromRefreshTokenRequest{ClientId: plain.ClientId, RefreshToken: strings.Repeat("x", 9000)},
			"NotAuthorizedException", "Invalid Refresh Token"},
		{"another client's token", GetTokensFromRefreshTokenRequest{ClientId: other.ClientId, RefreshToken: rt},
			"NotAuthorizedException", "Invalid Refresh Token"},
		{"missing secret", GetTokensFromRefreshTokenRequest{ClientId: secretClient.ClientId, RefreshToken: secretRT},
			"NotAuthorizedException", "Client " + secretClient.ClientId + " is configured with secret but ClientSecret was not received"},
		{"wrong secret", GetTokensFromRefreshTokenRequest{ClientId: secretClient.ClientId, RefreshToken: secretRT, ClientSecret: "nope"},
			"NotAuthorizedException", "Unable to verify client secret for client " + secretClient.ClientId},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.s.GetTokensFromRefreshToken(e.ctx, &tc.in)
			wantUserErr(t, err, tc.typ, tc.msg)
		})
	}

	if _, err := e.s.AdminDisableUser(e.ctx, &AdminDisableUserRequest{UserPoolId: poolID, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	// AdminDisableUser revokes the user's tokens, so the refresh token is refused as revoked.
	_, err := e.refresh(plain, rt)
	wantUserErr(t, err, "NotAuthorizedException", "Refresh Token has been revoked")
}

// The client settings: rotation cannot be combined with ALLOW_REFRESH_TOKEN_AUTH, and a
// rotating client's default flows leave it out.
func TestRefreshTokenRotationClientSettings(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	_, err := e.svc.CreateUserPoolClient(e.ctx, &CreateUserPoolClientRequest{UserPoolId: up.Id, ClientName: "x",
		ExplicitAuthFlows:    []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		RefreshTokenRotation: &RefreshTokenRotationType{Feature: "ENABLED"}})
	wantAWSError(t, err, "InvalidParameterException", "ALLOW_REFRESH_TOKEN_AUTH is not a permitted ExplicitAuthFlow when refresh token rotation is enabled.")

	created := e.createClient(t, &CreateUserPoolClientRequest{UserPoolId: up.Id, ClientName: "rot",
		RefreshTokenRotation: &RefreshTokenRotationType{Feature: "ENABLED", RetryGracePeriodSeconds: ptr(int64(42))}})
	got := e.describeClient(t, up.Id, created.ClientId)
	if strings.Join(got.ExplicitAuthFlows, ",") != "ALLOW_USER_SRP_AUTH,ALLOW_CUSTOM_AUTH" {
		t.Errorf("rotating client's default flows = %v", got.ExplicitAuthFlows)
	}
	if r := got.RefreshTokenRotation; r == nil || r.Feature != "ENABLED" || *r.RetryGracePeriodSeconds != 42 {
		t.Errorf("RefreshTokenRotation = %+v", r)
	}
	c := e.loadTestClient(t, created.ClientId)
	if on, grace := c.rotates(); !on || grace != 42*time.Second || c.authFlowAllowed("REFRESH_TOKEN_AUTH") {
		t.Errorf("rotates = %v %v, refresh flow allowed %v", on, grace, c.authFlowAllowed("REFRESH_TOKEN_AUTH"))
	}

	// Update turns it off again (an omitted setting returns to its default).
	out, err := e.svc.UpdateUserPoolClient(e.ctx, &UpdateUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId,
		ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := out.UserPoolClient.RefreshTokenRotation; r.Feature != "DISABLED" {
		t.Errorf("after update RefreshTokenRotation = %+v", r)
	}
	_, err = e.svc.UpdateUserPoolClient(e.ctx, &UpdateUserPoolClientRequest{UserPoolId: up.Id, ClientId: created.ClientId,
		ExplicitAuthFlows:    []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		RefreshTokenRotation: &RefreshTokenRotationType{Feature: "ENABLED", RetryGracePeriodSeconds: ptr(int64(10))}})
	wantAWSError(t, err, "InvalidParameterException", "ALLOW_REFRESH_TOKEN_AUTH is not a permitted ExplicitAuthFlow when refresh token rotation is enabled.")
}

func decodeSegment(t *testing.T, seg string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// signInClient signs in through c, with the SECRET_HASH a client with a secret needs.
func (e *usersTestEnv) signInClient(poolID string, c *UserPoolClientType, username, password string) *AuthenticationResultType {
	e.t.Helper()
	params := map[string]string{"USERNAME": username, "PASSWORD": password}
	if c.ClientSecret != "" {
		m := hmac.New(sha256.New, []byte(c.ClientSecret))
		m.Write([]byte(username + c.ClientId))
		params["SECRET_HASH"] = base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	out, err := e.s.AdminInitiateAuth(e.ctx, &AdminInitiateAuthRequest{UserPoolId: poolID, ClientId: c.ClientId,
		AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: params})
	if err != nil || out.AuthenticationResult == nil {
		e.t.Fatalf("sign in %s: %+v %v", username, out, err)
	}
	return out.AuthenticationResult
}

// The token endpoint's refresh_token grant follows the same rules: a refresh token rotated
// away by GetTokensFromRefreshToken is refused there too once the grace period is over.
func TestRefreshOAuthRefusesRotatedToken(t *testing.T) {
	e, poolID := refreshEnv(t)
	c := rotatingClient(e, poolID, 5, false)
	first := e.signIn(poolID, c.ClientId, "alice", "Passw0rd!")
	oc, err := e.s.OAuthClient(e.ctx, poolID, c.ClientId)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.refresh(c, first.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.RefreshOAuth(e.ctx, oc, first.RefreshToken); err != nil {
		t.Fatalf("within the grace period: %v", err)
	}
	e.clock.Advance(5 * time.Second)
	if _, err := e.s.RefreshOAuth(e.ctx, oc, first.RefreshToken); err != ErrInvalidGrant {
		t.Fatalf("after the grace period: %v, want ErrInvalidGrant", err)
	}
}
