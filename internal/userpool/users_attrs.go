package userpool

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// User attributes: validation against the pool's schema and the client's write permissions,
// updates and deletes (admin and self-service), and the verification of email and phone
// numbers with codes (API reference: API_AdminUpdateUserAttributes.html,
// API_UpdateUserAttributes.html, API_AdminDeleteUserAttributes.html,
// API_DeleteUserAttributes.html, API_GetUserAttributeVerificationCode.html,
// API_VerifyUserAttribute.html).

// pendingAttrsKey is the Extra key holding values that wait for verification before they
// replace the current one (UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).
const pendingAttrsKey = "PendingAttributes"

// errSchema is Cognito's answer to attributes that break the schema: one line per problem,
// each ending in a newline ("Attributes did not conform to the schema: phone: Attribute does
// not exist in the schema.\n", captured in aws-amplify/amplify-js#5532 and, with several
// lines, aws-amplify/amplify-flutter#509).
func errSchema(problems []string) *awsapi.Error {
	return awsapi.InvalidParameter("Attributes did not conform to the schema: %s", strings.Join(problems, "\n")+"\n")
}

// errUnauthorizedAttribute answers a client writing an attribute outside its WriteAttributes
// (text captured in aws/aws-sdk-js#1319).
func errUnauthorizedAttribute() *awsapi.Error {
	return awsapi.NotAuthorized("A client attempted to write unauthorized attribute")
}

// errAliasExists answers an email or phone number already in use by another user (API
// reference: AliasExistsException; the email text is Cognito's, the phone one by analogy).
func errAliasExists(attrName string) *awsapi.Error {
	return awsapi.NewError("AliasExistsException", "An account with the given %s already exists.", attrName)
}

// checkAttributes validates attributes that c (nil: an administrator) writes to a user that
// is being created or already exists, and returns them as store attributes, a later
// duplicate replacing an earlier one. An empty value means "remove" for an existing user.
//
// Checked, in Cognito's order: names against the schema (unknown names, immutable attributes
// of existing users), then the client's WriteAttributes, then the formats of email and
// phone_number and string lengths.
//
// Texts we could not confirm against Cognito and chose by analogy with the confirmed
// "…: Attribute does not exist in the schema.": "…: Attribute cannot be updated. (changing an
// immutable attribute)" and "…: String must be no longer than N characters".
func (p *pool) checkAttributes(in []AttributeType, c *client, creating bool) ([]store.Attribute, error) {
	var problems []string
	out := make([]store.Attribute, 0, len(in))
	for _, a := range in {
		if a.Name == "sub" {
			if c != nil {
				return nil, errUnauthorizedAttribute()
			}
			problems = append(problems, "sub: Attribute cannot be updated. (changing an immutable attribute)")
			continue
		}
		def, ok := p.schemaAttribute(a.Name)
		if !ok {
			problems = append(problems, a.Name+": Attribute does not exist in the schema.")
			continue
		}
		if !creating && def.Mutable != nil && !*def.Mutable {
			problems = append(problems, a.Name+": Attribute cannot be updated. (changing an immutable attribute)")
			continue
		}
		if max := stringMaxLength(def); a.Value != "" && max > 0 && utf8.RuneCountInString(a.Value) > max {
			problems = append(problems, fmt.Sprintf("%s: String must be no longer than %d characters", a.Name, max))
			continue
		}
		out = setAttr(out, a.Name, a.Value)
	}
	if len(problems) > 0 {
		return nil, errSchema(problems)
	}
	if c != nil {
		for _, a := range out {
			if !c.canWrite(a.Name) {
				return nil, errUnauthorizedAttribute()
			}
		}
	}
	for _, a := range out {
		if a.Value == "" {
			continue
		}
		switch a.Name {
		case "email":
			if !isEmail(a.Value) {
				return nil, awsapi.InvalidParameter("Invalid email address format.")
			}
		case "phone_number":
			if !isPhone(a.Value) {
				return nil, awsapi.InvalidParameter("Invalid phone number format.")
			}
		}
	}
	return out, nil
}

