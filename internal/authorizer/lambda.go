package authorizer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/policy"
)

// Invoker runs a Lambda function synchronously with a JSON event and returns its JSON result.
// When the function ran and failed (it threw, timed out, or its process died) the error is a
// *gateway.FunctionError carrying Lambda's error document ({"errorType":…,"errorMessage":…});
// any other error means the function could not be invoked. cmd/gatehouse adapts the Lambda
// process manager to it (the same adapter serves the gateway's integrations).
type Invoker interface {
	Invoke(ctx context.Context, function string, event []byte) ([]byte, error)
}

// LambdaType is the kind of a Lambda authorizer (API Gateway API reference, Authorizer: type).
type LambdaType string

const (
	// LambdaToken: the function gets one header's value as authorizationToken.
	LambdaToken LambdaType = "TOKEN"
	// LambdaRequest: the function gets the request's headers, query string, path parameters,
	// stage variables and context.
	LambdaRequest LambdaType = "REQUEST"
)

// MaxResultTTL is the longest an authorizer's result may be cached: "The maximum value is
// 3600, or 1 hour" (API Gateway API reference, Authorizer: authorizerResultTtlInSeconds).
const MaxResultTTL = time.Hour

// unauthorizedMessage is the one error message of a Lambda authorizer that API Gateway turns
// into 401 {"message":"Unauthorized"}; any other error is a 500 (developer guide: "Use API
// Gateway Lambda authorizers", the example's callback("Unauthorized")).
const unauthorizedMessage = "Unauthorized"

