package awsapi

import (
	"fmt"
	"net/http"
)

// Error is an error a client is meant to see: AWS's error code (`__type`), its message text
// and the HTTP status AWS answers it with.
type Error struct {
	Type    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

// NewError returns a client-visible error with status 400, the status AWS uses for every
// modelled client error of the Cognito APIs.
func NewError(typ, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &Error{Type: typ, Message: msg, Status: http.StatusBadRequest}
}

// Common errors. The message text is AWS's where AWS's is known.
func InvalidParameter(format string, args ...any) *Error {
	return NewError("InvalidParameterException", format, args...)
}

func NotAuthorized(format string, args ...any) *Error {
	return NewError("NotAuthorizedException", format, args...)
}

func ResourceNotFound(format string, args ...any) *Error {
	return NewError("ResourceNotFoundException", format, args...)
}

// Serialization is answered when the body is not JSON or a member has the wrong JSON type.
func Serialization(format string, args ...any) *Error {
	return NewError("SerializationException", format, args...)
}

// internalError is what a client sees for anything that is not an *Error.
var internalError = Error{Type: "InternalErrorException", Message: "Internal server error.", Status: http.StatusInternalServerError}
