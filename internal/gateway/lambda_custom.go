package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// LambdaCustom is the Lambda (non-proxy, type AWS) integration as the Serverless Framework
// deploys `integration: lambda` when the event gives no templates of its own: the request is
// mapped by the Framework's default request templates into a
// {body, method, principalId, stage, cognitoPoolClaims, enhancedAuthContext, headers, query,
// path, identity, stageVariables, requestPath} document, the function's result is the response
// body (200, application/json), and a function error is mapped to a status by matching its
// errorMessage against the integration responses' selection patterns (Serverless Framework
// guide, "API Gateway — Lambda Integration"; API Gateway developer guide, "Handle Lambda
// errors in API Gateway": "the selection pattern is matched against the errorMessage").
type LambdaCustom struct {
	Function string
	Invoker  Invoker
	// Responses are the integration responses in the order they are tried; nil means
	// DefaultLambdaResponses. A pattern "" is the default response.
	Responses []StatusPattern
}

// StatusPattern is one integration response: the status it answers and the selection pattern
// (a Java regular expression matched against the whole errorMessage) that selects it.
type StatusPattern struct {
	Status  int
	Pattern *regexp.Regexp // nil: the default response
}

// DefaultLambdaResponses are the statusCodes the Serverless Framework gives a lambda
// integration whose response block names none: 200 is the default; an error whose message
// contains "[400]" answers 400, and so on; "Process exited before completing request" is
// 500; a timeout ("Task timed out …") is 504 (lib/plugins/aws/package/compile/events/
// api-gateway/lib/method/integration.js, DEFAULT_STATUS_CODES).
func DefaultLambdaResponses() []StatusPattern {
	p := func(status int, expr string) StatusPattern {
		// Java's String.matches: the whole message must match.
		return StatusPattern{Status: status, Pattern: regexp.MustCompile(`^(?:` + expr + `)$`)}
	}
	return []StatusPattern{
		p(400, `[\s\S]*\[400\][\s\S]*`),
		p(401, `[\s\S]*\[401\][\s\S]*`),
		p(403, `[\s\S]*\[403\][\s\S]*`),
		p(404, `[\s\S]*\[404\][\s\S]*`),
		p(422, `[\s\S]*\[422\][\s\S]*`),
		p(500, `[\s\S]*(Process\s?exited\s?before\s?completing\s?request|\[500\])[\s\S]*`),
		p(502, `[\s\S]*\[502\][\s\S]*`),
		p(504, `([\s\S]*\[504\][\s\S]*)|(^[Task timed out].*)`),
		{Status: http.StatusOK},
	}
}

// Invoke maps the request, runs the function and selects the response.
func (l *LambdaCustom) Invoke(ctx context.Context, r *Request, p *Principal) (*IntegrationResponse, error) {
	payload, err := customEvent(r, p)
	if err != nil {
		return nil, fmt.Errorf("build event: %w", err)
	}
	if len(payload) > MaxLambdaPayload {
		return nil, NewResponse(RequestTooLarge).WithReason("event of %d bytes exceeds Lambda's %d", len(payload), MaxLambdaPayload)
	}
	out, err := l.Invoker.Invoke(ctx, l.Function, payload)
	var fe *FunctionError
	switch {
	case errors.As(err, &fe) && fe != nil:
		var doc struct {
			ErrorMessage string `json:"errorMessage"`
		}
		_ = json.Unmarshal(fe.Payload, &doc)
		return jsonResponse(selectStatus(l.Responses, doc.ErrorMessage), fe.Payload), nil
	case err != nil:
		return nil, fmt.Errorf("invoke function %s: %w", l.Function, err)
	}
	return jsonResponse(selectStatus(l.Responses, ""), out), nil
}

// selectStatus returns, for a function error's message (or an HTTP backend's status code),
// the status of the first integration response whose pattern matches it, else the default
// response's; for a Lambda result (msg ""), the default response's, as API Gateway matches
// selection patterns only against errors. responses nil is DefaultLambdaResponses.
func selectStatus(responses []StatusPattern, msg string) int {
	if responses == nil {
		responses = DefaultLambdaResponses()
	}
	def := http.StatusOK
	for _, sp := range responses {
		if sp.Pattern == nil {
			def = sp.Status
			continue
		}
		if msg != "" && sp.Pattern.MatchString(msg) {
			return sp.Status
		}
	}
	return def
}

func jsonResponse(status int, body []byte) *IntegrationResponse {
	h := make(http.Header)
	h.Set("Content-Type", "application/json")
	return &IntegrationResponse{StatusCode: status, Header: h, Body: body}
}

