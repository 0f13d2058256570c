package serverless

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// http events: https://www.serverless.com/framework/docs/providers/aws/events/apigateway and
// the Framework's schema and normalisation in
// lib/plugins/aws/package/compile/events/api-gateway/{index.js,lib/validate.js}.

var (
	// A literal path segment: RFC 3986 path characters; braces and + only in parameters.
	literalSegmentPattern = regexp.MustCompile(`^[A-Za-z0-9._~!$&'()*,;=:@-]+$`)
	paramNamePattern      = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	uriPlaceholderPattern = regexp.MustCompile(`\{([^{}]*)\}`)
)

func httpKeys() keySet {
	return keySet{
		used:   []string{"path", "method", "cors", "authorizer", "integration", "request", "response", "private", "async", "connectionType", "connectionId"},
		silent: []string{"operationId"},
	}
}

// methods API Gateway accepts on a resource; ANY stands for all of them.
func validMethod(m string) bool {
	switch m {
	case "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY":
		return true
	}
	return false
}

// httpEvent reads one http event, in its short ("GET tasks") or object form.
func (d *decoder) httpEvent(fn *Function, v Value, path string) *Endpoint {
	e := &Endpoint{FunctionName: fn.Name, Pos: v.Pos, Authorizer: Authorizer{Type: AuthNone}}
	var methodV, pathV Value
	switch v.Kind {
	case KindString:
		parts := strings.Fields(v.Str)
		if len(parts) != 2 {
			d.rep.errorf(v.Pos, ErrInvalid, "%s is %q; want \"METHOD path\", such as \"GET tasks\"", path, v.Str)
			return nil
		}
		methodV, pathV = stringValue(parts[0], v.Pos), stringValue(parts[1], v.Pos)
	case KindMap:
		d.checkKeys(v, path, httpKeys(), unknownWarns)
		var ok bool
		if pathV, ok = v.Get("path"); !ok {
			d.rep.errorf(v.Pos, ErrInvalid, "%s.path is missing", path)
			return nil
		}
		if methodV, ok = v.Get("method"); !ok {
			d.rep.errorf(v.Pos, ErrInvalid, "%s.method is missing", path)
			return nil
		}
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be \"METHOD path\" or a map, not %s", path, v.describe())
		return nil
	}
	okMethod, okPath := true, true
	e.Method, okMethod = d.method(methodV, path+".method")
	e.Path, okPath = d.httpPath(pathV, path+".path")
	if !okMethod || !okPath {
		return nil
	}
	in, ok := d.integration(v, path, e)
	if !ok {
		return nil
	}
	e.Integration = in
	if (in.Type == IntegrationLambdaProxy || in.Type == IntegrationLambda) && fn.Handler == "" {
		d.rep.errorf(v.Pos, ErrInvalid, "%s: function %s has no handler, and its lambda integration needs one", path, fn.Name)
	}
	if v.Kind != KindMap {
		return e
	}
	if c, ok := v.Get("cors"); ok {
		e.CORS = d.cors(c, path+".cors", e.Method)
	}
	if p, ok := v.Get("private"); ok {
		e.Private, _ = d.boolean(p, path+".private")
	}
	if a, ok := v.Get("authorizer"); ok && a.Kind != KindNull {
		var ok bool
		if e.Authorizer, ok = d.authorizer(a, path+".authorizer", e); !ok {
			d.badAuth[e] = true // its errors are reported; do not compare it with others
		}
	}
	return e
}

func (d *decoder) method(v Value, path string) (string, bool) {
	s, ok := d.str(v, path)
	if !ok {
		return "", false
	}
	m := strings.ToUpper(s)
	if m == "*" { // the Framework's schema accepts * for any method
		m = "ANY"
	}
	if !validMethod(m) {
		d.rep.errorf(v.Pos, ErrInvalid, "%s is %q; want GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY", path, s)
		return "", false
	}
	return m, true
}

