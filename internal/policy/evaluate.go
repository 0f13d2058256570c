package policy

import (
	"iter"
	"strconv"
	"strings"
	"time"
)

// Context keys Gatehouse fills for requests signed with Cognito identity credentials (IAM
// User Guide: reference_policies_condition-keys.html; Cognito developer guide:
// iam-roles.html for the cognito-identity.amazonaws.com keys).
const (
	KeyCurrentTime      = "aws:CurrentTime"     // ISO 8601, for the Date operators
	KeyEpochTime        = "aws:EpochTime"       // epoch seconds, for the Date and Numeric operators
	KeySourceIP         = "aws:SourceIp"        // the caller's address, for IpAddress
	KeySecureTransport  = "aws:SecureTransport" // "true" over TLS, for Bool
	KeyUsername         = "aws:username"
	KeyUserID           = "aws:userid"
	KeyPrincipalType    = "aws:PrincipalType"
	KeyPrincipalArn     = "aws:PrincipalArn"
	KeyPrincipalAccount = "aws:PrincipalAccount"
	KeyCognitoSub       = "cognito-identity.amazonaws.com:sub" // the identity id
	KeyCognitoAud       = "cognito-identity.amazonaws.com:aud" // the identity pool id
	KeyCognitoAmr       = "cognito-identity.amazonaws.com:amr" // multivalued: "authenticated", the provider, …
)

// Context is the request context: condition keys and their values. Keys are
// case-insensitive, as condition keys are (IAM User Guide:
// reference_policies_elements_condition.html); a key may have several values (a
// multivalued key). The zero Context is empty and ready to use. Set it up before evaluation;
// it is not safe to Set while evaluating.
type Context struct {
	m map[string][]string // lower-cased key → values
}

// Set sets key's values; no values removes the key. The slice is kept, not copied.
func (c *Context) Set(key string, values ...string) {
	k := lowerKey(key)
	if len(values) == 0 {
		delete(c.m, k)
		return
	}
	if c.m == nil {
		// Room for the keys an authorizer sets (time, source, transport, the caller's
		// five, Cognito's three) without growing.
		c.m = make(map[string][]string, 16)
	}
	c.m[k] = values
}

// lowerKey is strings.ToLower(key), without an allocation for the keys Gatehouse sets on
// every request (they are set, and so lower-cased, several times per authorization).
func lowerKey(key string) string {
	switch key {
	case KeyCurrentTime:
		return "aws:currenttime"
	case KeyEpochTime:
		return "aws:epochtime"
	case KeySourceIP:
		return "aws:sourceip"
	case KeySecureTransport:
		return "aws:securetransport"
	case KeyUserID:
		return "aws:userid"
	case KeyPrincipalType:
		return "aws:principaltype"
	case KeyPrincipalArn:
		return "aws:principalarn"
	case KeyPrincipalAccount:
		return "aws:principalaccount"
	}
	return strings.ToLower(key)
}

// SetTime sets aws:CurrentTime and aws:EpochTime from t.
func (c *Context) SetTime(t time.Time) {
	c.Set(KeyCurrentTime, t.UTC().Format("2006-01-02T15:04:05Z"))
	c.Set(KeyEpochTime, strconv.FormatInt(t.Unix(), 10))
}

// Get returns key's values, nil when the key is absent.
func (c *Context) Get(key string) []string {
	return c.values(strings.ToLower(key))
}

func (c *Context) values(lkey string) []string {
	if c == nil {
		return nil
	}
	return c.m[lkey]
}

// MaxRequestLength bounds, in bytes, a request's Action, its Resource and each context value
// Evaluate compares, so that matching (linear in the pattern times the subject) stays cheap.
// API Gateway refuses method ARNs over 1,600 bytes with 414 (developer guide:
// api-gateway-lambda-authorizer-output). A longer Action or Resource is implicitly denied; a
// longer context value matches no condition, negated or not.
const MaxRequestLength = 4096

