package authorizer

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/token"
)

// DefaultPolicyTTL is how long a group-policy authorizer trusts what it read about roles and
// groups (a role's inline policies, a group's role) before reading them again: a policy put,
// changed or deleted, or a group's role changed, takes effect within this time on every node,
// without a restart.
const DefaultPolicyTTL = 10 * time.Second

// MaxPolicyTTL bounds PolicyTTL, so that a policy change always takes effect within minutes.
const MaxPolicyTTL = 5 * time.Minute

// defaultRoleCacheSize bounds the roles (and the groups) whose lookups are remembered.
const defaultRoleCacheSize = 1000

// maxRolesPerToken bounds the roles one request evaluates; a user pool user is in at most
// 100 groups (Cognito quota), so more roles than that is a forged or broken token.
const maxRolesPerToken = 100

// PolicyDocument is an inline policy of a role: its name and JSON document.
type PolicyDocument struct {
	Name     string
	Document string
}

// RolePolicies reads IAM roles' inline policies. An error means the read failed (the store
// is unreachable), never that the role does not exist: that is found == false.
type RolePolicies interface {
	InlinePolicies(ctx context.Context, roleARN string) (docs []PolicyDocument, found bool, err error)
}

// GroupRoles reads the role of a user pool group (CreateGroup's RoleArn). A group that does
// not exist, or has no role, is "" without an error.
type GroupRoles interface {
	GroupRoleARN(ctx context.Context, poolID, group string) (string, error)
}

// GroupPolicyConfig is one COGNITO_GROUP_POLICY authorizer: Gatehouse's role-based access
// from user pool tokens, without SigV4.
type GroupPolicyConfig struct {
	// Token verifies the caller's token exactly as a COGNITO_USER_POOLS authorizer with the
	// same settings would: an ID token without Scopes, an access token with one of them.
	// Its Now is the authorizer's clock.
	Token CognitoConfig
	// RolesFromGroups takes the roles of every group in the token's cognito:groups, looked
	// up in the pool, instead of the token's cognito:roles. Access tokens carry no
	// cognito:roles, so an authorizer with Scopes always does this.
	RolesFromGroups bool
	// Groups is required when roles come from groups.
	Groups GroupRoles
	// Policies reads the roles' inline policies; required.
	Policies RolePolicies
	// PolicyTTL is how long role policies and group roles are remembered (default
	// DefaultPolicyTTL, at most MaxPolicyTTL): the bound within which a change takes effect.
	PolicyTTL time.Duration
}

// GroupPolicy is a COGNITO_GROUP_POLICY authorizer. It is safe for concurrent use.
type GroupPolicy struct {
	name       string
	cognito    *Cognito
	fromGroups bool
	groups     GroupRoles
	policies   RolePolicies
	ttl        time.Duration
	now        func() time.Time

	roleCache  *resultCache[*rolePolicies] // role ARN → its parsed policies
	groupCache *resultCache[string]        // pool + group → role ARN ("" none)

	roleHits, roleMisses atomic.Uint64
	allowed, denied      atomic.Uint64

	implicitDeny, explicitDeny *gateway.Response
}

// rolePolicies is one role's parsed inline policies; found is false for a role that does not
// exist (it allows nothing).
type rolePolicies struct {
	found    bool
	policies []policy.Named
}

