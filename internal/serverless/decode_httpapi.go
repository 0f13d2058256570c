package serverless

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// HTTP API methods and the 'METHOD /path' form, as the Framework's schema writes them
// (lib/plugins/aws/package/compile/events/http-api.js: allowedMethods, methodPathPattern).
var (
	httpAPIMethodPath = regexp.MustCompile(`(?i)^(?:\*|(ANY|GET|POST|PUT|PATCH|OPTIONS|HEAD|DELETE) (/\S*))$`)
	// Identity sources of HTTP APIs (developer guide, "Working with AWS Lambda authorizers
	// for HTTP APIs", identity sources): a header, a query string parameter, a context
	// variable or a stage variable.
	httpIdentitySourcePattern = regexp.MustCompile(`^\$(request\.header|request\.querystring|context|stageVariables)\.[A-Za-z0-9._:-]+$`)
)

// DefaultHTTPAPIPayload is the payload format version of HTTP API integrations unless the file
// says otherwise (the Framework writes '2.0' when provider.httpApi.payload is unset).
const DefaultHTTPAPIPayload = "2.0"

func providerHTTPAPIKeys() keySet {
	return keySet{
		used:   []string{"name", "payload", "cors", "authorizers", "disableDefaultEndpoint"},
		silent: []string{"shouldStartNameWithService"},
		info: map[string]string{
			"metrics":         deployOnly,
			"useProviderTags": deployOnly,
		},
		warn: map[string]string{
			"id": "an existing HTTP API cannot be shared here; Gatehouse serves this service's httpApi events as their own API",
		},
	}
}

// httpAPI reads provider.httpApi; the routes are read later with the functions' events.
func (d *decoder) httpAPIProvider(v Value) {
	h := &HTTPAPI{Payload: DefaultHTTPAPIPayload, Pos: v.Pos}
	d.httpAPI = h
	if !d.wantMap(v, "provider.httpApi") {
		return
	}
	const path = "provider.httpApi"
	d.checkKeys(v, path, providerHTTPAPIKeys(), unknownWarns)
	if n, ok := v.Get("name"); ok {
		h.Name, _ = d.nonEmpty(n, path+".name")
	}
	if p, ok := v.Get("payload"); ok {
		h.Payload, _ = d.payloadVersion(p, path+".payload")
	}
	if b, ok := v.Get("disableDefaultEndpoint"); ok {
		h.DisableDefaultEndpoint, _ = d.boolean(b, path+".disableDefaultEndpoint")
		if h.DisableDefaultEndpoint {
			d.rep.infof(b.Pos, "%s.disableDefaultEndpoint: Gatehouse has no custom domains; the API is served on --api-addr regardless", path)
		}
	}
	if c, ok := v.Get("cors"); ok {
		h.CORS = d.httpCORS(c, path+".cors")
	}
	if a, ok := v.Get("authorizers"); ok && d.wantMap(a, path+".authorizers") {
		for _, f := range a.Map {
			if az := d.httpAuthorizer(f, join(path+".authorizers", f.Key)); az != nil {
				h.Authorizers = append(h.Authorizers, az)
			}
		}
	}
}

// payloadVersion reads '1.0' or '2.0' (a number 2.0 in YAML reads as 2, hence the strings).
func (d *decoder) payloadVersion(v Value, path string) (string, bool) {
	switch v.Str {
	case "1.0", "2.0":
		return v.Str, true
	case "1", "2":
		return v.Str + ".0", true
	}
	d.rep.errorf(v.Pos, ErrInvalid, "%s is %s; want '1.0' or '2.0'", path, v.describe())
	return DefaultHTTPAPIPayload, false
}