// httpPath normalises a path as the Framework does (one leading and one trailing slash
// dropped) and checks API Gateway's rules: non-empty segments, {param} segments with unique
// names, and a greedy {param+} only as the last segment.
func (d *decoder) httpPath(v Value, path string) (string, bool) {
	s, ok := d.str(v, path)
	if !ok {
		return "", false
	}
	p := strings.TrimSuffix(strings.TrimPrefix(s, "/"), "/")
	if p == "" {
		return "", true
	}
	segs := strings.Split(p, "/")
	seen := map[string]bool{}
	for i, seg := range segs {
		switch {
		case seg == "":
			d.rep.errorf(v.Pos, ErrInvalid, "%s %q has an empty segment (//)", path, s)
			return "", false
		case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
			name := seg[1 : len(seg)-1]
			greedy := strings.HasSuffix(name, "+")
			name = strings.TrimSuffix(name, "+")
			if !paramNamePattern.MatchString(name) {
				d.rep.errorf(v.Pos, ErrInvalid, "%s %q: %s is not a valid path parameter (letters, digits, ., _ and -)", path, s, seg)
				return "", false
			}
			if greedy && i != len(segs)-1 {
				d.rep.errorf(v.Pos, ErrInvalid, "%s %q: a greedy parameter such as %s must be the last segment", path, s, seg)
				return "", false
			}
			if seen[name] {
				d.rep.errorf(v.Pos, ErrInvalid, "%s %q: path parameter {%s} appears twice", path, s, name)
				return "", false
			}
			seen[name] = true
		case !literalSegmentPattern.MatchString(seg):
			d.rep.errorf(v.Pos, ErrInvalid, "%s %q: segment %q holds characters API Gateway does not allow ({ } and + only in a whole {param} or {param+} segment)", path, s, seg)
			return "", false
		}
	}
	return p, true
}

// pathParams returns the names of the parameters of a normalised path ({proxy+} gives proxy).
func pathParams(p string) map[string]bool {
	out := map[string]bool{}
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out[strings.TrimSuffix(seg[1:len(seg)-1], "+")] = true
		}
	}
	return out
}

// corsDefaultHeaders are the headers a cors: true endpoint allows (validate.js, getCors).
func corsDefaultHeaders() []string {
	return []string{"Content-Type", "X-Amz-Date", "Authorization", "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent", "X-Amzn-Trace-Id"}
}

// anyMethods is what ANY stands for in Access-Control-Allow-Methods (cors.js).
func anyMethods() []string { return []string{"DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"} }

// cors reads cors: true, or the object form {origin, origins, headers, allowCredentials,
// maxAge, cacheControl, methods}, with the Framework's defaults.
func (d *decoder) cors(v Value, path, method string) *CORS {
	c := &CORS{Origins: []string{"*"}, Headers: corsDefaultHeaders(), Methods: []string{"OPTIONS"}}
	switch v.Kind {
	case KindNull:
		return nil
	case KindBool, KindString:
		on, ok := d.boolean(v, path)
		if !ok || !on {
			return nil
		}
	case KindMap:
		d.checkKeys(v, path, keySet{used: []string{"origin", "origins", "headers", "allowCredentials", "maxAge", "cacheControl", "methods"}}, unknownWarns)
		var origins []string
		if o, ok := v.Get("origins"); ok {
			origins, _ = d.strList(o, path+".origins", false)
		}
		if o, ok := v.Get("origin"); ok {
			if s, ok := d.str(o, path+".origin"); ok {
				// cors.js splits a comma-separated origin into origins.
				for _, part := range strings.Split(s, ",") {
					if part = strings.TrimSpace(part); part != "" {
						origins = append(origins, part)
					}
				}
			}
		}
		if len(origins) > 0 {
			c.Origins = origins
		}
		if h, ok := v.Get("headers"); ok {
			c.Headers, _ = d.strList(h, path+".headers", true)
		}
		if m, ok := v.Get("methods"); ok {
			ms, _ := d.strList(m, path+".methods", false)
			for i, x := range ms {
				x = strings.ToUpper(x)
				if !validMethod(x) {
					d.rep.errorf(m.List[i].Pos, ErrInvalid, "%s.methods: %q is not an HTTP method API Gateway knows", path, ms[i])
					continue
				}
				c.Methods = addUnique(c.Methods, x)
			}
		}
		if a, ok := v.Get("allowCredentials"); ok {
			c.AllowCredentials, _ = d.boolean(a, path+".allowCredentials")
		}
		if m, ok := v.Get("maxAge"); ok {
			c.MaxAge, _ = d.intRange(m, path+".maxAge", 1, 1<<31-1, " seconds")
		}
		if cc, ok := v.Get("cacheControl"); ok {
			c.CacheControl, _ = d.str(cc, path+".cacheControl")
		}
		if c.AllowCredentials && contains(c.Origins, "*") {
			d.rep.warnf(v.Pos, "%s: allowCredentials with origin \"*\": browsers refuse credentialed responses to a wildcard origin", path)
		}
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be true or a map, not %s", path, v.describe())
		return nil
	}
	if method == "ANY" {
		for _, m := range anyMethods() {
			c.Methods = addUnique(c.Methods, m)
		}
	} else {
		c.Methods = addUnique(c.Methods, method)
	}
	return c
}

func addUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// integrationType normalises the integration names the Framework accepts (getIntegration:
// upper case, "-" as "_", LAMBDA as AWS, LAMBDA_PROXY as AWS_PROXY).
func integrationType(s string) (IntegrationType, bool) {
	switch strings.ReplaceAll(strings.ToUpper(s), "-", "_") {
	case "LAMBDA_PROXY", "AWS_PROXY":
		return IntegrationLambdaProxy, true
	case "LAMBDA", "AWS":
		return IntegrationLambda, true
	case "HTTP":
		return IntegrationHTTP, true
	case "HTTP_PROXY":
		return IntegrationHTTPProxy, true
	case "MOCK":
		return "MOCK", true
	}
	return "", false
}

func requestKeys() keySet {
	return keySet{used: []string{"uri", "method", "parameters", "template", "passThrough", "contentHandling", "schemas", "schema"}}
}

// integration reads integration, async, request, response and connectionType.
func (d *decoder) integration(v Value, path string, e *Endpoint) (Integration, bool) {
	in := Integration{Type: IntegrationLambdaProxy}
	if v.Kind != KindMap {
		return in, true
	}
	if a, ok := v.Get("async"); ok {
		in.Async, _ = d.boolean(a, path+".async")
		if in.Async {
			in.Type = IntegrationLambda // getIntegration: async without integration is AWS
		}
	}
	if iv, ok := v.Get("integration"); ok {
		s, ok := d.str(iv, path+".integration")
		if !ok {
			return in, false
		}
		t, known := integrationType(s)
		switch {
		case !known:
			d.rep.errorf(iv.Pos, ErrInvalid, "%s.integration is %q; want lambda-proxy, lambda, http-proxy or http", path, s)
			return in, false
		case t == "MOCK":
			d.rep.warnf(iv.Pos, "%s.integration: mock integrations are not supported; %s %s is not served", path, e.Method, e.ResourcePath())
			return in, false
		}
		in.Type = t
	}
	if ct, ok := v.Get("connectionType"); ok {
		d.rep.warnf(ct.Pos, "%s.connectionType: VPC links are not supported; Gatehouse calls request.uri directly", path)
	}
	req, hasReq := v.Get("request")
	if hasReq && d.wantMap(req, path+".request") {
		d.checkKeys(req, path+".request", requestKeys(), unknownWarns)
		var allowed []string
		switch in.Type {
		case IntegrationLambdaProxy:
			allowed = []string{"parameters", "schema", "schemas"}
		case IntegrationHTTPProxy:
			allowed = []string{"parameters", "uri", "schema", "schemas"}
		}
		if allowed != nil {
			// validate.js: other request settings are dropped for proxy integrations.
			for _, f := range req.Map {
				if !contains(allowed, f.Key) && contains(requestKeys().used, f.Key) {
					d.rep.warnf(f.KeyPos, "%s.request.%s is ignored with the %s integration (the Framework removes it)", path, f.Key, in.Type)
				}
			}
		}
		for _, k := range []string{"schema", "schemas"} {
			if s, ok := req.Get(k); ok {
				d.rep.infof(s.Pos, "%s.request.%s: request bodies are not validated by Gatehouse", path, k)
			}
		}
	}
	resp, hasResp := v.Get("response")
	if hasResp && (in.Type == IntegrationLambdaProxy || in.Type == IntegrationHTTPProxy) {
		d.rep.warnf(resp.Pos, "%s.response is ignored with the %s integration (the Framework removes it)", path, in.Type)
		hasResp = false
	}
	if in.Type == IntegrationLambda || in.Type == IntegrationHTTP {
		if !d.noTemplates(req, resp, hasResp, path) {
			return in, false
		}
		if hasResp {
			var ok bool
			if in.Responses, ok = d.statusCodes(resp, path+".response"); !ok {
				return in, false
			}
		}
	}
	if in.Type == IntegrationHTTP || in.Type == IntegrationHTTPProxy {
		u, ok := req.Get("uri")
		if !hasReq || !ok {
			// validate.js: "You need to set the request uri when using the HTTP integration."
			d.rep.errorf(v.Pos, ErrInvalid, "%s.request.uri is missing: the %s integration needs the backend URL", path, in.Type)
			return in, false
		}
		uri, ok := d.httpURI(u, path+".request.uri", pathParams(e.Path))
		if !ok {
			return in, false
		}
		in.URI = uri
		if e.Method != "ANY" {
			in.Method = e.Method
		}
		if m, ok := req.Get("method"); ok && in.Type == IntegrationHTTP {
			if in.Method, ok = d.method(m, path+".request.method"); ok && in.Method == "ANY" {
				in.Method = ""
			}
		}
	}
	return in, true
}

