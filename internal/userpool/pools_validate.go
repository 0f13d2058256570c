package userpool

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// Validation of CreateUserPool and UpdateUserPool input beyond what the service model says
// (the awsapi validator has already checked required members, lengths, patterns, ranges and
// enums). Where a check repeats a model rule it is only so that a handler called directly
// (tests, CloudFormation provisioning) cannot store a pool AWS would refuse; its message then
// has the validator's "1 validation error detected" form.

// validationError is AWS's message for a value that breaks a model constraint.
func poolValidationError(value, member, constraint string) *awsapi.Error {
	return awsapi.InvalidParameter("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

// poolSettings are the settings CreateUserPool and UpdateUserPool share.
type poolSettings struct {
	policies               *UserPoolPolicyType
	adminCreateUserConfig  *AdminCreateUserConfigType
	autoVerifiedAttributes []string
}

// validatePoolSettings checks the settings both operations accept.
func validatePoolSettings(in poolSettings) error {
	if pp := passwordPolicyOf(in.policies); pp != nil {
		// PasswordPolicyType: MinimumLength 6–99, TemporaryPasswordValidityDays 0–365 (model).
		if v := pp.MinimumLength; v != nil && (*v < 6 || *v > 99) {
			return poolRangeError(*v, "policies.passwordPolicy.minimumLength", 6, 99)
		}
		if v := pp.TemporaryPasswordValidityDays; v != nil && (*v < 0 || *v > 365) {
			return poolRangeError(*v, "policies.passwordPolicy.temporaryPasswordValidityDays", 0, 365)
		}
		if v := pp.PasswordHistorySize; v != nil && (*v < 0 || *v > 24) {
			return poolRangeError(*v, "policies.passwordPolicy.passwordHistorySize", 0, 24)
		}
		// Once TemporaryPasswordValidityDays is set, the legacy UnusedAccountValidityDays may
		// not be (API reference: PasswordPolicyType); AWS's refusal is quoted in the
		// Terraform AWS provider, which retries UpdateUserPool without the legacy field.
		if t := pp.TemporaryPasswordValidityDays; t != nil && *t != 0 &&
			in.adminCreateUserConfig != nil && in.adminCreateUserConfig.UnusedAccountValidityDays != nil {
			return awsapi.InvalidParameter("Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays")
		}
	}
	if acu := in.adminCreateUserConfig; acu != nil && acu.UnusedAccountValidityDays != nil {
		if v := *acu.UnusedAccountValidityDays; v < 0 || v > 365 {
			return poolRangeError(v, "adminCreateUserConfig.unusedAccountValidityDays", 0, 365)
		}
	}
	if err := checkSignInPolicy(in.policies); err != nil {
		return err
	}
	return checkPoolAttributeList(in.autoVerifiedAttributes, "autoVerifiedAttributes", "phone_number", "email")
}

func passwordPolicyOf(p *UserPoolPolicyType) *PasswordPolicyType {
	if p == nil {
		return nil
	}
	return p.PasswordPolicy
}

func poolRangeError(v int64, member string, lo, hi int64) *awsapi.Error {
	if v < lo {
		return poolValidationError(strconv.FormatInt(v, 10), member, fmt.Sprintf("Member must have value greater than or equal to %d", lo))
	}
	return poolValidationError(strconv.FormatInt(v, 10), member, fmt.Sprintf("Member must have value less than or equal to %d", hi))
}

// checkPoolAttributeList checks a list of attribute names against the values the model
// allows. Repeats are not refused (AWS's answer to them is not known); the spec keeps one.
func checkPoolAttributeList(values []string, member string, allowed ...string) error {
	for _, v := range values {
		ok := false
		for _, a := range allowed {
			ok = ok || v == a
		}
		if !ok {
			return poolValidationError("["+strings.Join(values, ", ")+"]", member,
				"Member must satisfy constraint: [Member must satisfy enum value set: ["+strings.Join(allowed, ", ")+"]]")
		}
	}
	return nil
}

// uniqueNames returns values without repeats, in their first order (nil for none).
func uniqueNames(values []string) []string {
	var out []string
	for _, v := range values {
		dup := false
		for _, o := range out {
			dup = dup || o == v
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// validateSignInAttributes checks UsernameAttributes and AliasAttributes, which only
// CreateUserPool sets. A pool has one or the other: "Only one of the aliasAttributes or
// usernameAttributes can be set in a User Pool." (AWS's InvalidParameterException text as
// quoted in public issue threads and CloudFormation error reports; the capitalisation of
// "User Pool" varies between quotes.)
func validateSignInAttributes(usernameAttrs, aliasAttrs []string) error {
	if len(usernameAttrs) > 0 && len(aliasAttrs) > 0 {
		return awsapi.InvalidParameter("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")
	}
	if err := checkPoolAttributeList(usernameAttrs, "usernameAttributes", "phone_number", "email"); err != nil {
		return err
	}
	return checkPoolAttributeList(aliasAttrs, "aliasAttributes", "phone_number", "email", "preferred_username")
}

// buildSchema turns CreateUserPool's Schema into the pool's full attribute schema: the
// standard attributes, with the overrides the request gives for them (Required, Mutable,
// constraints), followed by its custom attributes, named custom:x (dev:custom:x when
// developer-only). API reference: SchemaAttributeType; messages as moto records Cognito's.
func buildSchema(in []SchemaAttributeType) ([]SchemaAttributeType, error) {
	schema := standardSchema()
	seen := map[string]bool{}
	custom := 0
	for _, a := range in {
		if i := schemaIndex(schema, a.Name); i >= 0 && isStandardSchemaAttribute(a.Name) {
			if seen[a.Name] {
				return nil, awsapi.InvalidParameter("%s: Existing attribute already has name %s.", a.Name, a.Name)
			}
			seen[a.Name] = true
			merged, err := overrideStandard(schema[i], a)
			if err != nil {
				return nil, err
			}
			schema[i] = merged
			continue
		}
		attr, err := customSchemaAttribute(a)
		if err != nil {
			return nil, err
		}
		if schemaIndex(schema, attr.Name) >= 0 {
			return nil, awsapi.InvalidParameter("custom:%s: Existing attribute already has name %s.", customBaseName(a.Name), attr.Name)
		}
		schema = append(schema, attr)
		custom++
	}
	if custom > maxCustomAttributes {
		// Quota "Custom attributes per user pool" (developer guide: limits.html). The exact
		// AWS message is not confirmed.
		return nil, awsapi.NewError("LimitExceededException", "The user pool has reached the limit of %d custom attributes.", maxCustomAttributes)
	}
	return schema, nil
}

// overrideStandard applies a Schema entry naming a standard attribute. Its data type cannot
// change and it cannot become developer-only.
func overrideStandard(std, a SchemaAttributeType) (SchemaAttributeType, error) {
	if (a.AttributeDataType != "" && a.AttributeDataType != std.AttributeDataType) ||
		(a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute) {
		return std, awsapi.InvalidParameter("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", std.Name)
	}
	if a.Mutable != nil {
		std.Mutable = ptr(*a.Mutable)
	}
	if a.Required != nil {
		std.Required = ptr(*a.Required)
	}
	switch std.AttributeDataType {
	case "String":
		if a.StringAttributeConstraints != nil {
			c, err := checkStringConstraints(std.Name, a.StringAttributeConstraints)
			if err != nil {
				return std, err
			}
			std.StringAttributeConstraints = c
		}
	case "Number":
		if a.NumberAttributeConstraints != nil {
			c, err := checkNumberConstraints(std.Name, a.NumberAttributeConstraints)
			if err != nil {
				return std, err
			}
			std.NumberAttributeConstraints = c
		}
	}
	return std, nil
}

// customBaseName is a custom attribute's name without the custom: prefix a caller may have
// written out.
func customBaseName(name string) string { return strings.TrimPrefix(name, "custom:") }

// customSchemaAttribute builds a custom attribute: it needs a data type, cannot be required,
// and is mutable unless it says otherwise. A String attribute without constraints shows empty
// ones, as Cognito does.
func customSchemaAttribute(a SchemaAttributeType) (SchemaAttributeType, error) {
	base := customBaseName(a.Name)
	name := "custom:" + base
	devOnly := a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute
	if devOnly {
		name = "dev:" + name
	}
	switch a.AttributeDataType {
	case "String", "Number", "DateTime", "Boolean":
	case "":
		return a, awsapi.InvalidParameter("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")
	default:
		return a, poolValidationError(a.AttributeDataType, "schema.member.attributeDataType",
			"Member must satisfy enum value set: [Boolean, Number, String, DateTime]")
	}
	if a.Required != nil && *a.Required {
		// Cognito's text, as CloudFormation stacks and moto's tests quote it.
		return a, awsapi.InvalidParameter("Required custom attributes are not supported currently.")
	}
	out := SchemaAttributeType{
		Name: name, AttributeDataType: a.AttributeDataType,
		DeveloperOnlyAttribute: ptr(devOnly), Mutable: ptr(true), Required: ptr(false),
	}
	if a.Mutable != nil {
		out.Mutable = ptr(*a.Mutable)
	}
	switch a.AttributeDataType {
	case "String":
		out.StringAttributeConstraints = &StringAttributeConstraintsType{}
		if a.StringAttributeConstraints != nil {
			c, err := checkStringConstraints(name, a.StringAttributeConstraints)
			if err != nil {
				return a, err
			}
			out.StringAttributeConstraints = c
		}
	case "Number":
		if a.NumberAttributeConstraints != nil {
			c, err := checkNumberConstraints(name, a.NumberAttributeConstraints)
			if err != nil {
				return a, err
			}
			out.NumberAttributeConstraints = c
		}
	}
	return out, nil
}

// constraintLimit parses a constraint bound (a decimal string); "" means unset.
func constraintLimit(attr, kind, s string) (int64, bool, error) {
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false, awsapi.InvalidParameter("Invalid %s for schema attribute %s", kind, attr)
	}
	return n, true, nil
}

// checkStringConstraints: lengths are whole numbers up to 2048, min not above max.
func checkStringConstraints(attr string, c *StringAttributeConstraintsType) (*StringAttributeConstraintsType, error) {
	lo, hasLo, err := constraintLimit(attr, "StringAttributeConstraints", c.MinLength)
	if err != nil {
		return nil, err
	}
	hi, hasHi, err := constraintLimit(attr, "StringAttributeConstraints", c.MaxLength)
	if err != nil {
		return nil, err
	}
	if lo > 2048 || hi > 2048 {
		return nil, awsapi.InvalidParameter("user.%s: String attributes cannot have a length of more than 2048", attr)
	}
	if hasLo && hasHi && lo > hi {
		return nil, awsapi.InvalidParameter("user.%s: Max length cannot be less than min length.", attr)
	}
	return &StringAttributeConstraintsType{MinLength: c.MinLength, MaxLength: c.MaxLength}, nil
}

// checkNumberConstraints: bounds are whole numbers, min not above max.
func checkNumberConstraints(attr string, c *NumberAttributeConstraintsType) (*NumberAttributeConstraintsType, error) {
	lo, hasLo, err := constraintLimit(attr, "NumberAttributeConstraints", c.MinValue)
	if err != nil {
		return nil, err
	}
	hi, hasHi, err := constraintLimit(attr, "NumberAttributeConstraints", c.MaxValue)
	if err != nil {
		return nil, err
	}
	if hasLo && hasHi && lo > hi {
		return nil, awsapi.InvalidParameter("user.%s: Max value cannot be less than min value.", attr)
	}
	return &NumberAttributeConstraintsType{MinValue: c.MinValue, MaxValue: c.MaxValue}, nil
}

// refuseUnsupported refuses pool settings whose behaviour Gatehouse does not implement yet and
// that change who may sign in or what tokens say: storing them and going on without them would
// let users in that the setting is meant to stop. Each refusal names the setting.
func refuseUnsupported(mfa string, lc *LambdaConfigType, addOns *UserPoolAddOnsType, policies *UserPoolPolicyType) error {
	unsupported := func(what string) error {
		return awsapi.InvalidParameter("Gatehouse does not support %s yet; remove it from the request", what)
	}
	// OPTIONAL is accepted: it lets users opt in to MFA, and as no user can set MFA up here
	// yet, every user signs in as under OFF. ON would require a second factor of everyone.
	if mfa == "ON" {
		return unsupported("MfaConfiguration ON (multi-factor authentication)")
	}
	if lc != nil {
		for name, arn := range map[string]string{
			"PreSignUp": lc.PreSignUp, "CustomMessage": lc.CustomMessage, "PostConfirmation": lc.PostConfirmation,
			"PreAuthentication": lc.PreAuthentication, "PostAuthentication": lc.PostAuthentication,
			"DefineAuthChallenge": lc.DefineAuthChallenge, "CreateAuthChallenge": lc.CreateAuthChallenge,
			"VerifyAuthChallengeResponse": lc.VerifyAuthChallengeResponse, "PreTokenGeneration": lc.PreTokenGeneration,
			"UserMigration": lc.UserMigration,
		} {
			if arn != "" {
				return unsupported("the LambdaConfig." + name + " trigger (Lambda triggers are not run)")
			}
		}
		if lc.PreTokenGenerationConfig != nil || lc.CustomSMSSender != nil || lc.CustomEmailSender != nil || lc.InboundFederation != nil {
			return unsupported("LambdaConfig triggers (Lambda triggers are not run)")
		}
	}
	if addOns != nil && addOns.AdvancedSecurityMode != "" && addOns.AdvancedSecurityMode != "OFF" {
		return unsupported("UserPoolAddOns.AdvancedSecurityMode " + addOns.AdvancedSecurityMode + " (threat protection)")
	}
	if pp := passwordPolicyOf(policies); pp != nil && pp.PasswordHistorySize != nil && *pp.PasswordHistorySize > 0 {
		return unsupported("PasswordPolicy.PasswordHistorySize (password history)")
	}
	return nil
}
