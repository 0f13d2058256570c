package iam

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/sigv4"
	"github.com/gatehouse/gatehouse/internal/store"
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
	// Identities finds the identity pool of an identity, so that DescribeIdentity and
	// DeleteIdentities are authorised on the pools they touch; nil: those are authorised on
	// "*".
	Identities IdentityLookup
	Now        func() time.Time // nil: time.Now
	Log        *slog.Logger     // nil: discard
}

// IdentityLookup finds an identity-pool identity (store.Identities has it).
type IdentityLookup interface {
	GetIdentity(ctx context.Context, id string) (store.Identity, error)
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
	identities IdentityLookup
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
		identities: cfg.Identities, now: cfg.Now, log: cfg.Log, verifiers: map[string]*sigv4.Verifier{}}
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

// Authenticate implements awsapi.Authenticator for the Cognito JSON services: nil lets the
// operation run; an *awsapi.Error is AWS's refusal; any other error is a failed lookup
// (answered 500, never a pass). The query API (IAM, STS) is authorised by the API's own
// handler through checkQuery, which knows each action's parameters.
func (au *Authenticator) Authenticate(r *http.Request, body []byte, service, operation string) error {
	signing := signingName(service)
	if signing != "cognito-idp" && signing != "cognito-identity" {
		return fmt.Errorf("iam: Authenticate is for the Cognito services, not %q", service)
	}
	_, err := au.check(r, body, signing, operation, func(ctx context.Context, _ *Principal) ([]string, error) {
		return au.jsonResources(ctx, signing, body)
	})
	return err
}

// checkQuery authorises an IAM or STS action whose parameters the handler has parsed, and
// returns the verified access key id the action then acts for ("" for a call protected mode
// let through unsigned).
func (au *Authenticator) checkQuery(r *http.Request, body []byte, service, action string, p *awsapi.Params) (string, error) {
	return au.check(r, body, service, action, func(ctx context.Context, caller *Principal) ([]string, error) {
		return au.queryResources(ctx, action, p, caller)
	})
}

// check verifies the request's signature for the signing service, resolves the caller and
// evaluates its policies for "{service}:{operation}" on every resource that resources
// returns; all must be allowed. It returns the verified access key id.
func (au *Authenticator) check(r *http.Request, body []byte, signing, operation string,
	resources func(context.Context, *Principal) ([]string, error)) (string, error) {
	v := au.verifiers[signing]
	if v == nil {
		return "", fmt.Errorf("iam: no verifier for service %q", signing)
	}
	query := signing == "iam" || signing == "sts"
	ctx := r.Context()
	req := sigv4.RequestFromHTTP(r, body)
	res, err := v.Verify(ctx, req)
	if err != nil {
		var se *sigv4.Error
		if !errors.As(err, &se) {
			return "", err
		}
		if au.open && localRequest(r) {
			known, lerr := au.known(ctx, sigv4.Claimed(req).AccessKeyID)
			if lerr != nil {
				return "", lerr
			}
			if !known {
				return "", nil
			}
		}
		if query {
			return "", refusal(se)
		}
		return "", jsonRefusal(se)
	}
	if signing == "sts" && operation == "GetCallerIdentity" {
		// "No permissions are required to perform this operation" (API_GetCallerIdentity).
		return res.AccessKeyID, nil
	}
	p, err := au.principals.Resolve(ctx, res.AccessKeyID)
	if errors.Is(err, sigv4.ErrUnknownKey) {
		if query {
			return "", invalidClientTokenID()
		}
		return "", jsonRefusal(&sigv4.Error{Kind: sigv4.UnknownKey, Message: msgInvalidToken})
	}
	if err != nil {
		return "", err
	}
	arns, err := resources(ctx, p)
	if err != nil {
		return "", err
	}
	preq := &policy.Request{Action: signing + ":" + operation}
	preq.Context.SetTime(au.now())
	FillCallerContext(&preq.Context, p)
	preq.Context.Set(policy.KeySourceIP, awsapi.SourceIP(r))
	preq.Context.Set(policy.KeySecureTransport, fmt.Sprint(r.TLS != nil))
	action := preq.Action
	for _, resource := range arns {
		preq.Resource = resource
		d := policy.Evaluate(preq, p.Policies...)
		if !d.Allowed() {
			au.log.Info("admin call denied", "caller", p.ARN, "action", action, "resource", resource, "reason", d.Reason)
			return "", accessDenied(p.ARN, action, resource, d.Effect == policy.ExplicitDeny, query)
		}
	}
	return res.AccessKeyID, nil
}

