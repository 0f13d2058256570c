package iam

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/policy"
)

// Size quotas of policy documents, in characters with white space not counted (IAM User
// Guide, reference_iam-quotas.html: "Role trust policy length 2,048 characters", "Role
// policy size cannot exceed 10,240 characters", "User policy size cannot exceed 2,048
// characters"; the inline ones are the aggregate of all the role's or user's inline
// policies; "IAM does not count white space when calculating the size of a policy").
const (
	MaxTrustPolicyChars      = 2048
	MaxRoleInlinePolicyChars = 10240
	MaxUserInlinePolicyChars = 2048
)

// policyChars counts a document's characters as IAM's quotas do: white space outside JSON
// strings is not counted.
func policyChars(doc string) int { return policy.Chars([]byte(doc)) }

// parseDocument parses a document with package policy and turns its refusal into IAM's
// MalformedPolicyDocument. IAM's texts for the many ways a document can be wrong are mostly
// unknown; package policy's message names the problem, and it is what the client sees
// (capitalised, with a final period): Gatehouse's own words.
func parseDocument(doc string) (*policy.Policy, error) {
	p, err := policy.Parse([]byte(doc))
	if err == nil {
		return p, nil
	}
	if errors.Is(err, policy.ErrTooLarge) {
		// A document over MaxPolicyChars: the per-document quota (guessed text, after
		// "Cannot exceed quota for ACLSizePerRole: 2048", which is IAM's for trust policies).
		return nil, limitExceeded("Cannot exceed quota for PolicySize: %d", policy.MaxPolicyChars)
	}
	msg := err.Error()
	msg = strings.TrimPrefix(msg, policy.ErrMalformed.Error()+": ")
	if r, size := utf8.DecodeRuneInString(msg); size > 0 {
		msg = string(unicode.ToUpper(r)) + msg[size:]
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return nil, malformedPolicy("%s", msg)
}

// checkIdentityPolicy checks an inline (identity-based) policy: it must parse, and no
// statement may name a principal (IAM answers "Policy document should not specify a
// principal." — recalled, unconfirmed).
func checkIdentityPolicy(doc string) (*policy.Policy, error) {
	p, err := parseDocument(doc)
	if err != nil {
		return nil, err
	}
	for _, s := range p.Statements {
		if s.Principal != nil || s.NotPrincipal != nil {
			return nil, malformedPolicy("Policy document should not specify a principal.")
		}
	}
	return p, nil
}

// checkTrustPolicy checks a role's trust policy: within its quota ("Cannot exceed quota for
// ACLSizePerRole: 2048", confirmed), parsed, every statement naming a principal and none a
// resource ("Missing required field Principal" and "Has prohibited field Resource":
// recalled, unconfirmed).
func checkTrustPolicy(doc string) error {
	if policyChars(doc) > MaxTrustPolicyChars {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: %d", MaxTrustPolicyChars)
	}
	p, err := parseDocument(doc)
	if err != nil {
		return err
	}
	for _, s := range p.Statements {
		if s.Resource != nil || s.NotResource != nil {
			return malformedPolicy("Has prohibited field Resource")
		}
		if s.Principal == nil && s.NotPrincipal == nil {
			return malformedPolicy("Missing required field Principal")
		}
	}
	return nil
}

// inlineQuota checks that replacing (or adding) the inline policy name with doc keeps the
// owner's inline policies within quota chars. Confirmed for roles: "Maximum policy size of
// 10240 bytes exceeded for role NAME" (LimitExceeded, 409); the user's is guessed alike.
func inlineQuota(existing []string, doc string, quota int, kind, owner string) *awsapi.Error {
	total := policyChars(doc)
	for _, d := range existing {
		total += policyChars(d)
	}
	if total > quota {
		return limitExceeded("Maximum policy size of %d bytes exceeded for %s %s", quota, kind, owner)
	}
	return nil
}
