package httpapi

import (
	"context"
	"net/http"
	"time"
)

// Authorizer decides whether a request may reach its route's integration. It returns the
// Authorization that goes into requestContext.authorizer, or an error: a *Refusal is answered
// with its status ({"message":"Unauthorized"} 401, {"message":"Forbidden"} 403); any other
// error is logged and answered 500 {"message":"Internal Server Error"}.
type Authorizer interface {
	Authorize(ctx context.Context, r *Request) (*Authorization, error)
}

// Request is what an authorizer sees of a request. It must not be changed.
type Request struct {
	HTTP      *http.Request
	Body      []byte
	RouteKey  string
	RawPath   string
	Method    string
	Scopes    []string // the route's authorizationScopes
	APIID     string
	Region    string
	AccountID string
	RequestID string
	Trace     string // X-Amzn-Trace-Id, the client's or a new one
	Time      time.Time
	// PathParameters are the route's, decoded; nil when it has none.
	PathParameters map[string]string
}

// Authorization is requestContext.authorizer: one of its members is set.
type Authorization struct {
	// JWT is requestContext.authorizer.jwt: the token's claims as strings, and its scopes.
	JWT *JWTAuthorization
	// Lambda is requestContext.authorizer.lambda: a Lambda authorizer's context.
	Lambda map[string]any
	// IAM is requestContext.authorizer.iam.
	IAM *IAMAuthorization
	// PrincipalID is a Lambda authorizer's principalId (payload 1.0 events carry it).
	PrincipalID string
}

// JWTAuthorization is what a JWT authorizer found in a valid token.
type JWTAuthorization struct {
	Claims map[string]string `json:"claims"`
	Scopes []string          `json:"scopes"`
}

// IAMAuthorization is the caller of a SigV4-signed request (aws_iam routes), as the
// requestContext.authorizer.iam of payload 2.0 carries it.
type IAMAuthorization struct {
	AccessKey       string         `json:"accessKey"`
	AccountID       string         `json:"accountId"`
	CallerID        string         `json:"callerId"`
	CognitoIdentity map[string]any `json:"cognitoIdentity"`
	PrincipalOrgID  *string        `json:"principalOrgId"`
	UserARN         string         `json:"userArn"`
	UserID          string         `json:"userId"`
}

// Refusal is an authorizer's no: 401 or 403.
type Refusal struct {
	Status int
	// Reason is logged, never sent.
	Reason string
}

func (r *Refusal) Error() string { return http.StatusText(r.Status) + ": " + r.Reason }

// Unauthorized is a 401 refusal with a logged reason.
func Unauthorized(reason string) *Refusal {
	return &Refusal{Status: http.StatusUnauthorized, Reason: reason}
}

// Forbidden is a 403 refusal with a logged reason.
func Forbidden(reason string) *Refusal { return &Refusal{Status: http.StatusForbidden, Reason: reason} }
