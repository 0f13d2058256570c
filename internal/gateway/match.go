package gateway

import (
	"net"
	"strings"
)

// A routing decision: which API, resource and method a request reaches.
type match struct {
	api      *compiledAPI
	resource *node
	method   *method
	params   map[string]string // decoded path parameters; nil when none
	path     string            // the path below the stage, as received ("/" at least)
}

// api picks the API a request is for. Host "{apiId}.execute-api.{anything}" names it (and an
// unknown id names none); any other host gets the first API of the table.
func (t *Table) api(host string) *compiledAPI {
	if len(t.apis) == 0 {
		return nil
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host) // host names are case-insensitive; API ids are lowercase
	if id, rest, ok := strings.Cut(host, "."); ok && strings.HasPrefix(rest, "execute-api.") {
		return t.byID[id]
	}
	return t.apis[0]
}

// Match routes a request's method and raw (still percent-encoded) path, as API Gateway does:
//
//   - the path must start with /{stage}; the rest is matched segment by segment, a segment
//     being what lies between two slashes of the raw path, so "%2F" never splits one;
//   - under each resource a literal child is tried first (comparing the decoded segment),
//     then the {param} child (any non-empty segment), then the {proxy+} child (all that is
//     left, one segment or more); a dead end backtracks to the next choice, so the most
//     specific resource wins;
//   - one trailing slash is ignored ("/dev/tasks/" is /tasks); empty segments ("//") match
//     nothing, not even in a greedy variable's remainder ("/legacy/a//b" would be the twin of
//     "/legacy/a/b" with another method ARN); matching is case-sensitive;
//   - the method ARN the authorizers evaluate (Request.MethodARN, arnPath) is built from the
//     path in the form matched here, so every spelling of a path that reaches a resource has
//     the ARN of its plain spelling;
//   - the resource's own method wins over its ANY method; a resource without either is no
//     match (403 Missing Authentication Token in the gateway) — there is no fallback to a less
//     specific resource.
//
// It never panics, whatever the path (FuzzMatch).
func (c *compiledAPI) match(httpMethod, rawPath string) (match, bool) {
	stage := c.api.Stage
	if len(rawPath) < 1+len(stage) || rawPath[0] != '/' || rawPath[1:1+len(stage)] != stage {
		return match{}, false
	}
	rest := rawPath[1+len(stage):]
	if rest != "" && rest[0] != '/' {
		return match{}, false // "/devices" is not stage "dev"
	}
	m := match{api: c, path: rest}
	if m.path == "" {
		m.path = "/"
	}

	var params []paramValue
	var n *node
	if rest == "" || rest == "/" {
		n = c.root
	} else {
		n = c.root.find(strings.TrimSuffix(rest[1:], "/"), &params)
	}
	if n == nil {
		return match{}, false
	}
	meth := n.methods[httpMethod]
	if meth == nil {
		meth = n.methods["ANY"]
	}
	if meth == nil {
		return match{}, false
	}
	m.resource, m.method = n, meth
	if len(params) > 0 {
		m.params = make(map[string]string, len(params))
		for _, p := range params {
			m.params[p.name] = p.value
		}
	}
	return m, true
}

type paramValue struct{ name, value string }

// find consumes s, the rest of the path without its leading slash, below n. It returns the
// resource the whole path reaches, or nil; params collects the variables of that route.
func (n *node) find(s string, params *[]paramValue) *node {
	seg, rest, more := strings.Cut(s, "/")
	next := func(child *node) *node {
		if !more {
			return child
		}
		return child.find(rest, params)
	}
	if seg != "" {
		if child := n.literal[unescapePath(seg)]; child != nil {
			if r := next(child); r != nil {
				return r
			}
		}
		if n.param != nil {
			mark := len(*params)
			*params = append(*params, paramValue{n.paramName, unescapePath(seg)})
			if r := next(n.param); r != nil {
				return r
			}
			*params = (*params)[:mark]
		}
	}
	if n.greedy != nil && s != "" && !hasEmptySegment(s) {
		*params = append(*params, paramValue{n.greedyName, unescapePath(s)})
		return n.greedy
	}
	return nil
}

// hasEmptySegment reports whether a greedy remainder has an empty segment: a leading or
// trailing slash, or "//".
func hasEmptySegment(s string) bool {
	return strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//")
}
