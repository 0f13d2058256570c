package gateway

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"net"
	"strconv"
	"strings"
	"time"
)

// The Lambda proxy event, payload format 1.0, as REST APIs send it (developer guide: "Lambda
// proxy integrations in API Gateway", "Input format of a Lambda function for proxy
// integration"). Fields are declared in the order real events list them; maps and the body are
// null when empty, as API Gateway sends them.
type proxyEvent struct {
	RequestMembers
	PathParameters  map[string]string `json:"pathParameters"`
	StageVariables  map[string]string `json:"stageVariables"`
	RequestContext  eventContext      `json:"requestContext"`
	Body            *string           `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

type eventContext struct {
	ResourceID        string         `json:"resourceId"`
	Authorizer        map[string]any `json:"authorizer,omitempty"`
	ResourcePath      string         `json:"resourcePath"`
	HTTPMethod        string         `json:"httpMethod"`
	ExtendedRequestID string         `json:"extendedRequestId"`
	RequestTime       string         `json:"requestTime"`
	Path              string         `json:"path"`
	AccountID         string         `json:"accountId"`
	Protocol          string         `json:"protocol"`
	Stage             string         `json:"stage"`
	DomainPrefix      string         `json:"domainPrefix"`
	RequestTimeEpoch  int64          `json:"requestTimeEpoch"`
	RequestID         string         `json:"requestId"`
	Identity          eventIdentity  `json:"identity"`
	DomainName        string         `json:"domainName"`
	APIID             string         `json:"apiId"`
}

type eventIdentity struct {
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	AccountID                     *string `json:"accountId"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	Caller                        *string `json:"caller"`
	SourceIP                      string  `json:"sourceIp"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	AccessKey                     *string `json:"accessKey"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	UserARN                       *string `json:"userArn"`
	UserAgent                     *string `json:"userAgent"`
	User                          *string `json:"user"`
}

