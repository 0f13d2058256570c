package authorizer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/token"
)

// MessageTokenExpired is the message of the 401 API Gateway answers when a
// COGNITO_USER_POOLS method gets a well-signed token whose exp has passed:
// {"message":"The incoming token has expired"} with x-amzn-ErrorType UnauthorizedException
// (gateway response UNAUTHORIZED, not EXPIRED_TOKEN: that one is AWS_IAM's 403 for expired
// security tokens). AWS's developer guide does not print the text; it is what clients of real
// APIs test for to trigger a refresh (e.g. `statusCode === 401 && message === "The incoming
// token has expired"` in public client code), and how API documentation built on API Gateway
// describes its 401s.
const MessageTokenExpired = "The incoming token has expired"

// Verifier verifies a user pool token: signature by a key of the token's pool, iss, exp,
// token_use, as Amazon Cognito prescribes. *token.Issuer implements it; its errors follow
// token.ErrInvalid and token.ErrExpired, and any other error is a failure of the verifier.
type Verifier interface {
	Verify(ctx context.Context, raw string, want token.VerifyOptions) (token.Claims, error)
}

// ClientLookup says whether clientID is an app client of user pool poolID. An error means
// the lookup failed (the store is unreachable), not that the client is unknown.
type ClientLookup interface {
	ClientExists(ctx context.Context, poolID, clientID string) (bool, error)
}

// CognitoConfig is one COGNITO_USER_POOLS authorizer as one method uses it: the authorizer's
// settings (API Gateway API reference, Authorizer) plus the method's authorizationScopes.
// Methods with different scopes need different Cognitos.
type CognitoConfig struct {
	// Name is the authorizer's name, for logs.
	Name string
	// PoolIDs are the user pools whose tokens pass (see PoolIDFromARN): 1 to MaxPools.
	PoolIDs []string
	// Scopes are the method's authorization scopes. None: the token must be an ID token. Some:
	// it must be an access token whose scope claim holds at least one of them (developer
	// guide: apigateway-enable-cognito-user-pool.html, "OAuth Scopes").
	Scopes []string
	// IdentitySource is where the token is: nil or one "method.request.header.NAME"
	// (default DefaultIdentitySource).
	IdentitySource []string
	// ValidationExpression, when set, must match the whole identity source value, as the
	// serverless package compiles identityValidationExpression (^(?:…)$); a header that does
	// not match is refused before anything else.
	ValidationExpression *regexp.Regexp
	// ResultTTL is how long a verified token is trusted without verifying it and looking up
	// its client again, never past its exp: authorizerResultTtlInSeconds (the serverless
	// package's Authorizer.ResultTTL). 0 turns the cache off, as on API Gateway.
	ResultTTL time.Duration
	// CacheSize bounds the verified-token cache (default DefaultCacheSize).
	CacheSize int

	Verifier Verifier     // required
	Clients  ClientLookup // required
	// Now is the clock (default time.Now). Give the Verifier the same one.
	Now func() time.Time
}

// Cognito is a COGNITO_USER_POOLS authorizer. It is safe for concurrent use.
type Cognito struct {
	name     string
	pools    map[string]bool
	scopes   []string
	use      string // token.UseID without scopes, token.UseAccess with
	header   string // canonical header name
	validate *regexp.Regexp
	ttl      time.Duration
	verifier Verifier
	clients  ClientLookup
	now      func() time.Time

	cache        *tokenCache // nil: ResultTTL 0
	hits, misses atomic.Uint64

	unauthorized *gateway.Response // {"message":"Unauthorized"}
	expired      *gateway.Response // {"message":"The incoming token has expired"}
}