// NewGroupPolicy checks cfg and returns its authorizer.
func NewGroupPolicy(cfg GroupPolicyConfig) (*GroupPolicy, error) {
	c, err := NewCognito(cfg.Token)
	if err != nil {
		return nil, err
	}
	fromGroups := cfg.RolesFromGroups || len(cfg.Token.Scopes) > 0
	switch {
	case cfg.Policies == nil:
		return nil, fmt.Errorf("authorizer %s: group policy: no role policy reader", c.name)
	case fromGroups && cfg.Groups == nil:
		return nil, fmt.Errorf("authorizer %s: group policy: roles come from groups, and there is no group reader", c.name)
	case cfg.PolicyTTL < 0 || cfg.PolicyTTL > MaxPolicyTTL:
		return nil, fmt.Errorf("authorizer %s: group policy: policy TTL %v is outside 0 to %v", c.name, cfg.PolicyTTL, MaxPolicyTTL)
	}
	ttl := cfg.PolicyTTL
	if ttl == 0 {
		ttl = DefaultPolicyTTL
	}
	return &GroupPolicy{
		name:         c.name,
		cognito:      c,
		fromGroups:   fromGroups,
		groups:       cfg.Groups,
		policies:     cfg.Policies,
		ttl:          ttl,
		now:          c.now,
		roleCache:    newResultCache[*rolePolicies](defaultRoleCacheSize),
		groupCache:   newResultCache[string](defaultRoleCacheSize),
		implicitDeny: gateway.NewResponse(gateway.AccessDenied).WithMessage(gateway.MessageImplicitDeny),
		explicitDeny: gateway.NewResponse(gateway.AccessDenied).WithMessage(gateway.MessageExplicitDeny),
	}, nil
}

// ContextRole is the key of requestContext.authorizer that carries the role whose policy
// allowed the request, next to the token's claims (requestContext.authorizer.claims).
const ContextRole = "role"

// Authorize verifies the token as the Cognito authorizer does (its 401s unchanged), collects
// the caller's roles, and evaluates each role's inline policies for execute-api:Invoke on the
// method ARN (IAM User Guide: reference_policies_evaluation-logic.html):
//
//   - a role whose policies explicitly deny the request denies it, whatever the other roles
//     allow: 403 "User is not authorized to access this resource with an explicit deny" (so a
//     group can carry a guard-rail, e.g. a "suspended" group whose role denies everything);
//   - otherwise the first role that allows it decides, cognito:preferred_role first, then the
//     roles in the token's (or the groups') order: the request passes, with the claims in
//     requestContext.authorizer.claims and that role's ARN in requestContext.authorizer.role;
//   - otherwise (no roles, or none allows) 403 "User is not authorized to access this
//     resource".
//
// Every refusal carries the policy decision's reason for the log. A failed store read is a
// plain error (500 AUTHORIZER_FAILURE).
func (g *GroupPolicy) Authorize(ctx context.Context, r *gateway.Request) (*gateway.Principal, error) {
	p, err := g.cognito.Authorize(ctx, r)
	if err != nil {
		return nil, err
	}
	claims := token.Claims(p.Claims)
	roles, err := g.roles(ctx, claims)
	if err != nil {
		return nil, err
	}
	user := claims.String("sub")
	if len(roles) == 0 {
		g.denied.Add(1)
		return nil, g.implicitDeny.WithReason("authorizer %s: user %s has no roles (groups %q)", g.name, user, claims.Strings("cognito:groups"))
	}
	now := g.now()
	req := policy.Request{Action: ActionInvoke, Resource: r.MethodARN()}
	requestContext(&req.Context, r, now)
	var allowRole string
	var allow policy.Decision
	var reasons []string
	for _, arn := range roles {
		rp, err := g.rolePolicies(ctx, arn, now)
		if err != nil {
			return nil, err
		}
		if !rp.found {
			reasons = append(reasons, "role "+arn+" does not exist")
			continue
		}
		d := policy.Evaluate(&req, rp.policies...)
		switch d.Effect {
		case policy.ExplicitDeny:
			g.denied.Add(1)
			return nil, g.explicitDeny.WithReason("authorizer %s: user %s: role %s: %s", g.name, user, arn, d.Reason)
		case policy.Allow:
			if allowRole == "" {
				allowRole, allow = arn, d
			}
		default:
			reasons = append(reasons, "role "+arn+": "+d.Reason)
		}
	}
	if allowRole == "" {
		g.denied.Add(1)
		return nil, g.implicitDeny.WithReason("authorizer %s: user %s: %s", g.name, user, strings.Join(reasons, "; "))
	}
	g.allowed.Add(1)
	p.Context = map[string]any{ContextRole: allowRole}
	p.Reason += "; role " + allowRole + " " + allow.Reason
	return p, nil
}

