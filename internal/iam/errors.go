package iam

import (
	"fmt"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// IAM's errors, as awsapi.Error{Type: the error code, Message, Status}. Codes and statuses
// are the service model's (botocore data/iam/2010-05-08/service-2.json: each error shape's
// "error": {"code", "httpStatusCode"}) or, for the errors common to every query API, the
// IAM API reference's "Common Errors" page (InvalidAction 400, MissingAction 400,
// InvalidClientTokenId 403, ValidationError 400).
//
// Message texts marked "confirmed" were seen in real IAM answers quoted in public issue
// threads; "guessed" ones follow the confirmed ones' pattern and are listed in
// docs/iam-api.md.

func iamError(code string, status int, format string, args ...any) *awsapi.Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &awsapi.Error{Type: code, Message: msg, Status: status}
}

// noSuchEntity is NoSuchEntity (404).
func noSuchEntity(format string, args ...any) *awsapi.Error {
	return iamError("NoSuchEntity", http.StatusNotFound, format, args...)
}

// Confirmed: "The role with name lambda-basic-execution cannot be found." (GetRole) and
// "The role with name cannot be found." (ListRolePolicies).
func noSuchRole(name string) *awsapi.Error {
	return noSuchEntity("The role with name %s cannot be found.", name)
}

// Guessed, after the role's.
func noSuchUser(name string) *awsapi.Error {
	return noSuchEntity("The user with name %s cannot be found.", name)
}

// Guessed, after the role's.
func noSuchRolePolicy(role, policyName string) *awsapi.Error {
	return noSuchEntity("The role policy with name %s cannot be found.", policyName)
}

// Guessed, after the role's.
func noSuchUserPolicy(user, policyName string) *awsapi.Error {
	return noSuchEntity("The user policy with name %s cannot be found.", policyName)
}

// Guessed.
func noSuchAccessKey(id string) *awsapi.Error {
	return noSuchEntity("The Access Key with id %s cannot be found.", id)
}

// entityAlreadyExists is EntityAlreadyExists (409). Guessed texts: "Role with name X
// already exists." and "User with name X already exists.".
func entityAlreadyExists(kind, name string) *awsapi.Error {
	return iamError("EntityAlreadyExists", http.StatusConflict, "%s with name %s already exists.", kind, name)
}

// deleteConflict is DeleteConflict (409). Confirmed: "Cannot delete entity, must delete
// policies first." and "Cannot delete entity, must delete access keys first.".
func deleteConflict(what string) *awsapi.Error {
	return iamError("DeleteConflict", http.StatusConflict, "Cannot delete entity, must delete %s first.", what)
}

// limitExceeded is LimitExceeded (409).
func limitExceeded(format string, args ...any) *awsapi.Error {
	return iamError("LimitExceeded", http.StatusConflict, format, args...)
}

// malformedPolicy is MalformedPolicyDocument (400).
func malformedPolicy(format string, args ...any) *awsapi.Error {
	return iamError("MalformedPolicyDocument", http.StatusBadRequest, format, args...)
}

// invalidInput is InvalidInput (400).
func invalidInput(format string, args ...any) *awsapi.Error {
	return iamError("InvalidInput", http.StatusBadRequest, format, args...)
}

// validationError is ValidationError (400), the code IAM answers a request that breaks a
// member's constraints with (Coral's "N validation errors detected: …").
func validationError(format string, args ...any) *awsapi.Error {
	return iamError("ValidationError", http.StatusBadRequest, format, args...)
}

// Confirmed (IAM, STS: InvalidClientTokenId 403).
const msgInvalidClientToken = "The security token included in the request is invalid."

func invalidClientTokenID() *awsapi.Error {
	return iamError("InvalidClientTokenId", http.StatusForbidden, msgInvalidClientToken)
}

// nonUserCaller is the answer to an operation that defaults to the caller's user when the
// caller is not a user (temporary credentials). Recalled from IAM answers, unconfirmed:
// "Must specify userName when calling with non-User credentials".
func nonUserCaller() *awsapi.Error {
	return validationError("Must specify userName when calling with non-User credentials")
}

// serviceFailure is what a client sees for anything that is not an *awsapi.Error: the
// model's ServiceFailure (500), without detail.
var serviceFailure = awsapi.Error{Type: "ServiceFailure", Message: "Internal server error.", Status: http.StatusInternalServerError}