// httpCORS reads cors: true or the object form, with the Framework's defaults (http-api.js,
// resolveConfiguration: every origin, the default headers, and, unless allowedMethods is
// given, OPTIONS plus the methods of the routes, filled in by httpRoutes).
func (d *decoder) httpCORS(v Value, path string) *HTTPCORS {
	c := &HTTPCORS{AllowOrigins: []string{"*"}, AllowHeaders: corsDefaultHeaders(), MaxAge: -1}
	switch v.Kind {
	case KindBool, KindString:
		on, ok := d.boolean(v, path)
		if !ok || !on {
			return nil
		}
		c.AllowMethods = []string{"OPTIONS"}
		d.fillCORSMethods = true
		return c
	case KindNull:
		return nil
	case KindMap:
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be true or a map, not %s", path, v.describe())
		return nil
	}
	d.checkKeys(v, path, keySet{used: []string{"allowedOrigins", "allowedHeaders", "allowedMethods", "allowCredentials", "exposedResponseHeaders", "maxAge"}}, unknownWarns)
	if o, ok := v.Get("allowedOrigins"); ok {
		c.AllowOrigins, _ = d.strList(o, path+".allowedOrigins", true)
	}
	if h, ok := v.Get("allowedHeaders"); ok {
		c.AllowHeaders, _ = d.strList(h, path+".allowedHeaders", true)
	}
	if m, ok := v.Get("allowedMethods"); ok {
		ms, _ := d.strList(m, path+".allowedMethods", true)
		for i := range ms {
			ms[i] = strings.ToUpper(ms[i])
		}
		c.AllowMethods = ms
	} else {
		c.AllowMethods = []string{"OPTIONS"}
		d.fillCORSMethods = true
	}
	if e, ok := v.Get("exposedResponseHeaders"); ok {
		c.ExposeHeaders, _ = d.strList(e, path+".exposedResponseHeaders", true)
	}
	if b, ok := v.Get("allowCredentials"); ok {
		c.AllowCredentials, _ = d.boolean(b, path+".allowCredentials")
	}
	if m, ok := v.Get("maxAge"); ok {
		// AWS::ApiGatewayV2::Api Cors MaxAge: "between -1 and 86400".
		c.MaxAge, _ = d.intRange(m, path+".maxAge", -1, 86400, " seconds")
	}
	if c.AllowCredentials && slices.Contains(c.AllowOrigins, "*") {
		// API Gateway refuses the combination: "allow-credentials … cannot be used with a
		// wildcard origin" (developer guide, "Configuring CORS for an HTTP API").
		d.rep.errorf(v.Pos, ErrInvalid, "%s: allowCredentials cannot be true with the origin *; list the allowed origins", path)
	}
	return c
}

func httpAuthorizerKeys() keySet {
	return keySet{
		used: []string{"name", "type", "identitySource", "issuerUrl", "audience", "functionName", "functionArn",
			"resultTtlInSeconds", "enableSimpleResponses", "payloadVersion"},
		silent: []string{"managedExternally"},
	}
}

