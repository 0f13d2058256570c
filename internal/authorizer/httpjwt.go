package authorizer

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/token"
)

// awsCognitoIssuer is a user pool's issuer as AWS writes it,
// https://cognito-idp.{region}.amazonaws.com/{poolId}: an HTTP API's jwt authorizer written
// for AWS names its pool so, and Gatehouse resolves it to its own pool of that id.
var awsCognitoIssuer = regexp.MustCompile(`^https://cognito-idp\.[a-z]{2}(?:-[a-z]+)+-[0-9]+\.amazonaws\.com/([\w-]+_[0-9a-zA-Z]+)$`)

// JWTConfig configures an HTTP API jwt authorizer (AWS::ApiGatewayV2::Authorizer with
// AuthorizerType JWT).
type JWTConfig struct {
	// Issuer is JwtConfiguration.Issuer (serverless.yml issuerUrl).
	Issuer string
	// Audience is JwtConfiguration.Audience: a token's aud, or else its client_id, must be
	// one of them.
	Audience []string
	// IdentitySource is where the token is: "$request.header.Authorization" (the default) or
	// "$request.querystring.NAME".
	IdentitySource string
	// Local verifies tokens of Gatehouse's own pools; LocalPool says whether an issuer is
	// one of them (token.Issuer.PoolIDFromIssuer). An AWS-form Cognito issuer always is.
	Local     Verifier
	LocalPool func(iss string) (poolID string, ok bool)
	// Remote verifies tokens of any other issuer (OIDC discovery and JWKS over HTTP); nil
	// refuses such an issuer at construction.
	Remote *JWKSCache
	// CacheSize bounds the verified-token cache; 0 is DefaultCacheSize.
	CacheSize int
	Now       func() time.Time
}

// JWT is an HTTP API jwt authorizer, as API Gateway runs it (developer guide, "Controlling
// access to HTTP APIs with JWT authorizers", http-api-jwt-authorizer.html, "Validating a
// JWT"): the token from the identity source (a "Bearer " prefix is allowed), signed by a key
// of the issuer's JWKS with an allowed algorithm; iss equal to the issuer; aud, or client_id
// when there is no aud, one of the audience; exp in the future, nbf and iat in the past; and,
// when the route has authorizationScopes, scope (or scp) holding one of them. Its claims and
// scopes become requestContext.authorizer.jwt. Anything else is 401 {"message":"Unauthorized"}.
type JWT struct {
	cfg    JWTConfig
	poolID string // the local pool, "" for a remote issuer
	header string // the identity source header, or
	query  string // its query string parameter
	cache  *resultCache[token.Claims]
	now    func() time.Time
}

// NewJWT returns the authorizer of cfg.
func NewJWT(cfg JWTConfig) (*JWT, error) {
	a := &JWT{cfg: cfg, now: cfg.Now}
	if a.now == nil {
		a.now = time.Now
	}
	if len(cfg.Audience) == 0 {
		return nil, errors.New("jwt authorizer: audience is required")
	}
	src := cfg.IdentitySource
	if src == "" {
		src = "$request.header.Authorization"
	}
	if h, ok := strings.CutPrefix(src, "$request.header."); ok && h != "" {
		a.header = h
	} else if q, ok := strings.CutPrefix(src, "$request.querystring."); ok && q != "" {
		a.query = q
	} else {
		return nil, fmt.Errorf("jwt authorizer: identity source %q is not a header or query string parameter", src)
	}
	if m := awsCognitoIssuer.FindStringSubmatch(cfg.Issuer); m != nil {
		a.poolID = m[1]
	} else if cfg.LocalPool != nil {
		if id, ok := cfg.LocalPool(cfg.Issuer); ok {
			a.poolID = id
		}
	}
	switch {
	case a.poolID != "" && cfg.Local == nil:
		return nil, errors.New("jwt authorizer: no verifier for Gatehouse's pools")
	case a.poolID == "" && cfg.Remote == nil:
		return nil, fmt.Errorf("jwt authorizer: issuer %s is neither a Gatehouse pool nor reachable (no JWKS client)", cfg.Issuer)
	}
	size := cfg.CacheSize
	if size <= 0 {
		size = DefaultCacheSize
	}
	a.cache = newResultCache[token.Claims](size)
	return a, nil
}

// PoolID is the Gatehouse pool the issuer names, "" for another issuer.
func (a *JWT) PoolID() string { return a.poolID }

