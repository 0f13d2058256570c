package identitypool

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/policy"
)

// cognitoPrincipal is the federated principal Cognito Identity assumes roles as (developer
// guide: role-trust-and-permissions.html).
const cognitoPrincipal = "cognito-identity.amazonaws.com"

// assumeAction is what the trust policy must allow.
const assumeAction = "sts:AssumeRoleWithWebIdentity"

// trustAllows evaluates a role's trust policy for a Cognito Identity caller: the statements
// whose Principal names {"Federated": "cognito-identity.amazonaws.com"} (or "*", or whose
// NotPrincipal leaves it out) are evaluated with package policy for the action
// sts:AssumeRoleWithWebIdentity on the role, with the context keys
// cognito-identity.amazonaws.com:aud (the pool id), :sub (the identity id) and :amr
// (multivalued), and aws:CurrentTime. Allow statements count only when namesPool finds an
// :aud condition naming the pool; Deny statements always count. Package policy keeps Principal but does not evaluate it,
// so the statements for other principals are left out here before evaluation. It returns
// whether the role may be assumed and, when not, why (for the log).
func trustAllows(doc, roleARN string, now time.Time, poolID, identityID string, amr []string) (bool, string) {
	if doc == "" {
		return false, "the role has no trust policy"
	}
	parsed, err := policy.Parse([]byte(doc))
	if err != nil {
		return false, "trust policy: " + err.Error()
	}
	raw, err := rawStatements([]byte(doc))
	if err != nil || len(raw) != len(parsed.Statements) {
		return false, "trust policy: statements unreadable"
	}
	var keep []json.RawMessage
	allows := 0
	for i, st := range parsed.Statements {
		if !principalApplies(st) {
			continue
		}
		if st.Effect == "Allow" {
			if !namesPool(st, poolID) {
				continue
			}
			allows++
		}
		keep = append(keep, raw[i])
	}
	if allows == 0 {
		return false, "no Allow statement of the trust policy is for " + cognitoPrincipal +
			" with a " + policy.KeyCognitoAud + " condition naming " + poolID
	}
	sub := struct {
		Version   string            `json:"Version,omitempty"`
		Statement []json.RawMessage `json:"Statement"`
	}{parsed.Version, keep}
	b, err := json.Marshal(sub)
	if err != nil {
		return false, "trust policy: " + err.Error()
	}
	p, err := policy.Parse(b)
	if err != nil {
		return false, "trust policy: " + err.Error()
	}
	req := &policy.Request{Action: assumeAction, Resource: roleARN}
	req.Context.Set(policy.KeyCognitoAud, poolID)
	req.Context.Set(policy.KeyCognitoSub, identityID)
	req.Context.Set(policy.KeyCognitoAmr, amr...)
	req.Context.SetTime(now)
	d := p.Evaluate(req)
	if !d.Allowed() {
		return false, "trust policy: " + d.Reason
	}
	return true, ""
}

// namesPool reports whether an Allow statement limits the caller's pool to poolID: a
// StringEquals or StringLike condition on cognito-identity.amazonaws.com:aud with poolID among
// its values, written out. A trust statement without one would let any identity pool, in any
// account, assume the role. AWS refuses such roles: "IAM requires that roles for identity
// pools have at least one trust policy condition" and, as a best practice, the :aud and :amr
// conditions on every role that trusts cognito-identity.amazonaws.com (developer guide:
// identity-pools-security-best-practices.html, "Use trust policy conditions in IAM roles");
// a trust policy for the identity pool service principal cannot allow any identity pool to
// assume the role (iam-roles.html, "Setting up trust policies"); and cross-account roles "must
// contain the cognito-identity.amazonaws.com:aud condition key" (STS API reference:
// AssumeRoleWithWebIdentity, RoleArn).
//
// Decided here: the check is made per statement, so a loose Allow next to a strict one does
// not count; a StringLike pattern counts only when the pool ID is one of its values as
// written (a wildcard such as "*" or "us-east-1:*" names no pool).
func namesPool(st policy.Statement, poolID string) bool {
	for _, c := range st.Conditions {
		if c.Operator != "StringEquals" && c.Operator != "StringLike" {
			continue
		}
		// Condition keys are case-insensitive (IAM User Guide:
		// reference_policies_elements_condition.html).
		if strings.EqualFold(c.Key, policy.KeyCognitoAud) && slices.Contains(c.Values, poolID) {
			return true
		}
	}
	return false
}

// principalApplies reports whether a trust statement is about Cognito Identity.
func principalApplies(st policy.Statement) bool {
	switch {
	case st.Principal != nil:
		return namesCognito(st.Principal)
	case st.NotPrincipal != nil:
		return !namesCognito(st.NotPrincipal)
	}
	return false
}

func namesCognito(p *policy.Principal) bool {
	return p.Wildcard || slices.Contains(p.Federated, cognitoPrincipal) || slices.Contains(p.AWS, "*")
}

// rawStatements returns the document's statements as written, in order (one object is a list
// of one, as package policy reads it).
func rawStatements(doc []byte) ([]json.RawMessage, error) {
	var top struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, err
	}
	s := bytes.TrimSpace(top.Statement)
	if len(s) > 0 && s[0] == '{' {
		return []json.RawMessage{s}, nil
	}
	var list []json.RawMessage
	err := json.Unmarshal(s, &list)
	return list, err
}
