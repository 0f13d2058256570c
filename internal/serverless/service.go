package serverless

import (
	"regexp"
	"time"
)

// Service is a serverless.yml, loaded, with its variables resolved and its settings checked.
// It describes; it does not run anything. Nothing in it is shared with other Services, and
// nothing changes it after Load returns, so it may be read from many goroutines.
type Service struct {
	Name   string // service
	File   string // the name given to Load or Parse
	Stage  string // --stage, else provider.stage, else "dev"
	Region string // --region, else provider.region, else "us-east-1"

	Provider  Provider
	Functions []*Function // in file order
	Endpoints []*Endpoint // one per http event, in file order
	// HTTPAPI is the HTTP API (API Gateway v2) of the httpApi events; nil when there are none.
	HTTPAPI *HTTPAPI
	// CORS holds the preflight (OPTIONS) answer of each path that has an endpoint with cors
	// set, merged over that path's endpoints as the Framework merges them (union of origins,
	// headers and methods; allowCredentials if any asks for it; the last maxAge wins).
	CORS      map[string]*CORS
	Resources []*Resource // resources.Resources, in file order
	Outputs   []*Output   // resources.Outputs, in file order
	Plugins   []string    // plugins, listed for the record; never loaded

	// Config is the whole document with its variables resolved, for settings this package
	// does not interpret.
	Config Value
}

