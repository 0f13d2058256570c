package main

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/store"
)

// authorizerDeps is what the authorizers of a serverless.yml are built from.
type authorizerDeps struct {
	verifier authorizer.Verifier
	clients  authorizer.ClientLookup
	pools    store.UserPools
	groups   store.Groups // the group → role lookups of COGNITO_GROUP_POLICY
	roles    store.Roles  // the role policies of COGNITO_GROUP_POLICY
	master   *masterkey.Key
	// principals answers AWS_IAM methods: access keys' secrets and their callers' policies.
	principals authorizer.Principals
	now        func() time.Time // the test clock; nil: time.Now
}

// authorizer returns the authorizer of endpoint e (nil for NONE). Endpoints naming the same
// authorizer with the same scopes share one instance, and so one cache, as they share one
// authorizer on API Gateway.
func (rt *apiRuntime) authorizer(ctx context.Context, svc *serverless.Service, e *serverless.Endpoint, built map[string]gateway.Authorizer) (gateway.Authorizer, error) {
	a := e.Authorizer
	switch a.Type {
	case serverless.AuthNone, "":
		return nil, nil
	case serverless.AuthIAM:
		// One AWS_IAM authorizer serves every such method of the API: it holds no per-method
		// settings (the method ARN comes from the request).
		if got, ok := built["\x00aws_iam"]; ok {
			return got, nil
		}
		az, err := authorizer.NewIAM(authorizer.IAMConfig{Region: svc.Region, Principals: rt.auth.principals, Now: rt.auth.now})
		if err != nil {
			return nil, err
		}
		built["\x00aws_iam"] = az
		return az, nil
	case serverless.AuthCognitoUserPools, serverless.AuthCognitoGroupPolicy, serverless.AuthToken, serverless.AuthRequest:
	default:
		// Refusing to load is the safe answer: serving the route without its authorizer would
		// open it, and serving it refusing everything would look like a bug in the caller.
		return nil, fmt.Errorf("authorizer %q of type %s is not supported by this version of Gatehouse", a.Name, a.Type)
	}
	key := string(a.Type) + "\x00" + a.Name + "\x00" + strings.Join(a.Scopes, " ")
	if got, ok := built[key]; ok {
		return got, nil
	}
	var az gateway.Authorizer
	var err error
	switch a.Type {
	case serverless.AuthToken, serverless.AuthRequest:
		az, err = rt.lambdaAuthorizer(svc, a)
	default:
		az, err = rt.poolAuthorizer(ctx, svc, a)
	}
	if err != nil {
		return nil, fmt.Errorf("authorizer %q: %w", a.Name, err)
	}
	built[key] = az
	return az, nil
}

// lambdaAuthorizer builds a TOKEN or REQUEST authorizer whose function is one of the file's,
// invoked through the same Lambda manager as the integrations.
func (rt *apiRuntime) lambdaAuthorizer(svc *serverless.Service, a serverless.Authorizer) (gateway.Authorizer, error) {
	f := svc.Function(a.FunctionName)
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
		Invoker:              rt.invoker,
		Now:                  rt.auth.now,
	})
}

