package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/sigv4"
)

// AuthenticatorConfig builds an Authenticator.
type AuthenticatorConfig struct {
	Principals *Principals // required
	AccountID  string      // "": DefaultAccountID
	// Region is the region Cognito requests must be signed for ("": us-east-1). IAM and STS
	// are global: a request signed for any region is accepted, since clients given an
	// endpoint sign for their configured region.
	Region string
	// Open is protected mode's open door (docs/iam.md): a request with no signature, or one
	// naming an access key Gatehouse does not know, is accepted. A request signed with a
	// key Gatehouse knows is always checked in full.
	Open bool
	Now  func() time.Time // nil: time.Now
	Log  *slog.Logger     // nil: discard
}

// Authenticator decides whether a caller of Gatehouse's AWS endpoint may run an operation
// that AWS authorises with IAM credentials — user-pool and identity-pool management, every
// Admin* call, IAM and STS — as AWS does (IAM User Guide: "AWS Signature Version 4 for API
// requests", "Policy evaluation logic"): a SigV4 signature for the operation's signing
// service by a key Principals knows (an IAM user's long-term key, or temporary credentials),
// then the caller's identity-based policies must allow "{service}:{Operation}" on the
// resource the call names. It implements awsapi.Authenticator for the JSON services
// (X-Amz-Target prefixes AWSCognitoIdentityProviderService, AWSCognitoIdentityService) and
// for the query API (service "iam" or "sts").
type Authenticator struct {
	principals *Principals
	account    string
	region     string
	open       bool
	now        func() time.Time
	log        *slog.Logger
	verifiers  map[string]*sigv4.Verifier // by signing service
}

// NewAuthenticator returns an Authenticator for cfg.
func NewAuthenticator(cfg AuthenticatorConfig) (*Authenticator, error) {
	if cfg.Principals == nil {
		return nil, errors.New("iam: AuthenticatorConfig.Principals is required")
	}
	au := &Authenticator{principals: cfg.Principals, account: cfg.AccountID, region: cfg.Region, open: cfg.Open,
		now: cfg.Now, log: cfg.Log, verifiers: map[string]*sigv4.Verifier{}}
	if au.now == nil {
		au.now = time.Now
	}
	if au.account == "" {
		au.account = DefaultAccountID
	}
	if au.region == "" {
		au.region = "us-east-1"
	}
	if au.log == nil {
		au.log = slog.New(slog.DiscardHandler)
	}
	for _, svc := range []string{"cognito-idp", "cognito-identity", "iam", "sts"} {
		region := au.region
		if svc == "iam" || svc == "sts" {
			region = "" // any
		}
		v, err := sigv4.New(sigv4.Config{Service: svc, Region: region, Credentials: cfg.Principals, Now: au.now})
		if err != nil {
			return nil, fmt.Errorf("iam: %w", err)
		}
		au.verifiers[svc] = v
	}
	return au, nil
}

// signingName maps the service names awsapi and the query handler pass to the services'
// signing names, which are also their action prefixes (the Service Authorization
// Reference: cognito-idp, cognito-identity, iam, sts).
func signingName(svc string) string {
	switch svc {
	case "AWSCognitoIdentityProviderService":
		return "cognito-idp"
	case "AWSCognitoIdentityService":
		return "cognito-identity"
	case "iam", "sts":
		return svc
	}
	return ""
}

// Authenticate implements awsapi.Authenticator: nil lets the operation run; an *awsapi.Error
// is AWS's refusal; any other error is a failed lookup (answered 500, never a pass).
func (au *Authenticator) Authenticate(r *http.Request, body []byte, service, operation string) error {
	signing := signingName(service)
	v := au.verifiers[signing]
	if v == nil {
		return fmt.Errorf("iam: no verifier for service %q", service)
	}
	query := signing == "iam" || signing == "sts"
	req := sigv4.RequestFromHTTP(r, body)
	res, err := v.Verify(r.Context(), req)
	if err != nil {
		var se *sigv4.Error
		if !errors.As(err, &se) {
			return err
		}
		if au.open {
			known, lerr := au.known(r.Context(), sigv4.Claimed(req).AccessKeyID)
			if lerr != nil {
				return lerr
			}
			if !known {
				return nil
			}
		}
		if query {
			return refusal(se)
		}
		return jsonRefusal(se)
	}
	if signing == "sts" && operation == "GetCallerIdentity" {
		// "No permissions are required to perform this operation" (API_GetCallerIdentity).
		return nil
	}
	p, err := au.principals.Resolve(r.Context(), res.AccessKeyID)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		if query {
			return invalidClientTokenID()
		}
		return jsonRefusal(&sigv4.Error{Kind: sigv4.UnknownKey, Message: msgInvalidToken})
	}
	if err != nil {
		return err
	}
	var resource string
	if query {
		var params params
		if err := parseParams(&params, r.URL.RawQuery); err != nil {
			return paramsError(err)
		}
		if err := parseParams(&params, string(body)); err != nil {
			return paramsError(err)
		}
		resource = au.queryResource(operation, &params, p)
	} else {
		resource = au.jsonResource(signing, body)
	}
	action := signing + ":" + operation
	preq := &policy.Request{Action: action, Resource: resource}
	FillCallerContext(&preq.Context, p, au.now())
	preq.Context.Set(policy.KeySourceIP, sourceIP(r))
	preq.Context.Set(policy.KeySecureTransport, fmt.Sprint(r.TLS != nil))
	d := policy.Evaluate(preq, p.Policies...)
	if d.Allowed() {
		return nil
	}
	au.log.Info("admin call denied", "caller", p.ARN, "action", action, "resource", resource, "reason", d.Reason)
	return accessDenied(p.ARN, action, resource, d.Effect == policy.ExplicitDeny, query)
}

