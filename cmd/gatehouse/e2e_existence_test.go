package main

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// With PreventUserExistenceErrors ENABLED an unknown user is indistinguishable from a wrong
// password: same error, same shape, comparable time (the unknown user costs a password hash
// too). Developer guide: cognito-user-pool-managing-errors.
func TestPreventUserExistenceErrors(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	pool, _ := ts.emailPool(t, false)
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &pool, ClientName: aws.String("enabled"),
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled,
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	client := *c.UserPoolClient.ClientId
	ts.confirmedUser(t, pool, client, "known@example.com", "Passw0rd!")

	timeOf := func(user string) time.Duration {
		start := time.Now()
		_, err := ts.passwordSignIn(client, user, "Wrong0ne!")
		d := time.Since(start)
		wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
		return d
	}
	var known, unknown []time.Duration
	for i := 0; i < 4; i++ { // four failures stay under the lockout threshold
		known = append(known, timeOf("known@example.com"))
		unknown = append(unknown, timeOf("unknown@example.com"))
	}
	slices.Sort(known)
	slices.Sort(unknown)
	mk, mu := known[len(known)/2], unknown[len(unknown)/2]
	// A password hash costs tens of milliseconds; a lookup that skipped it would be far faster.
	if mu < mk/3 {
		t.Fatalf("unknown users answer in %v, known ones in %v: timing tells them apart", mu, mk)
	}

	// ForgotPassword answers an unknown user with simulated delivery details.
	fp, err := ts.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: aws.String("unknown@example.com")})
	if err != nil {
		t.Fatalf("ForgotPassword for an unknown user with ENABLED: %v", err)
	}
	if fp.CodeDeliveryDetails == nil || fp.CodeDeliveryDetails.DeliveryMedium == "" {
		t.Fatalf("want simulated CodeDeliveryDetails, got %+v", fp.CodeDeliveryDetails)
	}
	_, err = ts.idp.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: &client, Username: aws.String("unknown@example.com"),
		ConfirmationCode: aws.String("123456"), Password: aws.String("N3wPassword!")})
	wantAPIError(t, err, "CodeMismatchException", "")
}
