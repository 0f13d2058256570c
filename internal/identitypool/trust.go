package identitypool

import (
	"bytes"
	"encoding/json"
	"slices"
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
// (multivalued), and aws:CurrentTime. Package policy keeps Principal but does not evaluate it,
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
	for i, st := range parsed.Statements {
		if principalApplies(st) {
			keep = append(keep, raw[i])
		}
	}
	if len(keep) == 0 {
		return false, "no statement of the trust policy is for " + cognitoPrincipal
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
