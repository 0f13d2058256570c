package httpapi

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// DefaultRouteKey is the route key of the catch-all route.
const DefaultRouteKey = "$default"

// Methods a route key may name besides ANY (CreateRoute: "HTTP method").
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}

// API is one HTTP API as apiruntime describes it.
type API struct {
	ID        string // ten lower-case alphanumerics, as API Gateway's
	Name      string
	Region    string
	AccountID string
	CORS      *CORS // nil: no CorsConfiguration
	Routes    []Route
	// Timeout bounds every integration; 0 is DefaultIntegrationTimeout.
	Timeout time.Duration
}

// Route is one route of an API.
type Route struct {
	// Key is "METHOD /path" (METHOD may be ANY) or "$default".
	Key string
	// Authorizer is nil for a route without authorization (NONE).
	Authorizer Authorizer
	// Scopes are the route's authorizationScopes, given to the authorizer.
	Scopes []string
	// Function is the Lambda function of the route's AWS_PROXY integration.
	Function string
	// Payload is the integration's payload format version, "2.0" or "1.0".
	Payload string
	// Invoker runs Function.
	Invoker gateway.Invoker
	// Proxy, instead of Function, is an HTTP_PROXY integration (the REST API's, reused:
	// {name} in its URI takes the route's path parameters). serverless.yml's httpApi events
	// name only functions, so only callers building Tables themselves (the benchmarks) set it.
	Proxy *gateway.HTTPProxy
}

// CORS is an API's CorsConfiguration.
type CORS struct {
	AllowOrigins     []string
	AllowHeaders     []string
	AllowMethods     []string
	ExposeHeaders    []string
	AllowCredentials bool
	MaxAge           int // seconds; -1 for no Access-Control-Max-Age
}

// Table is a compiled API: immutable, safe for concurrent use.
type Table struct {
	api    *API
	routes []*compiledRoute // most specific first; $default, if any, last
}

type segKind int

// Segment kinds, in the order a path matches them (most specific first).
const (
	segGreedy segKind = iota
	segParam
	segLiteral
)

type segment struct {
	kind segKind
	text string // the literal, or the parameter's name
}

type compiledRoute struct {
	Route
	method string // "" for $default
	path   string
	segs   []segment
}

// NewTable checks and compiles api.
func NewTable(api *API) (*Table, error) {
	t := &Table{api: api}
	seen := map[string]bool{}
	var def *compiledRoute
	for _, r := range api.Routes {
		c, err := compileRoute(r)
		if err != nil {
			return nil, err
		}
		if seen[r.Key] {
			return nil, fmt.Errorf("route %q is defined twice", r.Key)
		}
		seen[r.Key] = true
		if r.Payload != "2.0" && r.Payload != "1.0" {
			return nil, fmt.Errorf("route %q: payload format version %q; want 2.0 or 1.0", r.Key, r.Payload)
		}
		if (r.Invoker == nil || r.Function == "") && r.Proxy == nil {
			return nil, fmt.Errorf("route %q has no function", r.Key)
		}
		if c.method == "" {
			def = c
			continue
		}
		t.routes = append(t.routes, c)
	}
	slices.SortStableFunc(t.routes, compareRoutes)
	if def != nil {
		t.routes = append(t.routes, def)
	}
	return t, nil
}

