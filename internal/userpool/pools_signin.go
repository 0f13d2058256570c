package userpool

import (
	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// The pool's SignInPolicy: which factors a user may sign in with first in the USER_AUTH flow
// (API reference: SignInPolicyType, AllowedFirstAuthFactors: 1–4 of PASSWORD, EMAIL_OTP,
// SMS_OTP, WEB_AUTHN; developer guide: authentication-flows-selection-sdk).

// checkSignInPolicy checks the factors a CreateUserPool or UpdateUserPool request allows and
// removes repeats. PASSWORD cannot be left out: Cognito keeps password sign-in available in
// every pool (the console offers no way to turn it off, and the AWS CDK refuses a policy
// without it, "password authentication must be enabled"); AWS's exact message is not
// confirmed. WEB_AUTHN is refused until Gatehouse has passkeys.
func checkSignInPolicy(pol *UserPoolPolicyType) error {
	if pol == nil || pol.SignInPolicy == nil {
		return nil
	}
	factors := uniqueNames(pol.SignInPolicy.AllowedFirstAuthFactors)
	if len(factors) == 0 || len(factors) > 4 {
		// The model's 1–4 (the awsapi validator checks it on the wire).
		return poolValidationError("[]", "policies.signInPolicy.allowedFirstAuthFactors", "Member must have length less than or equal to 4 and greater than or equal to 1")
	}
	password := false
	for _, f := range factors {
		switch f {
		case factorPassword:
			password = true
		case factorEmailOTP, factorSMSOTP:
		case factorWebAuthn:
			return awsapi.InvalidParameter("Gatehouse does not support WEB_AUTHN (passkeys) in SignInPolicy.AllowedFirstAuthFactors yet; remove it from the request")
		default:
			return poolValidationError(f, "policies.signInPolicy.allowedFirstAuthFactors.member", "Member must satisfy enum value set: [PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN]")
		}
	}
	if !password {
		return awsapi.InvalidParameter("SignInPolicy.AllowedFirstAuthFactors must include PASSWORD.")
	}
	pol.SignInPolicy.AllowedFirstAuthFactors = factors
	return nil
}

// checkSignInPolicyTier refuses sign-in with one-time passwords in a Lite pool: choice-based
// sign-in needs the Essentials tier or higher (API reference: SignInPolicyType, "To activate
// this setting, your user pool must be in the Essentials tier or higher").
func checkSignInPolicyTier(spec *UserPoolType) error {
	if spec.UserPoolTier != "LITE" || spec.Policies == nil || spec.Policies.SignInPolicy == nil {
		return nil
	}
	for _, f := range spec.Policies.SignInPolicy.AllowedFirstAuthFactors {
		if f != factorPassword {
			return awsapi.NewError("FeatureUnavailableInTierException", "SignInPolicy with %s requires the ESSENTIALS or PLUS user pool tier.", f)
		}
	}
	return nil
}
