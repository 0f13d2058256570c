package userpool

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Administration of users: creation with an invitation, reading, listing, deleting,
// enabling and disabling (API reference: API_AdminCreateUser.html, API_AdminGetUser.html,
// API_ListUsers.html, API_AdminDeleteUser.html, API_AdminDisableUser.html,
// API_AdminEnableUser.html).

// errUserAccountExists is AdminCreateUser's answer for a taken username ("User account
// already exists"; SignUp says "User already exists").
func errUserAccountExists() *awsapi.Error {
	return awsapi.NewError("UsernameExistsException", "User account already exists")
}

// AdminCreateUser creates a user in FORCE_CHANGE_PASSWORD with a temporary password (the
// given one, which must pass the policy, or a generated one) valid for the policy's
// TemporaryPasswordValidityDays, and sends an invitation unless MessageAction is SUPPRESS.
// MessageAction RESEND re-sends the invitation of an existing FORCE_CHANGE_PASSWORD user with
// a new temporary password.
//
// DesiredDeliveryMediums defaults to SMS (API reference). A user without a phone number
// then gets the invitation by email when they have an email address, and none when they have
// neither — a Gatehouse choice, as AWS's behaviour here is undocumented. Mediums asked for
// explicitly must have their attribute: "No email provided but desired delivery medium was
// Email" (captured in rahulpsd18/cognito-backup-restore#25; the SMS text is ours by analogy).
func (s *Service) AdminCreateUser(ctx context.Context, in *AdminCreateUserRequest) (*AdminCreateUserResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if in.MessageAction == "RESEND" {
		return s.resendInvitation(ctx, p, in)
	}
	implied, err := p.signInName(in.Username)
	if err != nil {
		return nil, err
	}
	attrs, err := p.checkAttributes(in.UserAttributes, nil, true)
	if err != nil {
		return nil, err
	}
	if implied != "" {
		attrs = setAttr(attrs, implied, in.Username)
	}
	temp, err := s.temporaryPassword(p, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	var targets []contact
	if in.MessageAction != "SUPPRESS" {
		if targets, err = inviteTargets(attrs, in.DesiredDeliveryMediums); err != nil {
			return nil, err
		}
	}
	u, err := s.newUser(ctx, p, in.Username, implied, attrs, statusForceChangePassword, temp)
	if err != nil {
		return nil, err
	}
	u.PasswordExpiresAt = u.CreatedAt.Add(p.temporaryPasswordValidity())
	if err := s.contactTaken(ctx, p, u); err != nil {
		return nil, err
	}
	if err := s.checkAliases(ctx, p, u.UsernameKey, u.Attributes, in.ForceAliasCreation != nil && *in.ForceAliasCreation); err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, fmt.Errorf("create user: %w", p.claimError(err, true, errUserAccountExists()))
	}
	if err := s.sendInvitations(ctx, p, u, signInNameOf(u, implied), temp, targets); err != nil {
		return nil, err
	}
	return &AdminCreateUserResponse{User: userType(u, nil)}, nil
}

// resendInvitation is AdminCreateUser with MessageAction RESEND.
func (s *Service) resendInvitation(ctx context.Context, p *pool, in *AdminCreateUserRequest) (*AdminCreateUserResponse, error) {
	u, err := s.adminUser(ctx, p, in.Username)
	if err != nil {
		return nil, err
	}
	if u.Status != statusForceChangePassword {
		// Text chosen here; Cognito's could not be confirmed.
		return nil, awsapi.NewError("UnsupportedUserStateException", "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", in.Username)
	}
	temp, err := s.temporaryPassword(p, in.TemporaryPassword)
	if err != nil {
		return nil, err
	}
	targets, err := inviteTargets(u.Attributes, in.DesiredDeliveryMediums)
	if err != nil {
		return nil, err
	}
	cred, err := s.newCredentials(ctx, p, u.Username, temp)
	if err != nil {
		return nil, err
	}
	u, err = s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		if x.Status != statusForceChangePassword {
			return awsapi.NewError("UnsupportedUserStateException", "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", in.Username)
		}
		if err := s.setCredentials(x, cred); err != nil {
			return err
		}
		x.PasswordExpiresAt = s.nowUTC().Add(p.temporaryPasswordValidity())
		return nil
	})
	if err != nil {
		return nil, err
	}
	implied := ""
	if len(p.spec.UsernameAttributes) > 0 {
		implied, _ = p.signInName(in.Username)
	}
	if err := s.sendInvitations(ctx, p, u, signInNameOf(u, implied), temp, targets); err != nil {
		return nil, err
	}
	return &AdminCreateUserResponse{User: userType(u, nil)}, nil
}

