package authorizer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/sigv4"
)

// HTTPIAM is aws_iam authorization of an HTTP API route: the REST API's AWS_IAM check (a
// SigV4 signature for execute-api by credentials Gatehouse issued, and the caller's policies
// allowing execute-api:Invoke) on the route's ARN,
// arn:aws:execute-api:{region}:{account}:{apiId}/$default/{METHOD}/{path} (developer guide,
// "Controlling access to HTTP APIs with IAM authorization", http-api-access-control-iam.html).
// Every refusal is 403 {"message":"Forbidden"}, as HTTP APIs answer it; the caller becomes
// requestContext.authorizer.iam.
type HTTPIAM struct{ iam *IAM }

// NewHTTPIAM returns the aws_iam authorizer of an HTTP API in cfg.Region.
func NewHTTPIAM(cfg IAMConfig) (*HTTPIAM, error) {
	a, err := NewIAM(cfg)
	if err != nil {
		return nil, err
	}
	return &HTTPIAM{iam: a}, nil
}

// RouteARN is the execute-api ARN of a request to an HTTP API: the $default stage, the method
// and the path without its leading slash.
func RouteARN(r *httpapi.Request) string {
	return "arn:aws:execute-api:" + r.Region + ":" + r.AccountID + ":" + r.APIID + "/" + httpapi.Stage + "/" + r.Method + "/" + strings.TrimPrefix(r.RawPath, "/")
}

// Authorize verifies the signature and the caller's policies.
func (h *HTTPIAM) Authorize(ctx context.Context, r *httpapi.Request) (*httpapi.Authorization, error) {
	a := h.iam
	res, err := a.verifier.Verify(ctx, &sigv4.Request{
		Method: r.Method, Path: r.RawPath, RawQuery: r.HTTP.URL.RawQuery,
		Host: r.HTTP.Host, Header: r.HTTP.Header, Body: r.Body,
	})
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return nil, httpapi.Forbidden(se.Message)
		}
		return nil, fmt.Errorf("aws_iam: verify signature: %w", err)
	}
	if res.NormalizedPath && hasDotSegments(r.RawPath) {
		return nil, httpapi.Forbidden("the signature covers the normalized path, the request was routed on " + r.RawPath)
	}
	caller, err := a.principals.Resolve(ctx, res.AccessKeyID)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		return nil, httpapi.Forbidden("access key " + res.AccessKeyID + " is gone")
	}
	if err != nil {
		return nil, fmt.Errorf("aws_iam: resolve %s: %w", res.AccessKeyID, err)
	}
	req := policy.Request{Action: ActionInvoke, Resource: RouteARN(r)}
	now := a.now()
	// The same condition keys as the REST API's (fillContext): the caller's, the request's,
	// and for identity-pool credentials the cognito-identity.amazonaws.com ones.
	req.Context.SetTime(now)
	host, _, splitErr := net.SplitHostPort(r.HTTP.RemoteAddr)
	if splitErr != nil {
		host = r.HTTP.RemoteAddr
	}
	req.Context.Set(policy.KeySourceIP, host)
	req.Context.Set(policy.KeySecureTransport, strconv.FormatBool(r.HTTP.Header.Get("X-Forwarded-Proto") == "https"))
	fillCaller(&req.Context, caller)
	d := policy.Evaluate(&req, caller.Policies...)
	if !d.Allowed() {
		return nil, httpapi.Forbidden(d.Reason)
	}
	out := &httpapi.IAMAuthorization{
		AccessKey: caller.AccessKeyID, AccountID: caller.AccountID, CallerID: caller.UserID,
		UserARN: caller.ARN, UserID: caller.UserID,
	}
	if s := caller.Session; s.IdentityID != "" {
		amr := []string{s.AuthenticationType}
		if s.AuthenticationProvider != "" {
			amr = append(amr, strings.Split(s.AuthenticationProvider, ",")...)
		}
		out.CognitoIdentity = map[string]any{"amr": amr, "identityId": s.IdentityID, "identityPoolId": s.IdentityPoolID}
	}
	return &httpapi.Authorization{IAM: out}, nil
}

var _ httpapi.Authorizer = (*HTTPIAM)(nil)