// Authorize checks the request's token.
func (a *JWT) Authorize(ctx context.Context, r *httpapi.Request) (*httpapi.Authorization, error) {
	var raw string
	if a.header != "" {
		raw = r.HTTP.Header.Get(a.header)
	} else {
		raw = r.HTTP.URL.Query().Get(a.query)
	}
	raw = strings.TrimSpace(raw)
	if len(raw) > 7 && strings.EqualFold(raw[:7], "bearer ") {
		raw = strings.TrimSpace(raw[7:])
	}
	if raw == "" {
		return nil, httpapi.Unauthorized("no token in the identity source")
	}
	if len(raw) > token.MaxTokenSize {
		return nil, httpapi.Unauthorized("token too large")
	}
	now := a.now()
	key := cacheKey(sha256.Sum256([]byte(raw)))
	claims, ok := a.cache.get(key, now)
	if !ok {
		var err error
		if claims, err = a.verify(ctx, raw, now); err != nil {
			var ref *httpapi.Refusal
			if errors.As(err, &ref) {
				return nil, err
			}
			return nil, fmt.Errorf("jwt authorizer: %w", err)
		}
		exp, _ := claims.Time("exp")
		a.cache.put(key, &cacheEntry[token.Claims]{val: claims, until: exp}, now)
	}
	scopes := tokenScopes(claims)
	if len(r.Scopes) > 0 && !slices.ContainsFunc(r.Scopes, func(s string) bool { return slices.Contains(scopes, s) }) {
		return nil, httpapi.Forbidden("the token has none of the route's scopes")
	}
	return &httpapi.Authorization{JWT: &httpapi.JWTAuthorization{Claims: claimStrings(claims), Scopes: scopes}}, nil
}

// verify checks signature and claims; a bad token is a *httpapi.Refusal, a broken dependency
// an error.
func (a *JWT) verify(ctx context.Context, raw string, now time.Time) (token.Claims, error) {
	var claims token.Claims
	if a.poolID != "" {
		c, err := a.cfg.Local.Verify(ctx, raw, token.VerifyOptions{PoolID: a.poolID, AlsoIssuer: a.cfg.Issuer})
		if err != nil {
			if isTokenRefusal(err) {
				return nil, httpapi.Unauthorized(err.Error())
			}
			return nil, err
		}
		claims = c
	} else {
		c, err := a.cfg.Remote.Verify(ctx, a.cfg.Issuer, raw)
		if err != nil {
			return nil, err
		}
		claims = c
		if claims.String("iss") != a.cfg.Issuer {
			return nil, httpapi.Unauthorized("iss is not the issuer")
		}
		exp, ok := claims.Time("exp")
		if !ok || !now.Before(exp) {
			return nil, httpapi.Unauthorized("expired or no exp")
		}
		if _, present := claims["nbf"]; present {
			if nbf, ok := claims.Time("nbf"); !ok || now.Before(nbf) {
				return nil, httpapi.Unauthorized("nbf in the future")
			}
		}
	}
	if _, present := claims["iat"]; present {
		if iat, ok := claims.Time("iat"); !ok || now.Before(iat) {
			return nil, httpapi.Unauthorized("iat in the future")
		}
	}
	// "aud … If aud isn't present, API Gateway validates client_id instead."
	if aud := claims.Strings("aud"); len(aud) > 0 {
		if !slices.ContainsFunc(aud, func(s string) bool { return slices.Contains(a.cfg.Audience, s) }) {
			return nil, httpapi.Unauthorized("aud is not an audience of the authorizer")
		}
	} else if !slices.Contains(a.cfg.Audience, claims.String("client_id")) {
		return nil, httpapi.Unauthorized("client_id is not an audience of the authorizer")
	}
	return claims, nil
}

// isTokenRefusal reports whether Verify's error is a verdict on the token (see token's errors).
func isTokenRefusal(err error) bool {
	return errors.Is(err, token.ErrInvalid) || errors.Is(err, token.ErrExpired)
}

// tokenScopes are the token's scope claim (space-separated) or scp (a list or a string).
func tokenScopes(c token.Claims) []string {
	if s := c.String("scope"); s != "" {
		return strings.Fields(s)
	}
	if l := c.Strings("scp"); len(l) == 1 {
		return strings.Fields(l[0])
	} else if len(l) > 1 {
		return l
	}
	return nil
}

// claimStrings renders claims as API Gateway puts them in requestContext.authorizer.jwt.claims:
// every value a string; numbers as written, lists as "[a b]", objects as JSON.
func claimStrings(c token.Claims) map[string]string {
	out := make(map[string]string, len(c))
	for k, v := range c {
		out[k] = claimString(v)
	}
	return out
}

func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case []string:
		return "[" + strings.Join(x, " ") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

var _ httpapi.Authorizer = (*JWT)(nil)
