package userpool

import "strings"

// Defaults Cognito fills into a user pool created or updated through the API, as
// DescribeUserPool shows them. Sources: the API reference
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolType.html,
// API_PasswordPolicyType.html, API_AdminCreateUserConfigType.html) and the DescribeUserPool
// example output that ships with the AWS CLI (awscli/examples/cognito-idp/describe-user-pool.rst),
// which is where the standard attribute schema below is copied from.

// Default message texts of a new pool. The verification texts are the ones DescribeUserPool
// shows for a pool created without VerificationMessageTemplate; the invitation texts are those
// of AdminCreateUserConfig.InviteMessageTemplate (both as AWS CLI examples and moto record them).
const (
	poolDefaultVerifyMessage = "Your verification code is {####}. "
	poolDefaultVerifySubject = "Your verification code"
	poolDefaultInviteMessage = "Your username is {username} and temporary password is {####}. "
	poolDefaultInviteSubject = "Your temporary password"
)

const (
	defaultTemporaryPasswordDays = 7
	defaultMinimumPasswordLength = 8
	// maxCustomAttributes is Cognito's quota of custom attributes per pool (developer guide:
	// limits.html, "Custom attributes per user pool": 50).
	maxCustomAttributes = 50
)

// standardSchema returns Cognito's standard attributes in the order and with the settings
// DescribeUserPool lists them (AWS CLI example output of describe-user-pool). It returns a new
// slice on every call so callers may modify it.
func standardSchema() []SchemaAttributeType {
	str := func(name string, mutable, required bool, minLen, maxLen string) SchemaAttributeType {
		return SchemaAttributeType{
			Name: name, AttributeDataType: "String",
			DeveloperOnlyAttribute: ptr(false), Mutable: ptr(mutable), Required: ptr(required),
			StringAttributeConstraints: &StringAttributeConstraintsType{MinLength: minLen, MaxLength: maxLen},
		}
	}
	boolean := func(name string) SchemaAttributeType {
		return SchemaAttributeType{
			Name: name, AttributeDataType: "Boolean",
			DeveloperOnlyAttribute: ptr(false), Mutable: ptr(true), Required: ptr(false),
		}
	}
	return []SchemaAttributeType{
		str("sub", false, true, "1", "2048"),
		str("name", true, false, "0", "2048"),
		str("given_name", true, false, "0", "2048"),
		str("family_name", true, false, "0", "2048"),
		str("middle_name", true, false, "0", "2048"),
		str("nickname", true, false, "0", "2048"),
		str("preferred_username", true, false, "0", "2048"),
		str("profile", true, false, "0", "2048"),
		str("picture", true, false, "0", "2048"),
		str("website", true, false, "0", "2048"),
		str("email", true, false, "0", "2048"),
		boolean("email_verified"),
		str("gender", true, false, "0", "2048"),
		str("birthdate", true, false, "10", "10"),
		str("zoneinfo", true, false, "0", "2048"),
		str("locale", true, false, "0", "2048"),
		str("phone_number", true, false, "0", "2048"),
		boolean("phone_number_verified"),
		str("address", true, false, "0", "2048"),
		{
			Name: "updated_at", AttributeDataType: "Number",
			DeveloperOnlyAttribute: ptr(false), Mutable: ptr(true), Required: ptr(false),
			NumberAttributeConstraints: &NumberAttributeConstraintsType{MinValue: "0"},
		},
		{
			// DescribeUserPool shows identities with empty string constraints.
			Name: "identities", AttributeDataType: "String",
			DeveloperOnlyAttribute: ptr(false), Mutable: ptr(true), Required: ptr(false),
			StringAttributeConstraints: &StringAttributeConstraintsType{},
		},
	}
}

// schemaIndex returns the index of the attribute called name in schema, or -1.
func schemaIndex(schema []SchemaAttributeType, name string) int {
	for i := range schema {
		if schema[i].Name == name {
			return i
		}
	}
	return -1
}

// isStandardSchemaAttribute reports whether name is one of Cognito's standard attributes.
func isStandardSchemaAttribute(name string) bool {
	return schemaIndex(standardSchema(), name) >= 0
}

// schemaAttribute returns the pool's schema entry for a standard attribute ("email") or a
// custom one ("custom:team"); a developer-only attribute is found both as "dev:custom:x" and
// as "custom:x". Pools whose spec has no schema (created outside CreateUserPool) have the
// standard attributes only.
func (p *pool) schemaAttribute(name string) (SchemaAttributeType, bool) {
	schema := p.attributeSchema()
	for _, a := range schema {
		if a.Name == name {
			return a, true
		}
	}
	if strings.HasPrefix(name, "custom:") {
		for _, a := range schema {
			if a.Name == "dev:"+name {
				return a, true
			}
		}
	}
	return SchemaAttributeType{}, false
}

// attributeSchema returns the pool's attribute schema: standard attributes first, then custom ones.
func (p *pool) attributeSchema() []SchemaAttributeType {
	if len(p.spec.SchemaAttributes) == 0 {
		return standardSchema()
	}
	return p.spec.SchemaAttributes
}