// Function returns the function named name (its key under functions), or nil.
func (s *Service) Function(name string) *Function {
	for _, f := range s.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Resource returns the resource with the logical ID id, or nil.
func (s *Service) Resource(id string) *Resource {
	for _, r := range s.Resources {
		if r.LogicalID == id {
			return r
		}
	}
	return nil
}

// Provider is the provider block: defaults for every function and the REST API's settings.
type Provider struct {
	Name        string // always "aws"
	Runtime     string
	Stage       string // as written; Service.Stage is the one in effect
	Region      string // as written; Service.Region is the one in effect
	Environment map[string]EnvVar
	Timeout     time.Duration // functions' default; 6 s unless set
	MemorySize  int           // MB; functions' default; 1024 unless set
	APIName     string        // provider.apiName; "{stage}-{service}" unless set
	APIGateway  APIGateway
	Pos         Pos
}

// APIGateway holds provider.apiGateway settings that change how the REST API answers
// (https://www.serverless.com/framework/docs/providers/aws/events/apigateway).
type APIGateway struct {
	// BinaryMediaTypes are the content types whose bodies reach Lambda base64-encoded
	// ("image/png", "*/*").
	BinaryMediaTypes []string
	// MinimumCompressionSize is the body size in bytes from which responses are compressed
	// when the client accepts it; -1 means compression is off (the default).
	MinimumCompressionSize int
	// APIKeys are the keys accepted by endpoints marked private.
	APIKeys []APIKey
	// APIKeySourceType is "HEADER" (the x-api-key header, the default) or "AUTHORIZER" (the
	// usageIdentifierKey returned by a Lambda authorizer).
	APIKeySourceType string
	Description      string
}

// APIKey is one API key of provider.apiGateway.apiKeys.
type APIKey struct {
	Name        string
	Value       string // "" when the file leaves it to be generated
	Description string
	Enabled     bool
	UsagePlan   string // the usage plan the key is listed under, "" for none
	Pos         Pos
}

// EnvVar is one environment variable of a function.
type EnvVar struct {
	// Value is the text of the variable; "" when Expr is set.
	Value string
	// Expr is a CloudFormation expression ({Ref: Table}, Fn::GetAtt …) that only the stack
	// can turn into text; the zero Value when the variable is plain text.
	Expr Value
	Pos  Pos
}

// IsExpr reports whether the variable's value is a CloudFormation expression.
func (e EnvVar) IsExpr() bool { return !e.Expr.IsZero() }

// Function is one entry of functions.
type Function struct {
	Name         string // the key under functions
	FunctionName string // the Lambda function name: name, else "{service}-{stage}-{key}"
	Handler      string // "" for a function that only fronts HTTP integrations
	Runtime      string // the function's, else the provider's
	Timeout      time.Duration
	MemorySize   int               // MB
	Environment  map[string]EnvVar // the provider's, overridden by the function's
	Description  string
	// HTTPAPIPayload is functions.NAME.httpApi.payload, "" when unset.
	HTTPAPIPayload string
	Pos            Pos
}

// Endpoint is one http event: a method on a path of the REST API.
type Endpoint struct {
	FunctionName string // the key under functions of the function the event belongs to
	// Method is GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY.
	Method string
	// Path is the resource path without its leading slash: "tasks/{id}", "files/{proxy+}",
	// "" for the root.
	Path        string
	CORS        *CORS // nil when cors is off
	Authorizer  Authorizer
	Integration Integration
	// Private endpoints require an API key (x-api-key) of provider.apiGateway.apiKeys.
	Private bool
	Pos     Pos
}

// ResourcePath returns the path the way API Gateway writes a resource: "/tasks/{id}".
func (e *Endpoint) ResourcePath() string { return "/" + e.Path }

// CORS is the cors setting of an http event, defaults applied as the Framework applies them
// (lib/plugins/aws/package/compile/events/api-gateway/lib/validate.js, getCors).
type CORS struct {
	Origins          []string // "*" unless set
	Headers          []string
	Methods          []string // always includes OPTIONS and the endpoint's method
	AllowCredentials bool
	MaxAge           int // seconds; 0 means no Access-Control-Max-Age
	CacheControl     string
}

// AuthorizerType is how an endpoint authorizes requests: API Gateway's authorization types
// (NONE, AWS_IAM, COGNITO_USER_POOLS, and TOKEN and REQUEST for the two kinds of Lambda
// authorizer), plus Gatehouse's COGNITO_GROUP_POLICY.
type AuthorizerType string

const (
	AuthNone               AuthorizerType = "NONE"
	AuthIAM                AuthorizerType = "AWS_IAM"
	AuthCognitoUserPools   AuthorizerType = "COGNITO_USER_POOLS"
	AuthToken              AuthorizerType = "TOKEN"
	AuthRequest            AuthorizerType = "REQUEST"
	AuthCognitoGroupPolicy AuthorizerType = "COGNITO_GROUP_POLICY"
)

// DefaultAuthorizerTTL is how long API Gateway caches an authorizer's result unless told
// otherwise; MaxAuthorizerTTL is the most it allows (API Gateway API reference, Authorizer:
// authorizerResultTtlInSeconds).
const (
	DefaultAuthorizerTTL = 300 * time.Second
	MaxAuthorizerTTL     = 3600 * time.Second
)

// Authorizer is the authorizer of an endpoint, resolved from whichever form the file used.
type Authorizer struct {
	Type AuthorizerType
	// Name is the authorizer's name: the one written, the authorizer function's, or the
	// Framework's guess from an ARN. Endpoints sharing a name share one authorizer.
	Name string
	// PoolARNs are the user pools whose tokens a COGNITO_USER_POOLS or COGNITO_GROUP_POLICY
	// authorizer accepts, as literal ARNs.
	PoolARNs []string
	// PoolRefs are the logical IDs of AWS::Cognito::UserPool resources of this file whose
	// tokens it accepts (written as Fn::GetAtt [Pool, Arn]); their ARNs exist only once the
	// stack is created.
	PoolRefs []string
	// Scopes, when set, require an access token holding one of them instead of an ID token.
	Scopes []string
	// IdentitySource lists where the credential is read, as API Gateway writes it:
	// "method.request.header.Authorization", "method.request.querystring.token", …
	IdentitySource []string
	// ResultTTL is how long a result is cached; 0 turns caching off.
	ResultTTL time.Duration
	// ValidationExpression is identityValidationExpression, compiled to match a whole value;
	// nil when unset. ValidationPattern is the expression as written.
	ValidationExpression *regexp.Regexp
	ValidationPattern    string
	// FunctionName is the key under functions of a TOKEN or REQUEST authorizer's function.
	FunctionName string
	// ResourceID is the logical ID of the AWS::ApiGateway::Authorizer resource the endpoint
	// refers to with authorizerId, "" otherwise.
	ResourceID string
	// RolesFromGroups (COGNITO_GROUP_POLICY only, Gatehouse's rolesFromGroups) takes the
	// roles of every group in the token's cognito:groups, looked up in the pool, instead of
	// the token's cognito:roles.
	RolesFromGroups bool
	// Claims is the deprecated claims filter, only meaningful with the lambda integration.
	Claims []string
	Pos    Pos
}

// IntegrationType is how API Gateway reaches the backend.
type IntegrationType string

const (
	IntegrationLambdaProxy IntegrationType = "AWS_PROXY"  // lambda-proxy, the default
	IntegrationLambda      IntegrationType = "AWS"        // lambda, with mapping templates
	IntegrationHTTPProxy   IntegrationType = "HTTP_PROXY" // http-proxy
	IntegrationHTTP        IntegrationType = "HTTP"       // http, with mapping templates
)

// Integration is the backend of an endpoint.
type Integration struct {
	Type IntegrationType
	// URI is the backend URL of HTTP and HTTP_PROXY integrations; {name} placeholders take
	// the endpoint's path parameters ({proxy} the greedy one).
	URI string
	// Method is the method used towards URI; "" forwards the request's own.
	Method string
	// Async invokes the Lambda function without waiting for it (async: true).
	Async bool
	// Responses are the integration responses of an AWS (lambda) or HTTP integration, from
	// response.statusCodes, in file order, with the Framework's default response (200)
	// added when none is given; nil when the block names no statusCodes, which means the
	// Framework's default statusCodes (gateway.DefaultLambdaResponses).
	Responses []StatusResponse
}

// StatusResponse is one integration response of response.statusCodes: the status API Gateway
// answers when the selection pattern matches a function error's errorMessage (or an HTTP
// backend's status code), as the Framework compiles it (Serverless Framework guide, "API
// Gateway — Lambda Integration", "Status Codes"; API Gateway developer guide, "Handle Lambda
// errors in API Gateway").
type StatusResponse struct {
	Status int
	// Pattern is the selection pattern compiled to match a whole message, as Java's
	// String.matches does; nil for the default response (the status without a pattern).
	Pattern *regexp.Regexp
	Pos     Pos
}

// Resource types this package keeps typed; others are kept as written and ignored.
const (
	TypeAPIGatewayAuthorizer    = "AWS::ApiGateway::Authorizer"
	TypeCognitoUserPool         = "AWS::Cognito::UserPool"
	TypeCognitoUserPoolClient   = "AWS::Cognito::UserPoolClient"
	TypeCognitoUserPoolGroup    = "AWS::Cognito::UserPoolGroup"
	TypeCognitoIdentityPool     = "AWS::Cognito::IdentityPool"
	TypeIAMRole                 = "AWS::IAM::Role"
	TypeCognitoIdentityPoolRole = "AWS::Cognito::IdentityPoolRoleAttachment"
	TypeCognitoResourceServer   = "AWS::Cognito::UserPoolResourceServer"
	TypeCognitoUserPoolUser     = "AWS::Cognito::UserPoolUser"
	TypeCognitoUserToGroup      = "AWS::Cognito::UserPoolUserToGroupAttachment"
	TypeIAMPolicy               = "AWS::IAM::Policy"
	TypeIAMManagedPolicy        = "AWS::IAM::ManagedPolicy"
)

// supportedResourceType reports whether Gatehouse uses resources of type t.
func supportedResourceType(t string) bool {
	switch t {
	case TypeAPIGatewayAuthorizer, TypeCognitoUserPool, TypeCognitoUserPoolClient,
		TypeCognitoUserPoolGroup, TypeCognitoIdentityPool, TypeIAMRole, TypeCognitoIdentityPoolRole,
		TypeCognitoUserPoolUser, TypeCognitoUserToGroup, TypeIAMPolicy, TypeIAMManagedPolicy:
		return true
	}
	return false
}

// Resource is one CloudFormation resource of resources.Resources.
type Resource struct {
	LogicalID string
	Type      string
	// Supported reports whether Gatehouse creates resources of this type.
	Supported bool
	// Properties are kept as written (variables resolved, intrinsic functions kept) for the
	// packages that create the resource.
	Properties Value
	DependsOn  []string
	Condition  string
	// DeletionPolicy is "Delete" (the default), "Retain" or "Snapshot" (treated as Delete by
	// the types Gatehouse creates, as CloudFormation does for types without snapshots).
	DeletionPolicy string
	// Authorizer is the compiled form of an AWS::ApiGateway::Authorizer; nil for other types.
	Authorizer *Authorizer
	Pos        Pos
}

// Output is one entry of resources.Outputs.
type Output struct {
	Name        string
	Value       Value
	Description string
	ExportName  Value // zero when not exported
	Condition   string
	Pos         Pos
}