// stringMaxLength is a string attribute's maximum length: its constraint, else Cognito's
// 2048 (developer guide: user-pool-settings-attributes, "Custom attributes").
func stringMaxLength(def SchemaAttributeType) int {
	if def.AttributeDataType != "" && def.AttributeDataType != "String" {
		return 0
	}
	if def.StringAttributeConstraints != nil && def.StringAttributeConstraints.MaxLength != "" {
		if n, err := strconv.Atoi(def.StringAttributeConstraints.MaxLength); err == nil && n > 0 {
			return n
		}
	}
	return 2048
}

// missingRequired lists the schema's required attributes that attrs lacks, as schema
// problem lines (the text of "name.formatted: The attribute is required", often quoted from
// Cognito).
func (p *pool) missingRequired(attrs []store.Attribute) []string {
	var problems []string
	for _, name := range p.requiredAttributes() {
		if name != "sub" && attr(attrs, name) == "" { // sub is always generated
			problems = append(problems, name+": The attribute is required")
		}
	}
	return problems
}

// uniqueContact refuses an email or phone number that another user of a pool with
// UsernameAttributes already has: there they are sign-in names and must be unique. It is an
// early answer (before codes are sent); the store's claims decide a race (claimError).
func (s *Service) uniqueContact(ctx context.Context, p *pool, selfKey string, attrs []store.Attribute) error {
	for _, name := range []string{"email", "phone_number"} {
		v := attr(attrs, name)
		if v == "" || !p.hasUsernameAttribute(name) {
			continue
		}
		o, taken, err := s.claimHolder(ctx, p, selfKey, name, v)
		if err != nil {
			return err
		}
		if taken && o.UsernameKey != selfKey {
			return errAliasExists(name)
		}
	}
	return nil
}

// claimHolder returns the other user that holds value of a unique attribute, if any.
func (s *Service) claimHolder(ctx context.Context, p *pool, selfKey, attrName, value string) (store.User, bool, error) {
	key, ok := p.uniqueness().Key(attrName, value)
	if !ok || value == "" {
		return store.User{}, false, nil
	}
	o, err := s.store.GetUserByClaim(ctx, p.rec.ID, attrName, key)
	if errors.Is(err, store.ErrNotFound) || (err == nil && o.UsernameKey == selfKey) {
		return store.User{}, false, nil
	}
	if err != nil {
		return store.User{}, false, err
	}
	return o, true, nil
}

// aliasOwner returns the other user that holds value as a verified alias of attrName in a
// pool with AliasAttributes, if any.
func (s *Service) aliasOwner(ctx context.Context, p *pool, selfKey, attrName, value string) (store.User, bool, error) {
	if !p.hasAliasAttribute(attrName) {
		return store.User{}, false, nil
	}
	return s.claimHolder(ctx, p, selfKey, attrName, value)
}

// claimError answers a write the store refused because another user holds one of the new
// values that must be unique (a race the early checks could not see, or a
// preferred_username alias). Creating a user, a sign-in name of a pool with
// UsernameAttributes is UsernameExistsException, "An account with the given email already
// exists." (Cognito's text, which Amplify's translation dictionaries list for sign-up, and
// amplify-swift's tests use for AliasExistsException from UpdateUserAttributes); any other
// value is AliasExistsException with the same wording. A taken username is usernameTaken.
func (p *pool) claimError(err error, creating bool, usernameTaken *awsapi.Error) error {
	var ce *store.ClaimConflictError
	switch {
	case errors.As(err, &ce):
		if creating && p.hasUsernameAttribute(ce.Attribute) {
			return awsapi.NewError("UsernameExistsException", "An account with the given %s already exists.", ce.Attribute)
		}
		return errAliasExists(ce.Attribute)
	case errors.Is(err, store.ErrAlreadyExists) && usernameTaken != nil:
		return usernameTaken
	}
	return err
}

