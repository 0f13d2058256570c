package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// loadClientFor loads the client of a client-id operation that names a user (SignUp,
// ForgotPassword, ConfirmSignUp, …) and checks the SECRET_HASH it carries for that user.
func (s *Service) loadClientFor(ctx context.Context, clientID, username, secretHash string) (*client, *pool, error) {
	c, p, err := s.loadClient(ctx, clientID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkSecretHash(c, username, secretHash); err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// checkSecretHash verifies the SECRET_HASH (SecretHash) a call to a client with a secret
// carries: Base64(HMAC-SHA256(clientSecret, username + clientId)) (developer guide:
// signing-up-users-in-your-app, "Computing secret hash values"). username is exactly what the
// caller sent as the user name. The comparison is constant-time.
//
// Clients without a secret accept any value, including none: Cognito ignores SecretHash for
// them on these operations.
//
// AWS texts (NotAuthorizedException), as quoted in aws-amplify/amplify-android#2504 and
// ArranJacques/laravel-aws-cognito-auth#26:
//
//	Client {clientId} is configured with secret but SECRET_HASH was not received
//	Unable to verify secret hash for client {clientId}
func (s *Service) checkSecretHash(c *client, username, got string) error {
	if c.secret == "" {
		return nil
	}
	if got == "" {
		return awsapi.NotAuthorized("Client %s is configured with secret but SECRET_HASH was not received", c.rec.ID)
	}
	m := hmac.New(sha256.New, []byte(c.secret))
	m.Write([]byte(username))
	m.Write([]byte(c.rec.ID))
	want := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(got), []byte(want)) {
		return awsapi.NotAuthorized("Unable to verify secret hash for client %s", c.rec.ID)
	}
	return nil
}