// temporaryPassword checks a given temporary password against the policy or generates one.
func (s *Service) temporaryPassword(p *pool, given string) (string, error) {
	if given != "" {
		if err := p.checkPassword(given); err != nil {
			return "", err
		}
		return given, nil
	}
	return generatePassword(s.rand, p.passwordPolicy())
}

// temporaryPasswordValidity is how long a temporary password signs in.
func (p *pool) temporaryPasswordValidity() time.Duration {
	return time.Duration(*p.passwordPolicy().TemporaryPasswordValidityDays) * 24 * time.Hour
}

// signInNameOf is what the invitation's {username} shows: the name the user signs in with
// (the email or phone number in pools with UsernameAttributes).
func signInNameOf(u store.User, implied string) string {
	if implied != "" {
		if v := attr(u.Attributes, implied); v != "" {
			return v
		}
	}
	return u.Username
}

// contact is a delivery target: a contact attribute and its value.
type contact struct{ attr, value string }

// inviteTargets resolves AdminCreateUser's DesiredDeliveryMediums against the attributes.
func inviteTargets(attrs []store.Attribute, mediums []string) ([]contact, error) {
	email, phone := attr(attrs, "email"), attr(attrs, "phone_number")
	if len(mediums) == 0 {
		switch {
		case phone != "":
			return []contact{{"phone_number", phone}}, nil
		case email != "":
			return []contact{{"email", email}}, nil
		}
		return nil, nil
	}
	var out []contact
	for _, m := range mediums {
		switch m {
		case "EMAIL":
			if email == "" {
				return nil, awsapi.InvalidParameter("No email provided but desired delivery medium was Email")
			}
			out = append(out, contact{"email", email})
		case "SMS":
			if phone == "" {
				return nil, awsapi.InvalidParameter("No phone_number provided but desired delivery medium was SMS")
			}
			out = append(out, contact{"phone_number", phone})
		}
	}
	return out, nil
}

// sendInvitations sends the pool's invitation with the temporary password to each target.
func (s *Service) sendInvitations(ctx context.Context, p *pool, u store.User, name, temp string, targets []contact) error {
	for _, t := range targets {
		subject, tmpl := p.invitationMessage(mediumFor(t.attr))
		if _, err := s.sendMessage(ctx, p, u, t.attr, t.value, subject, renderMessage(tmpl, name, temp)); err != nil {
			return err
		}
	}
	return nil
}

// AdminGetUser returns a user with every attribute (API reference: API_AdminGetUser.html).
func (s *Service) AdminGetUser(ctx context.Context, in *AdminGetUserRequest) (*AdminGetUserResponse, error) {
	_, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	m := mfaOf(u)
	return &AdminGetUserResponse{
		Username:             u.Username,
		UserAttributes:       toAttributeTypes(u.Attributes, nil),
		UserCreateDate:       awsapi.NewTime(u.CreatedAt),
		UserLastModifiedDate: awsapi.NewTime(u.UpdatedAt),
		Enabled:              ptr(u.Enabled),
		UserStatus:           u.Status,
		MFAOptions:           m.MFAOptions,
		PreferredMfaSetting:  m.PreferredMfaSetting,
		UserMFASettingList:   m.UserMFASettingList,
	}, nil
}

// listUsersMaxLimit is ListUsers' largest and default page (API reference: Limit, 0–60).
const listUsersMaxLimit = 60