// httpAuthorizer reads one entry of provider.httpApi.authorizers. Unknown keys are errors: an
// ignored authorizer setting could open a route.
func (d *decoder) httpAuthorizer(f Field, path string) *HTTPAuthorizer {
	v := f.Value
	if !d.wantMap(v, path) {
		if v.Kind == KindNull {
			d.rep.errorf(v.Pos, ErrInvalid, "%s is empty; give its type (jwt or request) and settings", path)
		}
		return nil
	}
	d.checkKeys(v, path, httpAuthorizerKeys(), unknownFails)
	a := &HTTPAuthorizer{Name: f.Key, Type: HTTPAuthJWT, Pos: f.KeyPos}
	if n, ok := v.Get("name"); ok {
		a.Name, _ = d.nonEmpty(n, path+".name")
	}
	if t, ok := v.Get("type"); ok {
		s, _ := d.str(t, path+".type")
		switch HTTPAuthorizerType(strings.ToLower(s)) {
		case HTTPAuthJWT:
		case HTTPAuthRequest:
			a.Type = HTTPAuthRequest
		default:
			d.rep.errorf(t.Pos, ErrInvalid, "%s.type is %q; want jwt or request", path, s)
			return nil
		}
	}
	var sourcesGiven bool
	if s, ok := v.Get("identitySource"); ok {
		sourcesGiven = true
		list, _ := d.strList(s, path+".identitySource", true)
		for i, src := range list {
			if !httpIdentitySourcePattern.MatchString(src) {
				pos := s.Pos
				if s.Kind == KindList {
					pos = s.List[i].Pos
				}
				d.rep.errorf(pos, ErrInvalid, "%s.identitySource %q: want $request.header.NAME, $request.querystring.NAME, $context.NAME or $stageVariables.NAME", path, src)
			}
		}
		a.IdentitySource = list
	}
	only := func(t HTTPAuthorizerType, keys ...string) {
		for _, k := range keys {
			if kv, ok := v.Get(k); ok && a.Type != t {
				d.rep.errorf(kv.Pos, ErrInvalid, "%s.%s applies only to %s authorizers; this one is %s", path, k, t, a.Type)
			}
		}
	}
	only(HTTPAuthJWT, "issuerUrl", "audience")
	only(HTTPAuthRequest, "functionName", "functionArn", "resultTtlInSeconds", "enableSimpleResponses", "payloadVersion")
	switch a.Type {
	case HTTPAuthJWT:
		if len(a.IdentitySource) == 0 {
			a.IdentitySource = []string{"$request.header.Authorization"}
		}
		if len(a.IdentitySource) != 1 || !strings.HasPrefix(a.IdentitySource[0], "$request.header.") &&
			!strings.HasPrefix(a.IdentitySource[0], "$request.querystring.") {
			// CreateAuthorizer: "For JWT, a single entry that specifies where to extract the
			// JSON Web Token (JWT) from inbound requests."
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s.identitySource: a jwt authorizer reads one header or query string parameter", path)
		}
		if u, ok := v.Get("issuerUrl"); ok {
			a.IssuerURL, _ = d.nonEmpty(u, path+".issuerUrl")
			if a.IssuerURL != "" && !strings.HasPrefix(a.IssuerURL, "https://") && !strings.HasPrefix(a.IssuerURL, "http://") {
				d.rep.errorf(u.Pos, ErrInvalid, "%s.issuerUrl %q is not an http(s) URL", path, a.IssuerURL)
			}
		} else {
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s: a jwt authorizer needs issuerUrl", path)
		}
		if au, ok := v.Get("audience"); ok {
			a.Audience, _ = d.strList(au, path+".audience", true)
		}
		if len(a.Audience) == 0 {
			// API Gateway: "audience … required" for JWT authorizers of HTTP APIs.
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s: a jwt authorizer needs audience (the app client ids or aud values it accepts)", path)
		}
	case HTTPAuthRequest:
		a.PayloadVersion = DefaultHTTPAPIPayload
		if fa, ok := v.Get("functionArn"); ok {
			d.rep.errorf(fa.Pos, ErrInvalid, "%s.functionArn: Gatehouse runs only this file's functions; name one with functionName", path)
		}
		if fn, ok := v.Get("functionName"); ok {
			if name, ok := d.nonEmpty(fn, path+".functionName"); ok {
				if d.funcs[name] == nil || d.funcs[name].Handler == "" {
					d.rep.errorf(fn.Pos, ErrInvalid, "%s.functionName: function %q for HTTP API authorizer %q not found in service", path, name, a.Name)
				}
				a.FunctionName = name
			}
		} else if _, arn := v.Get("functionArn"); !arn {
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s: a request authorizer needs functionName", path)
		}
		if p, ok := v.Get("payloadVersion"); ok {
			a.PayloadVersion, _ = d.payloadVersion(p, path+".payloadVersion")
		}
		if s, ok := v.Get("enableSimpleResponses"); ok {
			a.EnableSimpleResponses, _ = d.boolean(s, path+".enableSimpleResponses")
			if a.EnableSimpleResponses && a.PayloadVersion != "2.0" {
				// CreateAuthorizer: "Supported only for HTTP APIs … payload format 2.0".
				d.rep.errorf(s.Pos, ErrInvalid, "%s.enableSimpleResponses needs payloadVersion '2.0'", path)
			}
		}
		if t, ok := v.Get("resultTtlInSeconds"); ok {
			if n, ok := d.intRange(t, path+".resultTtlInSeconds", 0, 3600, " seconds"); ok {
				a.ResultTTL = time.Duration(n) * time.Second
			}
			if a.ResultTTL > 0 && !sourcesGiven {
				d.rep.errorf(t.Pos, ErrInvalid, "%s: identitySource has to be set when resultTtlInSeconds is not zero", path)
			}
		}
	}
	return a
}

