package gateway

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// API is one REST API deployed to one stage: what a serverless.yml service becomes.
type API struct {
	ID        string // the REST API id, e.g. "gy415nuibc"; picks the API from Host {id}.execute-api.localhost
	Name      string
	Stage     string // [-_a-zA-Z0-9]{1,128}; every path starts with /{stage}
	Region    string
	AccountID string

	StageVariables   map[string]string
	BinaryMediaTypes []string // e.g. "image/png", "multipart/form-data", "*/*"

	// GatewayResponses customise gateway responses, keyed by type (DEFAULT_4XX and DEFAULT_5XX
	// included).
	GatewayResponses map[ResponseType]GatewayResponse

	Routes []Route
}

// Route is one method of one resource, e.g. GET /tasks/{id}: a serverless.yml http event.
type Route struct {
	// Path is the resource path: literal segments, {param} segments and a final {proxy+}
	// (developer guide: "Set up a proxy integration with a proxy resource"). The leading
	// slash is optional, as in serverless.yml; "" and "/" are the root resource.
	Path string
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY (any case).
	Method string
	// Authorizer decides who may call; nil is NONE.
	Authorizer Authorizer
	// Integration answers the request.
	Integration Integration
	// CORS, when not nil, adds this method to its resource's OPTIONS preflight, as
	// serverless.yml's "cors" does (true is &CORS{}).
	CORS *CORS
	// Timeout bounds the integration; 0 is the gateway's (29 s by default).
	Timeout time.Duration
}

// Table is a compiled, immutable set of APIs: what the gateway routes against. Build it with
// NewTable and install it with (*Gateway).Swap; neither the Table nor the APIs given to NewTable
// may be modified afterwards.
type Table struct {
	apis []*compiledAPI
	byID map[string]*compiledAPI
}

type compiledAPI struct {
	api  *API
	root *node
}

// node is one resource of an API's resource tree.
type node struct {
	path string // the resource path: "/tasks/{id}"
	id   string // its resource id

	literal    map[string]*node
	param      *node // a {name} child
	paramName  string
	greedy     *node // a {name+} child
	greedyName string

	methods map[string]*method // "GET", …, "ANY"
}

// method is one compiled route.
type method struct {
	route      Route
	authorizer Authorizer // never nil: None for NONE
	needsARN   bool       // a real authorizer: the method ARN length limit applies
}

// methodNames are the HTTP methods API Gateway accepts for a method (PutMethod's httpMethod).
func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY":
		return true
	}
	return false
}

var (
	stageName = regexp.MustCompile(`^[-_a-zA-Z0-9]{1,128}$`)
	paramName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
)

// literalSegment is a literal path part: API Gateway allows letters, digits and "._-:"; we also
// allow the other unreserved and sub-delimiter characters of RFC 3986 §3.3, which a client
// can send unencoded.
func literalSegment(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !pathPartByte(s[i]) {
			return false
		}
	}
	return true
}

// pathPartByte reports whether a byte may appear in a literal path part.
func pathPartByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("._-:~!$&'()*+,;=@", c) >= 0
}

// NewTable validates and compiles APIs into a route table. It refuses what API Gateway refuses:
// a bad stage name, a malformed resource path, a {proxy+} that is not last, two different
// variables under one resource, a method twice on one resource, a route without integration.
// The first API is the default one, for requests whose Host names no API.
func NewTable(apis ...*API) (*Table, error) {
	t := &Table{byID: make(map[string]*compiledAPI, len(apis))}
	for _, a := range apis {
		if a == nil {
			return nil, errors.New("gateway: nil API")
		}
		c, err := compileAPI(a)
		if err != nil {
			return nil, fmt.Errorf("gateway: API %q: %w", a.ID, err)
		}
		if _, dup := t.byID[a.ID]; dup {
			return nil, fmt.Errorf("gateway: API id %q used twice", a.ID)
		}
		t.byID[a.ID] = c
		t.apis = append(t.apis, c)
	}
	return t, nil
}

// APIs returns the table's APIs, in the order given to NewTable.
func (t *Table) APIs() []*API {
	out := make([]*API, len(t.apis))
	for i, c := range t.apis {
		out[i] = c.api
	}
	return out
}