// msgInvalidToken is AWS's text for an access key it does not know.
const msgInvalidToken = "The security token included in the request is invalid."

// known reports whether an access key exists; a failed lookup is an error, never a pass.
func (au *Authenticator) known(ctx context.Context, akid string) (bool, error) {
	if akid == "" {
		return false, nil
	}
	_, err := au.principals.Lookup(ctx, akid)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// FillCallerContext sets the condition keys that describe the caller (IAM User Guide:
// reference_policies_condition-keys.html, reference_policies_variables.html): the time,
// aws:username (users), aws:userid, aws:PrincipalArn (the role's ARN for an assumed role),
// aws:PrincipalAccount and aws:PrincipalType.
func FillCallerContext(c *policy.Context, p *Principal, now time.Time) {
	c.SetTime(now)
	c.Set(policy.KeyUserID, p.UserID)
	c.Set("aws:PrincipalAccount", p.AccountID)
	if p.Type == PrincipalUser {
		c.Set(policy.KeyUsername, p.UserName)
		c.Set(policy.KeyPrincipalType, "User")
		c.Set("aws:PrincipalArn", p.ARN)
	} else {
		c.Set(policy.KeyPrincipalType, "AssumedRole")
		c.Set("aws:PrincipalArn", p.RoleARN)
	}
}

// queryResource is the ARN an IAM action acts on: a role's actions on
// arn:aws:iam::{account}:role/{RoleName}, a user's (and an access key's or user policy's)
// on …:user/{UserName} (the caller's own ARN when UserName is left out), ListRoles and
// ListUsers on …:role/* and …:user/*. Gatehouse's simplification: the path is not part of
// the resource, so a policy naming arn:aws:iam::…:role/some/path/* does not match.
func (au *Authenticator) queryResource(operation string, p *params, caller *Principal) string {
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

// jsonResource is the ARN a Cognito operation acts on: the user pool or identity pool the
// call names (Service Authorization Reference, Amazon Cognito User Pools: resource type
// userpool, arn:${Partition}:cognito-idp:${Region}:${Account}:userpool/${UserPoolId};
// Amazon Cognito Identity: identitypool), else "*" (CreateUserPool, ListUserPools, and
// calls naming only an identity, which Gatehouse does not map to its pool).
func (au *Authenticator) jsonResource(signing string, body []byte) string {
	var in struct {
		UserPoolID     string `json:"UserPoolId"`
		IdentityPoolID string `json:"IdentityPoolId"`
	}
	if json.Unmarshal(body, &in) != nil {
		return "*"
	}
	switch {
	case signing == "cognito-idp" && in.UserPoolID != "":
		return "arn:aws:cognito-idp:" + au.region + ":" + au.account + ":userpool/" + in.UserPoolID
	case signing == "cognito-identity" && in.IdentityPoolID != "":
		return "arn:aws:cognito-identity:" + au.region + ":" + au.account + ":identitypool/" + in.IdentityPoolID
	}
	return "*"
}

func sourceIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
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

// jsonRefusal maps a signature refusal to the exceptions AWS's JSON services answer, all
// with status 400: MissingAuthenticationTokenException, IncompleteSignatureException,
// InvalidSignatureException (also for a signature outside the five-minute window),
// UnrecognizedClientException (unknown key, wrong session token), ExpiredTokenException.
func jsonRefusal(se *sigv4.Error) *awsapi.Error {
	typ := "InvalidSignatureException"
	switch se.Kind {
	case sigv4.Missing:
		typ = "MissingAuthenticationTokenException"
	case sigv4.IncompleteSignature:
		typ = "IncompleteSignatureException"
	case sigv4.UnknownKey, sigv4.InvalidToken:
		typ = "UnrecognizedClientException"
	case sigv4.ExpiredToken:
		typ = "ExpiredTokenException"
	}
	return &awsapi.Error{Type: typ, Message: se.Message, Status: http.StatusBadRequest}
}

// accessDenied is AWS's AccessDenied(Exception) with the text the IAM User Guide documents
// for identity-based policies ("Troubleshoot access denied error messages": "User: … is not
// authorized to perform: … on resource: … because no identity-based policy allows the …
// action", "… with an explicit deny in an identity-based policy").
func accessDenied(callerARN, action, resource string, explicit, query bool) *awsapi.Error {
	msg := "User: " + callerARN + " is not authorized to perform: " + action + " on resource: " + resource
	if explicit {
		msg += " with an explicit deny in an identity-based policy"
	} else {
		msg += " because no identity-based policy allows the " + action + " action"
	}
	if query {
		return &awsapi.Error{Type: "AccessDenied", Message: msg, Status: http.StatusForbidden}
	}
	return &awsapi.Error{Type: "AccessDeniedException", Message: msg, Status: http.StatusBadRequest}
}

var _ awsapi.Authenticator = (*Authenticator)(nil)
