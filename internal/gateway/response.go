package gateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ResponseType names one of API Gateway's gateway responses: the answers API Gateway gives
// itself, without the integration (developer guide: "Gateway response types for API Gateway",
// supported-gateway-response-types.html).
type ResponseType string

// The gateway response types Gatehouse produces, and the two fallbacks an API may customise.
const (
	AccessDenied                 ResponseType = "ACCESS_DENIED"
	APIConfigurationError        ResponseType = "API_CONFIGURATION_ERROR"
	AuthorizerConfigurationError ResponseType = "AUTHORIZER_CONFIGURATION_ERROR"
	AuthorizerFailure            ResponseType = "AUTHORIZER_FAILURE"
	ExpiredToken                 ResponseType = "EXPIRED_TOKEN"
	IntegrationFailure           ResponseType = "INTEGRATION_FAILURE"
	IntegrationTimeout           ResponseType = "INTEGRATION_TIMEOUT"
	InvalidAPIKey                ResponseType = "INVALID_API_KEY"
	InvalidSignature             ResponseType = "INVALID_SIGNATURE"
	MissingAuthenticationToken   ResponseType = "MISSING_AUTHENTICATION_TOKEN"
	RequestTooLarge              ResponseType = "REQUEST_TOO_LARGE"
	Throttled                    ResponseType = "THROTTLED"
	Unauthorized                 ResponseType = "UNAUTHORIZED"
	Default4XX                   ResponseType = "DEFAULT_4XX"
	Default5XX                   ResponseType = "DEFAULT_5XX"
)

// Messages of the ACCESS_DENIED responses that follow a Lambda authorizer's policy
// (knowledge center: api-gateway-403-error-lambda-authorizer).
const (
	MessageImplicitDeny = "User is not authorized to access this resource"
	MessageExplicitDeny = "User is not authorized to access this resource with an explicit deny"
)

// bodyStyle is how a default gateway response spells its JSON body. API Gateway is not
// consistent, and clients compare bodies byte for byte, so each default keeps its own style.
type bodyStyle uint8

const (
	styleCompact bodyStyle = iota // {"message":"Unauthorized"} (the default template)
	styleSpaced                   // {"message": "Internal server error"} (integration errors)
	styleCapital                  // {"Message":"User is not authorized to access this resource"}
	styleNull                     // {"message":null} (authorizer errors: no message at all)
)

type responseDefault struct {
	status    int
	errorType string
	message   string
	style     bodyStyle
}

