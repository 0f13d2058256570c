package authorizer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/policy"
)

// HTTPLambdaConfig configures a Lambda request authorizer of an HTTP API
// (AWS::ApiGatewayV2::Authorizer with AuthorizerType REQUEST).
type HTTPLambdaConfig struct {
	Name     string // for logs
	Function string // the name the Invoker knows the function by
	// PayloadVersion is "2.0" or "1.0": the event's format, and with 1.0 the IAM policy
	// response.
	PayloadVersion string
	// Simple is enableSimpleResponses: the function answers {"isAuthorized": bool,
	// "context": {…}} (2.0 only) instead of an IAM policy.
	Simple bool
	// IdentitySource: $request.header.NAME, $request.querystring.NAME, $context.routeKey,
	// $context.httpMethod, $context.stage, $context.apiId.
	IdentitySource []string
	// ResultTTL caches the answer for requests with the same identity source values; 0 is off.
	ResultTTL time.Duration
	CacheSize int
	Invoker   Invoker
	Now       func() time.Time
}

// HTTPLambda is a Lambda request authorizer of an HTTP API (developer guide, "Working with AWS
// Lambda authorizers for HTTP APIs", http-api-lambda-authorizer.html): every identity source
// must be present and non-empty, else 401 without invoking the function; the function's
// answer (a simple response, or an IAM policy evaluated against the route ARN) allows the
// request or is 403; a function that fails or answers nonsense is 500. Answers are cached
// by the identity source values for ResultTTL, as API Gateway caches them; a cached policy is
// evaluated again for each route. The context becomes requestContext.authorizer.lambda.
type HTTPLambda struct {
	cfg   HTTPLambdaConfig
	cache *resultCache[*httpLambdaResult]
	now   func() time.Time
}

type httpLambdaResult struct {
	simple     bool
	authorized bool           // simple responses
	policy     *policy.Policy // IAM policy responses
	principal  string
	context    map[string]any
}

var httpContextSources = map[string]bool{"routeKey": true, "httpMethod": true, "stage": true, "apiId": true}