// NewCognito checks cfg and returns its authorizer.
func NewCognito(cfg CognitoConfig) (*Cognito, error) {
	if cfg.Verifier == nil {
		return nil, errors.New("authorizer: cognito: no token verifier")
	}
	if cfg.Clients == nil {
		return nil, errors.New("authorizer: cognito: no app client lookup")
	}
	if len(cfg.PoolIDs) == 0 {
		return nil, errors.New("authorizer: cognito: no user pools")
	}
	pools := make(map[string]bool, len(cfg.PoolIDs))
	for _, id := range cfg.PoolIDs {
		if !token.ValidPoolID(id) {
			return nil, fmt.Errorf("authorizer: cognito: %q is not a user pool id", id)
		}
		pools[id] = true
	}
	if len(pools) > MaxPools {
		return nil, fmt.Errorf("authorizer: cognito: %d user pools, more than the %d one authorizer may name", len(pools), MaxPools)
	}
	if err := checkScopes(cfg.Scopes); err != nil {
		return nil, err
	}
	header, err := headerFromIdentitySource(cfg.IdentitySource)
	if err != nil {
		return nil, err
	}
	if cfg.ResultTTL < 0 {
		return nil, fmt.Errorf("authorizer: cognito: negative result TTL %v", cfg.ResultTTL)
	}
	if cfg.CacheSize < 0 {
		return nil, fmt.Errorf("authorizer: cognito: negative cache size %d", cfg.CacheSize)
	}
	name := cfg.Name
	if name == "" {
		name = "(unnamed)"
	}
	c := &Cognito{
		name:         name,
		pools:        pools,
		scopes:       slices.Clone(cfg.Scopes),
		use:          token.UseID,
		header:       header,
		validate:     cfg.ValidationExpression,
		ttl:          cfg.ResultTTL,
		verifier:     cfg.Verifier,
		clients:      cfg.Clients,
		now:          cfg.Now,
		unauthorized: gateway.NewResponse(gateway.Unauthorized),
		expired:      gateway.NewResponse(gateway.Unauthorized).WithMessage(MessageTokenExpired),
	}
	if len(c.scopes) > 0 {
		c.use = token.UseAccess
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.ttl > 0 {
		size := cfg.CacheSize
		if size == 0 {
			size = DefaultCacheSize
		}
		c.cache = newTokenCache(size)
	}
	return c, nil
}

// Authorize reads the token from the identity source header and returns the principal of a
// genuine token of one of the authorizer's pools, in this order:
//
//  1. a missing or empty header, or one the validation expression does not match, is 401
//     {"message":"Unauthorized"} at once, as API Gateway answers without invoking the
//     authorizer (knowledge center: api-gateway-401-error-lambda-authorizer);
//  2. a token cached as verified, and still within its exp and the result TTL, passes;
//  3. otherwise the token must name a pool of the authorizer in iss, verify (package token:
//     RS256 by a key of that pool, token_use, exp), be an ID token (no scopes) or an access
//     token holding one of the scopes, and name an app client of its pool (aud of an ID
//     token, client_id of an access token). An expired token is 401 {"message":"The incoming
//     token has expired"}; every other failure 401 {"message":"Unauthorized"}, with the
//     precise reason in Response.Reason for the log.
//
// A Verifier or ClientLookup failure is returned as a plain error (500 AUTHORIZER_FAILURE).
// The returned Principal is the caller's to change, but its Claims and Scopes are shared with
// the cache and must be treated as read-only.
func (c *Cognito) Authorize(ctx context.Context, r *gateway.Request) (*gateway.Principal, error) {
	raw := c.identity(r)
	if raw == "" {
		return nil, c.refuse("no token in the %s header", c.header)
	}
	// API Gateway checks the identity source value against identityValidationExpression
	// before any other work, so a mismatch costs nothing (API Gateway API reference,
	// Authorizer: identityValidationExpression, "otherwise, it will return a 401 Unauthorized
	// response"). The same reference says that for COGNITO_USER_POOLS the expression is
	// matched against the token's aud; we match the header value as for TOKEN authorizers,
	// which is what AWS SAM's own example for a Cognito authorizer assumes
	// (sam-property-api-cognitoauthorizationidentity.html: "ValidationExpression: Bearer.*").
	// It runs on every request, cached token or not.
	if c.validate != nil && !c.validate.MatchString(raw) {
		return nil, c.refuse("the %s header does not match the identity validation expression", c.header)
	}
	tok := stripBearer(raw)
	if tok == "" {
		return nil, c.refuse("no token after the Bearer scheme in the %s header", c.header)
	}
	if len(tok) > token.MaxTokenSize {
		return nil, c.refuse("token is %d bytes, more than %d", len(tok), token.MaxTokenSize)
	}
	key := cacheKey(sha256.Sum256([]byte(tok)))
	now := c.now()
	if c.cache != nil {
		if p, ok := c.cache.get(key, now); ok {
			c.hits.Add(1)
			return &p, nil
		}
	}
	c.misses.Add(1)
	e, err := c.verify(ctx, tok, now)
	if err != nil {
		return nil, err
	}
	if c.cache != nil {
		c.cache.put(key, e, now)
	}
	p := e.val
	return &p, nil
}

// identity returns the identity source header's value. Like the proxy event's "headers",
// a repeated header counts with its last value.
func (c *Cognito) identity(r *gateway.Request) string {
	if r == nil {
		return ""
	}
	v := r.Headers[c.header]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// stripBearer removes an RFC 6750 "Bearer " scheme (the scheme name in any case, one space)
// from the header value. API Gateway's developer guide says only to "include the token in the
// Authorization header" (apigateway-invoke-api-integrated-with-cognito-user-pool.html), yet
// AWS's own clients and examples send the scheme to Cognito-authorized REST APIs and expect
// it to pass: Amplify's REST API guide sets `Authorization: Bearer ${idToken}` for "Cognito
// User Pools" (docs.amplify.aws, restapi/customize-authz), and AWS SAM's Cognito authorizer
// example validates the header with "Bearer.*". A bare token passes too. Anything else
// around the token (two spaces, a trailing space) is refused when it fails to verify, as the
// knowledge center warns (api-gateway-cognito-401-unauthorized: tokens must not have
// "additional spaces from passing through the request header").
func stripBearer(v string) string {
	const scheme = "Bearer "
	if len(v) >= len(scheme) && strings.EqualFold(v[:len(scheme)], scheme) {
		return v[len(scheme):]
	}
	return v
}

// verify checks a token that is not in the cache and returns its cache entry.
func (c *Cognito) verify(ctx context.Context, tok string, now time.Time) (*cacheEntry[gateway.Principal], error) {
	// The verifier checks iss against its own issuer URL and asks acceptsPool about the pool
	// it names before any key is used, so a token of a pool this authorizer does not accept
	// costs one parse and no store lookup.
	claims, err := c.verifier.Verify(ctx, tok, token.VerifyOptions{Use: c.use, AllowPool: c.acceptsPool})
	switch {
	case errors.Is(err, token.ErrExpired):
		return nil, c.expired.WithReason("authorizer %s: %v", c.name, err)
	case errors.Is(err, token.ErrInvalid):
		return nil, c.refuse("%v", err)
	case err != nil:
		return nil, fmt.Errorf("authorizer %s: verifying a token: %w", c.name, err)
	}
	// Verify accepted iss as {issuer}/{poolId} of a pool acceptsPool allowed.
	iss := claims.String("iss")
	pool := iss[strings.LastIndexByte(iss, '/')+1:]
	if !c.pools[pool] { // guards a Verifier that ignores AllowPool
		return nil, c.refuse("token's iss does not name a user pool of this authorizer")
	}

	var client string
	switch c.use {
	case token.UseID:
		// Cognito's ID tokens name exactly one client in aud.
		if aud := claims.Strings("aud"); len(aud) == 1 {
			client = aud[0]
		}
	case token.UseAccess:
		client = claims.String("client_id") // access tokens have no aud
	}
	if client == "" {
		return nil, c.refuse("%s token of pool %s names no app client", c.use, pool)
	}

	var scopes []string
	if len(c.scopes) > 0 {
		scopes = strings.Fields(claims.String("scope"))
		if !slices.ContainsFunc(scopes, func(s string) bool { return slices.Contains(c.scopes, s) }) {
			return nil, c.refuse("access token of pool %s client %s has none of the scopes %q", pool, client, c.scopes)
		}
	}

	ok, err := c.clients.ClientExists(ctx, pool, client)
	if err != nil {
		return nil, fmt.Errorf("authorizer %s: looking up app client %s of user pool %s: %w", c.name, client, pool, err)
	}
	if !ok {
		return nil, c.refuse("%s token of pool %s names client %s, which is not an app client of the pool", c.use, pool, client)
	}

	exp, ok := claims.Time("exp")
	if !ok { // Verify refuses tokens without exp; this guards a Verifier that does not.
		return nil, c.refuse("%s token of pool %s has no exp", c.use, pool)
	}
	until := exp
	if limit := now.Add(c.ttl); limit.Before(until) {
		until = limit
	}
	return &cacheEntry[gateway.Principal]{
		val: gateway.Principal{
			Claims: map[string]any(claims),
			Scopes: scopes,
			Reason: fmt.Sprintf("cognito %s token of pool %s client %s (authorizer %s)", c.use, pool, client, c.name),
		},
		until: until,
	}, nil
}

// acceptsPool reports whether the authorizer takes tokens of the pool.
func (c *Cognito) acceptsPool(pool string) bool { return c.pools[pool] }

// refuse returns the 401 {"message":"Unauthorized"} gateway response with a reason for the
// log. Reasons never include the token.
func (c *Cognito) refuse(format string, args ...any) *gateway.Response {
	return c.unauthorized.WithReason("authorizer %s: %s", c.name, fmt.Sprintf(format, args...))
}

// CognitoStats counts a Cognito authorizer's verified-token cache use since it was made.
type CognitoStats struct {
	Hits    uint64 // requests answered from the cache
	Misses  uint64 // requests that verified their token (refused or not)
	Entries int    // tokens cached now, including entries past their time not yet evicted
}

// Stats returns the authorizer's cache counters, e.g. for metrics.
func (c *Cognito) Stats() CognitoStats {
	s := CognitoStats{Hits: c.hits.Load(), Misses: c.misses.Load()}
	if c.cache != nil {
		s.Entries = c.cache.len()
	}
	return s
}

var _ gateway.Authorizer = (*Cognito)(nil)