func httpRouteKeys() keySet {
	return keySet{used: []string{"method", "path", "authorizer"}}
}

// httpRoute reads one httpApi event: 'METHOD /path', '*', or {method, path, authorizer}.
func (d *decoder) httpRoute(fn *Function, v Value, path string) *HTTPRoute {
	if d.httpAPI == nil {
		d.httpAPI = &HTTPAPI{Payload: DefaultHTTPAPIPayload}
	}
	r := &HTTPRoute{FunctionName: fn.Name, Payload: d.httpAPI.Payload, Pos: v.Pos}
	if fn.HTTPAPIPayload != "" {
		r.Payload = fn.HTTPAPIPayload
	}
	var method, p string
	var pathV Value
	switch v.Kind {
	case KindString:
		m := httpAPIMethodPath.FindStringSubmatch(v.Str)
		if m == nil {
			d.rep.errorf(v.Pos, ErrInvalid, "%s is %q; want 'METHOD /path' (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY or *) or '*'", path, v.Str)
			return nil
		}
		method, p = m[1], m[2]
		if v.Str == "*" {
			p = "*"
		}
		pathV = Value{Kind: KindString, Str: p, Pos: v.Pos}
	case KindMap:
		d.checkKeys(v, path, httpRouteKeys(), unknownFails)
		pv, ok := v.Get("path")
		if !ok {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: path is missing", path)
			return nil
		}
		if p, ok = d.str(pv, path+".path"); !ok {
			return nil
		}
		pathV = pv
		if mv, ok := v.Get("method"); ok {
			if method, ok = d.str(mv, path+".method"); !ok {
				return nil
			}
		}
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be 'METHOD /path' or {method, path}, not %s", path, v.describe())
		return nil
	}
	method = strings.ToUpper(method)
	if p == "*" {
		if method != "" && method != "*" {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: path '*' (the $default route) takes every method; drop method %s", path, method)
			return nil
		}
		r.RouteKey = "$default"
	} else {
		switch {
		case method == "":
			d.rep.errorf(v.Pos, ErrInvalid, "%s: method is missing", path)
			return nil
		case method == "*":
			method = "ANY"
		case !validMethod(method):
			d.rep.errorf(v.Pos, ErrInvalid, "%s: method %q; want GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY or *", path, method)
			return nil
		}
		if !strings.HasPrefix(p, "/") {
			d.rep.errorf(pathV.Pos, ErrInvalid, "%s: path %q must start with /", path, p)
			return nil
		}
		norm, ok := d.httpPath(pathV, path+".path")
		if !ok {
			return nil
		}
		r.Method, r.Path = method, "/"+norm
		r.RouteKey = method + " " + r.Path
	}
	for _, other := range d.httpAPI.Routes {
		if other.RouteKey == r.RouteKey {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: duplicate route '%s' (first at line %d)", path, r.RouteKey, other.Pos.Line)
			return nil
		}
	}
	if v.Kind == KindMap {
		if av, ok := v.Get("authorizer"); ok {
			if !d.httpRouteAuthorizer(r, av, path+".authorizer") {
				return nil
			}
		}
	}
	if fn.Timeout > 30*time.Second {
		// The Framework warns likewise: an HTTP API integration times out after 30 s.
		d.rep.warnf(v.Pos, "%s: function %s's timeout (%s) is longer than an HTTP API's 30 s integration timeout; the client gets 503 first", path, fn.Name, fn.Timeout)
	}
	if d.fillCORSMethods && d.httpAPI.CORS != nil {
		c := d.httpAPI.CORS
		add := []string{r.Method}
		if r.Method == "ANY" || r.Method == "" {
			add = []string{"GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE"}
		}
		for _, m := range add {
			if !slices.Contains(c.AllowMethods, m) {
				c.AllowMethods = append(c.AllowMethods, m)
			}
		}
	}
	return r
}

