package identitypool

import (
	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// AWS error codes and message texts of the Cognito Identity API
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/CommonErrors.html and each
// operation's Errors section). The texts marked "confirmed" appear in responses quoted in
// public issue threads (see docs/dev/aws-behaviour.md#identity-pool-errors); the others are
// guessed and listed in docs/identitypools.md.

// confirmed
func errUnauthenticatedNotSupported() *awsapi.Error {
	return awsapi.NotAuthorized("Unauthenticated access is not supported for this identity pool.")
}

// confirmed
func errUnsupportedProvider() *awsapi.Error {
	return awsapi.NotAuthorized("Token is not from a supported provider of this identity pool.")
}

// confirmed
func errIssuerMismatch() *awsapi.Error {
	return awsapi.NotAuthorized("Invalid login token. Issuer doesn't match providerName")
}

// confirmed (an access token has no aud)
func errMissingAud() *awsapi.Error {
	return awsapi.NotAuthorized("Invalid login token. Missing a required claim: aud")
}

// confirmed: "Invalid login token. Token expired: {now} >= {exp}" in epoch seconds.
func errTokenExpired(now, exp int64) *awsapi.Error {
	return awsapi.NotAuthorized("Invalid login token. Token expired: %d >= %d", now, exp)
}

// confirmed (the answer to a token whose signature does not verify)
func errCannotVerify() *awsapi.Error {
	return awsapi.NotAuthorized("Invalid login token. Couldn't verify signed token.")
}

// guessed: ServerSideTokenCheck found the user gone, disabled or signed out.
func errTokenRevoked() *awsapi.Error {
	return awsapi.NotAuthorized("Invalid login token. Token has been revoked.")
}

// confirmed
func errLoginsDontMatch() *awsapi.Error {
	return awsapi.NotAuthorized("Logins don't match. Please include at least one valid login for this identity or identity pool.")
}

// confirmed
func errInvalidPoolConfiguration() *awsapi.Error {
	return awsapi.NewError("InvalidIdentityPoolConfigurationException", "Invalid identity pool configuration. Check assigned IAM roles for this pool.")
}

// "IdentityPool 'us-east-1:…' not found." (as Cognito answers DescribeIdentityPool for an
// unknown id; from memory of real responses, not from a quoted source: treat as guessed)
func errPoolNotFound(id string) *awsapi.Error {
	return awsapi.ResourceNotFound("IdentityPool '%s' not found.", id)
}

// guessed, worded like errPoolNotFound
func errIdentityNotFound(id string) *awsapi.Error {
	return awsapi.ResourceNotFound("Identity '%s' not found.", id)
}

// guessed: role mapping resolution found no role and AmbiguousRoleResolution is Deny.
func errAmbiguousDeny(provider string) *awsapi.Error {
	return awsapi.NotAuthorized("Ambiguous role mapping rules for: %s", provider)
}

// guessed: CustomRoleArn is not one of the token's cognito:roles.
func errCustomRole() *awsapi.Error {
	return awsapi.NotAuthorized("Invalid CustomRoleArn: it is not one of the roles in the login token.")
}

// guessed
func errBadNextToken() *awsapi.Error {
	return awsapi.InvalidParameter("Invalid pagination token.")
}

// unverifiableProviders is Gatehouse's own refusal of the providers it cannot verify.
func errUnverifiableProvider(field string) *awsapi.Error {
	return awsapi.InvalidParameter("%s is not supported: Gatehouse verifies logins from Amazon Cognito user pools only (CognitoIdentityProviders). A login from another provider could not be verified, so it is not accepted.", field)
}
