package serverless

import (
	"fmt"
	"slices"
	"strings"
)

// validate checks what no single setting shows: endpoints that collide, paths API Gateway
// cannot build, and authorizers configured two ways.
func (d *decoder) validate() {
	d.duplicateEndpoints()
	d.siblingVariables()
	d.mergeCORS()
	d.sharedAuthorizers()
	d.privateEndpoints()
}

// duplicateEndpoints refuses two events with the same method and path: API Gateway has one
// method per resource and verb.
func (d *decoder) duplicateEndpoints() {
	seen := map[string]*Endpoint{}
	for _, e := range d.svc.Endpoints {
		key := e.Method + " " + e.ResourcePath()
		if first := seen[key]; first != nil {
			d.rep.errorf(e.Pos, ErrInvalid, "%s: %s is already defined by %s (line %d)", d.epPaths[e], key, d.epPaths[first], first.Pos.Line)
			continue
		}
		seen[key] = e
	}
}

// siblingVariables refuses two different variable segments under one parent ("tasks/{id}"
// and "tasks/{taskId}/notes"): API Gateway answers "A sibling ({id}) of this resource already
// has a variable path part -- only one is allowed".
func (d *decoder) siblingVariables() {
	type first struct {
		seg string
		e   *Endpoint
	}
	vars := map[string]first{}
	for _, e := range d.svc.Endpoints {
		if e.Path == "" {
			continue
		}
		segs := strings.Split(e.Path, "/")
		for i, seg := range segs {
			if !strings.HasPrefix(seg, "{") {
				continue
			}
			parent := strings.Join(segs[:i], "/")
			f, ok := vars[parent]
			if !ok {
				vars[parent] = first{seg, e}
				continue
			}
			if f.seg != seg {
				d.rep.errorf(e.Pos, ErrInvalid, "%s: path /%s puts %s where /%s (%s, line %d) has %s; API Gateway allows one variable segment per level", d.epPaths[e], e.Path, seg, f.e.Path, d.epPaths[f.e], f.e.Pos.Line, f.seg)
				break
			}
		}
	}
}

// mergeCORS builds each path's preflight answer as the Framework merges it (validate.js:
// corsPreflight) and refuses OPTIONS endpoints on those paths, which would collide with the
// generated preflight method.
func (d *decoder) mergeCORS() {
	firstCORS := map[string]*Endpoint{}
	for _, e := range d.svc.Endpoints {
		if e.CORS == nil {
			continue
		}
		m := d.svc.CORS[e.Path]
		if m == nil {
			c := *e.CORS
			c.Origins = slices.Clone(c.Origins)
			c.Headers = slices.Clone(c.Headers)
			c.Methods = slices.Clone(c.Methods)
			d.svc.CORS[e.Path] = &c
			firstCORS[e.Path] = e
			continue
		}
		for _, o := range e.CORS.Origins {
			m.Origins = addUnique(m.Origins, o)
		}
		for _, h := range e.CORS.Headers {
			m.Headers = addUnique(m.Headers, h)
		}
		for _, x := range e.CORS.Methods {
			m.Methods = addUnique(m.Methods, x)
		}
		m.AllowCredentials = m.AllowCredentials || e.CORS.AllowCredentials
		if e.CORS.MaxAge != 0 {
			m.MaxAge = e.CORS.MaxAge
		}
		if e.CORS.CacheControl != "" {
			m.CacheControl = e.CORS.CacheControl
		}
	}
	for _, e := range d.svc.Endpoints {
		if f := firstCORS[e.Path]; f != nil && e.Method == "OPTIONS" {
			d.rep.errorf(e.Pos, ErrInvalid, "%s: OPTIONS %s collides with the CORS preflight that cors on %s (line %d) generates for this path", d.epPaths[e], e.ResourcePath(), d.epPaths[f], f.Pos.Line)
		}
	}
}

// sharedAuthorizers refuses two events that configure the authorizer of one name differently:
// the Framework makes one AWS::ApiGateway::Authorizer per name, so only one configuration can
// be in force, and guessing which would be a security bug.
func (d *decoder) sharedAuthorizers() {
	first := map[string]*Endpoint{}
	for _, e := range d.svc.Endpoints {
		a := e.Authorizer
		if a.Name == "" || a.ResourceID != "" || a.Type == AuthNone || a.Type == AuthIAM || d.badAuth[e] {
			continue
		}
		f := first[a.Name]
		if f == nil {
			first[a.Name] = e
			continue
		}
		if diff := authorizerDiff(f.Authorizer, a); diff != "" {
			d.rep.errorf(a.Pos, ErrInvalid, "%s: authorizer %q is configured differently at %s (line %d): %s", d.epPaths[e], a.Name, d.epPaths[f], f.Pos.Line, diff)
		}
	}
}

// authorizerDiff names the first setting in which two authorizers of one name differ; scopes
// and claims belong to the method, not the authorizer.
func authorizerDiff(a, b Authorizer) string {
	switch {
	case a.Type != b.Type:
		return fmt.Sprintf("type %s here, %s there", b.Type, a.Type)
	case !slices.Equal(a.PoolARNs, b.PoolARNs) || !slices.Equal(a.PoolRefs, b.PoolRefs):
		return "different user pools"
	case a.FunctionName != b.FunctionName:
		return fmt.Sprintf("function %s here, %s there", b.FunctionName, a.FunctionName)
	case !slices.Equal(a.IdentitySource, b.IdentitySource):
		return fmt.Sprintf("identitySource %q here, %q there", strings.Join(b.IdentitySource, ", "), strings.Join(a.IdentitySource, ", "))
	case a.ResultTTL != b.ResultTTL:
		return fmt.Sprintf("resultTtlInSeconds %d here, %d there", int(b.ResultTTL.Seconds()), int(a.ResultTTL.Seconds()))
	case a.ValidationPattern != b.ValidationPattern:
		return fmt.Sprintf("identityValidationExpression %q here, %q there", b.ValidationPattern, a.ValidationPattern)
	}
	return ""
}

// privateEndpoints warns about private endpoints no key can open.
func (d *decoder) privateEndpoints() {
	if len(d.svc.Provider.APIGateway.APIKeys) > 0 {
		return
	}
	for _, e := range d.svc.Endpoints {
		if e.Private {
			d.rep.warnf(e.Pos, "%s: private, but provider.apiGateway.apiKeys lists no key: every request will be refused (403)", d.epPaths[e])
		}
	}
}
