package main

import (
	"context"
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// srpPool creates an email-username pool and a client with SRP, password and refresh flows.
func (ts *testServer) srpPool(t testing.TB, prevent types.PreventUserExistenceErrorTypes) (pool, client string) {
	t.Helper()
	ctx := context.Background()
	pool, _ = ts.emailPool(t, false)
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("web"),
		PreventUserExistenceErrors: prevent,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return pool, *c.UserPoolClient.ClientId
}

// srpSignIn runs USER_SRP_AUTH with alexrudd/cognito-srp, a client nobody here wrote, over the
// AWS SDK.
func (ts *testServer) srpSignIn(t testing.TB, pool, client, user, pass string) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	csrp, err := cognitosrp.NewCognitoSRP(user, pass, pool, client, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts.srpSignInWith(t, csrp)
}

// srpSignInWith runs one handshake with a prepared client (its SRP_A is computed once, when
// it is made).
func (ts *testServer) srpSignInWith(t testing.TB, csrp *cognitosrp.CognitoSRP) (*cip.RespondToAuthChallengeOutput, error) {
	t.Helper()
	ctx := context.Background()
	client := csrp.GetClientId()
	start, err := ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserSrpAuth,
		AuthParameters: csrp.GetAuthParams()})
	if err != nil {
		return nil, err
	}
	if start.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		t.Fatalf("want PASSWORD_VERIFIER, got %+v", start)
	}
	answer, err := csrp.PasswordVerifierChallenge(start.ChallengeParameters, ts.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ts.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &client,
		ChallengeName: types.ChallengeNameTypePasswordVerifier, ChallengeResponses: answer, Session: start.Session})
}

// SRP sign-in works for users created by every path, fails on a wrong password with
// Cognito's error, and counts toward the lockout.
func TestSRPSignIn(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.srpPool(t, types.PreventUserExistenceErrorTypesEnabled)
	ts.confirmedUser(t, pool, client, "srp@example.com", "Passw0rd!")

	res, err := ts.srpSignIn(t, pool, client, "srp@example.com", "Passw0rd!")
	if err != nil {
		t.Fatalf("SRP sign-in: %v", err)
	}
	claims := ts.verifyToken(t, pool, *res.AuthenticationResult.IdToken)
	if claims["email"] != "srp@example.com" {
		t.Fatalf("id token email = %v", claims["email"])
	}
	_, err = ts.srpSignIn(t, pool, client, "srp@example.com", "Wrong0ne!")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	// An unknown user fails the same way (and gets a simulated, stable challenge).
	_, err = ts.srpSignIn(t, pool, client, "ghost@example.com", "Passw0rd!")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")

	// Admin-set and changed passwords work with SRP and with USER_PASSWORD_AUTH alike.
	if _, err := ts.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("srp@example.com"),
		Password: aws.String("Adm1nSet!!"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.srpSignIn(t, pool, client, "srp@example.com", "Adm1nSet!!"); err != nil {
		t.Fatalf("SRP after AdminSetUserPassword: %v", err)
	}
	if _, err := ts.passwordSignIn(client, "srp@example.com", "Adm1nSet!!"); err != nil {
		t.Fatalf("USER_PASSWORD_AUTH after AdminSetUserPassword: %v", err)
	}

	// SRP failures count toward the lockout: five in a row lock the user.
	for i := 0; i < 5; i++ {
		_, err = ts.srpSignIn(t, pool, client, "srp@example.com", "Wrong0ne!")
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	}
	_, err = ts.srpSignIn(t, pool, client, "srp@example.com", "Adm1nSet!!")
	wantAPIError(t, err, "NotAuthorizedException", "Password attempts exceeded")
	ts.clock.Advance(2 * time.Second)
	if _, err := ts.srpSignIn(t, pool, client, "srp@example.com", "Adm1nSet!!"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
}

// An admin-created user signing in with SRP gets NEW_PASSWORD_REQUIRED after
// PASSWORD_VERIFIER, as in Cognito.
func TestSRPNewPasswordRequired(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.srpPool(t, types.PreventUserExistenceErrorTypesLegacy)
	if _, err := ts.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("tmp@example.com"),
		TemporaryPassword: aws.String("Temp0rary!"), MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatal(err)
	}
	res, err := ts.srpSignIn(t, pool, client, "tmp@example.com", "Temp0rary!")
	if err != nil {
		t.Fatal(err)
	}
	if res.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || res.Session == nil {
		t.Fatalf("want NEW_PASSWORD_REQUIRED after PASSWORD_VERIFIER, got %+v", res)
	}
	done, err := ts.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &client, ChallengeName: types.ChallengeNameTypeNewPasswordRequired,
		Session: res.Session, ChallengeResponses: map[string]string{"USERNAME": res.ChallengeParameters["USER_ID_FOR_SRP"], "NEW_PASSWORD": "N3wPassword!"}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("answer NEW_PASSWORD_REQUIRED: %v", err)
	}
	if _, err := ts.srpSignIn(t, pool, client, "tmp@example.com", "N3wPassword!"); err != nil {
		t.Fatalf("SRP with the new password: %v", err)
	}
	// LEGACY clients tell unknown users apart.
	_, err = ts.srpSignIn(t, pool, client, "ghost@example.com", "Passw0rd!")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}