// ListUsers pages through a pool's users in username order, optionally filtered (filter.go)
// and with only AttributesToGet (API reference: API_ListUsers.html). The PaginationToken is
// opaque: the last username key sealed with the master key and bound to the pool, so a forged
// or foreign token is InvalidParameterException.
func (s *Service) ListUsers(ctx context.Context, in *ListUsersRequest) (*ListUsersResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	limit := listUsersMaxLimit
	if in.Limit != nil && *in.Limit > 0 && *in.Limit < listUsersMaxLimit {
		limit = int(*in.Limit)
	}
	filter, err := parseFilter(in.Filter)
	if err != nil {
		return nil, err
	}
	if filter != nil && filter.Attribute == "username" {
		// The store matches the username pseudo-attribute against UsernameKey.
		filter.Value = p.usernameKey(filter.Value)
	}
	after := ""
	if in.PaginationToken != "" {
		if after, err = s.openPageToken(p.rec.ID, in.PaginationToken); err != nil {
			return nil, err
		}
	}
	users, err := s.store.ListUsers(ctx, p.rec.ID, filter, store.Page{After: after, Limit: limit + 1})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := &ListUsersResponse{Users: []UserType{}}
	if len(users) > limit {
		users = users[:limit]
		tok, err := s.sealPageToken(p.rec.ID, users[limit-1].UsernameKey)
		if err != nil {
			return nil, err
		}
		out.PaginationToken = tok
	}
	var keep func(string) bool
	if in.AttributesToGet != nil {
		want := map[string]bool{}
		for _, a := range in.AttributesToGet {
			want[a] = true
		}
		keep = func(name string) bool { return want[name] }
	}
	for _, u := range users {
		out.Users = append(out.Users, *userType(u, keep))
	}
	return out, nil
}

// errBadPageToken answers a pagination token we did not issue for this pool (text chosen
// here; Cognito's could not be confirmed).
func errBadPageToken() *awsapi.Error {
	return awsapi.InvalidParameter("Invalid pagination token.")
}

func pageTokenAAD(poolID string) []byte { return []byte("gatehouse/listusers/" + poolID) }

func (s *Service) sealPageToken(poolID, lastKey string) (string, error) {
	if s.master == nil {
		return base64.RawURLEncoding.EncodeToString([]byte(lastKey)), nil
	}
	sealed, err := s.master.Seal([]byte(lastKey), pageTokenAAD(poolID))
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(sealed), nil
}

func (s *Service) openPageToken(poolID, tok string) (string, error) {
	if len(tok) > 4096 {
		return "", errBadPageToken()
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) == 0 {
		return "", errBadPageToken()
	}
	if s.master == nil {
		return string(raw), nil
	}
	key, err := s.master.Open(raw, pageTokenAAD(poolID))
	if err != nil || len(key) == 0 {
		return "", errBadPageToken()
	}
	return string(key), nil
}

// AdminDeleteUser deletes a user (API reference: API_AdminDeleteUser.html).
func (s *Service) AdminDeleteUser(ctx context.Context, in *AdminDeleteUserRequest) (*struct{}, error) {
	p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	return nil, s.removeUser(ctx, p, u)
}

// removeUser deletes a user with their refresh tokens and codes first, so that a new user
// who later takes the same username inherits neither.
func (s *Service) removeUser(ctx context.Context, p *pool, u store.User) error {
	if _, err := s.store.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey); err != nil {
		return fmt.Errorf("revoke refresh tokens: %w", err)
	}
	if err := s.dropCodes(ctx, p.rec.ID, u.UsernameKey, allCodePurposes()...); err != nil {
		return err
	}
	err := s.store.DeleteUser(ctx, p.rec.ID, u.UsernameKey)
	if errors.Is(err, store.ErrNotFound) {
		return errUserNotFound()
	}
	if err != nil {
		return fmt.Errorf("delete user: %w", err)
	}
	return nil
}

// AdminDisableUser deactivates a user and revokes their refresh tokens (API reference:
// API_AdminDisableUser.html: "Deactivates a user profile and revokes all access tokens for
// the user"); sign-in then answers "User is disabled.".
func (s *Service) AdminDisableUser(ctx context.Context, in *AdminDisableUserRequest) (*AdminDisableUserResponse, error) {
	p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, err := s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		x.Enabled = false
		return nil
	}); err != nil {
		return nil, err
	}
	if _, err := s.store.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey); err != nil {
		return nil, fmt.Errorf("revoke refresh tokens: %w", err)
	}
	return &AdminDisableUserResponse{}, nil
}

// AdminEnableUser reactivates a user (API reference: API_AdminEnableUser.html).
func (s *Service) AdminEnableUser(ctx context.Context, in *AdminEnableUserRequest) (*AdminEnableUserResponse, error) {
	p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, err := s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		x.Enabled = true
		return nil
	}); err != nil {
		return nil, err
	}
	return &AdminEnableUserResponse{}, nil
}
