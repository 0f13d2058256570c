package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// postgresURL returns a URL to a fresh schema of the database named by
// GATEHOUSE_TEST_POSTGRES (dropped when the test ends), or skips.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GATEHOUSE_TEST_POSTGRES")
	if base == "" {
		t.Skip("GATEHOUSE_TEST_POSTGRES is not set")
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "gh_e2e_" + hex.EncodeToString(b)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// The same sign-up → sign-in → refresh path on PostgreSQL, the multi-node store.
func TestSignInOnPostgres(t *testing.T) {
	ts := startTestServer(t, postgresURL(t))
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