// NewHTTPLambda checks cfg and returns the authorizer.
func NewHTTPLambda(cfg HTTPLambdaConfig) (*HTTPLambda, error) {
	if cfg.Invoker == nil || cfg.Function == "" {
		return nil, errors.New("request authorizer: no function")
	}
	if cfg.PayloadVersion != "2.0" && cfg.PayloadVersion != "1.0" {
		return nil, fmt.Errorf("request authorizer: payload version %q", cfg.PayloadVersion)
	}
	if cfg.Simple && cfg.PayloadVersion != "2.0" {
		return nil, errors.New("request authorizer: simple responses need payload version 2.0")
	}
	if cfg.ResultTTL > 0 && len(cfg.IdentitySource) == 0 {
		return nil, errors.New("request authorizer: caching needs an identity source")
	}
	for _, s := range cfg.IdentitySource {
		switch {
		case strings.HasPrefix(s, "$request.header.") && len(s) > len("$request.header."):
		case strings.HasPrefix(s, "$request.querystring.") && len(s) > len("$request.querystring."):
		case strings.HasPrefix(s, "$context.") && httpContextSources[strings.TrimPrefix(s, "$context.")]:
		default:
			return nil, fmt.Errorf("request authorizer: identity source %q is not one Gatehouse reads ($request.header.NAME, $request.querystring.NAME, $context.routeKey, $context.httpMethod, $context.stage, $context.apiId)", s)
		}
	}
	size := cfg.CacheSize
	if size <= 0 {
		size = DefaultCacheSize
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &HTTPLambda{cfg: cfg, cache: newResultCache[*httpLambdaResult](size), now: now}, nil
}

// identity reads the identity source values; ok is false when one is missing or empty.
func (a *HTTPLambda) identity(r *httpapi.Request) ([]string, bool) {
	out := make([]string, 0, len(a.cfg.IdentitySource))
	for _, s := range a.cfg.IdentitySource {
		var v string
		switch {
		case strings.HasPrefix(s, "$request.header."):
			v = strings.Join(r.HTTP.Header.Values(strings.TrimPrefix(s, "$request.header.")), ",")
		case strings.HasPrefix(s, "$request.querystring."):
			v = strings.Join(r.HTTP.URL.Query()[strings.TrimPrefix(s, "$request.querystring.")], ",")
		default:
			switch strings.TrimPrefix(s, "$context.") {
			case "routeKey":
				v = r.RouteKey
			case "httpMethod":
				v = r.Method
			case "stage":
				v = httpapi.Stage
			case "apiId":
				v = r.APIID
			}
		}
		if v == "" {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

// Authorize runs the authorizer for r.
func (a *HTTPLambda) Authorize(ctx context.Context, r *httpapi.Request) (*httpapi.Authorization, error) {
	ids, ok := a.identity(r)
	if !ok {
		return nil, httpapi.Unauthorized("an identity source is missing or empty")
	}
	arn := RouteARN(r)
	now := a.now()
	var key cacheKey
	var res *httpLambdaResult
	if a.cfg.ResultTTL > 0 {
		key = cacheKey(sha256.Sum256([]byte(strings.Join(ids, "\x00"))))
		res, _ = a.cache.get(key, now)
	}
	if res == nil {
		ev, err := httpapi.AuthorizerEvent(a.cfg.PayloadVersion, r, ids, arn)
		if err != nil {
			return nil, err
		}
		out, err := a.cfg.Invoker.Invoke(ctx, a.cfg.Function, ev)
		if err != nil {
			var fe *gateway.FunctionError
			if errors.As(err, &fe) {
				return nil, fmt.Errorf("request authorizer %s: function failed: %w", a.cfg.Name, err)
			}
			return nil, fmt.Errorf("request authorizer %s: %w", a.cfg.Name, err)
		}
		if res, err = a.parse(out); err != nil {
			return nil, fmt.Errorf("request authorizer %s: %w", a.cfg.Name, err)
		}
		if a.cfg.ResultTTL > 0 {
			a.cache.put(key, &cacheEntry[*httpLambdaResult]{val: res, until: now.Add(a.cfg.ResultTTL)}, now)
		}
	}
	if res.simple {
		if !res.authorized {
			return nil, httpapi.Forbidden("the authorizer answered isAuthorized false")
		}
	} else {
		req := policy.Request{Action: ActionInvoke, Resource: arn}
		req.Context.SetTime(now)
		if d := res.policy.Evaluate(&req); !d.Allowed() {
			return nil, httpapi.Forbidden("the authorizer's policy does not allow " + arn + ": " + d.Reason)
		}
	}
	lambdaCtx := res.context
	if lambdaCtx == nil {
		lambdaCtx = map[string]any{}
	}
	return &httpapi.Authorization{Lambda: lambdaCtx, PrincipalID: res.principal}, nil
}

// parse reads the function's answer: {"isAuthorized": bool, "context": {…}} for simple
// responses, the REST API's policy result otherwise.
func (a *HTTPLambda) parse(b []byte) (*httpLambdaResult, error) {
	if a.cfg.Simple {
		var s struct {
			IsAuthorized *bool          `json:"isAuthorized"`
			Context      map[string]any `json:"context"`
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&s); err != nil || s.IsAuthorized == nil {
			return nil, errors.New("malformed simple response: want {\"isAuthorized\": true|false, \"context\": {…}}")
		}
		return &httpLambdaResult{simple: true, authorized: *s.IsAuthorized, context: s.Context}, nil
	}
	r, err := parseResult(b)
	if err != nil {
		return nil, err
	}
	return &httpLambdaResult{policy: r.policy, principal: r.principalID, context: r.context}, nil
}

var _ httpapi.Authorizer = (*HTTPLambda)(nil)
