package main

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse/gatehouse/internal/store/storetest"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// Choice-based sign-in (USER_AUTH) over HTTP with the AWS SDK for Go v2.

// userAuthPool creates an email-username pool that verifies emails and allows PASSWORD and
// EMAIL_OTP first, with a USER_AUTH client that hides unknown users.
func (ts *testServer) userAuthPool(t testing.TB) (pool, client string) {
	t.Helper()
	ctx := context.Background()
	p, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("choice"),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("web"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	return *p.UserPool.Id, *c.UserPoolClient.ClientId
}

// outboxCode reads the newest code of the pool with the outbox command, as a developer would.
func outboxCode(t testing.TB, sf storeFlags, pool string) string {
	t.Helper()
	var out bytes.Buffer
	if err := runOutbox(context.Background(), sf, pool, 1, false, &out); err != nil {
		t.Fatal(err)
	}
	code := sixDigits.FindString(out.String())
	if code == "" {
		t.Fatalf("no code in the outbox:\n%s", out.String())
	}
	return code
}

// verifiedUser signs a user up and confirms them with the code from the outbox, which verifies
// their email.
func (ts *testServer) verifiedUser(t testing.TB, sf storeFlags, pool, client, user, pass string) {
	t.Helper()
	ctx := context.Background()
	if _, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: &user, Password: &pass}); err != nil {
		t.Fatal(err)
	}
	code := outboxCode(t, sf, pool)
	if _, err := ts.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: &user, ConfirmationCode: &code}); err != nil {
		t.Fatal(err)
	}
}

