package apiruntime

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/serverless"
)

// httpAPI compiles the service's HTTP API (API Gateway v2) into the table httpapi serves; nil
// when the file has no httpApi event. Like the REST API it is built whole or not at all, and a
// route whose authorizer cannot be built refuses the file.
func (b *builder) httpAPI() (*httpapi.Table, error) {
	svc := b.svc
	h := svc.HTTPAPI
	if h == nil || len(h.Routes) == 0 {
		return nil, nil
	}
	api := &httpapi.API{
		ID:        httpAPIID(svc.Name, svc.Stage, svc.Region, b.deps.AccountID),
		Name:      h.Name,
		Region:    svc.Region,
		AccountID: b.deps.AccountID,
	}
	if c := h.CORS; c != nil {
		api.CORS = &httpapi.CORS{
			AllowOrigins: slices.Clone(c.AllowOrigins), AllowHeaders: slices.Clone(c.AllowHeaders),
			AllowMethods: slices.Clone(c.AllowMethods), ExposeHeaders: slices.Clone(c.ExposeHeaders),
			AllowCredentials: c.AllowCredentials, MaxAge: c.MaxAge,
		}
	}
	built := map[*serverless.HTTPAuthorizer]httpapi.Authorizer{}
	for _, r := range h.Routes {
		where := fmt.Sprintf("%s:%d: httpApi route %s", svc.File, r.Pos.Line, r.RouteKey)
		f := svc.Function(r.FunctionName)
		if f == nil || f.Handler == "" {
			return nil, fmt.Errorf("%s: function %s has no handler", where, r.FunctionName)
		}
		route := httpapi.Route{Key: r.RouteKey, Scopes: r.Scopes, Function: f.FunctionName, Payload: r.Payload, Invoker: b.deps.Invoker}
		if r.Authorizer != nil {
			a, ok := built[r.Authorizer]
			if !ok {
				var err error
				if a, err = b.httpAuthorizer(r.Authorizer); err != nil {
					return nil, fmt.Errorf("%s:%d: httpApi authorizer %s: %w", svc.File, r.Authorizer.Pos.Line, r.Authorizer.Name, err)
				}
				built[r.Authorizer] = a
			}
			route.Authorizer = a
		}
		api.Routes = append(api.Routes, route)
	}
	t, err := httpapi.NewTable(api)
	if err != nil {
		return nil, fmt.Errorf("%s: httpApi: %w", svc.File, err)
	}
	b.snap.HTTPAPIID = api.ID
	return t, nil
}

// httpAuthorizer builds one HTTP API authorizer.
func (b *builder) httpAuthorizer(a *serverless.HTTPAuthorizer) (httpapi.Authorizer, error) {
	switch a.Type {
	case serverless.HTTPAuthJWT:
		j, err := authorizer.NewJWT(authorizer.JWTConfig{
			Issuer: a.IssuerURL, Audience: a.Audience, IdentitySource: firstOf(a.IdentitySource),
			Local: b.deps.Verifier, LocalPool: b.deps.LocalPool, Remote: b.deps.JWKS, Now: b.deps.Now,
		})
		if err != nil {
			return nil, err
		}
		if id := j.PoolID(); id != "" && b.deps.Pools != nil {
			if _, err := b.deps.Pools.GetUserPool(b.ctx, id); err != nil {
				b.snap.Warnings = append(b.snap.Warnings, fmt.Sprintf("%s:%d: httpApi authorizer %s: issuer %s names user pool %s, which this Gatehouse does not have (yet): its tokens are refused until it exists",
					b.svc.File, a.Pos.Line, a.Name, a.IssuerURL, id))
			}
		}
		return j, nil
	case serverless.HTTPAuthRequest:
		f := b.svc.Function(a.FunctionName)
		if f == nil || f.Handler == "" {
			return nil, fmt.Errorf("function %s has no handler", a.FunctionName)
		}
		return authorizer.NewHTTPLambda(authorizer.HTTPLambdaConfig{
			Name: a.Name, Function: f.FunctionName, PayloadVersion: a.PayloadVersion, Simple: a.EnableSimpleResponses,
			IdentitySource: a.IdentitySource, ResultTTL: a.ResultTTL, Invoker: b.deps.Invoker, Now: b.deps.Now,
		})
	case serverless.HTTPAuthIAM:
		if b.deps.Principals == nil {
			return nil, fmt.Errorf("aws_iam needs IAM's credentials, which this Gatehouse was started without")
		}
		return authorizer.NewHTTPIAM(authorizer.IAMConfig{Region: b.svc.Region, Principals: b.deps.Principals, Now: b.deps.Now})
	}
	return nil, fmt.Errorf("authorizer type %q is not supported", a.Type)
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// httpAPIID is the HTTP API's id, derived like the REST API's but distinct from it.
func httpAPIID(service, stage, region, account string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte("gatehouse/http-api\x00" + service + "\x00" + stage + "\x00" + region + "\x00" + account))
	b := make([]byte, 10)
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(b)
}

// ServeHTTP is the handler of the API listener (--api-addr) when a service has REST and HTTP
// APIs: a request whose path starts with the REST API's stage (/{stage} or /{stage}/…) goes to
// the REST API when the service has http events; everything else goes to the HTTP API (its
// $default stage has no prefix) when it has routes, else to the REST API, which answers as it
// always did. On AWS the two are distinct hosts; one listener needs one rule, and this is it.
func (r *Runtime) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	s := r.snap.Load()
	if s == nil || s.HTTPTable == nil {
		r.cfg.Gateway.ServeHTTP(w, req)
		return
	}
	if len(s.Service.Endpoints) > 0 {
		p := req.URL.Path
		stage := "/" + s.Service.Stage
		if p == stage || strings.HasPrefix(p, stage+"/") {
			r.cfg.Gateway.ServeHTTP(w, req)
			return
		}
	}
	r.http.ServeHTTP(w, req)
}

// HTTPAPIURL is the HTTP API's base URL on the API listener at base: the $default stage has
// no path prefix.
func HTTPAPIURL(base string) string { return strings.TrimRight(base, "/") }
