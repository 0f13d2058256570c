package authorizer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/sigv4"
)

// ActionInvoke is the action an AWS_IAM method authorizes: "execute-api:Invoke" on the
// method ARN (developer guide: "Control access to a REST API with IAM permissions",
// api-gateway-control-access-using-iam-policies-to-invoke-api.html).
const ActionInvoke = "execute-api:Invoke"

// Principals finds who signed a request: the access key's secret (for the SigV4 verifier)
// and the caller with their identity-based policies. *iam.Principals implements it. Lookup
// answers sigv4.ErrUnknownKey for a key that does not exist; Resolve is called only for a
// key whose signature verified.
type Principals interface {
	sigv4.Credentials
	Resolve(ctx context.Context, accessKeyID string) (*iam.Principal, error)
}

// IAMConfig configures the AWS_IAM authorizer.
type IAMConfig struct {
	// Region is the region the credential scope must name (the API's region).
	Region string
	// Principals looks up access keys and callers. Required.
	Principals Principals
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// IAM is authorization type AWS_IAM: the request must carry a valid Signature Version 4
// signature for service execute-api, by credentials Gatehouse issued (an identity pool's
// temporary credentials or an IAM user's access key), and the caller's policies must allow
// execute-api:Invoke on the method ARN.
type IAM struct {
	verifier   *sigv4.Verifier
	principals Principals
	now        func() time.Time
}

// NewIAM returns the AWS_IAM authorizer for cfg.
func NewIAM(cfg IAMConfig) (*IAM, error) {
	if cfg.Principals == nil {
		return nil, errors.New("authorizer: IAMConfig.Principals is required")
	}
	if !validRegion(cfg.Region) {
		return nil, fmt.Errorf("authorizer: %q is not a region", cfg.Region)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	v, err := sigv4.New(sigv4.Config{Service: "execute-api", Region: cfg.Region, Credentials: cfg.Principals, Now: now})
	if err != nil {
		return nil, fmt.Errorf("authorizer: %w", err)
	}
	return &IAM{verifier: v, principals: cfg.Principals, now: now}, nil
}

// Authorize verifies the request's signature and evaluates the caller's policies. The
// refusals are API Gateway's (docs/dev/aws-behaviour.md#iam-authorized-methods):
//   - no signature at all: 403 MISSING_AUTHENTICATION_TOKEN {"message":"Missing
//     Authentication Token"} (knowledge center: api-gateway-authentication-token-errors);
//   - a malformed or wrong signature, a timestamp outside the five-minute window, an unknown
//     access key or a wrong session token: 403 INVALID_SIGNATURE with AWS's message for it
//     (package sigv4 words them);
//   - expired credentials: 403 EXPIRED_TOKEN "The security token included in the request is
//     expired";
//   - policies that do not allow execute-api:Invoke on the method ARN: 403 ACCESS_DENIED
//     "User: {caller ARN} is not authorized to perform: execute-api:Invoke on resource:
//     {method ARN}", with " with an explicit deny" when a Deny statement decided (knowledge
//     center: api-gateway-403-error-lambda-authorizer shows both forms).
//
// A failed lookup of credentials or policies is a plain error: 500, never a pass.
func (a *IAM) Authorize(ctx context.Context, r *gateway.Request) (*gateway.Principal, error) {
	if r == nil || r.API == nil {
		return nil, errors.New("authorizer: AWS_IAM called without a request")
	}
	res, err := a.verifier.Verify(ctx, a.sigv4Request(r))
	if err != nil {
		return nil, refusal(err)
	}
	if res.NormalizedPath && hasDotSegments(r.StagePath) {
		// The signature covers the path with its ".", ".." and empty segments removed, but
		// the route (and the method ARN the policies are evaluated against) came from the
		// path as sent: refuse rather than authorize one path and run another.
		return nil, gateway.NewResponse(gateway.InvalidSignature).WithReason("the signature covers the normalized path, the request was routed on %q", r.StagePath)
	}
	caller, err := a.principals.Resolve(ctx, res.AccessKeyID)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		// Deleted between the two lookups.
		return nil, gateway.NewResponse(gateway.InvalidSignature).WithMessage(msgInvalidToken).WithReason("access key %s is gone", res.AccessKeyID)
	}
	if err != nil {
		return nil, fmt.Errorf("authorizer: resolve %s: %w", res.AccessKeyID, err)
	}
	req := policy.Request{Action: ActionInvoke, Resource: r.MethodARN()}
	fillContext(&req.Context, r, caller, a.now())
	d := policy.Evaluate(&req, caller.Policies...)
	if !d.Allowed() {
		msg := "User: " + caller.ARN + " is not authorized to perform: " + ActionInvoke + " on resource: " + req.Resource
		if d.Effect == policy.ExplicitDeny {
			msg += " with an explicit deny"
		}
		return nil, gateway.NewResponse(gateway.AccessDenied).WithMessage(msg).WithReason("%s", d.Reason)
	}
	return &gateway.Principal{Identity: identityOf(caller), Reason: "AWS_IAM " + caller.ARN + ": " + d.Matched.String()}, nil
}

// msgInvalidToken is AWS's answer for an access key it does not know
// (docs/dev/aws-behaviour.md#iam-authorized-methods).
const msgInvalidToken = "The security token included in the request is invalid."

// sigv4Request is the request as the client sent and signed it: the path with the stage as
// received, the raw query, the Host header with its port.
func (a *IAM) sigv4Request(r *gateway.Request) *sigv4.Request {
	return &sigv4.Request{
		Method:   r.Method,
		Path:     r.StagePath,
		RawQuery: r.RawQuery,
		Host:     r.Headers.Get("Host"),
		Header:   r.Headers,
		Body:     r.Body,
	}
}

// refusal turns a sigv4 refusal into API Gateway's gateway response; anything else (a
// failed credentials lookup) stays an error, answered 500.
func refusal(err error) error {
	var se *sigv4.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("authorizer: verify signature: %w", err)
	}
	switch se.Kind {
	case sigv4.Missing:
		return gateway.NewResponse(gateway.MissingAuthenticationToken).WithReason("%s", se.Message)
	case sigv4.ExpiredToken:
		return gateway.NewResponse(gateway.ExpiredToken).WithMessage(se.Message).WithReason("%s", se.Message)
	default:
		return gateway.NewResponse(gateway.InvalidSignature).WithMessage(se.Message).WithReason("%s", se.Kind)
	}
}

