package gateway

import (
	"context"
	"time"
)

// Authorizer decides whether a request may reach its method's integration, and who is calling
// (developer guide: "Control and manage access to REST APIs in API Gateway").
//
// Authorize returns the caller's Principal, or an error:
//   - a *Response for a refusal the client is meant to see: a wrong, missing or expired
//     credential is UNAUTHORIZED, ACCESS_DENIED, EXPIRED_TOKEN, INVALID_SIGNATURE or
//     MISSING_AUTHENTICATION_TOKEN; a broken authorizer is AUTHORIZER_FAILURE or
//     AUTHORIZER_CONFIGURATION_ERROR;
//   - any other error is a broken authorizer: it is logged and answered 500 AUTHORIZER_FAILURE.
//
// The gateway never passes a request on when Authorize returns an error, panics, or returns a
// nil Principal (None is the one authorizer allowed to). Authorize must be safe for concurrent
// use and must not modify the Request.
type Authorizer interface {
	Authorize(ctx context.Context, r *Request) (*Principal, error)
}

// None is authorization type NONE: every request passes, with no principal.
type None struct{}

// Authorize lets the request through.
func (None) Authorize(context.Context, *Request) (*Principal, error) { return nil, nil }

// Principal is what an authorizer learned about the caller. It lands in the Lambda proxy event:
// Claims in requestContext.authorizer.claims (COGNITO_USER_POOLS), PrincipalID, Context and
// IntegrationLatency in requestContext.authorizer (Lambda authorizers), Identity in
// requestContext.identity (AWS_IAM). Fields an authorizer does not fill stay out of the event
// (or null, where API Gateway sends null).
type Principal struct {
	// Claims are a verified Cognito token's claims as decoded from JSON (string, float64 or
	// json.Number, bool, []any, map[string]any). The event carries them as strings, the way
	// REST APIs do (see ClaimStrings).
	Claims map[string]any
	// Scopes, when not nil, is requestContext.authorizer.scopes (a Cognito access token's
	// scopes on a method with authorization scopes).
	Scopes []string

	// PrincipalID is a Lambda authorizer's principalId.
	PrincipalID string
	// Context is a Lambda authorizer's context: string, number or boolean values, which the
	// REST proxy event carries as strings.
	Context map[string]any
	// IntegrationLatency is how long a Lambda authorizer took; with PrincipalID set it appears
	// as requestContext.authorizer.integrationLatency in milliseconds.
	IntegrationLatency time.Duration

	// Identity is the IAM caller (AWS_IAM), including Cognito identity pool credentials.
	Identity Identity

	// Reason says why the caller was let in (e.g. the policy statement that allowed it), for
	// the log.
	Reason string
}

// Identity is requestContext.identity's caller fields; empty fields are null in the event.
// (Developer guide: "$context Variables for data models, authorizers, mapping templates, and
// access logging", $context.identity.*.)
type Identity struct {
	CognitoIdentityPoolID         string
	AccountID                     string
	CognitoIdentityID             string
	Caller                        string
	AccessKey                     string
	CognitoAuthenticationType     string
	CognitoAuthenticationProvider string
	UserARN                       string
	User                          string
	PrincipalOrgID                string
}

var _ Authorizer = None{}
