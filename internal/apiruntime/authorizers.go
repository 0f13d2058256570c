package apiruntime

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/store"
)

// AuthorizerStats is one served authorizer's cache counters, e.g. for metrics: the result
// cache of a Lambda authorizer, the verified-token cache of a Cognito or group-policy one.
type AuthorizerStats struct {
	Name string
	Type serverless.AuthorizerType
	// Hits are requests answered from the cache; Misses requests decided afresh (a Lambda
	// authorizer invoked its function, a Cognito one verified the token).
	Hits, Misses uint64
	// Entries are the entries cached now, including those past their time not yet evicted.
	Entries int
}

// authorizerKey names one authorizer instance: endpoints naming the same authorizer with the
// same scopes share it, and so its cache, as they share one authorizer on API Gateway.
type authorizerKey struct {
	typ    serverless.AuthorizerType
	name   string
	scopes string
}

// builtAuthorizer is an authorizer of the snapshot with what its statistics say.
type builtAuthorizer struct {
	key   authorizerKey
	az    gateway.Authorizer
	stats func() (hits, misses uint64, entries int) // nil: no cache (AWS_IAM)
}

// Stats returns the counters of the snapshot's cached authorizers, sorted by type and name.
// A new snapshot has new authorizers, whose caches and counters start from zero.
func (s *Snapshot) Stats() []AuthorizerStats {
	if s == nil {
		return nil
	}
	var out []AuthorizerStats
	for _, b := range s.authorizers {
		if b.stats == nil {
			continue
		}
		st := AuthorizerStats{Name: b.key.name, Type: b.key.typ}
		st.Hits, st.Misses, st.Entries = b.stats()
		out = append(out, st)
	}
	slices.SortStableFunc(out, func(a, b AuthorizerStats) int {
		if c := strings.Compare(string(a.Type), string(b.Type)); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// authorizer returns the authorizer of an endpoint (nil for NONE), building it on first use.
func (b *builder) authorizer(a serverless.Authorizer) (gateway.Authorizer, error) {
	var key authorizerKey
	switch a.Type {
	case serverless.AuthNone, "":
		return nil, nil
	case serverless.AuthIAM:
		// One AWS_IAM authorizer serves every such method of the API: it holds no per-method
		// settings (the method ARN comes from the request).
		key = authorizerKey{typ: a.Type}
	case serverless.AuthCognitoUserPools, serverless.AuthCognitoGroupPolicy, serverless.AuthToken, serverless.AuthRequest:
		key = authorizerKey{typ: a.Type, name: a.Name, scopes: strings.Join(a.Scopes, " ")}
	default:
		// Refusing to load is the safe answer: serving the route without its authorizer would
		// open it, and serving it refusing everything would look like a bug in the caller.
		return nil, fmt.Errorf("authorizer %q of type %s is not supported by this version of Gatehouse", a.Name, a.Type)
	}
	if got, ok := b.built[key]; ok {
		return got.az, nil
	}
	ba := &builtAuthorizer{key: key}
	var err error
	switch a.Type {
	case serverless.AuthIAM:
		ba.az, err = authorizer.NewIAM(authorizer.IAMConfig{Region: b.svc.Region, Principals: b.deps.Principals, Now: b.deps.Now})
	case serverless.AuthToken, serverless.AuthRequest:
		var l *authorizer.Lambda
		if l, err = b.lambdaAuthorizer(a); err == nil {
			ba.az = l
			ba.stats = func() (uint64, uint64, int) { s := l.Stats(); return s.Hits, s.Misses, s.Entries }
		}
	case serverless.AuthCognitoUserPools:
		var c *authorizer.Cognito
		if c, err = b.cognitoAuthorizer(a); err == nil {
			ba.az = c
			ba.stats = func() (uint64, uint64, int) { s := c.Stats(); return s.Hits, s.Misses, s.Entries }
		}
	case serverless.AuthCognitoGroupPolicy:
		var g *authorizer.GroupPolicy
		if g, err = b.groupPolicyAuthorizer(a); err == nil {
			ba.az = g
			ba.stats = func() (uint64, uint64, int) { s := g.Stats().Token; return s.Hits, s.Misses, s.Entries }
		}
	}
	if err != nil {
		if a.Type == serverless.AuthIAM {
			return nil, err
		}
		return nil, fmt.Errorf("authorizer %q: %w", a.Name, err)
	}
	b.built[key] = ba
	b.snap.authorizers = append(b.snap.authorizers, ba)
	return ba.az, nil
}

// lambdaAuthorizer builds a TOKEN or REQUEST authorizer whose function is one of the file's,
// invoked through the same Invoker as the integrations.
func (b *builder) lambdaAuthorizer(a serverless.Authorizer) (*authorizer.Lambda, error) {
	f := b.svc.Function(a.FunctionName)
	if f == nil || f.Handler == "" {
		return nil, fmt.Errorf("function %s has no handler to run as the authorizer", a.FunctionName)
	}
	return authorizer.NewLambda(authorizer.LambdaConfig{
		Name:                 a.Name,
		Type:                 authorizer.LambdaType(a.Type),
		Function:             f.FunctionName,
		IdentitySource:       a.IdentitySource,
		ValidationExpression: a.ValidationExpression,
		ResultTTL:            a.ResultTTL,
		Invoker:              b.deps.Invoker,
		Now:                  b.deps.Now,
	})
}

// cognitoConfig is the token check of a COGNITO_USER_POOLS or COGNITO_GROUP_POLICY
// authorizer.
func (b *builder) cognitoConfig(a serverless.Authorizer) (authorizer.CognitoConfig, error) {
	arns := slices.Clone(a.PoolARNs)
	for _, ref := range a.PoolRefs {
		arn, ok := b.deps.StackPools[ref]
		if !ok {
			return authorizer.CognitoConfig{}, fmt.Errorf("names the user pool resource %s of this file, which was not deployed (is it an AWS::Cognito::UserPool whose Condition holds?)", ref)
		}
		arns = append(arns, arn)
	}
	var poolIDs []string
	for _, arn := range arns {
		id, err := authorizer.PoolIDFromARN(arn)
		if err != nil {
			return authorizer.CognitoConfig{}, err
		}
		poolIDs = append(poolIDs, id)
		if b.deps.Pools == nil {
			continue
		}
		if _, err := b.deps.Pools.GetUserPool(b.ctx, id); errors.Is(err, store.ErrNotFound) {
			// Not an error: the pool may be created after the file is loaded (the token
			// checks look pools up per request). Until then every token is refused.
			b.snap.Warnings = append(b.snap.Warnings, fmt.Sprintf("%s:%d: authorizer %q: user pool %s does not exist on this Gatehouse; its routes answer 401 until it is created",
				b.svc.File, a.Pos.Line, a.Name, id))
		} else if err != nil {
			return authorizer.CognitoConfig{}, fmt.Errorf("look up user pool %s: %w", id, err)
		}
	}
	return authorizer.CognitoConfig{
		Name:                 a.Name,
		PoolIDs:              poolIDs,
		Scopes:               a.Scopes,
		IdentitySource:       a.IdentitySource,
		ValidationExpression: a.ValidationExpression,
		ResultTTL:            a.ResultTTL,
		Verifier:             b.deps.Verifier,
		Clients:              b.deps.Clients,
		Now:                  b.deps.Now,
	}, nil
}

func (b *builder) cognitoAuthorizer(a serverless.Authorizer) (*authorizer.Cognito, error) {
	cfg, err := b.cognitoConfig(a)
	if err != nil {
		return nil, err
	}
	return authorizer.NewCognito(cfg)
}

func (b *builder) groupPolicyAuthorizer(a serverless.Authorizer) (*authorizer.GroupPolicy, error) {
	cfg, err := b.cognitoConfig(a)
	if err != nil {
		return nil, err
	}
	if b.deps.Roles == nil || b.deps.Groups == nil {
		return nil, errors.New("COGNITO_GROUP_POLICY needs the role and group store")
	}
	return authorizer.NewGroupPolicy(authorizer.GroupPolicyConfig{
		Token:           cfg,
		RolesFromGroups: a.RolesFromGroups,
		Groups:          GroupRoles{b.deps.Groups},
		Policies:        RolePolicies{b.deps.Roles},
	})
}
