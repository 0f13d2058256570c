package userpool

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Self sign-up and its confirmation (API reference: API_SignUp.html, API_ConfirmSignUp.html,
// API_ResendConfirmationCode.html, API_AdminConfirmSignUp.html).

// signInName checks a new user's name against the pool's sign-in configuration (developer
// guide: user-pool-settings-attributes, "Customizing sign-in attributes") and returns the
// attribute the name stands for in pools whose UsernameAttributes make an email address or
// phone number the username ("" otherwise). In those pools the stored username is the
// user's sub, and the email/phone becomes the attribute.
//
// Texts: "Username should be either an email or a phone number." (aws-amplify/amplify-js#533),
// "Username should be a phone number." (mobilequickie/amplify-passwordless-sms-auth#13),
// "Username should be an email." (by analogy), "Username cannot be of email format, since
// user pool is configured for email alias." (aws-amplify/amplify-js#8800); the phone-alias
// text is ours by analogy.
func (p *pool) signInName(username string) (impliedAttr string, err error) {
	if len(p.spec.UsernameAttributes) > 0 {
		email, phone := p.hasUsernameAttribute("email"), p.hasUsernameAttribute("phone_number")
		switch {
		case email && isEmail(username):
			return "email", nil
		case phone && isPhone(username):
			return "phone_number", nil
		case email && phone:
			return "", awsapi.InvalidParameter("Username should be either an email or a phone number.")
		case email:
			return "", awsapi.InvalidParameter("Username should be an email.")
		default:
			return "", awsapi.InvalidParameter("Username should be a phone number.")
		}
	}
	if p.hasAliasAttribute("email") && isEmail(username) {
		return "", awsapi.InvalidParameter("Username cannot be of email format, since user pool is configured for email alias.")
	}
	if p.hasAliasAttribute("phone_number") && isPhone(username) {
		return "", awsapi.InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.")
	}
	return "", nil
}

// newUser builds a user record with a fresh sub. In pools with UsernameAttributes the
// username is the sub and impliedAttr (email or phone_number) takes the name as its value.
// The sub comes first among the attributes.
func (s *Service) newUser(ctx context.Context, p *pool, username, impliedAttr string, attrs []store.Attribute, status, password string) (store.User, error) {
	sub, err := s.newSub()
	if err != nil {
		return store.User{}, err
	}
	all := []store.Attribute{{Name: "sub", Value: sub}}
	for _, a := range attrs {
		if a.Value != "" {
			all = setAttr(all, a.Name, a.Value)
		}
	}
	if impliedAttr != "" {
		all = setAttr(all, impliedAttr, username)
		username = sub
	}
	now := s.nowUTC()
	u := store.User{
		PoolID: p.rec.ID, Username: username, UsernameKey: p.usernameKey(username), Sub: sub,
		Status: status, Enabled: true, Attributes: all, CreatedAt: now, UpdatedAt: now,
	}
	if password == "" {
		return u, nil // no password (imported in RESET_REQUIRED): no way to sign in with one
	}
	cred, err := s.newCredentials(ctx, p, username, password)
	if err != nil {
		return store.User{}, err
	}
	if err := s.setCredentials(&u, cred); err != nil {
		return store.User{}, err
	}
	return u, nil
}

// contactTaken answers UsernameExistsException when, in a pool with UsernameAttributes,
// another user already has the new user's email or phone number
// ("An account with the given email already exists."). It answers early, before a code is
// sent or a password hashed for nothing; the store's claims, written with the user, decide
// when two sign-ups race (claimError).
func (s *Service) contactTaken(ctx context.Context, p *pool, u store.User) error {
	if err := s.uniqueContact(ctx, p, u.UsernameKey, u.Attributes); err != nil {
		var ae *awsapi.Error
		if errors.As(err, &ae) && ae.Type == "AliasExistsException" {
			ae = &awsapi.Error{Type: "UsernameExistsException", Message: ae.Message, Status: ae.Status}
			return ae
		}
		return err
	}
	return nil
}

// SignUp registers a user through an app client (API reference: API_SignUp.html). The user
// is UNCONFIRMED; when the pool auto-verifies the user's email or phone number a
// confirmation code is sent there and described in CodeDeliveryDetails.
func (s *Service) SignUp(ctx context.Context, in *SignUpRequest) (*SignUpResponse, error) {
	c, p, err := s.loadClientFor(ctx, in.ClientId, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	if cfg := p.spec.AdminCreateUserConfig; cfg != nil && cfg.AllowAdminCreateUserOnly != nil && *cfg.AllowAdminCreateUserOnly {
		return nil, awsapi.NotAuthorized("SignUp is not permitted for this user pool")
	}
	implied, err := p.signInName(in.Username)
	if err != nil {
		return nil, err
	}
	attrs, err := p.checkAttributes(in.UserAttributes, c, true)
	if err != nil {
		return nil, err
	}
	if implied != "" {
		attrs = setAttr(attrs, implied, in.Username)
	}
	if problems := p.missingRequired(attrs); len(problems) > 0 {
		return nil, errSchema(problems)
	}
	if err := p.checkPassword(in.Password); err != nil {
		return nil, err
	}
	u, err := s.newUser(ctx, p, in.Username, implied, attrs, statusUnconfirmed, in.Password)
	if err != nil {
		return nil, err
	}
	if err := s.contactTaken(ctx, p, u); err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("create user: %w", p.claimError(err, true, errUsernameExists()))
	}
	out := &SignUpResponse{UserConfirmed: ptr(false), UserSub: u.Sub}
	if name, dest, ok := p.contactTarget(u.Attributes); ok {
		d, err := s.sendCodeMessage(ctx, p, u, purposeSignUp, signUpCodeTTL, name, dest)
		if err != nil {
			return nil, err
		}
		out.CodeDeliveryDetails = d
	}
	return out, nil
}

// publicUser resolves the Username of a client-id operation. An unknown user is
// UserNotFoundException, or what hidden is when the client's PreventUserExistenceErrors is
// ENABLED (developer guide: cognito-user-pool-managing-errors).
func (s *Service) publicUser(ctx context.Context, p *pool, c *client, username string, hidden error) (store.User, error) {
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, store.ErrNotFound) {
		if c.preventUserExistenceErrors() && hidden != nil {
			return store.User{}, hidden
		}
		return store.User{}, errUserNotFoundForClient()
	}
	return u, err
}

