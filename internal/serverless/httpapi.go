package serverless

import "time"

// HTTPAPI is the service's HTTP API (API Gateway v2), from provider.httpApi and the httpApi
// events of its functions (https://www.serverless.com/framework/docs/providers/aws/events/http-api).
// It is nil when the file has no httpApi event.
type HTTPAPI struct {
	// Name is provider.httpApi.name; "{stage}-{service}" unless set (the Framework's
	// naming.getHttpApiName).
	Name string
	// CORS is the API's CORS configuration (AWS::ApiGatewayV2::Api CorsConfiguration); nil
	// when provider.httpApi.cors is unset or false.
	CORS *HTTPCORS
	// Payload is provider.httpApi.payload, the integrations' payload format version: "2.0"
	// (the default) or "1.0". A function's httpApi.payload overrides it (Route.Payload).
	Payload string
	// DisableDefaultEndpoint is provider.httpApi.disableDefaultEndpoint: on AWS the
	// execute-api URL stops answering; Gatehouse has no custom domains and serves --api-addr
	// regardless (an info diagnostic says so).
	DisableDefaultEndpoint bool
	// Authorizers are provider.httpApi.authorizers, by name, in file order.
	Authorizers []*HTTPAuthorizer
	// Routes are the httpApi events, in file order; RouteKey is unique among them.
	Routes []*HTTPRoute
	Pos    Pos
}

// Authorizer returns the authorizer named name, or nil.
func (h *HTTPAPI) Authorizer(name string) *HTTPAuthorizer {
	for _, a := range h.Authorizers {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// HTTPCORS is the CORS configuration of an HTTP API, with the Framework's defaults applied
// (cors: true is every origin, the Framework's default headers, and the methods of the routes).
type HTTPCORS struct {
	AllowOrigins     []string
	AllowHeaders     []string
	AllowMethods     []string
	ExposeHeaders    []string
	AllowCredentials bool
	// MaxAge is in seconds; -1 when unset (no Access-Control-Max-Age).
	MaxAge int
}

// HTTPAuthorizerType is the type of an HTTP API authorizer.
type HTTPAuthorizerType string

const (
	HTTPAuthJWT     HTTPAuthorizerType = "jwt"
	HTTPAuthRequest HTTPAuthorizerType = "request"
	HTTPAuthIAM     HTTPAuthorizerType = "aws_iam"
)

// HTTPAuthorizer is one entry of provider.httpApi.authorizers (AWS::ApiGatewayV2::Authorizer),
// or the aws_iam authorization of a route.
type HTTPAuthorizer struct {
	Name string
	Type HTTPAuthorizerType
	// IdentitySource lists where the credential is read, as API Gateway v2 writes it:
	// "$request.header.Authorization", "$request.querystring.token", "$context.routeKey".
	IdentitySource []string
	// IssuerURL and Audience configure a jwt authorizer.
	IssuerURL string
	Audience  []string
	// FunctionName is the key under functions of a request authorizer's function.
	FunctionName string
	// PayloadVersion is the request authorizer's event format, "2.0" (the default) or "1.0".
	PayloadVersion string
	// EnableSimpleResponses lets a request authorizer answer {"isAuthorized": bool, …}
	// (payload 2.0 only).
	EnableSimpleResponses bool
	// ResultTTL is how long a request authorizer's answer is cached; 0 is no caching.
	ResultTTL time.Duration
	Pos       Pos
}

// HTTPRoute is one httpApi event: a route of the HTTP API.
type HTTPRoute struct {
	FunctionName string // the key under functions
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY ('*'); "" for $default.
	Method string
	// Path is "/tasks/{id}", "/files/{proxy+}"; "" for $default.
	Path string
	// RouteKey is API Gateway's: "GET /tasks/{id}", "ANY /x", or "$default".
	RouteKey string
	// Authorizer is nil for a route without authorization.
	Authorizer *HTTPAuthorizer
	// Scopes are the route's authorizationScopes (jwt authorizers).
	Scopes []string
	// Payload is the integration's payload format version, "2.0" or "1.0".
	Payload string
	Pos     Pos
}
