package gateway

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// CORS is a serverless.yml http event's cors setting for a REST API ("cors: true" is &CORS{}).
// The gateway turns the settings of all methods of one resource into that resource's OPTIONS
// method, a MOCK integration answering the preflight, exactly as the Serverless Framework
// compiles them (lib/plugins/aws/package/compile/events/api-gateway/lib/validate.js getCors and
// cors.js). As on AWS, nothing is added to the other methods' responses: a lambda-proxy
// function sets its own Access-Control-Allow-Origin, and gateway responses (401, 403, …) carry
// CORS headers only when the API customises them (API.GatewayResponses, e.g. DEFAULT_4XX).
type CORS struct {
	Origin           string   // default "*"; "a,b" is a list of origins
	Origins          []string // several origins, "*" wildcards allowed ("https://*.example.com")
	Headers          []string // nil: the Serverless defaults (DefaultCORSHeaders)
	Methods          []string // nil: just OPTIONS and the route's method
	AllowCredentials bool
	MaxAge           int    // Access-Control-Max-Age in seconds; 0: not sent
	CacheControl     string // Cache-Control of the preflight; "": not sent
}

// DefaultCORSHeaders returns the Access-Control-Allow-Headers the Serverless Framework uses when
// cors names none.
func DefaultCORSHeaders() []string {
	return []string{
		"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key",
		"X-Amz-Security-Token", "X-Amz-User-Agent", "X-Amzn-Trace-Id",
	}
}

// corsConfig is the merged cors of one resource (serverless's corsPreflight[path]).
type corsConfig struct {
	origin           string
	origins          []string
	headers          []string
	methods          []string
	allowCredentials bool
	maxAge           int
	cacheControl     string
}

// corsBuilder merges the cors settings of a resource's methods in declaration order.
type corsBuilder struct {
	order   []*node
	configs map[*node]*corsConfig
}

type preflight struct {
	node   *node
	config *corsConfig
}

func newCORSBuilder() *corsBuilder { return &corsBuilder{configs: make(map[*node]*corsConfig)} }

// add merges one method's cors into its resource's preflight: headers, methods and origins
// are unions (the newer event's values first), origin is the last event's, allowCredentials
// is true if any says so, maxAge and cacheControl are the last ones set.
func (b *corsBuilder) add(n *node, httpMethod string, c *CORS) {
	// getCors: the event's own settings.
	ev := corsConfig{origin: "*", allowCredentials: c.AllowCredentials, maxAge: c.MaxAge, cacheControl: c.CacheControl}
	if c.Origins != nil {
		ev.origin = ""
	}
	if c.Origin != "" {
		ev.origin = c.Origin
	}
	ev.origins = c.Origins
	ev.headers = c.Headers
	if ev.headers == nil {
		ev.headers = DefaultCORSHeaders()
	}
	ev.methods = append([]string(nil), c.Methods...)
	if !contains(ev.methods, "OPTIONS") {
		ev.methods = append(ev.methods, "OPTIONS")
	}
	if !contains(ev.methods, httpMethod) {
		ev.methods = append(ev.methods, httpMethod)
	}

	// validate: merge into the resource's preflight.
	cur := b.configs[n]
	if cur == nil {
		cur = &corsConfig{}
		b.configs[n] = cur
		b.order = append(b.order, n)
	}
	cur.headers = union(ev.headers, cur.headers)
	cur.methods = union(ev.methods, cur.methods)
	cur.origins = union(ev.origins, cur.origins)
	cur.origin = ev.origin
	cur.allowCredentials = cur.allowCredentials || ev.allowCredentials
	if ev.maxAge != 0 {
		cur.maxAge = ev.maxAge
	}
	if ev.cacheControl != "" {
		cur.cacheControl = ev.cacheControl
	}
}

func (b *corsBuilder) list() []preflight {
	out := make([]preflight, len(b.order))
	for i, n := range b.order {
		out[i] = preflight{n, b.configs[n]}
	}
	return out
}

// integration compiles a resource's preflight into its MOCK integration (cors.js compileCors).
func (c *corsConfig) integration() (*corsPreflight, error) {
	origin, origins := c.origin, c.origins
	if strings.Contains(origin, ",") {
		origins = nil
		for _, o := range strings.Split(origin, ",") {
			origins = append(origins, strings.TrimSpace(o))
		}
	}
	if len(origins) > 0 {
		origin = origins[0]
	}
	h := make(http.Header)
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Headers", strings.Join(c.headers, ","))
	methods := strings.Join(c.methods, ",")
	if contains(c.methods, "ANY") {
		methods = strings.Replace(methods, "ANY", "DELETE,GET,HEAD,PATCH,POST,PUT", 1)
	}
	h.Set("Access-Control-Allow-Methods", methods)
	if c.allowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if c.maxAge != 0 {
		h.Set("Access-Control-Max-Age", strconv.Itoa(c.maxAge))
	}
	if c.cacheControl != "" {
		h.Set("Cache-Control", c.cacheControl)
	}
	h.Set("Content-Type", "application/json")
	p := &corsPreflight{header: h}
	for _, o := range origins {
		re, err := originPattern(o)
		if err != nil {
			return nil, err
		}
		p.origins = append(p.origins, re)
	}
	return p, nil
}

// originPattern turns an origin glob into the regular expression serverless writes into the
// preflight's response template: dots are literal, the first "*" matches one character or
// more, and the whole Origin must match (Java's String.matches).
func originPattern(glob string) (*regexp.Regexp, error) {
	expr := strings.ReplaceAll(glob, ".", "[.]")
	expr = strings.Replace(expr, "*", ".+", 1)
	re, err := regexp.Compile("^(?:" + expr + ")$")
	if err != nil {
		return nil, fmt.Errorf("origin %q: %w", glob, err)
	}
	return re, nil
}

// corsPreflight is the MOCK integration of a serverless OPTIONS method: 200, the CORS headers,
// an empty body; with several origins, a request Origin that matches one of them is echoed.
type corsPreflight struct {
	header  http.Header
	origins []*regexp.Regexp
}

// Invoke answers the preflight.
func (p *corsPreflight) Invoke(_ context.Context, r *Request, _ *Principal) (*IntegrationResponse, error) {
	h := p.header.Clone()
	if len(p.origins) > 0 {
		if o := r.Headers.Get("Origin"); o != "" {
			for _, re := range p.origins {
				if re.MatchString(o) {
					h.Set("Access-Control-Allow-Origin", o)
					break
				}
			}
		}
	}
	return &IntegrationResponse{StatusCode: http.StatusOK, Header: h}, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// union is lodash's _.union: the distinct values of the lists, in order of first appearance.
func union(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		for _, v := range l {
			if !contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

var _ Integration = (*corsPreflight)(nil)