// roles returns the caller's role ARNs in the order they are tried, each once.
func (g *GroupPolicy) roles(ctx context.Context, claims token.Claims) ([]string, error) {
	var roles []string
	if g.fromGroups {
		pool := claims.String("iss")
		pool = pool[strings.LastIndexByte(pool, '/')+1:] // verified: one of the authorizer's pools
		groups := claims.Strings("cognito:groups")
		if len(groups) > maxRolesPerToken {
			groups = groups[:maxRolesPerToken]
		}
		now := g.now()
		for _, grp := range groups {
			arn, err := g.groupRole(ctx, pool, grp, now)
			if err != nil {
				return nil, err
			}
			if arn != "" {
				roles = append(roles, arn)
			}
		}
	} else {
		roles = claims.Strings("cognito:roles")
	}
	if pref := claims.String("cognito:preferred_role"); pref != "" && slices.Contains(roles, pref) {
		roles = append([]string{pref}, roles...)
	}
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		if r != "" && !slices.Contains(out, r) && len(out) < maxRolesPerToken {
			out = append(out, r)
		}
	}
	return out, nil
}

// groupRole returns a group's role ARN, remembered for the policy TTL.
func (g *GroupPolicy) groupRole(ctx context.Context, pool, group string, now time.Time) (string, error) {
	key := cacheKey(sha256.Sum256([]byte("group\x00" + pool + "\x00" + group)))
	if arn, ok := g.groupCache.get(key, now); ok {
		return arn, nil
	}
	arn, err := g.groups.GroupRoleARN(ctx, pool, group)
	if err != nil {
		return "", fmt.Errorf("authorizer %s: look up the role of group %s of pool %s: %w", g.name, group, pool, err)
	}
	g.groupCache.put(key, &cacheEntry[string]{val: arn, until: now.Add(g.ttl)}, now)
	return arn, nil
}

// rolePolicies returns a role's parsed inline policies, remembered for the policy TTL.
func (g *GroupPolicy) rolePolicies(ctx context.Context, arn string, now time.Time) (*rolePolicies, error) {
	key := cacheKey(sha256.Sum256([]byte("role\x00" + arn)))
	if rp, ok := g.roleCache.get(key, now); ok {
		g.roleHits.Add(1)
		return rp, nil
	}
	g.roleMisses.Add(1)
	docs, found, err := g.policies.InlinePolicies(ctx, arn)
	if err != nil {
		return nil, fmt.Errorf("authorizer %s: read the policies of role %s: %w", g.name, arn, err)
	}
	rp := &rolePolicies{found: found}
	for _, d := range docs {
		pol, err := policy.Parse([]byte(d.Document))
		if err != nil {
			// IAM refuses such documents when they are put; one that got in anyway must not
			// be half-read (a Deny skipped could let requests through).
			return nil, fmt.Errorf("authorizer %s: policy %s of role %s: %w", g.name, d.Name, arn, err)
		}
		rp.policies = append(rp.policies, policy.Named{Name: d.Name, Policy: pol})
	}
	g.roleCache.put(key, &cacheEntry[*rolePolicies]{val: rp, until: now.Add(g.ttl)}, now)
	return rp, nil
}

// GroupPolicyStats counts a group-policy authorizer's work since it was made.
type GroupPolicyStats struct {
	Token      CognitoStats // the verified-token cache
	RoleHits   uint64       // role policy reads answered from memory
	RoleMisses uint64       // role policy reads that went to the store
	Allowed    uint64       // requests a role allowed
	Denied     uint64       // requests with a valid token that no role allowed
}

// Stats returns the authorizer's counters, e.g. for metrics.
func (g *GroupPolicy) Stats() GroupPolicyStats {
	return GroupPolicyStats{
		Token:      g.cognito.Stats(),
		RoleHits:   g.roleHits.Load(),
		RoleMisses: g.roleMisses.Load(),
		Allowed:    g.allowed.Load(),
		Denied:     g.denied.Load(),
	}
}

var _ gateway.Authorizer = (*GroupPolicy)(nil)