// takeAlias moves a verified alias away from its previous owner (ForceAliasCreation): the
// previous user keeps the value but it is no longer verified, so it no longer signs in.
func (s *Service) takeAlias(ctx context.Context, p *pool, owner store.User, attrName string) error {
	_, err := s.updateUser(ctx, p, owner.UsernameKey, func(u *store.User) error {
		u.Attributes = setAttr(u.Attributes, attrName+"_verified", "false")
		return nil
	})
	var ae *awsapi.Error
	if errors.As(err, &ae) && ae.Type == "UserNotFoundException" {
		return nil
	}
	return err
}

// checkAliases refuses (or with force takes over) verified aliases that attrs would give the
// user while another user holds them.
func (s *Service) checkAliases(ctx context.Context, p *pool, selfKey string, attrs []store.Attribute, force bool) error {
	for _, name := range []string{"email", "phone_number"} {
		if !verified(attrs, name) {
			continue
		}
		owner, taken, err := s.aliasOwner(ctx, p, selfKey, name, attr(attrs, name))
		if err != nil {
			return err
		}
		if !taken {
			continue
		}
		if !force {
			return errAliasExists(name)
		}
		if err := s.takeAlias(ctx, p, owner, name); err != nil {
			return err
		}
	}
	return nil
}

// AdminUpdateUserAttributes updates attributes as an administrator
// (API reference: API_AdminUpdateUserAttributes.html). Changing an email or phone number
// that the pool auto-verifies marks it unverified and sends a code to the new value, unless
// the call also sets email_verified / phone_number_verified.
func (s *Service) AdminUpdateUserAttributes(ctx context.Context, in *AdminUpdateUserAttributesRequest) (*AdminUpdateUserAttributesResponse, error) {
	p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if _, err := s.changeAttributes(ctx, p, nil, u, in.UserAttributes); err != nil {
		return nil, err
	}
	return &AdminUpdateUserAttributesResponse{}, nil
}

// UpdateUserAttributes updates the signed-in user's attributes (API reference:
// API_UpdateUserAttributes.html), within the token's client's WriteAttributes.
func (s *Service) UpdateUserAttributes(ctx context.Context, in *UpdateUserAttributesRequest) (*UpdateUserAttributesResponse, error) {
	p, c, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	details, err := s.changeAttributes(ctx, p, c, u, in.UserAttributes)
	if err != nil {
		return nil, err
	}
	return &UpdateUserAttributesResponse{CodeDeliveryDetailsList: details}, nil
}

// changeAttributes is the body of both attribute updates.
func (s *Service) changeAttributes(ctx context.Context, p *pool, c *client, u store.User, in []AttributeType) ([]CodeDeliveryDetailsType, error) {
	updates, err := p.checkAttributes(in, c, false)
	if err != nil {
		return nil, err
	}
	if err := s.uniqueContact(ctx, p, u.UsernameKey, updates); err != nil {
		return nil, err
	}
	if err := s.checkAliases(ctx, p, u.UsernameKey, updates, false); err != nil {
		return nil, err
	}
	var requireVerification []string
	if p.spec.UserAttributeUpdateSettings != nil {
		requireVerification = p.spec.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate
	}
	type send struct{ name, value string }
	var sends []send
	updated, err := s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		sends = sends[:0]
		pending := map[string]string{}
		if err := extraField(x.Extra, pendingAttrsKey, &pending); err != nil {
			return err
		}
		for _, a := range updates {
			contact := a.Name == "email" || a.Name == "phone_number"
			explicit := attr(updates, a.Name+"_verified") != ""
			if !contact || a.Value == "" || a.Value == attr(x.Attributes, a.Name) || explicit || !p.autoVerifies(a.Name) {
				x.Attributes = applyAttribute(x.Attributes, a, explicit)
				if contact {
					delete(pending, a.Name)
				}
				continue
			}
			sends = append(sends, send{a.Name, a.Value})
			if contains(requireVerification, a.Name) && attr(x.Attributes, a.Name) != "" {
				// The current value stays until the new one is verified.
				pending[a.Name] = a.Value
				continue
			}
			delete(pending, a.Name)
			x.Attributes = applyAttribute(x.Attributes, a, false)
		}
		var pv any
		if len(pending) > 0 {
			pv = pending
		}
		extra, err := withExtraField(x.Extra, pendingAttrsKey, pv)
		if err != nil {
			return err
		}
		x.Extra = extra
		return nil
	})
	if err != nil {
		return nil, err
	}
	var details []CodeDeliveryDetailsType
	for _, sd := range sends {
		d, err := s.sendCodeMessage(ctx, p, updated, purposeVerify+sd.name, verifyCodeTTL, sd.name, sd.value)
		if err != nil {
			return nil, err
		}
		details = append(details, *d)
	}
	return details, nil
}