// Request is what is being authorized: an action such as "execute-api:Invoke", a resource
// ARN such as "arn:aws:execute-api:us-east-1:000000000000:a1b2c3/dev/GET/pets", and the
// request context.
type Request struct {
	Action   string
	Resource string
	Context  Context
}

// Named is a policy with the name it is known by (a role's inline policy name), for
// Decision.Matched.
type Named struct {
	Name   string
	Policy *Policy
}

// Effect is the outcome of an evaluation (IAM User Guide:
// reference_policies_evaluation-logic.html).
type Effect uint8

const (
	// ImplicitDeny: no statement allows the request; the default.
	ImplicitDeny Effect = iota
	// Allow: a statement allows the request and none denies it.
	Allow
	// ExplicitDeny: a Deny statement applies; it overrides every Allow.
	ExplicitDeny
)

func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// StatementRef names a statement: the policy's name, the statement's index in the document
// and its Sid.
type StatementRef struct {
	Policy string
	Index  int
	Sid    string
}

func (r StatementRef) String() string { return r.describe("") }

// describe is prefix + String() in one allocation.
func (r StatementRef) describe(prefix string) string {
	n := strconv.Itoa(r.Index)
	if r.Sid == "" {
		return prefix + "statement " + n + " of policy \"" + r.Policy + "\""
	}
	return prefix + "statement " + n + " (Sid " + r.Sid + ") of policy \"" + r.Policy + "\""
}

// Decision is the result of Evaluate. Matched is the statement that decided it (the first
// Deny that applies, else the first Allow); it is the zero value for ImplicitDeny. Reason
// says why in a sentence for the log, never for the client.
type Decision struct {
	Effect  Effect
	Matched StatementRef
	Reason  string
}

// Allowed reports whether the decision is Allow.
func (d Decision) Allowed() bool { return d.Effect == Allow }

// Evaluate decides req against a set of policies, e.g. all inline policies of a role: an
// explicit Deny in any of them wins, otherwise an Allow in any of them allows, otherwise the
// request is implicitly denied (IAM User Guide: reference_policies_evaluation-logic.html,
// "Determining whether a request is allowed or denied within an account"). A statement
// applies when its Action (or NotAction), its Resource (or NotResource) and every condition
// match. Nil policies are skipped. Evaluate does not modify req.
func Evaluate(req *Request, policies ...Named) Decision {
	if len(req.Action) > MaxRequestLength || len(req.Resource) > MaxRequestLength {
		return Decision{Effect: ImplicitDeny, Reason: "implicitly denied: the action or resource is longer than " +
			strconv.Itoa(MaxRequestLength) + " bytes"}
	}
	// Actions match case-insensitively: an ASCII action (every real one) is folded while
	// matching, anything else lower-cased first.
	action, fold := req.Action, isASCII(req.Action)
	if !fold {
		action = strings.ToLower(action)
	}
	ctx := &req.Context
	allowed := false
	var allow StatementRef
	for ref, s := range statements(policies) {
		if allowed && !s.deny {
			continue // only a Deny can change the outcome now
		}
		if !s.matchAction(action, fold) || !s.matchResource(ctx, req.Resource) || s.failedCondition(ctx) >= 0 {
			continue
		}
		if s.deny {
			return Decision{Effect: ExplicitDeny, Matched: ref, Reason: ref.describe("explicitly denied by ")}
		}
		allowed, allow = true, ref
	}
	if allowed {
		return Decision{Effect: Allow, Matched: allow, Reason: allow.describe("allowed by ")}
	}
	return Decision{Effect: ImplicitDeny, Reason: implicitReason(req, action, fold, policies)}
}

// Evaluate decides req against p alone, named "".
func (p *Policy) Evaluate(req *Request) Decision {
	return Evaluate(req, Named{Policy: p})
}

