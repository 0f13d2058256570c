package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Sign-up with email verification: the code lands in the outbox (read with the outbox command,
// as a developer would), confirms the user and verifies the email.
func TestSignUpCodeThroughOutbox(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	p, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("verify"),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	pool := *p.UserPool.Id
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("c"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	client := *c.UserPoolClient.ClientId
	su, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("v@example.com"), Password: aws.String("Passw0rd!")})
	if err != nil {
		t.Fatal(err)
	}
	d := su.CodeDeliveryDetails
	if d == nil || d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" || aws.ToString(d.Destination) != "v***@e***" {
		t.Fatalf("CodeDeliveryDetails = %+v", d)
	}
	var out bytes.Buffer
	if err := runOutbox(ctx, storeFlags{data: ts.dir}, pool, 1, false, &out); err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(out.String())
	if code == "" {
		t.Fatalf("no code in the outbox:\n%s", out.String())
	}
	_, err = ts.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("v@example.com"), ConfirmationCode: aws.String(wrongCode(code))})
	wantAPIError(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if _, err := ts.idp.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: &client, Username: aws.String("v@example.com"), ConfirmationCode: &code}); err != nil {
		t.Fatal(err)
	}
	res, err := ts.passwordSignIn(client, "v@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	if claims := ts.verifyToken(t, pool, *res.AuthenticationResult.IdToken); claims["email_verified"] != true {
		t.Fatalf("email_verified = %v after confirmation", claims["email_verified"])
	}

	// Forgot password: the code arrives the same way and sets a new password.
	if _, err := ts.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: aws.String("v@example.com")}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := runOutbox(ctx, storeFlags{data: ts.dir}, pool, 1, false, &out); err != nil {
		t.Fatal(err)
	}
	code = regexp.MustCompile(`\b\d{6}\b`).FindString(out.String())
	if _, err := ts.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("v@example.com"),
		ConfirmationCode: &code, Password: aws.String("N3wPassword!")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.passwordSignIn(client, "v@example.com", "N3wPassword!"); err != nil {
		t.Fatalf("new password after ConfirmForgotPassword: %v", err)
	}
}

func wrongCode(code string) string {
	return fmt.Sprintf("%06d", (atoi(code)+1)%1000000)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// Groups with roles reach the tokens as Cognito puts them there.
func TestGroupClaimsInTokens(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, "g@example.com", "Passw0rd!")
	for _, g := range []struct {
		name, role string
		prec       int32
	}{{"admins", "arn:aws:iam::000000000000:role/Admin", 1}, {"readers", "arn:aws:iam::000000000000:role/Reader", 5}} {
		if _, err := ts.idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &pool, GroupName: aws.String(g.name), RoleArn: aws.String(g.role), Precedence: aws.Int32(g.prec)}); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &pool, GroupName: aws.String(g.name), Username: aws.String("g@example.com")}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ts.passwordSignIn(client, "g@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	id := ts.verifyToken(t, pool, *res.AuthenticationResult.IdToken)
	access := ts.verifyToken(t, pool, *res.AuthenticationResult.AccessToken)
	if fmt.Sprint(id["cognito:groups"]) != "[admins readers]" || fmt.Sprint(access["cognito:groups"]) != "[admins readers]" {
		t.Fatalf("cognito:groups id=%v access=%v", id["cognito:groups"], access["cognito:groups"])
	}
	if id["cognito:preferred_role"] != "arn:aws:iam::000000000000:role/Admin" {
		t.Fatalf("cognito:preferred_role = %v", id["cognito:preferred_role"])
	}
	if fmt.Sprint(id["cognito:roles"]) != "[arn:aws:iam::000000000000:role/Admin arn:aws:iam::000000000000:role/Reader]" {
		t.Fatalf("cognito:roles = %v", id["cognito:roles"])
	}
	if _, ok := access["cognito:roles"]; ok {
		t.Fatal("access token carries cognito:roles; Cognito puts roles in the ID token only")
	}
}

// Custom attributes added after creation are writable and reach the ID token; duplicates are
// refused.
func TestAddCustomAttributes(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)
	if _, err := ts.idp.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: &pool, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString},
		{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber}}}); err != nil {
		t.Fatal(err)
	}
	_, err := ts.idp.AddCustomAttributes(ctx, &cip.AddCustomAttributesInput{UserPoolId: &pool, CustomAttributes: []types.SchemaAttributeType{
		{Name: aws.String("team"), AttributeDataType: types.AttributeDataTypeString}}})
	wantAPIError(t, err, "InvalidParameterException", "custom:team: Existing attribute already has name custom:team.")
	if _, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String("c@example.com"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("custom:team"), Value: aws.String("blue")}, {Name: aws.String("custom:level"), Value: aws.String("3")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: &pool, Username: aws.String("c@example.com")}); err != nil {
		t.Fatal(err)
	}
	res, err := ts.passwordSignIn(client, "c@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	id := ts.verifyToken(t, pool, *res.AuthenticationResult.IdToken)
	if id["custom:team"] != "blue" || fmt.Sprint(id["custom:level"]) != "3" {
		t.Fatalf("custom claims: team=%v level=%v", id["custom:team"], id["custom:level"])
	}
	_, err = ts.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("c@example.com"),
		UserAttributes: []types.AttributeType{{Name: aws.String("custom:nope"), Value: aws.String("x")}}})
	wantAPIError(t, err, "InvalidParameterException", "")
}

// Settings whose behaviour Gatehouse does not implement yet, and that decide who gets in, are
// refused by name rather than stored and ignored.
func TestUnsupportedSecuritySettingsRefused(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	cases := map[string]*cip.CreateUserPoolInput{
		"MfaConfiguration ON": {PoolName: aws.String("p"), MfaConfiguration: types.UserPoolMfaTypeOn},
		"the LambdaConfig.PreAuthentication trigger": {PoolName: aws.String("p"),
			LambdaConfig: &types.LambdaConfigType{PreAuthentication: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f")}},
		"PasswordPolicy.PasswordHistorySize": {PoolName: aws.String("p"),
			Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8), PasswordHistorySize: aws.Int32(3)}}},
	}
	for what, in := range cases {
		_, err := ts.idp.CreateUserPool(ctx, in)
		var ae interface{ ErrorMessage() string }
		if !errors.As(err, &ae) || !strings.Contains(ae.ErrorMessage(), "Gatehouse does not support "+what) {
			t.Errorf("%s: %v", what, err)
		}
	}
}