// defaultResponse is API Gateway's default for each type: status, x-amzn-ErrorType and body, as
// captured from real APIs (see docs/dev/aws-behaviour.md#api-gateway-gateway-responses and the
// package tests). A function, not a package-level map, so that nothing global can be changed.
func defaultResponse(t ResponseType) responseDefault {
	switch t {
	case AccessDenied:
		return responseDefault{403, "AccessDeniedException", MessageImplicitDeny, styleCapital}
	case APIConfigurationError:
		return responseDefault{500, "InternalServerErrorException", "Internal server error", styleSpaced}
	case AuthorizerConfigurationError, AuthorizerFailure:
		return responseDefault{500, "AuthorizerConfigurationException", "", styleNull}
	case ExpiredToken:
		return responseDefault{403, "ExpiredTokenException", "The security token included in the request is expired", styleCompact}
	case IntegrationFailure:
		return responseDefault{502, "InternalServerErrorException", "Internal server error", styleSpaced}
	case IntegrationTimeout:
		return responseDefault{504, "InternalServerErrorException", "Endpoint request timed out", styleSpaced}
	case InvalidAPIKey:
		return responseDefault{403, "ForbiddenException", "Forbidden", styleCompact}
	case InvalidSignature:
		return responseDefault{403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", styleCompact}
	case MissingAuthenticationToken:
		return responseDefault{403, "MissingAuthenticationTokenException", "Missing Authentication Token", styleCompact}
	case RequestTooLarge:
		return responseDefault{413, "BadRequestException", "Request Too Long", styleSpaced}
	case Throttled:
		return responseDefault{429, "TooManyRequestsException", "Too Many Requests", styleCompact}
	case Unauthorized:
		return responseDefault{401, "UnauthorizedException", "Unauthorized", styleCompact}
	case Default4XX:
		return responseDefault{400, "BadRequestException", "Bad Request", styleCompact}
	default:
		return responseDefault{500, "InternalServerErrorException", "Internal server error", styleSpaced}
	}
}

// Response is a gateway response: an answer the gateway gives without (or instead of) the
// integration. It is also the error an Authorizer or Integration returns to refuse a request:
//
//	return nil, gateway.NewResponse(gateway.Unauthorized).WithReason("token expired")
//
// Status, ErrorType and Message are what the client sees; Reason is only logged.
type Response struct {
	Type      ResponseType
	Status    int    // HTTP status
	ErrorType string // the x-amzn-ErrorType header; empty: none
	Message   string // the body's message
	Reason    string // why, for the log; never sent
	Header    http.Header

	style bodyStyle
}

// NewResponse returns the gateway response of type t with API Gateway's default status,
// error type and message.
func NewResponse(t ResponseType) *Response {
	d := defaultResponse(t)
	return &Response{Type: t, Status: d.status, ErrorType: d.errorType, Message: d.message, style: d.style}
}

// WithMessage returns a copy of r with another message (for example the text of an IAM
// denial, "User: arn:aws:sts::… is not authorized to perform: execute-api:Invoke on …").
func (r *Response) WithMessage(msg string) *Response {
	c := *r
	c.Message = msg
	if c.style == styleNull {
		c.style = styleCompact
	}
	return &c
}

// WithReason returns a copy of r that carries a reason for the log.
func (r *Response) WithReason(format string, args ...any) *Response {
	c := *r
	if len(args) > 0 {
		format = fmt.Sprintf(format, args...)
	}
	c.Reason = format
	return &c
}

// Error makes a *Response an error; the text is for logs.
func (r *Response) Error() string {
	s := fmt.Sprintf("gateway response %s (%d)", r.Type, r.Status)
	if r.Reason != "" {
		s += ": " + r.Reason
	}
	return s
}

// body is the response's JSON body when the API does not customise its template.
func (r *Response) body() []byte {
	if r.style == styleNull {
		return []byte(`{"message":null}`)
	}
	msg, _ := json.Marshal(r.Message)
	switch r.style {
	case styleSpaced:
		return append(append([]byte(`{"message": `), msg...), '}')
	case styleCapital:
		return append(append([]byte(`{"Message":`), msg...), '}')
	default:
		return append(append([]byte(`{"message":`), msg...), '}')
	}
}

// GatewayResponse customises one gateway response type of an API, as an
// AWS::ApiGateway::GatewayResponse resource does (developer guide: "Set up gateway responses to
// customize error responses"). The types DEFAULT_4XX and DEFAULT_5XX apply to every response of
// their class that has no customisation of its own.
type GatewayResponse struct {
	// StatusCode replaces the default status; 0 keeps it.
	StatusCode int
	// Headers are ResponseParameters without the "gatewayresponse.header." prefix: header name →
	// a static value in single quotes ("'*'") or "method.request.header.NAME",
	// "method.request.querystring.NAME", "method.request.path.NAME".
	Headers map[string]string
	// Template is the application/json response template; "" keeps the default body. It may
	// use $context.error.messageString (the message as a JSON string), $context.error.message,
	// $context.error.responseType, $context.requestId, $context.extendedRequestId,
	// $context.apiId and $context.stage.
	Template string
}

// validate checks the header expressions once, when the table is built.
func (g GatewayResponse) validate() error {
	if g.StatusCode != 0 && (g.StatusCode < 100 || g.StatusCode > 599) {
		return fmt.Errorf("status code %d out of range", g.StatusCode)
	}
	for name, expr := range g.Headers {
		if name == "" || strings.ContainsAny(name, " :\r\n") {
			return fmt.Errorf("invalid header name %q", name)
		}
		if _, _, err := parseParamExpr(expr); err != nil {
			return fmt.Errorf("header %s: %w", name, err)
		}
	}
	return nil
}

// parseParamExpr parses a response parameter value: "'static'" or method.request.{header,
// querystring,path}.NAME. kind is "" for a static value.
func parseParamExpr(expr string) (kind, value string, err error) {
	if len(expr) >= 2 && expr[0] == '\'' && expr[len(expr)-1] == '\'' {
		v := expr[1 : len(expr)-1]
		if strings.ContainsAny(v, "\r\n") {
			return "", "", fmt.Errorf("static value %q has a line break", expr)
		}
		return "", v, nil
	}
	for _, k := range []string{"header", "querystring", "path"} {
		if name, ok := strings.CutPrefix(expr, "method.request."+k+"."); ok && name != "" {
			return k, name, nil
		}
	}
	return "", "", fmt.Errorf("unsupported value %q (want 'static' or method.request.header|querystring|path.NAME)", expr)
}

// customisation returns the API's customisation for t: its own, else its class's default.
func (a *API) customisation(t ResponseType, status int) (GatewayResponse, bool) {
	if a == nil || len(a.GatewayResponses) == 0 {
		return GatewayResponse{}, false
	}
	if g, ok := a.GatewayResponses[t]; ok {
		return g, true
	}
	class := Default4XX
	if status >= 500 {
		class = Default5XX
	}
	g, ok := a.GatewayResponses[class]
	g.StatusCode = 0 // a class default does not change the status of every type in the class
	return g, ok
}

// renderTemplate fills a gateway response template's $context variables.
func renderTemplate(tpl string, r *Response, ids requestIDs, api *API) []byte {
	msgString := []byte("null")
	if r.style != styleNull {
		msgString, _ = json.Marshal(r.Message)
	}
	stage, apiID := "", ""
	if api != nil {
		stage, apiID = api.Stage, api.ID
	}
	repl := strings.NewReplacer(
		"$context.error.messageString", string(msgString),
		"$context.error.message", r.Message,
		"$context.error.responseType", string(r.Type),
		"$context.extendedRequestId", ids.extended,
		"$context.requestId", ids.request,
		"$context.apiId", apiID,
		"$context.stage", stage,
	)
	return []byte(repl.Replace(tpl))
}

// requestParam resolves a parsed response parameter against the request.
func requestParam(kind, value string, req *http.Request, pathParams map[string]string) string {
	switch kind {
	case "header":
		return req.Header.Get(value)
	case "querystring":
		return req.URL.Query().Get(value)
	case "path":
		return pathParams[value]
	default:
		return value
	}
}

// writeResponse sends a gateway response with API Gateway's headers and the API's
// customisations.
func writeResponse(w http.ResponseWriter, req *http.Request, api *API, ids requestIDs, pathParams map[string]string, r *Response) {
	h := w.Header()
	for k, v := range r.Header {
		h[k] = v
	}
	status := r.Status
	body := r.body()
	if g, ok := api.customisation(r.Type, status); ok {
		if g.StatusCode != 0 {
			status = g.StatusCode
		}
		if g.Template != "" {
			body = renderTemplate(g.Template, r, ids, api)
		}
		for name, expr := range g.Headers {
			kind, value, err := parseParamExpr(expr)
			if err != nil {
				continue // validated when the table was built
			}
			if v := requestParam(kind, value, req, pathParams); v != "" {
				h.Set(name, v)
			}
		}
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	ids.set(h)
	if r.ErrorType != "" {
		h.Set("x-amzn-ErrorType", r.ErrorType)
	}
	w.WriteHeader(status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