// errCannotConfirm answers a confirmation of a user who is not UNCONFIRMED
// ("User cannot be confirmed. Current status is CONFIRMED", captured in
// furaiev/amazon-cognito-identity-dart-2#80).
func errCannotConfirm(status string) *awsapi.Error {
	return awsapi.NotAuthorized("User cannot be confirmed. Current status is %s", status)
}

// ConfirmSignUp confirms a self-registered user with the code sent at sign-up (API
// reference: API_ConfirmSignUp.html). The contact the code went to becomes verified; when
// it is an alias another user holds, AliasExistsException unless ForceAliasCreation moves it.
func (s *Service) ConfirmSignUp(ctx context.Context, in *ConfirmSignUpRequest) (*ConfirmSignUpResponse, error) {
	c, p, err := s.loadClientFor(ctx, in.ClientId, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	u, err := s.publicUser(ctx, p, c, in.Username, errCodeMismatch())
	if err != nil {
		return nil, err
	}
	if u.Status != statusUnconfirmed {
		return nil, errCannotConfirm(u.Status)
	}
	name, value, hasContact := p.contactTarget(u.Attributes)
	var owner store.User
	var taken bool
	if hasContact {
		if owner, taken, err = s.aliasOwner(ctx, p, u.UsernameKey, name, value); err != nil {
			return nil, err
		}
		if taken && (in.ForceAliasCreation == nil || !*in.ForceAliasCreation) {
			return nil, errAliasExists(name)
		}
	}
	if err := s.consumeCode(ctx, p.rec.ID, u.UsernameKey, purposeSignUp, in.ConfirmationCode); err != nil {
		return nil, err
	}
	if taken {
		if err := s.takeAlias(ctx, p, owner, name); err != nil {
			return nil, err
		}
	}
	_, err = s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		if x.Status != statusUnconfirmed {
			return errCannotConfirm(x.Status)
		}
		x.Status = statusConfirmed
		if hasContact && attr(x.Attributes, name) == value {
			x.Attributes = setAttr(x.Attributes, name+"_verified", "true")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ConfirmSignUpResponse{}, nil
}

// ResendConfirmationCode sends a new sign-up code (API reference:
// API_ResendConfirmationCode.html). Texts: "User is already confirmed."
// (aws-amplify/amplify-js#14762) and "Cannot resend codes. Auto verification not turned on."
// (as Cognito words it in our recollection; not confirmed from a capture).
func (s *Service) ResendConfirmationCode(ctx context.Context, in *ResendConfirmationCodeRequest) (*ResendConfirmationCodeResponse, error) {
	c, p, err := s.loadClientFor(ctx, in.ClientId, in.Username, in.SecretHash)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, p, in.Username)
	if errors.Is(err, store.ErrNotFound) {
		if c.preventUserExistenceErrors() {
			return &ResendConfirmationCodeResponse{CodeDeliveryDetails: simulatedDelivery(p, in.Username)}, nil
		}
		return nil, errUserNotFoundForClient()
	}
	if err != nil {
		return nil, err
	}
	if u.Status != statusUnconfirmed {
		return nil, awsapi.InvalidParameter("User is already confirmed.")
	}
	name, dest, ok := p.contactTarget(u.Attributes)
	if !ok {
		return nil, awsapi.InvalidParameter("Cannot resend codes. Auto verification not turned on.")
	}
	d, err := s.sendCodeMessage(ctx, p, u, purposeSignUp, signUpCodeTTL, name, dest)
	if err != nil {
		return nil, err
	}
	return &ResendConfirmationCodeResponse{CodeDeliveryDetails: d}, nil
}

// AdminConfirmSignUp confirms a user without a code (API reference:
// API_AdminConfirmSignUp.html). It verifies no attribute.
func (s *Service) AdminConfirmSignUp(ctx context.Context, in *AdminConfirmSignUpRequest) (*AdminConfirmSignUpResponse, error) {
	p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status != statusUnconfirmed {
		return nil, errCannotConfirm(u.Status)
	}
	_, err = s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		if x.Status != statusUnconfirmed {
			return errCannotConfirm(x.Status)
		}
		x.Status = statusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.dropCodes(ctx, p.rec.ID, u.UsernameKey, purposeSignUp); err != nil {
		return nil, err
	}
	return &AdminConfirmSignUpResponse{}, nil
}

// simulatedDelivery is the CodeDeliveryDetails answered for an unknown user when the client
// hides user existence: stable per username, shaped like a real one (an email or phone
// number the name looks like, else an invented address).
func simulatedDelivery(p *pool, username string) *CodeDeliveryDetailsType {
	switch {
	case isEmail(username):
		return &CodeDeliveryDetailsType{Destination: maskDestination("EMAIL", username), DeliveryMedium: "EMAIL", AttributeName: "email"}
	case isPhone(username):
		return &CodeDeliveryDetailsType{Destination: maskDestination("SMS", username), DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	h := sha256.Sum256([]byte(p.rec.ID + "\x00" + username))
	if p.autoVerifies("phone_number") && !p.autoVerifies("email") {
		digits := fmt.Sprintf("%04d", (int(h[0])<<8|int(h[1]))%10000)
		return &CodeDeliveryDetailsType{Destination: "+*******" + digits, DeliveryMedium: "SMS", AttributeName: "phone_number"}
	}
	dest := string(rune('a'+h[0]%26)) + "***@" + string(rune('a'+h[1]%26)) + "***"
	return &CodeDeliveryDetailsType{Destination: dest, DeliveryMedium: "EMAIL", AttributeName: "email"}
}