func compileAPI(a *API) (*compiledAPI, error) {
	if a.ID == "" || strings.ContainsAny(a.ID, "/.: ") {
		return nil, fmt.Errorf("invalid API id %q", a.ID)
	}
	if !stageName.MatchString(a.Stage) {
		return nil, fmt.Errorf("invalid stage name %q: it may contain only [-_a-zA-Z0-9], at most 128", a.Stage)
	}
	for t, g := range a.GatewayResponses {
		if err := g.validate(); err != nil {
			return nil, fmt.Errorf("gateway response %s: %w", t, err)
		}
	}
	c := &compiledAPI{api: a, root: &node{path: "/", id: resourceID(a.ID, "/")}}
	preflights := newCORSBuilder()
	for i, r := range a.Routes {
		m := strings.ToUpper(r.Method)
		if !validMethod(m) {
			return nil, fmt.Errorf("route %d (%s %s): invalid method %q", i, r.Method, r.Path, r.Method)
		}
		if r.Integration == nil {
			return nil, fmt.Errorf("route %s %s: no integration", m, r.Path)
		}
		n, err := c.resource(r.Path)
		if err != nil {
			return nil, fmt.Errorf("route %s %s: %w", m, r.Path, err)
		}
		if _, dup := n.methods[m]; dup {
			return nil, fmt.Errorf("route %s %s: method defined twice", m, n.path)
		}
		r.Method = m
		cm := &method{route: r, authorizer: r.Authorizer}
		if cm.authorizer == nil {
			cm.authorizer = None{}
		}
		_, isNone := cm.authorizer.(None)
		cm.needsARN = !isNone
		if n.methods == nil {
			n.methods = make(map[string]*method)
		}
		n.methods[m] = cm
		if r.CORS != nil {
			preflights.add(n, m, r.CORS)
		}
	}
	// The serverless OPTIONS method of each resource with cors, unless the API defines its own.
	for _, p := range preflights.list() {
		if _, own := p.node.methods["OPTIONS"]; own {
			continue
		}
		integ, err := p.config.integration()
		if err != nil {
			return nil, fmt.Errorf("cors of %s: %w", p.node.path, err)
		}
		if p.node.methods == nil {
			p.node.methods = make(map[string]*method)
		}
		p.node.methods["OPTIONS"] = &method{
			route:      Route{Path: p.node.path, Method: "OPTIONS", Integration: integ},
			authorizer: None{},
		}
	}
	return c, nil
}

// resource returns the node of a resource path, creating it and its parents: in API Gateway
// every prefix of a resource path is a resource of its own.
func (c *compiledAPI) resource(path string) (*node, error) {
	path = strings.Trim(path, "/")
	n := c.root
	if path == "" {
		return n, nil
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		full := "/" + strings.Join(segs[:i+1], "/")
		switch {
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "+}"):
			name := seg[1 : len(seg)-2]
			if !paramName.MatchString(name) {
				return nil, fmt.Errorf("invalid greedy variable %q", seg)
			}
			if i != len(segs)-1 {
				return nil, fmt.Errorf("greedy variable %s must be the last part of the path", seg)
			}
			if err := n.variableConflict(name, true); err != nil {
				return nil, err
			}
			if n.greedy == nil {
				n.greedy, n.greedyName = &node{path: full, id: resourceID(c.api.ID, full)}, name
			}
			n = n.greedy
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			name := seg[1 : len(seg)-1]
			if !paramName.MatchString(name) {
				return nil, fmt.Errorf("invalid path variable %q", seg)
			}
			if err := n.variableConflict(name, false); err != nil {
				return nil, err
			}
			if n.param == nil {
				n.param, n.paramName = &node{path: full, id: resourceID(c.api.ID, full)}, name
			}
			n = n.param
		default:
			if !literalSegment(seg) {
				return nil, fmt.Errorf("invalid path part %q", seg)
			}
			child := n.literal[seg]
			if child == nil {
				if n.literal == nil {
					n.literal = make(map[string]*node)
				}
				child = &node{path: full, id: resourceID(c.api.ID, full)}
				n.literal[seg] = child
			}
			n = child
		}
	}
	return n, nil
}

// variableConflict refuses a second, different variable under one resource, as API Gateway
// does ("A sibling ({id}) of this resource already has a variable path part").
func (n *node) variableConflict(name string, greedy bool) error {
	switch {
	case n.param != nil && (greedy || n.paramName != name):
		return fmt.Errorf("{%s} conflicts with its sibling {%s}", name, n.paramName)
	case n.greedy != nil && (!greedy || n.greedyName != name):
		return fmt.Errorf("{%s} conflicts with its sibling {%s+}", name, n.greedyName)
	}
	return nil
}

// Routes lists an API's methods as "METHOD /resource/path", sorted, including the OPTIONS
// methods that CORS adds; for logs and tests.
func (t *Table) Routes(apiID string) []string {
	c := t.byID[apiID]
	if c == nil {
		return nil
	}
	var out []string
	var walk func(n *node)
	walk = func(n *node) {
		for m := range n.methods {
			out = append(out, m+" "+n.path)
		}
		for _, child := range n.literal {
			walk(child)
		}
		if n.param != nil {
			walk(n.param)
		}
		if n.greedy != nil {
			walk(n.greedy)
		}
	}
	walk(c.root)
	sort.Strings(out)
	return out
}
