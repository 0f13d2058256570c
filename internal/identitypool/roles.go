package identitypool

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// SetIdentityPoolRoles and GetIdentityPoolRoles
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_SetIdentityPoolRoles.html,
// API_GetIdentityPoolRoles.html, API_RoleMapping.html, API_MappingRule.html).

// Role types, the keys of Roles.
const (
	roleAuthenticated   = "authenticated"
	roleUnauthenticated = "unauthenticated"
)

// maxRulesPerProvider: "You can specify up to 25 rules per identity provider" (API reference:
// RulesConfigurationType; the model's own bound, 400, is looser).
const maxRulesPerProvider = 25

// roleARNPattern is an IAM role ARN: arn:aws:iam::{account}:role/{path}{name} (IAM User
// Guide: reference_identifiers.html, "IAM ARNs"); the name is at most 64 characters of
// [\w+=,.@-].
var roleARNPattern = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$`)

// parseRoleARN returns a role ARN's account and role name.
func parseRoleARN(arn string) (account, name string, ok bool) {
	m := roleARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// mappingProvider returns the configured provider a RoleMappings key names. AWS documents the
// key of a user pool as "cognito-idp.{region}.amazonaws.com/{userPoolId}:{clientId}" (API
// reference: SetIdentityPoolRoles, RoleMappings); the provider name alone is accepted too and
// then applies to every app client of that user pool. Either name of the provider serves
// (providerNamer).
func (p *pool) mappingProvider(n providerNamer, key string) (CognitoIdentityProvider, bool) {
	provider, clientID, ok := n.mappingKey(key)
	if !ok {
		return CognitoIdentityProvider{}, false
	}
	for _, cp := range p.spec.CognitoIdentityProviders {
		name, _, ok := n.canonical(cp.ProviderName)
		if ok && name == provider && (clientID == "" || cp.ClientId != "" && clientID == cp.ClientId) {
			return cp, true
		}
	}
	return CognitoIdentityProvider{}, false
}

// mappingFor returns the role mapping that applies to a login of the (canonical) provider
// through app client clientID, and its key as configured: the one keyed
// "{provider}:{clientId}", else the one keyed "{provider}", in either name of the provider.
func (p *pool) mappingFor(n providerNamer, provider, clientID string) (string, *RoleMapping) {
	var whole string
	var wholeMapping *RoleMapping
	for key, m := range p.spec.RoleMappings {
		prov, client, ok := n.mappingKey(key)
		if !ok || prov != provider || m == nil {
			continue
		}
		if client != "" && client == clientID {
			return key, m
		}
		if client == "" {
			whole, wholeMapping = key, m
		}
	}
	return whole, wholeMapping
}

// checkRoles validates Roles and RoleMappings against the pool.
func (p *pool) checkRoles(n providerNamer, roles map[string]string, mappings map[string]*RoleMapping) error {
	for typ, arn := range roles {
		if typ != roleAuthenticated && typ != roleUnauthenticated {
			return awsapi.InvalidParameter("Invalid role type %s: expected authenticated or unauthenticated.", typ) // guessed; the model's pattern refuses most
		}
		if _, _, ok := parseRoleARN(arn); !ok {
			return awsapi.InvalidParameter("Invalid role ARN for %s: %s", typ, arn) // guessed
		}
	}
	seen := map[string]string{}
	for _, key := range slices.Sorted(maps.Keys(mappings)) {
		m := mappings[key]
		if m == nil {
			return awsapi.InvalidParameter("Role mapping for %s is empty.", key) // guessed
		}
		if _, ok := p.mappingProvider(n, key); !ok {
			return awsapi.InvalidParameter("Role mapping key %s is not a provider of this identity pool.", key) // guessed
		}
		// Two keys that name one provider and client in its two names would make the
		// choice between them arbitrary.
		prov, client, _ := n.mappingKey(key)
		if other, dup := seen[prov+"\x00"+client]; dup {
			return awsapi.InvalidParameter("Role mappings %s and %s name the same provider.", other, key) // guessed
		}
		seen[prov+"\x00"+client] = key
		// "If you specify Token or Rules as the Type, AmbiguousRoleResolution is required."
		// (API reference: RoleMapping)
		if m.AmbiguousRoleResolution == "" {
			return awsapi.InvalidParameter("AmbiguousRoleResolution is required for role mapping %s.", key) // guessed
		}
		switch m.Type {
		case "Token":
			if m.RulesConfiguration != nil {
				return awsapi.InvalidParameter("RulesConfiguration is only valid for role mappings of type Rules (%s).", key) // guessed
			}
		case "Rules":
			// "If you specify Rules as the role mapping type, RulesConfiguration is required."
			if m.RulesConfiguration == nil || len(m.RulesConfiguration.Rules) == 0 {
				return awsapi.InvalidParameter("RulesConfiguration is required for role mapping %s of type Rules.", key) // guessed
			}
			if len(m.RulesConfiguration.Rules) > maxRulesPerProvider {
				return awsapi.InvalidParameter("Role mapping %s has %d rules; at most %d are allowed per identity provider.", key, len(m.RulesConfiguration.Rules), maxRulesPerProvider) // guessed
			}
			for _, r := range m.RulesConfiguration.Rules {
				if _, _, ok := parseRoleARN(r.RoleARN); !ok {
					return awsapi.InvalidParameter("Invalid role ARN in role mapping %s: %s", key, r.RoleARN) // guessed
				}
			}
		default:
			return awsapi.InvalidParameter("Invalid role mapping type %s for %s.", m.Type, key) // the model's enum refuses it first
		}
	}
	return nil
}

// SetIdentityPoolRoles sets the pool's roles and role mappings, replacing the earlier ones.
func (s *Service) SetIdentityPoolRoles(ctx context.Context, in *SetIdentityPoolRolesInput) (*struct{}, error) {
	err := s.store.UpdateIdentityPool(ctx, in.IdentityPoolId, func(old store.IdentityPool) (store.IdentityPool, error) {
		p, err := decodeSpec(old)
		if err != nil {
			return old, err
		}
		if err := p.checkRoles(s.names, in.Roles, in.RoleMappings); err != nil {
			return old, err
		}
		p.spec.Roles = in.Roles
		p.spec.RoleMappings = in.RoleMappings
		if len(p.spec.Roles) == 0 {
			p.spec.Roles = nil
		}
		if len(p.spec.RoleMappings) == 0 {
			p.spec.RoleMappings = nil
		}
		raw, err := json.Marshal(p.spec)
		if err != nil {
			return old, err
		}
		old.Spec = raw
		old.UpdatedAt = s.nowUTC()
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(in.IdentityPoolId)
	}
	return nil, err
}

// GetIdentityPoolRoles returns the pool's roles and role mappings.
func (s *Service) GetIdentityPoolRoles(ctx context.Context, in *GetIdentityPoolRolesInput) (*GetIdentityPoolRolesResponse, error) {
	p, err := s.loadPool(ctx, in.IdentityPoolId)
	if err != nil {
		return nil, err
	}
	return &GetIdentityPoolRolesResponse{IdentityPoolId: p.rec.ID, Roles: p.spec.Roles, RoleMappings: p.spec.RoleMappings}, nil
}

// ruleMatches applies one mapping rule to the token's claims (API reference: MappingRule;
// developer guide: role-based-access-control.html, "Rule-based mapping"). The claim must be
// present. A multivalued claim (an array, such as cognito:groups) matches Equals, Contains and
// StartsWith when any of its values does, and NotEqual when none equals Value: AWS does not
// document arrays, this is Gatehouse's reading. Other JSON values are compared as their text.
func ruleMatches(r MappingRule, claims map[string]any) bool {
	v, ok := claims[r.Claim]
	if !ok || v == nil {
		return false
	}
	values := claimStrings(v)
	if r.MatchType == "NotEqual" {
		for _, s := range values {
			if s == r.Value {
				return false
			}
		}
		return len(values) > 0
	}
	for _, s := range values {
		switch r.MatchType {
		case "Equals":
			if s == r.Value {
				return true
			}
		case "Contains":
			if strings.Contains(s, r.Value) {
				return true
			}
		case "StartsWith":
			if strings.HasPrefix(s, r.Value) {
				return true
			}
		}
	}
	return false
}

// claimStrings returns a claim's value as strings: a string as itself, an array as its
// elements' texts, anything else as its JSON text.
func claimStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []string:
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			out = append(out, scalarText(e))
		}
		return out
	}
	return []string{scalarText(v)}
}

func scalarText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}