// hasDotSegments reports whether a raw path has empty, "." or ".." segments, the ones SigV4
// normalization removes.
func hasDotSegments(p string) bool {
	for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// fillContext sets the condition keys IAM fills for an execute-api request (IAM User Guide:
// reference_policies_condition-keys.html): the caller's (iam.FillCallerContext), the
// request's (requestContext: source address, transport, time), and for identity-pool credentials the
// cognito-identity.amazonaws.com keys that policies use as variables
// (${cognito-identity.amazonaws.com:sub}; Cognito developer guide: iam-roles.html).
func fillContext(c *policy.Context, r *gateway.Request, p *iam.Principal, now time.Time) {
	requestContext(c, r, now)
	fillCaller(c, p)
}

// fillCaller sets the caller's condition keys and, for identity-pool credentials, the
// cognito-identity.amazonaws.com ones (REST and HTTP APIs alike).
func fillCaller(c *policy.Context, p *iam.Principal) {
	iam.FillCallerContext(c, p)
	if s := p.Session; s.IdentityID != "" {
		c.Set(policy.KeyCognitoSub, s.IdentityID)
		c.Set(policy.KeyCognitoAud, s.IdentityPoolID)
		amr := []string{s.AuthenticationType}
		if s.AuthenticationProvider != "" {
			amr = append(amr, strings.Split(s.AuthenticationProvider, ",")...)
		}
		c.Set(policy.KeyCognitoAmr, amr...)
	}
}

// identityOf is requestContext.identity as API Gateway fills it for an IAM caller
// (developer guide: "$context Variables for data models, authorizers, mapping templates,
// and access logging": $context.identity.accountId, caller, user, userArn, accessKey and
// the cognito* ones for identity-pool credentials).
func identityOf(p *iam.Principal) gateway.Identity {
	id := gateway.Identity{
		AccountID: p.AccountID,
		Caller:    p.UserID,
		User:      p.UserID,
		UserARN:   p.ARN,
		AccessKey: p.AccessKeyID,
	}
	if s := p.Session; s.IdentityID != "" {
		id.CognitoIdentityID = s.IdentityID
		id.CognitoIdentityPoolID = s.IdentityPoolID
		id.CognitoAuthenticationType = s.AuthenticationType
		id.CognitoAuthenticationProvider = s.AuthenticationProvider
	}
	return id
}

var _ gateway.Authorizer = (*IAM)(nil)