// customEvent renders what the Framework's default request templates produce. Which template
// applies follows the Content-Type as API Gateway selects it: application/x-www-form-urlencoded
// gets the form template (the body parsed into an object of strings); anything else the JSON
// one, whose $input.json('$') needs a JSON body (an empty body is {}).
func customEvent(r *Request, p *Principal) ([]byte, error) {
	var body json.RawMessage
	ct, _, _ := mime.ParseMediaType(r.Headers.Get("Content-Type"))
	switch {
	case ct == "application/x-www-form-urlencoded":
		form := map[string]string{}
		for _, kv := range strings.Split(string(r.Body), "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			dk, err1 := url.QueryUnescape(k)
			dv, err2 := url.QueryUnescape(v)
			if err1 != nil || err2 != nil {
				return nil, NewResponse(Default4XX).WithReason("form body does not decode")
			}
			form[dk] = dv
		}
		b, err := json.Marshal(form)
		if err != nil {
			return nil, err
		}
		body = b
	case len(bytes.TrimSpace(r.Body)) == 0:
		body = json.RawMessage("{}")
	default:
		if !json.Valid(r.Body) {
			// API Gateway's answer when $input.json('$') meets a body that is not JSON.
			return nil, NewResponse(Default4XX).WithMessage("Could not parse request body into json: the body is not valid JSON").WithReason("non-JSON body for a lambda integration")
		}
		body = r.Body
	}

	ev := struct {
		Body                json.RawMessage   `json:"body"`
		Method              string            `json:"method"`
		PrincipalID         string            `json:"principalId"`
		Stage               string            `json:"stage"`
		CognitoPoolClaims   map[string]string `json:"cognitoPoolClaims"`
		EnhancedAuthContext map[string]string `json:"enhancedAuthContext"`
		Headers             map[string]string `json:"headers"`
		Query               map[string]string `json:"query"`
		Path                map[string]string `json:"path"`
		Identity            map[string]string `json:"identity"`
		StageVariables      map[string]string `json:"stageVariables"`
		RequestPath         string            `json:"requestPath"`
	}{
		Body:                body,
		Method:              r.Method,
		Stage:               r.Stage(),
		CognitoPoolClaims:   map[string]string{"sub": ""},
		EnhancedAuthContext: map[string]string{},
		Headers:             firstValues(r.Headers),
		Query:               map[string]string{},
		Path:                map[string]string{},
		StageVariables:      map[string]string{},
		RequestPath:         r.ResourcePath,
	}
	for k, v := range r.Query {
		if len(v) > 0 {
			// $input.params().querystring holds the last value of a repeated key, as
			// queryStringParameters does.
			ev.Query[k] = v[len(v)-1]
		}
	}
	for k, v := range r.PathParams {
		ev.Path[k] = v
	}
	for k, v := range r.API.StageVariables {
		ev.StageVariables[k] = v
	}
	id := map[string]string{"sourceIp": r.SourceIP, "userAgent": r.UserAgent}
	if p != nil {
		ev.PrincipalID = p.PrincipalID
		claims := ClaimStrings(p.Claims)
		ev.CognitoPoolClaims["sub"] = claims["sub"]
		// $context.authorizer: a Lambda authorizer's context and principalId; a Cognito
		// authorizer's one entry "claims", a map, which the template's $loop prints as Java
		// prints a map: {email=ada@example.com, sub=…} (sorted here; Java's order is a
		// hash order).
		if len(claims) > 0 {
			keys := make([]string, 0, len(claims))
			for k := range claims {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = k + "=" + claims[k]
			}
			ev.EnhancedAuthContext["claims"] = "{" + strings.Join(parts, ", ") + "}"
		}
		for k, v := range p.Context {
			if s, ok := claimString(v); ok {
				ev.EnhancedAuthContext[k] = s
			}
		}
		if p.PrincipalID != "" {
			ev.EnhancedAuthContext["principalId"] = p.PrincipalID
		}
		pi := p.Identity
		for k, v := range map[string]string{
			"cognitoIdentityPoolId": pi.CognitoIdentityPoolID, "accountId": pi.AccountID,
			"cognitoIdentityId": pi.CognitoIdentityID, "caller": pi.Caller, "accessKey": pi.AccessKey,
			"cognitoAuthenticationType": pi.CognitoAuthenticationType, "userArn": pi.UserARN,
			"cognitoAuthenticationProvider": pi.CognitoAuthenticationProvider, "user": pi.User,
		} {
			if v != "" {
				id[k] = v
			}
		}
	}
	ev.Identity = id
	return json.Marshal(ev)
}

// firstValues is $input.params().header: one value per header name.
func firstValues(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}

var _ Integration = (*LambdaCustom)(nil)