// ParseRouteKey splits a route key into its method and path segments; "$default" gives
// method "". It applies CreateRoute's rules: a method of GET … OPTIONS or ANY, one space, a
// path starting with /, {param} segments with unique names and {proxy+} only last.
func ParseRouteKey(key string) (method string, segs []segment, err error) {
	if key == DefaultRouteKey {
		return "", nil, nil
	}
	method, path, ok := strings.Cut(key, " ")
	if !ok || (method != "ANY" && !slices.Contains(methods, method)) {
		return "", nil, fmt.Errorf("route key %q: want \"METHOD /path\" (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY) or $default", key)
	}
	if !strings.HasPrefix(path, "/") {
		return "", nil, fmt.Errorf("route key %q: the path must start with /", key)
	}
	if path == "/" {
		return method, nil, nil
	}
	names := map[string]bool{}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		switch {
		case p == "":
			return "", nil, fmt.Errorf("route key %q: empty path segment", key)
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") && len(p) > 2:
			name := p[1 : len(p)-1]
			kind := segParam
			if strings.HasSuffix(name, "+") {
				name, kind = strings.TrimSuffix(name, "+"), segGreedy
				if i != len(parts)-1 {
					return "", nil, fmt.Errorf("route key %q: a greedy {%s+} must be the last segment", key, name)
				}
			}
			if name == "" || strings.ContainsAny(name, "{}+/ ") {
				return "", nil, fmt.Errorf("route key %q: bad path parameter %q", key, p)
			}
			if names[name] {
				return "", nil, fmt.Errorf("route key %q: path parameter {%s} appears twice", key, name)
			}
			names[name] = true
			segs = append(segs, segment{kind, name})
		case strings.ContainsAny(p, "{}"):
			return "", nil, fmt.Errorf("route key %q: { and } only around a whole segment", key)
		default:
			segs = append(segs, segment{segLiteral, p})
		}
	}
	return method, segs, nil
}

func compileRoute(r Route) (*compiledRoute, error) {
	method, segs, err := ParseRouteKey(r.Key)
	if err != nil {
		return nil, err
	}
	c := &compiledRoute{Route: r, method: method, segs: segs}
	if method != "" {
		c.path = r.Key[len(method)+1:]
	}
	return c, nil
}

// compareRoutes orders routes most specific first ("Create routes for HTTP APIs",
// http-api-develop-routes.html, "Routing API requests": a full match for the route and method,
// then a match with a greedy path variable, then $default; ANY matches the methods not defined
// for a resource): segment by segment from the left a literal beats
// {param}, which beats {proxy+}; a longer non-greedy match beats a shorter greedy one; with
// equal paths an exact method beats ANY.
func compareRoutes(a, b *compiledRoute) int {
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if a.segs[i].kind != b.segs[i].kind {
			return int(b.segs[i].kind) - int(a.segs[i].kind)
		}
	}
	if len(a.segs) != len(b.segs) {
		return len(b.segs) - len(a.segs)
	}
	if (a.method == "ANY") != (b.method == "ANY") {
		if a.method == "ANY" {
			return 1
		}
		return -1
	}
	return 0
}

// match returns the route for method and the raw (escaped) path, with its path parameters
// decoded.
func (t *Table) match(method, rawPath string) (*compiledRoute, map[string]string, bool) {
	parts, ok := splitPath(rawPath)
	if !ok {
		return nil, nil, false
	}
	for _, r := range t.routes {
		if r.method == "" {
			return r, nil, true
		}
		if r.method != "ANY" && r.method != method {
			continue
		}
		if params, ok := r.matchPath(parts); ok {
			return r, params, true
		}
	}
	return nil, nil, false
}

// splitPath splits "/a/b%20c" into decoded segments; "/" is none.
func splitPath(raw string) ([]string, bool) {
	if raw == "" || raw[0] != '/' {
		return nil, false
	}
	if raw == "/" {
		return nil, true
	}
	parts := strings.Split(raw[1:], "/")
	for i, p := range parts {
		d, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = d
	}
	return parts, true
}

func (r *compiledRoute) matchPath(parts []string) (map[string]string, bool) {
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, s := range r.segs {
		if s.kind == segGreedy {
			if i >= len(parts) {
				return nil, false
			}
			rest := strings.Join(parts[i:], "/")
			if rest == "" {
				return nil, false
			}
			set(s.text, rest)
			return params, true
		}
		if i >= len(parts) || parts[i] == "" {
			return nil, false
		}
		switch s.kind {
		case segLiteral:
			if parts[i] != s.text {
				return nil, false
			}
		case segParam:
			set(s.text, parts[i])
		}
	}
	if len(parts) != len(r.segs) {
		return nil, false
	}
	return params, true
}