// localRequest reports whether a request may use protected mode's open door: it names a
// loopback host and does not come from a web page. A page the developer visits can send
// simple cross-site POSTs to 127.0.0.1 (CSRF), and with DNS rebinding read the answers; such
// requests carry an Origin header or Sec-Fetch-Site other than "none", or a Host that is
// not a loopback name (Fetch standard, "Sec-Fetch-Site"; RFC 6454 §7).
func localRequest(r *http.Request) bool {
	if r.Header.Get("Origin") != "" {
		return false
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "none" {
		return false
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return LoopbackHost(strings.Trim(host, "[]"))
}

// LoopbackHost reports whether host (without a port) is "localhost" or a loopback address
// (127.0.0.0/8, ::1).
func LoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
// reference_policies_condition-keys.html, reference_policies_variables.html):
// aws:username (users), aws:userid, aws:PrincipalArn (the role's ARN for an assumed role),
// aws:PrincipalAccount and aws:PrincipalType. The request's own keys (time, source address)
// are the caller's to set.
func FillCallerContext(c *policy.Context, p *Principal) {
	c.Set(policy.KeyUserID, p.UserID)
	c.Set(policy.KeyPrincipalAccount, p.AccountID)
	if p.Type == PrincipalUser {
		c.Set(policy.KeyUsername, p.UserName)
		c.Set(policy.KeyPrincipalType, "User")
		c.Set(policy.KeyPrincipalArn, p.ARN)
	} else {
		c.Set(policy.KeyPrincipalType, "AssumedRole")
		c.Set(policy.KeyPrincipalArn, p.RoleARN)
	}
}

// queryResources is the ARN an IAM action acts on, from the parameter that action takes
// (and no other): a role's actions act on the role, arn:aws:iam::{account}:role{path}{name};
// a user's, an access key's and a user policy's on the user (the caller when UserName is
// left out); ListRoles and ListUsers on …:role/* and …:user/* (Service Authorization
// Reference, AWS Identity and Access Management, resource types "role" and "user"). An
// existing role or user is named by its stored ARN, whatever the case the caller wrote its
// name in (names are case-insensitive), so a Deny on one cannot be dodged by case.
func (au *Authenticator) queryResources(ctx context.Context, action string, p *awsapi.Params, caller *Principal) ([]string, error) {
	prefix := "arn:aws:iam::" + au.account + ":"
	switch action {
	case "ListRoles":
		return []string{prefix + "role/*"}, nil
	case "ListUsers":
		return []string{prefix + "user/*"}, nil
	case "CreateRole", "GetRole", "UpdateRole", "UpdateAssumeRolePolicy", "DeleteRole",
		"PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy":
		name := p.Get("RoleName")
		r, err := au.principals.store.GetRole(ctx, name)
		switch {
		case err == nil:
			return []string{r.ARN}, nil
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		return []string{prefix + "role" + pathOr(p.Get("Path"), action == "CreateRole") + name}, nil
	case "CreateUser", "GetUser", "DeleteUser", "PutUserPolicy", "GetUserPolicy", "ListUserPolicies", "DeleteUserPolicy",
		"CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey":
		name := p.Get("UserName")
		if name == "" {
			return []string{caller.ARN}, nil
		}
		u, err := au.principals.store.GetIAMUser(ctx, name)
		switch {
		case err == nil:
			return []string{u.ARN}, nil
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		return []string{prefix + "user" + pathOr(p.Get("Path"), action == "CreateUser") + name}, nil
	}
	return []string{"*"}, nil
}

// pathOr is the path a new role or user gets ("/" unless given); other actions name an
// entity that does not exist, whose path is unknown: "/".
func pathOr(path string, creating bool) string {
	if creating && strings.HasPrefix(path, "/") && strings.HasSuffix(path, "/") {
		return path
	}
	return "/"
}

// maxIdentityLookups bounds the identities one call is authorised on (DeleteIdentities takes
// at most 60, which the model validator enforces after authentication).
const maxIdentityLookups = 60

// jsonResources is the ARN a Cognito operation acts on: the user pool or identity pool the
// call names (Service Authorization Reference, Amazon Cognito User Pools: resource type
// userpool, arn:${Partition}:cognito-idp:${Region}:${Account}:userpool/${UserPoolId};
// Amazon Cognito Identity: identitypool), the pools of the identities it names
// (DescribeIdentity, DeleteIdentities), else "*" (CreateUserPool, ListUserPools…). The
// members are decoded exactly as the operation decodes them (encoding/json, names matched
// without regard to case): a member of the wrong type is refused here, so the operation can
// never act on a pool the policy was not asked about.
func (au *Authenticator) jsonResources(ctx context.Context, signing string, body []byte) ([]string, error) {
	var in struct {
		UserPoolID          string   `json:"UserPoolId"`
		IdentityPoolID      string   `json:"IdentityPoolId"`
		IdentityID          string   `json:"IdentityId"`
		IdentityIdsToDelete []string `json:"IdentityIdsToDelete"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, awsapi.Serialization("Request body is not valid JSON for this operation")
		}
	}
	switch signing {
	case "cognito-idp":
		if in.UserPoolID != "" {
			return []string{"arn:aws:cognito-idp:" + au.region + ":" + au.account + ":userpool/" + in.UserPoolID}, nil
		}
	case "cognito-identity":
		poolARN := func(id string) string {
			return "arn:aws:cognito-identity:" + au.region + ":" + au.account + ":identitypool/" + id
		}
		if in.IdentityPoolID != "" {
			return []string{poolARN(in.IdentityPoolID)}, nil
		}
		ids := in.IdentityIdsToDelete
		if in.IdentityID != "" {
			ids = append(ids, in.IdentityID)
		}
		if len(ids) == 0 || au.identities == nil || len(ids) > maxIdentityLookups {
			break
		}
		var arns []string
		seen := map[string]bool{}
		for _, id := range ids {
			idn, err := au.identities.GetIdentity(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // the operation reports it; there is no pool to authorise on
			}
			if err != nil {
				return nil, err
			}
			if !seen[idn.PoolID] {
				seen[idn.PoolID] = true
				arns = append(arns, poolARN(idn.PoolID))
			}
		}
		if len(arns) > 0 {
			return arns, nil
		}
	}
	return []string{"*"}, nil
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