// poolAuthorizer builds a COGNITO_USER_POOLS or COGNITO_GROUP_POLICY authorizer.
func (rt *apiRuntime) poolAuthorizer(ctx context.Context, svc *serverless.Service, a serverless.Authorizer) (gateway.Authorizer, error) {
	if len(a.PoolRefs) > 0 {
		return nil, fmt.Errorf("names the user pool resource %s of this file; Gatehouse does not create CloudFormation resources: create the pool (aws cognito-idp create-user-pool) and give its ARN instead", a.PoolRefs[0])
	}
	var poolIDs []string
	for _, arn := range a.PoolARNs {
		id, err := authorizer.PoolIDFromARN(arn)
		if err != nil {
			return nil, err
		}
		poolIDs = append(poolIDs, id)
		if _, err := rt.auth.pools.GetUserPool(ctx, id); errors.Is(err, store.ErrNotFound) {
			// Not an error: the pool may be created after the file is loaded (the token
			// checks look pools up per request). Until then every token is refused.
			rt.log.Warn(fmt.Sprintf("%s:%d: authorizer %q: user pool %s does not exist on this Gatehouse; its routes answer 401 until it is created",
				svc.File, a.Pos.Line, a.Name, id))
		} else if err != nil {
			return nil, fmt.Errorf("look up user pool %s: %w", id, err)
		}
	}
	tokenCfg := authorizer.CognitoConfig{
		Name:                 a.Name,
		PoolIDs:              poolIDs,
		Scopes:               a.Scopes,
		IdentitySource:       a.IdentitySource,
		ValidationExpression: a.ValidationExpression,
		ResultTTL:            a.ResultTTL,
		Verifier:             rt.auth.verifier,
		Clients:              rt.auth.clients,
		Now:                  rt.auth.now,
	}
	if a.Type == serverless.AuthCognitoUserPools {
		return authorizer.NewCognito(tokenCfg)
	}
	if rt.auth.roles == nil || rt.auth.groups == nil {
		return nil, errors.New("COGNITO_GROUP_POLICY needs the role and group store")
	}
	return authorizer.NewGroupPolicy(authorizer.GroupPolicyConfig{
		Token:           tokenCfg,
		RolesFromGroups: a.RolesFromGroups,
		Groups:          storeGroupRoles{rt.auth.groups},
		Policies:        storeRolePolicies{rt.auth.roles},
	})
}

// authorizerStat is one served authorizer's cache counters, for metrics.
type authorizerStat struct {
	Name, Type   string
	Hits, Misses uint64 // result (Lambda) or verified-token (Cognito, group policy) cache
	Entries      int
}

// authorizerStats returns the counters of the authorizers the API serves now, sorted by
// type and name. The /metrics handler exports them; a reload starts new authorizers, with
// new caches and counters from zero.
func (rt *apiRuntime) authorizerStats() []authorizerStat {
	rt.mu.Lock()
	auths := rt.auths
	rt.mu.Unlock()
	var out []authorizerStat
	for key, a := range auths {
		typ, rest, _ := strings.Cut(key, "\x00")
		name, _, _ := strings.Cut(rest, "\x00")
		st := authorizerStat{Name: name, Type: typ}
		switch a := a.(type) {
		case *authorizer.Cognito:
			s := a.Stats()
			st.Hits, st.Misses, st.Entries = s.Hits, s.Misses, s.Entries
		case *authorizer.Lambda:
			s := a.Stats()
			st.Hits, st.Misses, st.Entries = s.Hits, s.Misses, s.Entries
		case *authorizer.GroupPolicy:
			s := a.Stats().Token
			st.Hits, st.Misses, st.Entries = s.Hits, s.Misses, s.Entries
		default:
			continue
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b authorizerStat) int { return strings.Compare(a.Type+"\x00"+a.Name, b.Type+"\x00"+b.Name) })
	return out
}

// storeGroupRoles reads a group's role from the store.
type storeGroupRoles struct{ groups store.Groups }

func (s storeGroupRoles) GroupRoleARN(ctx context.Context, poolID, group string) (string, error) {
	g, err := s.groups.GetGroup(ctx, poolID, group)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return g.RoleArn, nil
}

// storeRolePolicies reads a role's inline policies from the store, by the role name at the
// end of its ARN (arn:aws:iam::{account}:role/{path}{name}). The stored role must have that
// very ARN: a role of the same name under another path or account is another role.
type storeRolePolicies struct{ roles store.Roles }

func (s storeRolePolicies) InlinePolicies(ctx context.Context, arn string) ([]authorizer.PolicyDocument, bool, error) {
	i := strings.LastIndexByte(arn, '/')
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":role/") || i < 0 || i == len(arn)-1 {
		return nil, false, nil
	}
	role, err := s.roles.GetRole(ctx, arn[i+1:])
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !strings.EqualFold(role.ARN, arn) {
		return nil, false, nil
	}
	list, err := s.roles.ListRolePolicies(ctx, role.Name, store.Page{})
	if err != nil {
		return nil, false, err
	}
	docs := make([]authorizer.PolicyDocument, len(list))
	for j, p := range list {
		docs[j] = authorizer.PolicyDocument{Name: p.Name, Document: p.Document}
	}
	return docs, true, nil
}