// RequestMembers are the request members every payload format 1.0 event lists in this order
// after its leading members: the REST API's proxy event and REQUEST authorizer input here,
// and the HTTP API's 1.0 event and 1.0 authorizer input (developer guide: "Create AWS Lambda
// proxy integrations for HTTP APIs", payload format 1.0; "Working with AWS Lambda authorizers
// for HTTP APIs"). Embedded without a tag, its members marshal in place.
type RequestMembers struct {
	Resource                        string              `json:"resource"`
	Path                            string              `json:"path"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
}

// requestTimeLayout is $context.requestTime: "09/Apr/2015:12:34:56 +0000" (CLF).
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// claimTimeLayout is how REST APIs print a token's exp and iat in
// requestContext.authorizer.claims: Java's Date.toString(), "Mon Jul 15 05:58:22 UTC 2019".
const claimTimeLayout = "Mon Jan 02 15:04:05 UTC 2006"

// BuildEvent returns the Lambda proxy event (payload format 1.0) for r and its caller p (nil
// when the method has no authorizer).
func BuildEvent(r *Request, p *Principal) ([]byte, error) {
	return json.Marshal(newProxyEvent(r, p))
}

// requestAuthorizerEvent is a REQUEST Lambda authorizer's input (developer guide: "Input to an
// API Gateway Lambda authorizer", REQUEST input format): the proxy event's request members, no
// body, with the method ARN.
type requestAuthorizerEvent struct {
	Type      string `json:"type"`
	MethodArn string `json:"methodArn"`
	RequestMembers
	PathParameters map[string]string `json:"pathParameters"`
	StageVariables map[string]string `json:"stageVariables"`
	RequestContext eventContext      `json:"requestContext"`
}

// BuildRequestAuthorizerEvent returns the input of a REQUEST Lambda authorizer for r:
// {"type":"REQUEST","methodArn":…, resource, path, httpMethod, headers, multiValueHeaders,
// queryStringParameters, multiValueQueryStringParameters, pathParameters, stageVariables,
// requestContext}, the members built exactly as in the proxy event.
//
// pathParameters is {} rather than null for a route without path parameters: the developer
// guide's REQUEST input example (GET /request) shows "pathParameters": {}
// (testdata/aws-lambda-go/apigw-custom-auth-request-type-request.json), where the proxy event
// has null.
func BuildRequestAuthorizerEvent(r *Request) ([]byte, error) {
	e := newProxyEvent(r, nil)
	if e.PathParameters == nil {
		e.PathParameters = map[string]string{}
	}
	return json.Marshal(&requestAuthorizerEvent{
		Type:           "REQUEST",
		MethodArn:      r.MethodARN(),
		RequestMembers: e.RequestMembers,
		PathParameters: e.PathParameters,
		StageVariables: e.StageVariables,
		RequestContext: e.RequestContext,
	})
}

func newProxyEvent(r *Request, p *Principal) *proxyEvent {
	e := &proxyEvent{
		RequestMembers: RequestMembers{Resource: r.ResourcePath, Path: r.Path, HTTPMethod: r.Method},
		PathParameters: r.PathParams,
		RequestContext: eventContext{
			ResourceID:        r.ResourceID,
			ResourcePath:      r.ResourcePath,
			HTTPMethod:        r.Method,
			ExtendedRequestID: r.ExtendedRequestID,
			RequestTime:       r.RequestTime.UTC().Format(requestTimeLayout),
			Path:              r.StagePath,
			AccountID:         r.API.AccountID,
			Protocol:          r.Protocol,
			Stage:             r.API.Stage,
			RequestTimeEpoch:  r.RequestTime.UnixMilli(),
			RequestID:         r.RequestID,
			DomainName:        r.Host,
			APIID:             r.API.ID,
		},
		IsBase64Encoded: r.IsBase64,
	}
	e.RequestContext.DomainPrefix, _, _ = strings.Cut(r.Host, ".")
	if len(r.API.StageVariables) > 0 {
		e.StageVariables = r.API.StageVariables
	}
	if len(r.Headers) > 0 {
		e.Headers = make(map[string]string, len(r.Headers))
		e.MultiValueHeaders = make(map[string][]string, len(r.Headers))
		for k, v := range r.Headers {
			if len(v) == 0 {
				continue
			}
			e.Headers[k] = v[len(v)-1] // "headers" keeps the last value of a repeated header
			e.MultiValueHeaders[k] = v
		}
	}
	if len(r.Query) > 0 {
		e.QueryStringParameters = make(map[string]string, len(r.Query))
		e.MultiValueQueryStringParameters = make(map[string][]string, len(r.Query))
		for k, v := range r.Query {
			e.QueryStringParameters[k] = v[len(v)-1]
			e.MultiValueQueryStringParameters[k] = v
		}
	}
	if len(r.Body) > 0 {
		var b string
		if r.IsBase64 {
			b = base64.StdEncoding.EncodeToString(r.Body)
		} else {
			b = string(r.Body)
		}
		e.Body = &b
	}
	id := &e.RequestContext.Identity
	id.SourceIP = r.SourceIP
	id.UserAgent = nullable(r.UserAgent)
	if p != nil {
		pi := p.Identity
		id.CognitoIdentityPoolID = nullable(pi.CognitoIdentityPoolID)
		id.AccountID = nullable(pi.AccountID)
		id.CognitoIdentityID = nullable(pi.CognitoIdentityID)
		id.Caller = nullable(pi.Caller)
		id.PrincipalOrgID = nullable(pi.PrincipalOrgID)
		id.AccessKey = nullable(pi.AccessKey)
		id.CognitoAuthenticationType = nullable(pi.CognitoAuthenticationType)
		id.CognitoAuthenticationProvider = nullable(pi.CognitoAuthenticationProvider)
		id.UserARN = nullable(pi.UserARN)
		id.User = nullable(pi.User)
		e.RequestContext.Authorizer = authorizerContext(p)
	}
	return e
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// authorizerContext is requestContext.authorizer for a principal: {"claims": {…}} for a Cognito
// user pool authorizer, {"principalId": …, "integrationLatency": …, context keys…} for a Lambda
// authorizer, nil (no key) when the authorizer said nothing (AWS_IAM).
func authorizerContext(p *Principal) map[string]any {
	if p.Claims == nil && p.Scopes == nil && p.PrincipalID == "" && len(p.Context) == 0 {
		return nil
	}
	a := make(map[string]any, len(p.Context)+3)
	for k, v := range p.Context {
		if s, ok := scalarString(v); ok {
			a[k] = s
		}
	}
	if p.PrincipalID != "" {
		a["principalId"] = p.PrincipalID
		a["integrationLatency"] = p.IntegrationLatency.Milliseconds()
	}
	if p.Claims != nil {
		a["claims"] = ClaimStrings(p.Claims)
	}
	if p.Scopes != nil {
		a["scopes"] = p.Scopes
	}
	return a
}

// ClaimStrings renders a token's claims the way REST APIs put them in
// requestContext.authorizer.claims: every value a string — numbers in decimal
// ("auth_time":"1562947993"), booleans "true"/"false", exp and iat as dates ("Mon Jul 15
// 05:58:22 UTC 2019"), arrays joined with commas ("cognito:groups":"admin,users"), objects as
// JSON. Null claims are left out.
func ClaimStrings(claims map[string]any) map[string]string {
	out := make(map[string]string, len(claims))
	for k, v := range claims {
		if (k == "exp" || k == "iat") && v != nil {
			if sec, ok := claimSeconds(v); ok {
				out[k] = time.Unix(sec, 0).UTC().Format(claimTimeLayout)
				continue
			}
		}
		if s, ok := claimString(v); ok {
			out[k] = s
		}
	}
	return out
}

func claimSeconds(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return int64(n), true
		}
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
	case int64:
		return n, true
	case int:
		return int64(n), true
	}
	return 0, false
}

func claimString(v any) (string, bool) {
	if s, ok := scalarString(v); ok {
		return s, true
	}
	switch t := v.(type) {
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := claimString(e); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ","), true
	case []string:
		return strings.Join(t, ","), true
	case nil:
		return "", false
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
}

// scalarString prints a string, number or boolean as API Gateway passes it on.
func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		return strconv.FormatBool(t), true
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1e21 {
			return strconv.FormatFloat(t, 'f', -1, 64), true
		}
		return strconv.FormatFloat(t, 'g', -1, 64), true
	case json.Number:
		return t.String(), true
	case int:
		return strconv.Itoa(t), true
	case int64:
		return strconv.FormatInt(t, 10), true
	}
	return "", false
}

// hostName is the Host header without its port: requestContext.domainName.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}