// httpURI checks a backend URL: absolute http or https, its {placeholders} naming path
// parameters of the endpoint.
func (d *decoder) httpURI(v Value, path string, params map[string]bool) (string, bool) {
	if v.Kind != KindString {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a URL, not %s", path, v.describe())
		return "", false
	}
	s := v.Str
	for _, m := range uriPlaceholderPattern.FindAllStringSubmatch(s, -1) {
		if !params[m[1]] {
			d.rep.errorf(v.Pos, ErrInvalid, "%s %q: {%s} is not a path parameter of the endpoint", path, s, m[1])
			return "", false
		}
	}
	u, err := url.Parse(uriPlaceholderPattern.ReplaceAllString(s, "x"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		d.rep.errorf(v.Pos, ErrInvalid, "%s %q must be an absolute http:// or https:// URL", path, s)
		return "", false
	}
	return s, true
}

// noTemplates refuses the mapping templates of a lambda or http integration: Gatehouse renders
// the Framework's default request and response templates and runs no Velocity, so a file that
// writes its own would hand the function and the client something else than AWS does.
func (d *decoder) noTemplates(req, resp Value, hasResp bool, path string) bool {
	ok := true
	if t, found := req.Get("template"); found {
		d.rep.errorf(t.Pos, ErrInvalid, "%s.request.template: custom mapping templates are not supported by Gatehouse (the Framework's default templates are); use lambda-proxy", path)
		ok = false
	}
	if !hasResp || resp.Kind == KindNull {
		return ok
	}
	if !d.wantMap(resp, path+".response") {
		return false
	}
	d.checkKeys(resp, path+".response", keySet{used: []string{"headers", "template", "statusCodes"}}, unknownWarns)
	for _, k := range []string{"template", "headers"} {
		if t, found := resp.Get(k); found {
			d.rep.errorf(t.Pos, ErrInvalid, "%s.response.%s is not supported by Gatehouse (mapping templates); use lambda-proxy", path, k)
			ok = false
		}
	}
	return ok
}

// statusCodes reads response.statusCodes, e.g. {200: {}, 400: {pattern: '.*\[400\].*'}}. The
// status without a pattern is the default response; when none is, the Framework adds 200.
func (d *decoder) statusCodes(resp Value, path string) ([]StatusResponse, bool) {
	codes, found := resp.Get("statusCodes")
	if !found {
		return nil, true
	}
	path += ".statusCodes"
	if codes.Kind != KindMap {
		d.rep.errorf(codes.Pos, ErrInvalid, "%s must be a map of HTTP statuses, not %s", path, codes.describe())
		return nil, false
	}
	var out []StatusResponse
	ok, hasDefault := true, false
	for _, c := range codes.Map {
		status, err := strconv.Atoi(c.Key)
		if err != nil || status < 100 || status > 599 {
			d.rep.errorf(c.KeyPos, ErrInvalid, "%s: %q is not an HTTP status", path, c.Key)
			ok = false
			continue
		}
		if c.Value.Kind != KindMap && c.Value.Kind != KindNull {
			d.rep.errorf(c.Value.Pos, ErrInvalid, "%s.%s must be a map ({pattern: …}), not %s", path, c.Key, c.Value.describe())
			ok = false
			continue
		}
		for _, f := range c.Value.Map {
			if f.Key != "pattern" {
				d.rep.errorf(f.KeyPos, ErrInvalid, "%s.%s.%s is not supported by Gatehouse (only pattern is)", path, c.Key, f.Key)
				ok = false
			}
		}
		sr := StatusResponse{Status: status, Pos: c.KeyPos}
		pattern, patternPos := "", c.KeyPos
		if pv, found := c.Value.Get("pattern"); found {
			if pattern, found = d.str(pv, path+"."+c.Key+".pattern"); !found {
				ok = false
				continue
			}
			patternPos = pv.Pos
		}
		if pattern == "" {
			out = append(out, sr)
			hasDefault = true
			continue
		}
		re, err := regexp.Compile(`^(?:` + pattern + `)$`)
		if err != nil {
			d.rep.errorf(patternPos, ErrInvalid, "%s.%s.pattern: %v", path, c.Key, err)
			ok = false
			continue
		}
		sr.Pattern = re
		out = append(out, sr)
	}
	if !ok {
		return nil, false
	}
	if !hasDefault {
		out = append(out, StatusResponse{Status: 200, Pos: codes.Pos})
	}
	return out, true
}