func TestUserAuthSDK(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	sf := storeFlags{data: ts.dir}
	pool, client := ts.userAuthPool(t)
	ts.verifiedUser(t, sf, pool, client, "ua@example.com", "Passw0rd!")

	d, err := ts.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &pool})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors; !slices.Equal(got, []types.AuthFactorType{"PASSWORD", "EMAIL_OTP"}) {
		t.Fatalf("AllowedFirstAuthFactors = %v", got)
	}

	initiate := func(params map[string]string) (*cip.InitiateAuthOutput, error) {
		return ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth, AuthParameters: params})
	}
	respond := func(name types.ChallengeNameType, session *string, resp map[string]string) (*cip.RespondToAuthChallengeOutput, error) {
		return ts.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &client, ChallengeName: name, Session: session, ChallengeResponses: resp})
	}

	t.Run("SELECT_CHALLENGE then EMAIL_OTP", func(t *testing.T) {
		out, err := initiate(map[string]string{"USERNAME": "ua@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		want := []types.ChallengeNameType{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"}
		if out.ChallengeName != types.ChallengeNameTypeSelectChallenge || !slices.Equal(out.AvailableChallenges, want) || out.Session == nil {
			t.Fatalf("InitiateAuth: %s %v", out.ChallengeName, out.AvailableChallenges)
		}
		otp, err := respond(types.ChallengeNameTypeSelectChallenge, out.Session, map[string]string{"USERNAME": "ua@example.com", "ANSWER": "EMAIL_OTP"})
		if err != nil {
			t.Fatal(err)
		}
		if otp.ChallengeName != types.ChallengeNameTypeEmailOtp || otp.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" ||
			otp.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "u***@e***" {
			t.Fatalf("EMAIL_OTP challenge: %s %v", otp.ChallengeName, otp.ChallengeParameters)
		}
		code := outboxCode(t, sf, pool)
		_, err = respond(types.ChallengeNameTypeEmailOtp, otp.Session, map[string]string{"USERNAME": "ua@example.com", "EMAIL_OTP_CODE": wrongCode(code)})
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
		res, err := respond(types.ChallengeNameTypeEmailOtp, otp.Session, map[string]string{"USERNAME": "ua@example.com", "EMAIL_OTP_CODE": code})
		if err != nil {
			t.Fatal(err)
		}
		claims := ts.verifyToken(t, pool, *res.AuthenticationResult.IdToken)
		if claims["email"] != "ua@example.com" || claims["token_use"] != "id" {
			t.Fatalf("claims %v", claims)
		}
		_, err = respond(types.ChallengeNameTypeEmailOtp, otp.Session, map[string]string{"USERNAME": "ua@example.com", "EMAIL_OTP_CODE": code})
		wantAPIError(t, err, "NotAuthorizedException", "Invalid session for the user, session is expired.")
	})
	t.Run("PREFERRED_CHALLENGE PASSWORD_SRP", func(t *testing.T) {
		csrp, err := cognitosrp.NewCognitoSRP("ua@example.com", "Passw0rd!", pool, client, nil)
		if err != nil {
			t.Fatal(err)
		}
		params := csrp.GetAuthParams()
		params["PREFERRED_CHALLENGE"] = "PASSWORD_SRP"
		out, err := initiate(params)
		if err != nil || out.ChallengeName != types.ChallengeNameTypePasswordVerifier {
			t.Fatalf("InitiateAuth: %+v, %v", out, err)
		}
		answer, err := csrp.PasswordVerifierChallenge(out.ChallengeParameters, ts.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		res, err := respond(types.ChallengeNameTypePasswordVerifier, out.Session, answer)
		if err != nil {
			t.Fatal(err)
		}
		ts.verifyToken(t, pool, *res.AuthenticationResult.AccessToken)
	})
	t.Run("PREFERRED_CHALLENGE PASSWORD", func(t *testing.T) {
		out, err := initiate(map[string]string{"USERNAME": "ua@example.com", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Passw0rd!"})
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("InitiateAuth: %+v, %v", out, err)
		}
		_, err = initiate(map[string]string{"USERNAME": "ua@example.com", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Wrong0ne!"})
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	})
	t.Run("unknown user gets a simulated challenge", func(t *testing.T) {
		out, err := initiate(map[string]string{"USERNAME": "ghost@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil || out.ChallengeName != types.ChallengeNameTypeEmailOtp || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != "g***@e***" {
			t.Fatalf("InitiateAuth: %+v, %v", out, err)
		}
		_, err = respond(types.ChallengeNameTypeEmailOtp, out.Session, map[string]string{"USERNAME": "ghost@example.com", "EMAIL_OTP_CODE": "000000"})
		wantAPIError(t, err, "CodeMismatchException", "Invalid code or auth state for the user.")
	})
	t.Run("admin flow", func(t *testing.T) {
		out, err := ts.idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: &pool, ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
			AuthParameters: map[string]string{"USERNAME": "ua@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"}})
		if err != nil || out.ChallengeName != types.ChallengeNameTypeEmailOtp {
			t.Fatalf("AdminInitiateAuth: %+v, %v", out, err)
		}
		res, err := ts.idp.AdminRespondToAuthChallenge(ctx, &cip.AdminRespondToAuthChallengeInput{UserPoolId: &pool, ClientId: &client,
			ChallengeName: types.ChallengeNameTypeEmailOtp, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "ua@example.com", "EMAIL_OTP_CODE": outboxCode(t, sf, pool)}})
		if err != nil || res.AuthenticationResult == nil {
			t.Fatalf("AdminRespondToAuthChallenge: %+v, %v", res, err)
		}
	})
	t.Run("client without ALLOW_USER_AUTH", func(t *testing.T) {
		c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("srp-only")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: c.UserPoolClient.ClientId, AuthFlow: types.AuthFlowTypeUserAuth,
			AuthParameters: map[string]string{"USERNAME": "ua@example.com"}})
		wantAPIError(t, err, "InvalidParameterException", "USER_AUTH flow not enabled for this client")
	})
	t.Run("passkeys are refused", func(t *testing.T) {
		_, err := ts.idp.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: &pool, AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"},
			Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{"PASSWORD", "WEB_AUTHN"}}}})
		wantAPIError(t, err, "InvalidParameterException", "Gatehouse does not support WEB_AUTHN (passkeys) in SignInPolicy.AllowedFirstAuthFactors yet; remove it from the request")
		_, err = ts.idp.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: &pool, AutoVerifiedAttributes: []types.VerifiedAttributeType{"email"},
			Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{"EMAIL_OTP"}}}})
		wantAPIError(t, err, "InvalidParameterException", "SignInPolicy.AllowedFirstAuthFactors must include PASSWORD.")
	})
}

// Two nodes sharing PostgreSQL: the code is sent by one node and accepted by the other, as
// the session and the code live only in the store.
func TestUserAuthTwoNodesPostgres(t *testing.T) {
	url := storetest.PostgresURL(t, "gh_e2e_")
	a := startTestServer(t, url)
	b := startTestServerWith(t, a.dir, url, nil) // the same master key
	ctx := context.Background()
	sf := storeFlags{data: a.dir, storeURL: url}
	pool, client := a.userAuthPool(t)
	a.verifiedUser(t, sf, pool, client, "pg@example.com", "Passw0rd!")
	out, err := a.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "pg@example.com", "PREFERRED_CHALLENGE": "EMAIL_OTP"}})
	if err != nil || out.ChallengeName != types.ChallengeNameTypeEmailOtp {
		t.Fatalf("InitiateAuth on node A: %+v, %v", out, err)
	}
	res, err := b.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &client, ChallengeName: types.ChallengeNameTypeEmailOtp,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "pg@example.com", "EMAIL_OTP_CODE": outboxCode(t, sf, pool)}})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge on node B: %+v, %v", res, err)
	}
}