// applyAttribute writes one attribute: an empty value removes it (with its _verified flag
// for email and phone_number), and a changed email or phone number becomes unverified unless
// the same update sets its _verified flag (explicit).
func applyAttribute(attrs []store.Attribute, a store.Attribute, explicit bool) []store.Attribute {
	contact := a.Name == "email" || a.Name == "phone_number"
	if a.Value == "" {
		attrs = delAttr(attrs, a.Name)
		if contact {
			attrs = delAttr(attrs, a.Name+"_verified")
		}
		return attrs
	}
	if contact && !explicit && attr(attrs, a.Name) != a.Value && verified(attrs, a.Name) {
		attrs = setAttr(attrs, a.Name+"_verified", "false")
	}
	return setAttr(attrs, a.Name, a.Value)
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// AdminDeleteUserAttributes deletes attributes as an administrator
// (API reference: API_AdminDeleteUserAttributes.html).
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *AdminDeleteUserAttributesRequest) (*AdminDeleteUserAttributesResponse, error) {
	p, u, err := s.loadAdmin(ctx, in.UserPoolId, in.Username)
	if err != nil {
		return nil, err
	}
	if err := s.deleteAttributes(ctx, p, nil, u, in.UserAttributeNames); err != nil {
		return nil, err
	}
	return &AdminDeleteUserAttributesResponse{}, nil
}

// DeleteUserAttributes deletes the signed-in user's attributes (API reference:
// API_DeleteUserAttributes.html), within the token's client's WriteAttributes.
func (s *Service) DeleteUserAttributes(ctx context.Context, in *DeleteUserAttributesRequest) (*DeleteUserAttributesResponse, error) {
	p, c, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if err := s.deleteAttributes(ctx, p, c, u, in.UserAttributeNames); err != nil {
		return nil, err
	}
	return &DeleteUserAttributesResponse{}, nil
}

func (s *Service) deleteAttributes(ctx context.Context, p *pool, c *client, u store.User, names []string) error {
	in := make([]AttributeType, len(names))
	for i, n := range names {
		in[i] = AttributeType{Name: n}
	}
	dels, err := p.checkAttributes(in, c, false)
	if err != nil {
		return err
	}
	var problems []string
	for _, req := range p.requiredAttributes() {
		if attr(dels, req) == "" && contains(names, req) {
			problems = append(problems, req+": The attribute is required")
		}
	}
	if len(problems) > 0 {
		return errSchema(problems)
	}
	_, err = s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		for _, a := range dels {
			x.Attributes = applyAttribute(x.Attributes, store.Attribute{Name: a.Name}, false)
		}
		pending := map[string]string{}
		if err := extraField(x.Extra, pendingAttrsKey, &pending); err != nil {
			return err
		}
		for _, a := range dels {
			delete(pending, a.Name)
		}
		var pv any
		if len(pending) > 0 {
			pv = pending
		}
		extra, err := withExtraField(x.Extra, pendingAttrsKey, pv)
		x.Extra = extra
		return err
	})
	return err
}

