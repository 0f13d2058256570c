package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
)

// The hosted page's sign-up, confirmation and password reset (developer guide: the managed
// login pages /signup, /confirmUser, /forgotPassword, /confirmForgotPassword). They run the
// same operations an app calls, with the pool's rules and Cognito's messages; the page is the
// client, so a client secret is applied here rather than asked of the browser.

// hostedSecretHash is the SECRET_HASH the client would send for username.
func hostedSecretHash(c *client, username string) string {
	if c.secret == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(c.secret))
	m.Write([]byte(username))
	m.Write([]byte(c.rec.ID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// hostedClient loads a client of the pool for a hosted page.
func (s *Service) hostedClient(ctx context.Context, poolID, clientID string) (*client, error) {
	_, c, err := s.loadOAuthClient(ctx, poolID, clientID)
	return c, err
}

// SignUpHosted signs a user up from the hosted page with a password and an email address and
// returns where the confirmation code went ("" when none was sent: the user is confirmed
// already, as confirmed says, or an administrator must confirm them).
func (s *Service) SignUpHosted(ctx context.Context, poolID, clientID, username, password, email string) (dest string, confirmed bool, err error) {
	c, err := s.hostedClient(ctx, poolID, clientID)
	if err != nil {
		return "", false, err
	}
	var attrs []AttributeType
	if email != "" {
		attrs = append(attrs, AttributeType{Name: "email", Value: email})
	}
	out, err := s.SignUp(ctx, &SignUpRequest{ClientId: clientID, Username: username, Password: password,
		UserAttributes: attrs, SecretHash: hostedSecretHash(c, username)})
	if err != nil {
		return "", false, err
	}
	confirmed = out.UserConfirmed != nil && *out.UserConfirmed
	if out.CodeDeliveryDetails != nil {
		return out.CodeDeliveryDetails.Destination, confirmed, nil
	}
	return "", confirmed, nil
}

// ConfirmSignUpHosted confirms a sign-up with the code the user received.
func (s *Service) ConfirmSignUpHosted(ctx context.Context, poolID, clientID, username, code string) error {
	c, err := s.hostedClient(ctx, poolID, clientID)
	if err != nil {
		return err
	}
	_, err = s.ConfirmSignUp(ctx, &ConfirmSignUpRequest{ClientId: clientID, Username: username, ConfirmationCode: code,
		SecretHash: hostedSecretHash(c, username)})
	return err
}

// ForgotPasswordHosted sends a password-reset code and returns where it went.
func (s *Service) ForgotPasswordHosted(ctx context.Context, poolID, clientID, username string) (string, error) {
	c, err := s.hostedClient(ctx, poolID, clientID)
	if err != nil {
		return "", err
	}
	out, err := s.ForgotPassword(ctx, &ForgotPasswordRequest{ClientId: clientID, Username: username, SecretHash: hostedSecretHash(c, username)})
	if err != nil {
		return "", err
	}
	if out.CodeDeliveryDetails == nil {
		return "", errors.New("userpool: forgot password delivered no code")
	}
	return out.CodeDeliveryDetails.Destination, nil
}

// ConfirmForgotPasswordHosted sets a new password with the reset code.
func (s *Service) ConfirmForgotPasswordHosted(ctx context.Context, poolID, clientID, username, code, password string) error {
	c, err := s.hostedClient(ctx, poolID, clientID)
	if err != nil {
		return err
	}
	_, err = s.ConfirmForgotPassword(ctx, &ConfirmForgotPasswordRequest{ClientId: clientID, Username: username, ConfirmationCode: code,
		Password: password, SecretHash: hostedSecretHash(c, username)})
	return err
}