// apiKeys returns the values of provider.apiGateway.apiKeys that are enabled. A key the file
// gives no value is derived from the master key and its name, so it is the same on every
// start and every node; serve prints it.
func (rt *apiRuntime) apiKeys(svc *serverless.Service) ([]apiKey, error) {
	var keys []apiKey
	for _, k := range svc.Provider.APIGateway.APIKeys {
		if !k.Enabled {
			continue
		}
		v := k.Value
		if v == "" {
			// API Gateway generates 40-character keys; 30 bytes of base64url are 40 characters.
			v = base64.RawURLEncoding.EncodeToString(rt.auth.master.Derive("gatehouse/api-key/" + svc.Name + "/" + svc.Stage + "/" + k.Name)[:30])
		}
		if len(v) < 20 {
			// CreateApiKey: "API Key value should be at least 20 characters".
			return nil, fmt.Errorf("%s:%d: API key %q: a value must be at least 20 characters", svc.File, k.Pos.Line, k.Name)
		}
		keys = append(keys, apiKey{name: k.Name, value: v})
	}
	return keys, nil
}

type apiKey struct{ name, value string }

// apiKeyCheck is API Gateway's apiKeyRequired (serverless.yml "private: true"): after the
// method's authorizer, the x-api-key header must hold an enabled key of the API, else 403
// {"message":"Forbidden"} (gateway response INVALID_API_KEY; developer guide: "Usage plans and
// API keys for REST APIs in API Gateway").
type apiKeyCheck struct {
	next gateway.Authorizer // nil: NONE
	keys []apiKey
}

func (c *apiKeyCheck) Authorize(ctx context.Context, r *gateway.Request) (*gateway.Principal, error) {
	p := &gateway.Principal{}
	if c.next != nil {
		var err error
		if p, err = c.next.Authorize(ctx, r); err != nil {
			return nil, err
		}
	}
	got := r.Headers.Get("X-Api-Key")
	if got == "" {
		return nil, gateway.NewResponse(gateway.InvalidAPIKey).WithReason("no x-api-key header")
	}
	// Every key is compared, in constant time, so the answer's timing says nothing of which
	// key came close.
	match := ""
	for _, k := range c.keys {
		if subtle.ConstantTimeCompare([]byte(got), []byte(k.value)) == 1 {
			match = k.name
		}
	}
	if match == "" {
		return nil, gateway.NewResponse(gateway.InvalidAPIKey).WithReason("x-api-key is not an enabled key of this API")
	}
	if p.Reason != "" {
		p.Reason += "; "
	}
	p.Reason += "api key " + match
	return p, nil
}

var _ gateway.Authorizer = (*apiKeyCheck)(nil)

// clientLookup answers the Cognito authorizer's "is this token's app client still a client
// of its pool" from the store. Positive answers are remembered for clientTTL: a token seen
// for the first time then costs its signature check and no query, which is what keeps a
// gateway serving fresh tokens near the plain proxy's rate (docs/benchmarks.md). Negative
// answers are never remembered, so a client created a moment ago is found at once; a deleted
// client's tokens stop passing within clientTTL (they pass from the token cache for up to
// the authorizer's resultTtlInSeconds anyway, as on API Gateway).
type clientLookup struct {
	clients store.Clients
	now     func() time.Time
	mu      sync.Mutex
	seen    map[[2]string]time.Time // (pool, client) → when it was last found
}

// clientTTL bounds how long a deleted app client's new tokens may still pass.
const clientTTL = 30 * time.Second

// maxSeenClients bounds the remembered answers; past it the map starts over.
const maxSeenClients = 10_000

func newClientLookup(clients store.Clients, now func() time.Time) *clientLookup {
	return &clientLookup{clients: clients, now: now, seen: map[[2]string]time.Time{}}
}

func (l *clientLookup) ClientExists(ctx context.Context, poolID, clientID string) (bool, error) {
	k := [2]string{poolID, clientID}
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	l.mu.Lock()
	at, ok := l.seen[k]
	l.mu.Unlock()
	if ok && now.Sub(at) < clientTTL && !now.Before(at) {
		return true, nil
	}
	_, err := l.clients.GetClient(ctx, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		l.mu.Lock()
		delete(l.seen, k)
		l.mu.Unlock()
		return false, nil
	}
	if err != nil {
		return false, err
	}
	l.mu.Lock()
	if len(l.seen) >= maxSeenClients {
		clear(l.seen)
	}
	l.seen[k] = now
	l.mu.Unlock()
	return true, nil
}