// verifiableAttribute is the value a verification code for attrName goes to: a pending new
// value, else the current one. Only email and phone_number are verified with codes.
func verifiableAttribute(u store.User, attrName string) (string, error) {
	if attrName != "email" && attrName != "phone_number" {
		// Text chosen here; Cognito's could not be confirmed.
		return "", awsapi.InvalidParameter("Attribute %s cannot be verified; only email and phone_number can", attrName)
	}
	pending := map[string]string{}
	if err := extraField(u.Extra, pendingAttrsKey, &pending); err != nil {
		return "", err
	}
	if v := pending[attrName]; v != "" {
		return v, nil
	}
	if v := attr(u.Attributes, attrName); v != "" {
		return v, nil
	}
	// Text chosen here; Cognito's could not be confirmed.
	return "", awsapi.InvalidParameter("User has no %s to verify", attrName)
}

// GetUserAttributeVerificationCode sends the signed-in user a code that verifies an email
// address or phone number (API reference: API_GetUserAttributeVerificationCode.html).
func (s *Service) GetUserAttributeVerificationCode(ctx context.Context, in *GetUserAttributeVerificationCodeRequest) (*GetUserAttributeVerificationCodeResponse, error) {
	p, _, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	dest, err := verifiableAttribute(u, in.AttributeName)
	if err != nil {
		return nil, err
	}
	d, err := s.sendCodeMessage(ctx, p, u, purposeVerify+in.AttributeName, verifyCodeTTL, in.AttributeName, dest)
	if err != nil {
		return nil, err
	}
	return &GetUserAttributeVerificationCodeResponse{CodeDeliveryDetails: d}, nil
}

// VerifyUserAttribute checks a verification code: the attribute (or its pending new value)
// becomes verified (API reference: API_VerifyUserAttribute.html).
func (s *Service) VerifyUserAttribute(ctx context.Context, in *VerifyUserAttributeRequest) (*VerifyUserAttributeResponse, error) {
	p, _, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	value, err := verifiableAttribute(u, in.AttributeName)
	if err != nil {
		return nil, err
	}
	if _, taken, err := s.aliasOwner(ctx, p, u.UsernameKey, in.AttributeName, value); err != nil {
		return nil, err
	} else if taken {
		return nil, errAliasExists(in.AttributeName)
	}
	if err := s.consumeCode(ctx, p.rec.ID, u.UsernameKey, purposeVerify+in.AttributeName, in.Code); err != nil {
		return nil, err
	}
	_, err = s.updateUser(ctx, p, u.UsernameKey, func(x *store.User) error {
		pending := map[string]string{}
		if err := extraField(x.Extra, pendingAttrsKey, &pending); err != nil {
			return err
		}
		if pending[in.AttributeName] == value {
			delete(pending, in.AttributeName)
		}
		if attr(x.Attributes, in.AttributeName) != value && value != "" {
			x.Attributes = setAttr(x.Attributes, in.AttributeName, value)
		}
		x.Attributes = setAttr(x.Attributes, in.AttributeName+"_verified", "true")
		var pv any
		if len(pending) > 0 {
			pv = pending
		}
		extra, err := withExtraField(x.Extra, pendingAttrsKey, pv)
		x.Extra = extra
		return err
	})
	if err != nil {
		return nil, err
	}
	return &VerifyUserAttributeResponse{}, nil
}

// GetUser returns the signed-in user with the attributes the token's client may read
// (API reference: API_GetUser.html).
func (s *Service) GetUser(ctx context.Context, in *GetUserRequest) (*GetUserResponse, error) {
	_, c, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	m := mfaOf(u)
	return &GetUserResponse{
		Username:            u.Username,
		UserAttributes:      toAttributeTypes(u.Attributes, readableBy(c)),
		MFAOptions:          m.MFAOptions,
		PreferredMfaSetting: m.PreferredMfaSetting,
		UserMFASettingList:  m.UserMFASettingList,
	}, nil
}

// DeleteUser deletes the signed-in user (API reference: API_DeleteUser.html).
func (s *Service) DeleteUser(ctx context.Context, in *DeleteUserRequest) (*struct{}, error) {
	p, _, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, s.removeUser(ctx, p, u)
}