// implicitReason explains an implicit deny: the first Allow statement that matched the
// action and resource but not a condition, or that none matched them.
func implicitReason(req *Request, action string, fold bool, policies []Named) string {
	what := req.Action + " on " + req.Resource
	for ref, s := range statements(policies) {
		if s.deny || !s.matchAction(action, fold) || !s.matchResource(&req.Context, req.Resource) {
			continue
		}
		if ci := s.failedCondition(&req.Context); ci >= 0 {
			c := &s.conds[ci]
			return ref.describe("implicitly denied: ") + " allows " + what +
				" but its condition " + c.operator + " on " + c.key + " is not met"
		}
	}
	return "implicitly denied: no statement allows " + what
}

// statements yields every compiled statement of the policies in order, with the reference
// that names it; a nil policy has none. Evaluate and implicitReason walk them alike.
func statements(policies []Named) iter.Seq2[StatementRef, *statement] {
	return func(yield func(StatementRef, *statement) bool) {
		for pi := range policies {
			p := policies[pi].Policy
			if p == nil {
				continue
			}
			for si := range p.compiled {
				s := &p.compiled[si]
				if !yield(StatementRef{Policy: policies[pi].Name, Index: si, Sid: s.sid}, s) {
					return
				}
			}
		}
	}
}

// statement is the compiled form of a Statement.
type statement struct {
	sid         string
	deny        bool
	notAction   bool
	actions     []pattern // lower-cased
	anyResource bool      // neither Resource nor NotResource: a trust policy's statement
	notResource bool
	resources   []pattern
	conds       []condition
}

func compileStatement(st *Statement, vars bool) (statement, error) {
	s := statement{sid: st.Sid, deny: st.Effect == "Deny"}
	actions := st.Action
	if len(st.NotAction) > 0 {
		s.notAction, actions = true, st.NotAction
	}
	for _, a := range actions {
		// Action names take wildcards but no policy variables
		// (IAM User Guide: reference_policies_variables.html, "Where you can use policy variables").
		s.actions = append(s.actions, compilePattern(strings.ToLower(a), true, false))
	}
	resources := st.Resource
	switch {
	case len(st.NotResource) > 0:
		s.notResource, resources = true, st.NotResource
	case len(st.Resource) == 0:
		s.anyResource = true
	}
	for _, r := range resources {
		s.resources = append(s.resources, compilePattern(r, true, vars))
	}
	for i := range st.Conditions {
		c, err := compileCondition(&st.Conditions[i], vars)
		if err != nil {
			return s, err
		}
		s.conds = append(s.conds, c)
	}
	return s, nil
}

// matchAction matches an action against Action or NotAction (IAM User Guide:
// reference_policies_elements_action.html, reference_policies_elements_notaction.html):
// with fold an ASCII action in any case, else a lower-cased one.
func (s *statement) matchAction(action string, fold bool) bool {
	for i := range s.actions {
		var m bool
		if fold {
			m = s.actions[i].matchFold(action)
		} else {
			m, _ = s.actions[i].match(nil, action)
		}
		if m {
			return !s.notAction
		}
	}
	return s.notAction
}

// matchResource matches the resource ARN, case-sensitively, against Resource or NotResource
// (IAM User Guide: reference_policies_elements_resource.html,
// reference_policies_elements_notresource.html). An entry whose variable has no value
// matches no resource, and makes a NotResource not match either.
func (s *statement) matchResource(ctx *Context, resource string) bool {
	if s.anyResource {
		return true
	}
	for i := range s.resources {
		m, ok := s.resources[i].match(ctx, resource)
		if !ok {
			if s.notResource {
				return false
			}
			continue
		}
		if m {
			return !s.notResource
		}
	}
	return s.notResource
}

// failedCondition returns the index of the first condition that does not hold, or -1:
// the conditions of a statement are AND'ed.
func (s *statement) failedCondition(ctx *Context) int {
	for i := range s.conds {
		if !s.conds[i].eval(ctx) {
			return i
		}
	}
	return -1
}
