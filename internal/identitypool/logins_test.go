package identitypool

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"

	"github.com/gatehouse/gatehouse/internal/token"
)

func TestGetIdLogins(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		pool := e.createPool(t, false)
		guests := e.createPool(t, true)
		// A second issuer on the same keys signing with AWS's own issuer URL.
		awsIss, err := token.NewIssuer(token.Config{Keys: e.st, Master: e.master, IssuerURL: "https://cognito-idp.us-east-1.amazonaws.com", Now: e.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		good := e.idToken(t, userPoolID, clientID, "user-1")
		forged := good[:len(good)-2] + flip(good[len(good)-2:])
		expired := e.idToken(t, userPoolID, clientID, "user-1", "exp", e.clock.Now().Add(-time.Second).Unix())
		cases := []struct {
			name   string
			pool   string
			logins map[string]string
			code   string
			msg    string
		}{
			{"valid", pool, map[string]string{providerName: good}, "", ""},
			{"AWS-form issuer", pool, map[string]string{providerName: e.sign(t, awsIss, userPoolID, token.UseID, "user-1", "aud", clientID)}, "", ""},
			{"forged signature", pool, map[string]string{providerName: forged}, "NotAuthorizedException", "Invalid login token. Couldn't verify signed token."},
			{"not a JWT", pool, map[string]string{providerName: "abc"}, "NotAuthorizedException", "Invalid login token. Couldn't verify signed token."},
			{"token of another user pool", pool, map[string]string{providerName: e.idToken(t, otherPoolID, clientID, "user-1")}, "NotAuthorizedException", "Invalid login token. Issuer doesn't match providerName"},
			{"access token", pool, map[string]string{providerName: e.sign(t, e.tokens, userPoolID, token.UseAccess, "user-1", "client_id", clientID)}, "NotAuthorizedException", "Invalid login token. Missing a required claim: aud"},
			{"other app client", pool, map[string]string{providerName: e.idToken(t, userPoolID, otherClient, "user-1")}, "NotAuthorizedException", "Token is not from a supported provider of this identity pool."},
			{"unconfigured provider", pool, map[string]string{otherName: e.idToken(t, otherPoolID, clientID, "user-1")}, "NotAuthorizedException", "Token is not from a supported provider of this identity pool."},
			{"google", pool, map[string]string{"accounts.google.com": good}, "NotAuthorizedException", "Token is not from a supported provider of this identity pool."},
			{"one bad among good", pool, map[string]string{providerName: good, otherName: "x"}, "NotAuthorizedException", "Token is not from a supported provider of this identity pool."},
			{"expired", pool, map[string]string{providerName: expired}, "NotAuthorizedException",
				fmt.Sprintf("Invalid login token. Token expired: %d >= %d", e.clock.Now().Unix(), e.clock.Now().Add(-time.Second).Unix())},
			{"guest refused", pool, nil, "NotAuthorizedException", "Unauthenticated access is not supported for this identity pool."},
			{"guest allowed", guests, nil, "", ""},
			{"unknown pool", "us-east-1:00000000-0000-4000-8000-000000000000", nil, "ResourceNotFoundException", "IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				out, err := e.client.GetId(e.ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(c.pool), Logins: c.logins})
				if c.code == "" {
					if err != nil || !idPattern.MatchString(*out.IdentityId) {
						t.Fatalf("GetId: %v", err)
					}
					return
				}
				wantAPIError(t, err, c.code, c.msg)
			})
		}
	})
}

// flip changes a base64url signature's characters without leaving the alphabet.
func flip(s string) string {
	return strings.Map(func(r rune) rune {
		if r == 'A' {
			return 'B'
		}
		return 'A'
	}, s)
}

func TestSameUserSameIdentity(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		pool := e.createPool(t, true)
		first := e.getID(t, pool, map[string]string{providerName: e.idToken(t, userPoolID, clientID, "user-1")})
		e.clock.Advance(time.Minute)
		again := e.getID(t, pool, map[string]string{providerName: e.idToken(t, userPoolID, clientID, "user-1")})
		other := e.getID(t, pool, map[string]string{providerName: e.idToken(t, userPoolID, clientID, "user-2")})
		g1, g2 := e.getID(t, pool, nil), e.getID(t, pool, nil)
		if first != again {
			t.Fatalf("same user: %s then %s", first, again)
		}
		if other == first || g1 == g2 || g1 == first {
			t.Fatalf("distinct callers share identities: %s %s %s %s", first, other, g1, g2)
		}
		d, err := e.client.DescribeIdentity(e.ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: aws.String(first)})
		if err != nil || len(d.Logins) != 1 || d.Logins[0] != providerName || d.CreationDate == nil {
			t.Fatalf("DescribeIdentity: %+v, %v", d, err)
		}

		// Concurrent first calls of one user give one identity.
		tok := e.idToken(t, userPoolID, clientID, "user-3")
		ids := make([]string, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				out, err := e.client.GetId(e.ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(pool), Logins: map[string]string{providerName: tok}})
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = *out.IdentityId
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("concurrent GetId gave %v", ids)
			}
		}
		list, err := e.client.ListIdentities(e.ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: aws.String(pool), MaxResults: aws.Int32(60)})
		if err != nil || len(list.Identities) != 5 {
			t.Fatalf("ListIdentities: %d identities, %v; want 5", len(list.Identities), err)
		}
	})
}

func TestIdentitiesPagingAndDelete(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, true)
	var ids []string
	for range 5 {
		ids = append(ids, e.getID(t, pool, nil))
	}
	seen := 0
	var next *string
	for {
		out, err := e.client.ListIdentities(e.ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: aws.String(pool), MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		seen += len(out.Identities)
		if out.NextToken == nil {
			break
		}
		next = out.NextToken
	}
	if seen != 5 {
		t.Fatalf("listed %d identities, want 5", seen)
	}
	out, err := e.client.DeleteIdentities(e.ctx, &cognitoidentity.DeleteIdentitiesInput{IdentityIdsToDelete: append(ids[:2:2], "us-east-1:00000000-0000-4000-8000-000000000000")})
	if err != nil || len(out.UnprocessedIdentityIds) != 0 {
		t.Fatalf("DeleteIdentities: %+v, %v", out, err)
	}
	for i, id := range ids {
		_, err := e.client.DescribeIdentity(e.ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: aws.String(id)})
		if (i < 2) != (err != nil) {
			t.Fatalf("identity %d after delete: %v", i, err)
		}
	}
	_, err = e.client.DeleteIdentities(e.ctx, &cognitoidentity.DeleteIdentitiesInput{IdentityIdsToDelete: make([]string, 61)})
	wantAPIError(t, err, "ValidationException", "")
	_, err = e.client.ListIdentities(e.ctx, &cognitoidentity.ListIdentitiesInput{IdentityPoolId: aws.String(pool), MaxResults: aws.Int32(61)})
	wantAPIError(t, err, "ValidationException", "")
}
