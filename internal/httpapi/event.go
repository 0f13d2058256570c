package httpapi

import (
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// The payload format 2.0 event ("Working with AWS Lambda proxy integrations for HTTP APIs",
// http-api-develop-integrations-lambda.html, "Payload format version"). Field names and
// omissions follow what API Gateway sends: queryStringParameters, pathParameters, cookies, body
// and requestContext.authorizer are left out when empty.
type eventV2 struct {
	Version string `json:"version"`
	requestV2
	PathParameters  map[string]string `json:"pathParameters,omitempty"`
	RequestContext  contextV2         `json:"requestContext"`
	Body            *string           `json:"body,omitempty"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

// requestV2 are the request members the 2.0 event and the 2.0 authorizer event list in this
// order after their leading members; embedded without a tag, they marshal in place.
type requestV2 struct {
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
}

type contextV2 struct {
	AccountID    string        `json:"accountId"`
	APIID        string        `json:"apiId"`
	Authorizer   *authorizerV2 `json:"authorizer,omitempty"`
	DomainName   string        `json:"domainName"`
	DomainPrefix string        `json:"domainPrefix"`
	HTTP         httpDescV2    `json:"http"`
	RequestID    string        `json:"requestId"`
	RouteKey     string        `json:"routeKey"`
	Stage        string        `json:"stage"`
	Time         string        `json:"time"`
	TimeEpoch    int64         `json:"timeEpoch"`
}

type authorizerV2 struct {
	JWT    *JWTAuthorization `json:"jwt,omitempty"`
	Lambda map[string]any    `json:"lambda,omitempty"`
	IAM    *IAMAuthorization `json:"iam,omitempty"`
}

type httpDescV2 struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

// requestTimeLayout is $context.requestTime: "12/Mar/2020:19:03:58 +0000".
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// Stage is the stage HTTP APIs are served on.
const Stage = "$default"

// joinedHeaders returns the request's headers with lower-case names and duplicate values
// joined by commas, as 2.0 events carry them, with the ones API Gateway adds
// (content-length, x-forwarded-for/port/proto, x-amzn-trace-id); Cookie goes to cookies
// instead.
func joinedHeaders(r *Request) (map[string]string, []string) {
	req := r.HTTP
	h := make(map[string]string, len(req.Header)+6)
	var cookies []string
	for name, vals := range req.Header {
		n := strings.ToLower(name)
		if n == "cookie" {
			for _, v := range vals {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		h[n] = strings.Join(vals, ",")
	}
	if req.Host != "" {
		h["host"] = req.Host
	}
	h["content-length"] = strconv.Itoa(len(r.Body))
	for k, v := range forwarded(r) {
		h[strings.ToLower(k)] = v
	}
	return h, cookies
}

// forwarded are the headers API Gateway adds to what it passes on.
func forwarded(r *Request) map[string]string {
	req := r.HTTP
	ip := sourceIP(req)
	xff := ip
	if prev := req.Header.Get("X-Forwarded-For"); prev != "" {
		xff = prev + ", " + ip
	}
	proto, port := "http", "80"
	if req.TLS != nil {
		proto, port = "https", "443"
	}
	if la, ok := req.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(la.String()); err == nil {
			port = p
		}
	} else if _, p, err := net.SplitHostPort(req.Host); err == nil && p != "" {
		port = p
	}
	out := map[string]string{"X-Forwarded-For": xff, "X-Forwarded-Port": port, "X-Forwarded-Proto": proto}
	if r.Trace != "" {
		out["X-Amzn-Trace-Id"] = r.Trace
	}
	return out
}

// joinedQuery returns the query string parameters, duplicate values joined by commas, nil
// when there are none.
func joinedQuery(raw string) map[string]string {
	if raw == "" {
		return nil
	}
	q, _ := url.ParseQuery(raw) // a malformed pair is left out, as API Gateway drops it
	if len(q) == 0 {
		return nil
	}
	out := make(map[string]string, len(q))
	for k, v := range q {
		out[k] = strings.Join(v, ",")
	}
	return out
}

// textBody reports whether a body of this content type reaches the function as text; other
// bodies are base64-encoded. HTTP APIs have no binaryMediaTypes: API Gateway encodes what is
// not text (developer guide, http-api-develop-integrations-lambda.html: "isBase64Encoded").
func textBody(contentType, contentEncoding string) bool {
	if contentEncoding != "" && !strings.EqualFold(contentEncoding, "identity") {
		return false
	}
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") {
		return true
	}
	switch mt {
	case "application/json", "application/javascript", "application/xml", "application/x-www-form-urlencoded",
		"application/graphql", "application/ld+json", "application/x-yaml", "application/yaml":
		return true
	}
	return strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")
}

func encodeBody(req *http.Request, body []byte) (*string, bool) {
	if len(body) == 0 {
		return nil, false
	}
	if textBody(req.Header.Get("Content-Type"), req.Header.Get("Content-Encoding")) {
		s := string(body)
		return &s, false
	}
	s := base64.StdEncoding.EncodeToString(body)
	return &s, true
}

func sourceIP(req *http.Request) string {
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return req.RemoteAddr
	}
	return host
}

func domainPrefix(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if i := strings.IndexByte(host, '.'); i > 0 && net.ParseIP(host) == nil {
		return host[:i]
	}
	return host
}

func stripPort(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// buildV2 is the 2.0 event of r.
func buildV2(r *Request, rawQuery string, auth *Authorization) *eventV2 {
	headers, cookies := joinedHeaders(r)
	body, b64 := encodeBody(r.HTTP, r.Body)
	ev := &eventV2{
		Version: "2.0",
		requestV2: requestV2{RouteKey: r.RouteKey, RawPath: r.RawPath, RawQueryString: rawQuery,
			Cookies: cookies, Headers: headers, QueryStringParameters: joinedQuery(rawQuery)},
		PathParameters: r.PathParameters,
		RequestContext: contextV2{
			AccountID:    r.AccountID,
			APIID:        r.APIID,
			DomainName:   stripPort(r.HTTP.Host),
			DomainPrefix: domainPrefix(r.HTTP.Host),
			HTTP: httpDescV2{
				Method:    r.Method,
				Path:      r.RawPath,
				Protocol:  r.HTTP.Proto,
				SourceIP:  sourceIP(r.HTTP),
				UserAgent: r.HTTP.UserAgent(),
			},
			RequestID: r.RequestID,
			RouteKey:  r.RouteKey,
			Stage:     Stage,
			Time:      r.Time.UTC().Format(requestTimeLayout),
			TimeEpoch: r.Time.UnixMilli(),
		},
		Body:            body,
		IsBase64Encoded: b64,
	}
	if auth != nil {
		ev.RequestContext.Authorizer = &authorizerV2{JWT: auth.JWT, Lambda: auth.Lambda, IAM: auth.IAM}
	}
	return ev
}

// The payload format 1.0 event of HTTP APIs: the REST API's proxy event shape with version
// "1.0" (same page, "Payload format version", 1.0).
type eventV1 struct {
	Version string `json:"version"`
	gateway.RequestMembers
	RequestContext  contextV1         `json:"requestContext"`
	PathParameters  map[string]string `json:"pathParameters"`
	StageVariables  map[string]string `json:"stageVariables"`
	Body            *string           `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

type contextV1 struct {
	AccountID         string         `json:"accountId"`
	APIID             string         `json:"apiId"`
	Authorizer        map[string]any `json:"authorizer,omitempty"`
	DomainName        string         `json:"domainName"`
	DomainPrefix      string         `json:"domainPrefix"`
	ExtendedRequestID string         `json:"extendedRequestId"`
	HTTPMethod        string         `json:"httpMethod"`
	Identity          identityV1     `json:"identity"`
	Path              string         `json:"path"`
	Protocol          string         `json:"protocol"`
	RequestID         string         `json:"requestId"`
	RequestTime       string         `json:"requestTime"`
	RequestTimeEpoch  int64          `json:"requestTimeEpoch"`
	ResourceID        string         `json:"resourceId"`
	ResourcePath      string         `json:"resourcePath"`
	Stage             string         `json:"stage"`
}

type identityV1 struct {
	AccessKey       *string `json:"accessKey"`
	AccountID       *string `json:"accountId"`
	Caller          *string `json:"caller"`
	CognitoIdentity *string `json:"cognitoAuthenticationProvider"`
	SourceIP        string  `json:"sourceIp"`
	User            *string `json:"user"`
	UserAgent       string  `json:"userAgent"`
	UserARN         *string `json:"userArn"`
}

// buildV1 is the 1.0 event of r.
func buildV1(r *Request, rawQuery string, auth *Authorization) *eventV1 {
	headers := map[string]string{}
	multi := map[string][]string{}
	for name, vals := range r.HTTP.Header {
		headers[name] = vals[len(vals)-1]
		multi[name] = append([]string(nil), vals...)
	}
	if r.HTTP.Host != "" {
		headers["Host"], multi["Host"] = r.HTTP.Host, []string{r.HTTP.Host}
	}
	for k, v := range forwarded(r) {
		headers[k], multi[k] = v, []string{v}
	}
	var qs map[string]string
	var mqs map[string][]string
	if q, _ := url.ParseQuery(rawQuery); len(q) > 0 {
		qs, mqs = map[string]string{}, map[string][]string{}
		for k, v := range q {
			qs[k], mqs[k] = v[len(v)-1], v
		}
	}
	body, b64 := encodeBody(r.HTTP, r.Body)
	resource := r.RouteKey
	if _, p, ok := strings.Cut(r.RouteKey, " "); ok {
		resource = p
	}
	ev := &eventV1{
		Version: "1.0",
		RequestMembers: gateway.RequestMembers{Resource: resource, Path: r.RawPath, HTTPMethod: r.Method,
			Headers: headers, MultiValueHeaders: multi,
			QueryStringParameters: qs, MultiValueQueryStringParameters: mqs},
		PathParameters: r.PathParameters,
		RequestContext: contextV1{
			AccountID: r.AccountID, APIID: r.APIID,
			DomainName: stripPort(r.HTTP.Host), DomainPrefix: domainPrefix(r.HTTP.Host),
			ExtendedRequestID: r.RequestID, HTTPMethod: r.Method,
			Identity: identityV1{SourceIP: sourceIP(r.HTTP), UserAgent: r.HTTP.UserAgent()},
			Path:     r.RawPath, Protocol: r.HTTP.Proto, RequestID: r.RequestID,
			RequestTime: r.Time.UTC().Format(requestTimeLayout), RequestTimeEpoch: r.Time.UnixMilli(),
			ResourceID: r.RouteKey, ResourcePath: resource, Stage: Stage,
		},
		Body: body, IsBase64Encoded: b64,
	}
	if auth != nil {
		a := map[string]any{}
		switch {
		case auth.JWT != nil:
			// 1.0 carries a JWT authorizer's result as claims and scopes, as the developer
			// guide's 1.0 example shows ("authorizer": {"claims": …, "scopes": …}).
			a["claims"] = auth.JWT.Claims
			a["scopes"] = auth.JWT.Scopes
		case auth.Lambda != nil:
			for k, v := range auth.Lambda {
				a[k] = v
			}
			if auth.PrincipalID != "" {
				a["principalId"] = auth.PrincipalID
			}
		case auth.IAM != nil:
			ak, acct, arn := auth.IAM.AccessKey, auth.IAM.AccountID, auth.IAM.UserARN
			ev.RequestContext.Identity.AccessKey, ev.RequestContext.Identity.AccountID = &ak, &acct
			ev.RequestContext.Identity.UserARN = &arn
			caller := auth.IAM.CallerID
			ev.RequestContext.Identity.Caller = &caller
		}
		if len(a) > 0 {
			ev.RequestContext.Authorizer = a
		}
	}
	return ev
}
