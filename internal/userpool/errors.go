package userpool

import (
	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// AWS error codes and message texts of the Cognito Identity Provider API
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html
// and each operation's Errors section). Messages are the ones Cognito answers with.

func errPoolNotFound(id string) *awsapi.Error {
	return awsapi.ResourceNotFound("User pool %s does not exist.", id)
}

func errClientNotFound(id string) *awsapi.Error {
	return awsapi.ResourceNotFound("User pool client %s does not exist.", id)
}

func errUserNotFound() *awsapi.Error {
	return awsapi.NewError("UserNotFoundException", "User does not exist.")
}

func errIncorrectCredentials() *awsapi.Error {
	return awsapi.NotAuthorized("Incorrect username or password.")
}

func errUserDisabled() *awsapi.Error { return awsapi.NotAuthorized("User is disabled.") }

func errUserNotConfirmed() *awsapi.Error {
	return awsapi.NewError("UserNotConfirmedException", "User is not confirmed.")
}

func errUsernameExists() *awsapi.Error {
	return awsapi.NewError("UsernameExistsException", "User already exists")
}

func errCodeMismatch() *awsapi.Error {
	return awsapi.NewError("CodeMismatchException", "Invalid verification code provided, please try again.")
}

func errExpiredCode() *awsapi.Error {
	return awsapi.NewError("ExpiredCodeException", "Invalid code provided, please request a code again.")
}

func errPasswordResetRequired() *awsapi.Error {
	return awsapi.NewError("PasswordResetRequiredException", "Password reset required for the user")
}

func errInvalidAccessToken() *awsapi.Error { return awsapi.NotAuthorized("Invalid Access Token") }

func errAccessTokenRevoked() *awsapi.Error {
	return awsapi.NotAuthorized("Access Token has been revoked")
}