// httpRouteAuthorizer reads a route's authorizer: a name, or {name, scopes} or {type: aws_iam}.
func (d *decoder) httpRouteAuthorizer(r *HTTPRoute, v Value, path string) bool {
	var name, typ string
	var scopesV Value
	var hasScopes bool
	switch v.Kind {
	case KindString:
		name = v.Str
	case KindMap:
		d.checkKeys(v, path, keySet{used: []string{"name", "scopes", "type", "id"}}, unknownFails)
		if id, ok := v.Get("id"); ok {
			d.rep.errorf(id.Pos, ErrInvalid, "%s.id: an authorizer of an existing HTTP API cannot be used here; define it under provider.httpApi.authorizers and name it", path)
			return false
		}
		if n, ok := v.Get("name"); ok {
			name, _ = d.str(n, path+".name")
		}
		if t, ok := v.Get("type"); ok {
			typ, _ = d.str(t, path+".type")
			typ = strings.ToLower(typ)
		}
		scopesV, hasScopes = v.Get("scopes")
	default:
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be an authorizer name or {name, scopes}, not %s", path, v.describe())
		return false
	}
	if typ == string(HTTPAuthIAM) {
		if name != "" || hasScopes {
			d.rep.errorf(v.Pos, ErrInvalid, "%s: with type aws_iam, name and scopes are not supported", path)
			return false
		}
		r.Authorizer = &HTTPAuthorizer{Name: "aws_iam", Type: HTTPAuthIAM, Pos: v.Pos}
		return true
	}
	if typ != "" && typ != string(HTTPAuthJWT) && typ != string(HTTPAuthRequest) {
		d.rep.errorf(v.Pos, ErrInvalid, "%s.type is %q; want jwt, request or aws_iam", path, typ)
		return false
	}
	if name == "" {
		d.rep.errorf(v.Pos, ErrInvalid, "%s: name the authorizer (one of provider.httpApi.authorizers)", path)
		return false
	}
	a := d.httpAPI.Authorizer(name)
	if a == nil {
		d.rep.errorf(v.Pos, ErrInvalid, "%s: the route references authorizer %q, which provider.httpApi.authorizers does not define", path, name)
		return false
	}
	if typ != "" && HTTPAuthorizerType(typ) != a.Type {
		d.rep.errorf(v.Pos, ErrInvalid, "%s.type is %s but authorizer %q is %s", path, typ, name, a.Type)
		return false
	}
	r.Authorizer = a
	if hasScopes {
		scopes, ok := d.strList(scopesV, path+".scopes", true)
		if !ok {
			return false
		}
		if a.Type != HTTPAuthJWT && len(scopes) > 0 {
			// CreateRoute: "AuthorizationScopes … supported only for JWT authorizers" would
			// leave them without effect, which for a security setting is an error here.
			d.rep.errorf(scopesV.Pos, ErrInvalid, "%s.scopes apply only to jwt authorizers; %q is %s", path, name, a.Type)
			return false
		}
		r.Scopes = scopes
	}
	return true
}

// functionHTTPAPI reads a function's httpApi block: payload overrides provider.httpApi.payload
// for the function's integration (http-api.js, compileIntegration).
func (d *decoder) functionHTTPAPI(fn *Function, v Value, path string) {
	if !d.wantMap(v, path) {
		return
	}
	d.checkKeys(v, path, keySet{used: []string{"payload"}}, unknownWarns)
	if p, ok := v.Get("payload"); ok {
		fn.HTTPAPIPayload, _ = d.payloadVersion(p, path+".payload")
	}
}

// finishHTTPAPI fills the API's name and drops it when no route uses it.
func (d *decoder) finishHTTPAPI() {
	h := d.httpAPI
	if h == nil {
		return
	}
	if len(h.Routes) == 0 {
		if h.Pos.Line > 0 {
			d.rep.infof(h.Pos, "provider.httpApi: no function has an httpApi event, so no HTTP API is served")
		}
		return
	}
	if h.Name == "" {
		h.Name = d.svc.Stage + "-" + d.svc.Name
	}
	d.svc.HTTPAPI = h
}