// LambdaConfig is one TOKEN or REQUEST authorizer (API Gateway API reference, Authorizer).
type LambdaConfig struct {
	// Name is the authorizer's name, for logs.
	Name string
	Type LambdaType
	// Function is the name the Invoker knows the authorizer function by.
	Function string
	// IdentitySource: for TOKEN, nil (DefaultIdentitySource) or one
	// "method.request.header.NAME"; for REQUEST, any number of method.request.header.NAME,
	// method.request.querystring.NAME, stageVariables.NAME and context.NAME, each element
	// possibly a comma-separated list. Every source must be present and non-empty, else the
	// request is refused 401 without invoking the function. A REQUEST authorizer with
	// caching needs at least one: together they are the cache key.
	IdentitySource []string
	// ValidationExpression (TOKEN only) must match the whole token, else 401 without
	// invoking the function.
	ValidationExpression *regexp.Regexp
	// ResultTTL is how long a result is reused for requests with the same identity source
	// values, whatever their method and path: resultTtlInSeconds, 0 to MaxResultTTL; 0 turns
	// caching off.
	ResultTTL time.Duration
	// CacheSize bounds the result cache (default DefaultCacheSize).
	CacheSize int

	Invoker Invoker // required
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Lambda is a TOKEN or REQUEST Lambda authorizer. It is safe for concurrent use.
type Lambda struct {
	name     string
	typ      LambdaType
	function string
	sources  []identitySource
	validate *regexp.Regexp
	ttl      time.Duration
	invoker  Invoker
	now      func() time.Time

	cache        *resultCache[*lambdaResult] // nil: ResultTTL 0
	hits, misses atomic.Uint64

	unauthorized               *gateway.Response
	implicitDeny, explicitDeny *gateway.Response
}

// NewLambda checks cfg and returns its authorizer.
func NewLambda(cfg LambdaConfig) (*Lambda, error) {
	name := cfg.Name
	if name == "" {
		name = "(unnamed)"
	}
	fail := func(format string, args ...any) (*Lambda, error) {
		return nil, fmt.Errorf("authorizer %s: %s", name, fmt.Sprintf(format, args...))
	}
	if cfg.Invoker == nil {
		return fail("no function invoker")
	}
	if cfg.Function == "" {
		return fail("no authorizer function")
	}
	if cfg.ResultTTL < 0 || cfg.ResultTTL > MaxResultTTL {
		return fail("result TTL %v is outside 0 to %v", cfg.ResultTTL, MaxResultTTL)
	}
	if cfg.CacheSize < 0 {
		return fail("negative cache size %d", cfg.CacheSize)
	}
	l := &Lambda{
		name:         name,
		typ:          cfg.Type,
		function:     cfg.Function,
		validate:     cfg.ValidationExpression,
		ttl:          cfg.ResultTTL,
		invoker:      cfg.Invoker,
		now:          cfg.Now,
		unauthorized: gateway.NewResponse(gateway.Unauthorized),
		implicitDeny: gateway.NewResponse(gateway.AccessDenied).WithMessage(gateway.MessageImplicitDeny),
		explicitDeny: gateway.NewResponse(gateway.AccessDenied).WithMessage(gateway.MessageExplicitDeny),
	}
	switch cfg.Type {
	case LambdaToken:
		header, err := headerFromIdentitySource(cfg.IdentitySource)
		if err != nil {
			return fail("%v", err)
		}
		l.sources = []identitySource{{kind: sourceHeader, name: header, expr: headerSourcePrefix + header}}
	case LambdaRequest:
		if cfg.ValidationExpression != nil {
			// API Gateway ignores it on REQUEST authorizers; silently ignoring a check the
			// author believes in would be worse than refusing it.
			return fail("identity validation expressions apply to TOKEN authorizers only")
		}
		srcs, err := parseIdentitySources(cfg.IdentitySource)
		if err != nil {
			return fail("%v", err)
		}
		if len(srcs) == 0 && cfg.ResultTTL > 0 {
			return fail("a REQUEST authorizer with caching needs identity sources: they are its cache key")
		}
		l.sources = srcs
	default:
		return fail("type %q is not TOKEN or REQUEST", cfg.Type)
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.ttl > 0 {
		size := cfg.CacheSize
		if size == 0 {
			size = DefaultCacheSize
		}
		l.cache = newResultCache[*lambdaResult](size)
	}
	return l, nil
}

// Authorize runs the authorizer as API Gateway does (developer guide: "Use API Gateway
// Lambda authorizers", "Input to an API Gateway Lambda authorizer", "Output from an API
// Gateway Lambda authorizer"):
//
//  1. every identity source must be present and non-empty, and a TOKEN authorizer's token
//     must match the validation expression: otherwise 401 {"message":"Unauthorized"} without
//     invoking the function;
//  2. a result cached for the same identity source values within the TTL is reused, for any
//     method and path: its policy is evaluated against this request's method ARN, so a
//     policy naming only the first method's ARN denies the others (knowledge center:
//     api-gateway-lambda-authorization-errors);
//  3. otherwise the function is invoked with the TOKEN or REQUEST event. Its error
//     "Unauthorized" is 401; another error, or a result that is not a valid output, is 500
//     AUTHORIZER_CONFIGURATION_ERROR; a timeout, AUTHORIZER_FAILURE (the same 500
//     {"message":null} by default). A valid result is cached, whatever its policy says;
//  4. the policy is evaluated for execute-api:Invoke on the method ARN: an explicit Deny is
//     403 "User is not authorized to access this resource with an explicit deny", no Allow
//     403 "User is not authorized to access this resource".
func (l *Lambda) Authorize(ctx context.Context, r *gateway.Request) (*gateway.Principal, error) {
	values := make([]string, len(l.sources))
	for i, s := range l.sources {
		v := s.value(r)
		if v == "" {
			return nil, l.refuse("identity source %s is missing or empty", s.expr)
		}
		values[i] = v
	}
	if l.typ == LambdaToken && l.validate != nil && !l.validate.MatchString(values[0]) {
		return nil, l.refuse("the token does not match the identity validation expression")
	}
	now := l.now()
	var key cacheKey
	if l.cache != nil {
		key = sourcesKey(values)
		if res, ok := l.cache.get(key, now); ok {
			l.hits.Add(1)
			return l.decide(r, res, now, 0, true)
		}
	}
	l.misses.Add(1)
	res, latency, err := l.invoke(ctx, r, values)
	if err != nil {
		return nil, err
	}
	if l.cache != nil {
		l.cache.put(key, &cacheEntry[*lambdaResult]{val: res, until: now.Add(l.ttl)}, now)
	}
	return l.decide(r, res, now, latency, false)
}

// sourcesKey hashes identity source values into a cache key, each value length-prefixed so
// that no two lists of values share a key.
func sourcesKey(values []string) cacheKey {
	h := sha256.New()
	var n [8]byte
	for _, v := range values {
		binary.BigEndian.PutUint64(n[:], uint64(len(v)))
		h.Write(n[:])
		h.Write([]byte(v))
	}
	var k cacheKey
	h.Sum(k[:0])
	return k
}

// tokenEvent is a TOKEN authorizer's input (developer guide: "Input to an API Gateway Lambda
// authorizer", TOKEN input format).
type tokenEvent struct {
	Type               string `json:"type"`
	AuthorizationToken string `json:"authorizationToken"`
	MethodArn          string `json:"methodArn"`
}

// invoke runs the function and parses its result.
func (l *Lambda) invoke(ctx context.Context, r *gateway.Request, values []string) (*lambdaResult, time.Duration, error) {
	var event []byte
	var err error
	if l.typ == LambdaToken {
		event, err = json.Marshal(tokenEvent{Type: string(LambdaToken), AuthorizationToken: values[0], MethodArn: r.MethodARN()})
	} else {
		event, err = gateway.BuildRequestAuthorizerEvent(r)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("authorizer %s: build the %s event: %w", l.name, l.typ, err)
	}
	start := time.Now()
	out, err := l.invoker.Invoke(ctx, l.function, event)
	latency := time.Since(start)
	if err != nil {
		return nil, latency, l.invokeError(ctx, err)
	}
	res, err := parseResult(out)
	if err != nil {
		return nil, latency, gateway.NewResponse(gateway.AuthorizerConfigurationError).
			WithReason("authorizer %s: function %s: %v", l.name, l.function, err)
	}
	return res, latency, nil
}

// invokeError turns a failed invocation into the gateway response API Gateway gives.
func (l *Lambda) invokeError(ctx context.Context, err error) error {
	var fe *gateway.FunctionError
	if errors.As(err, &fe) && fe != nil {
		var doc struct {
			ErrorType    string `json:"errorType"`
			ErrorMessage string `json:"errorMessage"`
		}
		_ = json.Unmarshal(fe.Payload, &doc)
		switch {
		case doc.ErrorMessage == unauthorizedMessage:
			return l.refuse("function %s answered Unauthorized", l.function)
		case doc.ErrorType == "Sandbox.Timedout":
			return gateway.NewResponse(gateway.AuthorizerFailure).
				WithReason("authorizer %s: function %s timed out: %s", l.name, l.function, doc.ErrorMessage)
		}
		return gateway.NewResponse(gateway.AuthorizerConfigurationError).
			WithReason("authorizer %s: function %s failed: %v", l.name, l.function, fe)
	}
	if ctx.Err() != nil {
		return gateway.NewResponse(gateway.AuthorizerFailure).
			WithReason("authorizer %s: function %s: %v", l.name, l.function, ctx.Err())
	}
	// The function could not be reached at all: API Gateway's "failing to connect to a
	// custom authorizer" (developer guide: supported-gateway-response-types).
	return gateway.NewResponse(gateway.AuthorizerConfigurationError).
		WithReason("authorizer %s: could not invoke function %s: %v", l.name, l.function, err)
}

// decide evaluates a result's policy for this request: its method ARN and its context
// (requestContext, at now), whether the result is fresh or cached, so a cached result's
// conditions are evaluated anew for every request.
func (l *Lambda) decide(r *gateway.Request, res *lambdaResult, now time.Time, latency time.Duration, cached bool) (*gateway.Principal, error) {
	req := policy.Request{Action: ActionInvoke, Resource: r.MethodARN()}
	requestContext(&req.Context, r, now)
	d := res.policy.Evaluate(&req)
	from := "function " + l.function
	if cached {
		from = "cached result of function " + l.function
	}
	switch d.Effect {
	case policy.Allow:
	case policy.ExplicitDeny:
		return nil, l.explicitDeny.WithReason("authorizer %s: %s for principal %q: %s", l.name, from, res.principalID, d.Reason)
	default:
		return nil, l.implicitDeny.WithReason("authorizer %s: %s for principal %q: %s", l.name, from, res.principalID, d.Reason)
	}
	reason := fmt.Sprintf("authorizer %s: %s for principal %q: %s", l.name, from, res.principalID, d.Reason)
	if res.usageIdentifierKey != "" {
		reason += " (with a usageIdentifierKey, which Gatehouse does not meter)"
	}
	return &gateway.Principal{
		PrincipalID:        res.principalID,
		Context:            res.context,
		IntegrationLatency: latency,
		Reason:             reason,
	}, nil
}

// refuse returns 401 {"message":"Unauthorized"} with a reason for the log.
func (l *Lambda) refuse(format string, args ...any) *gateway.Response {
	return l.unauthorized.WithReason("authorizer %s: %s", l.name, fmt.Sprintf(format, args...))
}

// LambdaStats counts a Lambda authorizer's work since it was made.
type LambdaStats struct {
	Hits    uint64 // requests answered from the result cache
	Misses  uint64 // requests that invoked the function (their identity sources were present)
	Entries int    // results cached now, including entries past their time not yet evicted
}

// Stats returns the authorizer's counters, e.g. for metrics.
func (l *Lambda) Stats() LambdaStats {
	s := LambdaStats{Hits: l.hits.Load(), Misses: l.misses.Load()}
	if l.cache != nil {
		s.Entries = l.cache.len()
	}
	return s
}

var _ gateway.Authorizer = (*Lambda)(nil)
