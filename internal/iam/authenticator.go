package iam

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/sigv4"
)

// AuthenticatorConfig builds an Authenticator.
type AuthenticatorConfig struct {
	Principals *Principals      // required
	AccountID  string           // "": DefaultAccountID
	Now        func() time.Time // nil: time.Now
}

// Authenticator is the API's awsapi.Authenticator: it verifies the request's SigV4
// signature (service "iam" or "sts", any region: IAM is a global service and clients sign
// for their configured region when given an endpoint) with Principals as the credential
// lookup, then asks the caller's inline policies whether they allow "iam:{Action}" on the
// action's resource. sts:GetCallerIdentity needs no permission ("No permissions are
// required to perform this operation", API_GetCallerIdentity).
//
// Resources: a role's action acts on arn:aws:iam::{account}:role/{RoleName}, a user's (and
// an access key's or user policy's) on arn:aws:iam::{account}:user/{UserName} (the caller's
// own ARN when UserName is left out), ListRoles and ListUsers on …:role/* and …:user/*.
// Gatehouse's simplification: the path is not part of the resource, so a policy naming
// arn:aws:iam::…:role/some/path/* does not match.
type Authenticator struct {
	principals *Principals
	account    string
	now        func() time.Time
	verifiers  map[string]*sigv4.Verifier
}

// NewAuthenticator returns an Authenticator for cfg.
func NewAuthenticator(cfg AuthenticatorConfig) (*Authenticator, error) {
	if cfg.Principals == nil {
		return nil, errors.New("iam: AuthenticatorConfig.Principals is required")
	}
	au := &Authenticator{principals: cfg.Principals, account: cfg.AccountID, now: cfg.Now, verifiers: map[string]*sigv4.Verifier{}}
	if au.now == nil {
		au.now = time.Now
	}
	if au.account == "" {
		au.account = DefaultAccountID
	}
	for _, svc := range []string{"iam", "sts"} {
		v, err := sigv4.New(sigv4.Config{Service: svc, Credentials: cfg.Principals, Now: cfg.Now})
		if err != nil {
			return nil, err
		}
		au.verifiers[svc] = v
	}
	return au, nil
}

// Authenticate implements awsapi.Authenticator.
func (au *Authenticator) Authenticate(r *http.Request, body []byte, service, operation string) error {
	v := au.verifiers[service]
	if v == nil {
		return fmt.Errorf("iam: no verifier for service %q", service)
	}
	res, err := v.Verify(r.Context(), sigv4.RequestFromHTTP(r, body))
	if err != nil {
		var se *sigv4.Error
		if errors.As(err, &se) {
			return refusal(se)
		}
		return err
	}
	if service == "sts" && operation == "GetCallerIdentity" {
		return nil
	}
	p, err := au.principals.Resolve(r.Context(), res.AccessKeyID)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		return invalidClientTokenID()
	}
	if err != nil {
		return err
	}
	var params params
	if err := parseParams(&params, r.URL.RawQuery); err != nil {
		return paramsError(err)
	}
	if err := parseParams(&params, string(body)); err != nil {
		return paramsError(err)
	}
	action := service + ":" + operation
	resource := au.resource(operation, &params, p)
	req := &policy.Request{Action: action, Resource: resource}
	req.Context.Set("aws:username", p.UserName)
	req.Context.Set("aws:userid", p.UserID)
	req.Context.Set("aws:PrincipalArn", p.ARN)
	req.Context.SetTime(au.now())
	if !policy.Evaluate(req, p.Policies...).Allowed() {
		// AWS's form, e.g. "User: arn:aws:iam::123456789012:user/dev is not authorized to
		// perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/x".
		return &awsapi.Error{Type: "AccessDenied", Status: http.StatusForbidden,
			Message: "User: " + p.ARN + " is not authorized to perform: " + action + " on resource: " + resource}
	}
	return nil
}

func (au *Authenticator) resource(operation string, p *params, caller *Principal) string {
	prefix := "arn:aws:iam::" + au.account + ":"
	switch {
	case operation == "ListRoles":
		return prefix + "role/*"
	case operation == "ListUsers":
		return prefix + "user/*"
	case p.get("RoleName") != "":
		return prefix + "role/" + p.get("RoleName")
	case p.get("UserName") != "":
		return prefix + "user/" + p.get("UserName")
	case strings.Contains(operation, "Role"):
		return prefix + "role/*"
	case caller.Type == PrincipalUser:
		return caller.ARN
	}
	return "*"
}

// refusal maps a signature refusal to the query services' common errors (IAM API
// reference, Common Errors): MissingAuthenticationToken 403, IncompleteSignature 400,
// SignatureDoesNotMatch 403 (also for an expired signature, as STS answers "Signature
// expired: …"), InvalidClientTokenId 403, ExpiredToken 403.
func refusal(se *sigv4.Error) *awsapi.Error {
	code, status := "SignatureDoesNotMatch", http.StatusForbidden
	switch se.Kind {
	case sigv4.Missing:
		code = "MissingAuthenticationToken"
	case sigv4.IncompleteSignature:
		code, status = "IncompleteSignature", http.StatusBadRequest
	case sigv4.UnknownKey, sigv4.InvalidToken:
		code = "InvalidClientTokenId"
	case sigv4.ExpiredToken:
		code = "ExpiredToken"
	}
	return &awsapi.Error{Type: code, Message: se.Message, Status: status}
}

var _ awsapi.Authenticator = (*Authenticator)(nil)
