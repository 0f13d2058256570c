package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// The same sign-up → sign-in → refresh path on PostgreSQL, the multi-node store.
func TestSignInOnPostgres(t *testing.T) {
	ts := startTestServer(t, storetest.PostgresURL(t, "gh_e2e_"))
	ctx := context.Background()
	pool, client := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, "pg@example.com", "Passw0rd!")
	out, err := ts.passwordSignIn(client, "pg@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	ts.verifyToken(t, pool, *out.AuthenticationResult.IdToken)
	ref, err := ts.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": *out.AuthenticationResult.RefreshToken}})
	if err != nil || ref.AuthenticationResult.IdToken == nil {
		t.Fatalf("refresh on postgres: %v", err)
	}
	_, err = ts.passwordSignIn(client, "pg@example.com", "wrong")
	wantAPIError(t, err, "NotAuthorizedException", "Incorrect username or password.")
	if _, err := ts.idp.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: &pool, Username: aws.String("pg@example.com")}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.passwordSignIn(client, "pg@example.com", "Passw0rd!")
	wantAPIError(t, err, "UserNotFoundException", "User does not exist.")
}