// The docs' choice-based sign-in, typed as a user would, through the AWS CLI: the pool's
// SignInPolicy in shorthand syntax, SELECT_CHALLENGE, EMAIL_OTP with the code from the outbox,
// and PREFERRED_CHALLENGE PASSWORD.
func TestUserAuthAWSCLI(t *testing.T) {
	testclient.RequireAWSCLI(t)
	ts := startTestServer(t, "")
	sf := storeFlags{data: ts.dir}
	pool := ts.awsCLI(t, "cognito-idp", "create-user-pool", "--pool-name", "passwordless", "--username-attributes", "email",
		"--auto-verified-attributes", "email", "--policies", "SignInPolicy={AllowedFirstAuthFactors=[PASSWORD,EMAIL_OTP]}")
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	client := ts.awsCLI(t, "cognito-idp", "create-user-pool-client", "--user-pool-id", poolID, "--client-name", "web",
		"--explicit-auth-flows", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "--prevent-user-existence-errors", "ENABLED")
	clientID := client["UserPoolClient"].(map[string]any)["ClientId"].(string)
	ts.awsCLI(t, "cognito-idp", "sign-up", "--client-id", clientID, "--username", "carol@example.com", "--password", "Passw0rd!")
	ts.awsCLI(t, "cognito-idp", "confirm-sign-up", "--client-id", clientID, "--username", "carol@example.com",
		"--confirmation-code", outboxCode(t, sf, poolID))

	sel := ts.awsCLI(t, "cognito-idp", "initiate-auth", "--client-id", clientID, "--auth-flow", "USER_AUTH",
		"--auth-parameters", "USERNAME=carol@example.com")
	if sel["ChallengeName"] != "SELECT_CHALLENGE" || fmt.Sprint(sel["AvailableChallenges"]) != "[PASSWORD PASSWORD_SRP EMAIL_OTP]" {
		t.Fatalf("initiate-auth: %v", sel)
	}
	otp := ts.awsCLI(t, "cognito-idp", "respond-to-auth-challenge", "--client-id", clientID, "--challenge-name", "SELECT_CHALLENGE",
		"--session", sel["Session"].(string), "--challenge-responses", "USERNAME=carol@example.com,ANSWER=EMAIL_OTP")
	if otp["ChallengeName"] != "EMAIL_OTP" {
		t.Fatalf("select EMAIL_OTP: %v", otp)
	}
	done := ts.awsCLI(t, "cognito-idp", "respond-to-auth-challenge", "--client-id", clientID, "--challenge-name", "EMAIL_OTP",
		"--session", otp["Session"].(string), "--challenge-responses", "USERNAME=carol@example.com,EMAIL_OTP_CODE="+outboxCode(t, sf, poolID))
	if r, _ := done["AuthenticationResult"].(map[string]any); r == nil || r["IdToken"] == nil {
		t.Fatalf("no tokens: %v", done)
	}
	pw := ts.awsCLI(t, "cognito-idp", "initiate-auth", "--client-id", clientID, "--auth-flow", "USER_AUTH",
		"--auth-parameters", "USERNAME=carol@example.com,PREFERRED_CHALLENGE=PASSWORD,PASSWORD=Passw0rd!")
	if r, _ := pw["AuthenticationResult"].(map[string]any); r == nil || r["AccessToken"] == nil {
		t.Fatalf("PREFERRED_CHALLENGE PASSWORD: %v", pw)
	}
	out, err := ts.awsCLIRaw(t, "cognito-idp", "update-user-pool", "--user-pool-id", poolID, "--auto-verified-attributes", "email",
		"--policies", "SignInPolicy={AllowedFirstAuthFactors=[PASSWORD,WEB_AUTHN]}")
	if err == nil || !strings.Contains(string(out), "(InvalidParameterException)") || !strings.Contains(string(out), "WEB_AUTHN (passkeys)") {
		t.Fatalf("want passkeys refused, got %v\n%s", err, out)
	}
}
