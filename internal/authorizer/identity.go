package authorizer

import (
	"fmt"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// An identity source of a Lambda authorizer: where API Gateway reads the value that must be
// present before the function is invoked, and that keys the result cache (API Gateway API
// reference, Authorizer: identitySource; developer guide: "Input to an API Gateway Lambda
// authorizer"). TOKEN authorizers read one header; REQUEST authorizers read any number of
// headers, query string parameters, stage variables and context variables:
//
//	method.request.header.Auth, method.request.querystring.Name, stageVariables.Var,
//	context.identity.sourceIp
type identitySource struct {
	kind sourceKind
	name string // canonical header name, query parameter, stage variable or context variable
	expr string // as written, for messages
}

type sourceKind uint8

const (
	sourceHeader sourceKind = iota + 1
	sourceQuery
	sourceStageVariable
	sourceContext
)

// contextVariables are the $context variables an identity source may name, and how each is
// read from the request (developer guide: "$context variables for data models, authorizers,
// mapping templates, and access logging"). Variables only an authorizer produces
// ($context.authorizer.*) or that Gatehouse does not model are refused when the authorizer is
// built, rather than read as always empty (which would refuse every request).
func contextVariable(name string) (func(*gateway.Request) string, bool) {
	switch name {
	case "accountId":
		return func(r *gateway.Request) string { return r.API.AccountID }, true
	case "apiId":
		return func(r *gateway.Request) string { return r.API.ID }, true
	case "domainName":
		return func(r *gateway.Request) string { return r.Host }, true
	case "domainPrefix":
		return func(r *gateway.Request) string { p, _, _ := strings.Cut(r.Host, "."); return p }, true
	case "extendedRequestId":
		return func(r *gateway.Request) string { return r.ExtendedRequestID }, true
	case "httpMethod":
		return func(r *gateway.Request) string { return r.Method }, true
	case "identity.sourceIp":
		return func(r *gateway.Request) string { return r.SourceIP }, true
	case "identity.userAgent":
		return func(r *gateway.Request) string { return r.UserAgent }, true
	case "path":
		return func(r *gateway.Request) string { return r.StagePath }, true
	case "protocol":
		return func(r *gateway.Request) string { return r.Protocol }, true
	case "requestId":
		return func(r *gateway.Request) string { return r.RequestID }, true
	case "requestTimeEpoch":
		return func(r *gateway.Request) string { return strconv.FormatInt(r.RequestTime.UnixMilli(), 10) }, true
	case "resourceId":
		return func(r *gateway.Request) string { return r.ResourceID }, true
	case "resourcePath":
		return func(r *gateway.Request) string { return r.ResourcePath }, true
	case "stage":
		return func(r *gateway.Request) string { return r.API.Stage }, true
	}
	return nil, false
}

// parseIdentitySource parses one identity source expression.
func parseIdentitySource(expr string) (identitySource, error) {
	s := strings.TrimSpace(expr)
	bad := func(why string) (identitySource, error) {
		return identitySource{}, fmt.Errorf("authorizer: identity source %q: %s", expr, why)
	}
	if name, ok := strings.CutPrefix(s, "method.request.header."); ok {
		if name == "" {
			return bad("no header name")
		}
		for _, c := range []byte(name) {
			if !isTokenChar(c) {
				return bad(fmt.Sprintf("%q is not a header name", name))
			}
		}
		return identitySource{kind: sourceHeader, name: textproto.CanonicalMIMEHeaderKey(name), expr: s}, nil
	}
	if name, ok := strings.CutPrefix(s, "method.request.querystring."); ok {
		if name == "" || strings.ContainsAny(name, " \t,") {
			return bad("not a query string parameter name")
		}
		return identitySource{kind: sourceQuery, name: name, expr: s}, nil
	}
	if name, ok := strings.CutPrefix(s, "stageVariables."); ok {
		if name == "" || strings.ContainsAny(name, " \t,") {
			return bad("not a stage variable name")
		}
		return identitySource{kind: sourceStageVariable, name: name, expr: s}, nil
	}
	if name, ok := strings.CutPrefix(s, "context."); ok {
		if _, ok := contextVariable(name); !ok {
			return bad("Gatehouse does not know the context variable $context." + name)
		}
		return identitySource{kind: sourceContext, name: name, expr: s}, nil
	}
	return bad("want method.request.header.NAME, method.request.querystring.NAME, stageVariables.NAME or context.NAME")
}

// parseIdentitySources parses a list of identity sources; each element may itself be a
// comma-separated list, as API Gateway writes identitySource.
func parseIdentitySources(list []string) ([]identitySource, error) {
	var out []identitySource
	for _, item := range list {
		for _, part := range strings.Split(item, ",") {
			if strings.TrimSpace(part) == "" {
				continue
			}
			s, err := parseIdentitySource(part)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// value returns the source's value in r; "" when it is absent. A repeated header or query
// string parameter counts with its last value, as the event's single-value maps carry it.
func (s identitySource) value(r *gateway.Request) string {
	switch s.kind {
	case sourceHeader:
		if v := r.Headers[s.name]; len(v) > 0 {
			return v[len(v)-1]
		}
	case sourceQuery:
		if v := r.Query[s.name]; len(v) > 0 {
			return v[len(v)-1]
		}
	case sourceStageVariable:
		if r.API != nil {
			return r.API.StageVariables[s.name]
		}
	case sourceContext:
		if f, ok := contextVariable(s.name); ok && r.API != nil {
			return f(r)
		}
	}
	return ""
}