// applyPoolDefaults fills in what Cognito fills in for settings a CreateUserPool or
// UpdateUserPool request left out. It is idempotent, so it also runs on Describe for pools
// stored by older code.
func applyPoolDefaults(spec *UserPoolType) {
	if spec.Policies == nil {
		spec.Policies = &UserPoolPolicyType{}
	}
	spec.Policies.PasswordPolicy = defaultPasswordPolicy(spec.Policies.PasswordPolicy, spec.AdminCreateUserConfig)
	if spec.Policies.SignInPolicy == nil || len(spec.Policies.SignInPolicy.AllowedFirstAuthFactors) == 0 {
		// API reference: SignInPolicyType; a pool signs in with a password first by default.
		spec.Policies.SignInPolicy = &SignInPolicyType{AllowedFirstAuthFactors: []string{"PASSWORD"}}
	}
	if spec.DeletionProtection == "" {
		spec.DeletionProtection = "INACTIVE"
	}
	if spec.MfaConfiguration == "" {
		spec.MfaConfiguration = "OFF"
	}
	if spec.LambdaConfig == nil {
		spec.LambdaConfig = &LambdaConfigType{}
	}
	if spec.UserPoolTier == "" {
		spec.UserPoolTier = "ESSENTIALS"
	}
	if len(spec.SchemaAttributes) == 0 {
		spec.SchemaAttributes = standardSchema()
	}
	applyAdminCreateUserDefaults(spec)
	applyVerificationDefaults(spec)
	if spec.EmailConfiguration == nil {
		spec.EmailConfiguration = &EmailConfigurationType{}
	}
	if spec.EmailConfiguration.EmailSendingAccount == "" {
		spec.EmailConfiguration.EmailSendingAccount = "COGNITO_DEFAULT"
	}
	// AccountRecoverySetting stays absent when none was given: AWS then "uses the legacy
	// behavior to determine the recovery method where SMS is preferred through email" (API
	// reference: AccountRecoverySettingType) and DescribeUserPool shows no setting; see
	// recoveryTarget.
	if spec.UserAttributeUpdateSettings == nil {
		spec.UserAttributeUpdateSettings = &UserAttributeUpdateSettingsType{}
	}
}

// defaultPasswordPolicy completes a password policy as Cognito stores it: with no policy at
// all every character class is required; with a policy, a class left out is not required
// (pool.passwordPolicy does the same). A TemporaryPasswordValidityDays of 0 means the default
// (API reference: PasswordPolicyType); the legacy UnusedAccountValidityDays stands in for it.
func defaultPasswordPolicy(in *PasswordPolicyType, acu *AdminCreateUserConfigType) *PasswordPolicyType {
	p := (&pool{spec: UserPoolType{Policies: &UserPoolPolicyType{PasswordPolicy: in}}}).passwordPolicy()
	if in == nil || in.TemporaryPasswordValidityDays == nil || *in.TemporaryPasswordValidityDays == 0 {
		days := int64(defaultTemporaryPasswordDays)
		if acu != nil && acu.UnusedAccountValidityDays != nil && *acu.UnusedAccountValidityDays > 0 {
			days = *acu.UnusedAccountValidityDays
		}
		p.TemporaryPasswordValidityDays = ptr(days)
	}
	return &p
}

func applyAdminCreateUserDefaults(spec *UserPoolType) {
	if spec.AdminCreateUserConfig == nil {
		spec.AdminCreateUserConfig = &AdminCreateUserConfigType{}
	}
	acu := spec.AdminCreateUserConfig
	if acu.AllowAdminCreateUserOnly == nil {
		acu.AllowAdminCreateUserOnly = ptr(false)
	}
	// DescribeUserPool shows the legacy UnusedAccountValidityDays equal to the temporary
	// password validity (AWS CLI example: both 1).
	acu.UnusedAccountValidityDays = ptr(*spec.Policies.PasswordPolicy.TemporaryPasswordValidityDays)
	if acu.InviteMessageTemplate == nil {
		acu.InviteMessageTemplate = &MessageTemplateType{}
	}
	t := acu.InviteMessageTemplate
	if t.SMSMessage == "" {
		t.SMSMessage = poolDefaultInviteMessage
	}
	if t.EmailMessage == "" {
		t.EmailMessage = poolDefaultInviteMessage
	}
	if t.EmailSubject == "" {
		t.EmailSubject = poolDefaultInviteSubject
	}
}

// applyVerificationDefaults fills VerificationMessageTemplate and mirrors it into the legacy
// top-level SmsVerificationMessage / EmailVerificationMessage / EmailVerificationSubject, as
// DescribeUserPool shows both. A legacy field given without the template fills the template.
func applyVerificationDefaults(spec *UserPoolType) {
	if spec.VerificationMessageTemplate == nil {
		spec.VerificationMessageTemplate = &VerificationMessageTemplateType{}
	}
	t := spec.VerificationMessageTemplate
	t.SmsMessage = poolFirstNonEmpty(t.SmsMessage, spec.SmsVerificationMessage, poolDefaultVerifyMessage)
	t.EmailMessage = poolFirstNonEmpty(t.EmailMessage, spec.EmailVerificationMessage, poolDefaultVerifyMessage)
	t.EmailSubject = poolFirstNonEmpty(t.EmailSubject, spec.EmailVerificationSubject, poolDefaultVerifySubject)
	if t.DefaultEmailOption == "" {
		t.DefaultEmailOption = "CONFIRM_WITH_CODE"
	}
	spec.SmsVerificationMessage = t.SmsMessage
	spec.EmailVerificationMessage = t.EmailMessage
	spec.EmailVerificationSubject = t.EmailSubject
}

func poolFirstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
