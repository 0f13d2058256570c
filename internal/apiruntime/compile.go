package apiruntime

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Deps is what a service's integrations and authorizers are built from.
type Deps struct {
	// AccountID is the account of method ARNs; "" is serverless.DefaultAccountID.
	AccountID string
	// Region is this Gatehouse's region (--region); a file naming another is served as this
	// one, with a warning. "" leaves the file's region alone.
	Region string
	// Master derives the value of an API key the file gives none, so that it is the same on
	// every start and every node.
	Master *masterkey.Key
	// Invoker runs the file's functions, for integrations and Lambda authorizers
	// (NewInvoker of the lambda.Manager they are registered with).
	Invoker gateway.Invoker
	// HTTPClient calls http and http-proxy backends; nil is gateway.NewHTTPClient().
	HTTPClient *http.Client

	// Verifier and Clients check Cognito tokens (COGNITO_USER_POOLS, COGNITO_GROUP_POLICY);
	// Pools is asked whether an authorizer's pools exist, to warn about those that do not.
	Verifier authorizer.Verifier
	Clients  authorizer.ClientLookup
	Pools    store.UserPools
	// Groups and Roles answer COGNITO_GROUP_POLICY: a group's role, a role's policies.
	Groups store.Groups
	Roles  store.Roles
	// Principals answers AWS_IAM methods: access keys' secrets and their callers' policies.
	Principals authorizer.Principals
	// Now is the clock of the authorizers' caches; nil is time.Now.
	Now func() time.Time

	// LocalPool says whether an HTTP API jwt authorizer's issuer is one of Gatehouse's own
	// pools (token.Issuer.PoolIDFromIssuer); JWKS fetches the keys of any other issuer. A
	// Runtime keeps one JWKS across reloads.
	LocalPool func(iss string) (poolID string, ok bool)
	JWKS      *authorizer.JWKSCache
	// StackPools are the ARNs of the user pools of the file's own resources by logical ID
	// (authorizers naming Fn::GetAtt Pool.Arn), as the Provisioner deployed them.
	StackPools map[string]string
	// GatewayResponses customise the API's own answers (AWS::ApiGateway::GatewayResponse).
	GatewayResponses map[gateway.ResponseType]gateway.GatewayResponse
	// StackEnv are the values of environment variables written as CloudFormation
	// expressions, as the Provisioner evaluated them: function key → name → value.
	StackEnv map[string]map[string]string
}

// Snapshot is one compiled service: what the gateway serves and what runs behind it. Nothing
// in it changes after Compile returns.
type Snapshot struct {
	Service *serverless.Service
	// Table is the gateway's route table.
	Table *gateway.Table
	// Functions are the processes the integrations and Lambda authorizers invoke, by their
	// Lambda function name.
	Functions map[string]lambda.Function
	// APIKeys are the enabled keys of provider.apiGateway.apiKeys, values filled in.
	APIKeys []APIKey
	// HTTPTable is the HTTP API's route table, nil when the file has no httpApi event;
	// HTTPAPIID is that API's id.
	HTTPTable *httpapi.Table
	HTTPAPIID string
	// Warnings are problems that do not stop the API from being served, each starting with
	// file:line.
	Warnings []string

	authorizers []*builtAuthorizer // in the order the endpoints first name them
}

// APIKey is one enabled API key of the service.
type APIKey struct{ Name, Value string }

// Compile builds everything svc describes without touching what runs: a Snapshot, or an
// error naming the file and line of the first setting that cannot be served.
func Compile(ctx context.Context, svc *serverless.Service, deps Deps) (*Snapshot, error) {
	if deps.HTTPClient == nil {
		deps.HTTPClient = gateway.NewHTTPClient()
	}
	if deps.AccountID == "" {
		deps.AccountID = serverless.DefaultAccountID
	}
	s := &Snapshot{Service: svc, Functions: map[string]lambda.Function{}}
	if r := svc.Provider.Region; r != "" && deps.Region != "" && r != deps.Region {
		// One Gatehouse is one region, as its pool ids and ARNs say; the file's region would
		// give method ARNs that no policy or pool of this endpoint names.
		s.Warnings = append(s.Warnings, fmt.Sprintf("%s:%d: provider.region %s is served as %s, the region of this Gatehouse (--region)",
			svc.File, svc.Provider.Pos.Line, r, deps.Region))
	}
	dir := filepath.Dir(svc.File)
	for _, f := range svc.Functions {
		if f.Handler == "" {
			continue // fronts HTTP integrations only
		}
		fn, err := lambdaFunction(svc, f, dir, deps.StackEnv[f.Name])
		if err != nil {
			return nil, err
		}
		s.Functions[fn.Name] = fn
	}
	keys, err := apiKeys(svc, deps.Master)
	if err != nil {
		return nil, err
	}
	s.APIKeys = keys
	b := &builder{ctx: ctx, svc: svc, deps: deps, snap: s, built: map[authorizerKey]*builtAuthorizer{}}
	api, err := b.api()
	if err != nil {
		return nil, err
	}
	if s.Table, err = gateway.NewTable(api); err != nil {
		return nil, fmt.Errorf("%s: %w", svc.File, err)
	}
	if s.HTTPTable, err = b.httpAPI(); err != nil {
		return nil, err
	}
	return s, nil
}

// builder is one Compile's working state.
type builder struct {
	ctx   context.Context
	svc   *serverless.Service
	deps  Deps
	snap  *Snapshot
	built map[authorizerKey]*builtAuthorizer
}

// api turns the service's endpoints into the gateway's API.
func (b *builder) api() (*gateway.API, error) {
	svc := b.svc
	api := &gateway.API{
		ID:               apiID(svc.Name, svc.Stage, svc.Region, b.deps.AccountID),
		Name:             svc.Provider.APIName,
		Stage:            svc.Stage,
		Region:           svc.Region,
		AccountID:        b.deps.AccountID,
		BinaryMediaTypes: svc.Provider.APIGateway.BinaryMediaTypes,
		GatewayResponses: b.deps.GatewayResponses,
	}
	for _, e := range svc.Endpoints {
		where := fmt.Sprintf("%s:%d: %s /%s", svc.File, e.Pos.Line, e.Method, e.Path)
		a, err := b.authorizer(e.Authorizer)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if e.Private {
			a = &apiKeyCheck{next: a, keys: b.snap.APIKeys}
		}
		in, err := b.integration(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		api.Routes = append(api.Routes, gateway.Route{
			Path:        e.ResourcePath(),
			Method:      e.Method,
			Authorizer:  a,
			Integration: in,
			CORS:        gatewayCORS(e.CORS),
		})
	}
	return api, nil
}

// integration builds the backend of one endpoint.
func (b *builder) integration(e *serverless.Endpoint) (gateway.Integration, error) {
	switch e.Integration.Type {
	case serverless.IntegrationLambdaProxy, "":
		f := b.svc.Function(e.FunctionName)
		if f == nil || f.Handler == "" {
			return nil, fmt.Errorf("function %s has no handler for its lambda-proxy integration", e.FunctionName)
		}
		if e.Integration.Async {
			return nil, errors.New("async: true is not supported with the lambda-proxy integration (API Gateway allows it only with integration: lambda)")
		}
		return &gateway.LambdaProxy{Function: f.FunctionName, Invoker: b.deps.Invoker}, nil
	case serverless.IntegrationHTTPProxy:
		return gateway.NewHTTPProxy(e.Integration.URI, b.deps.HTTPClient)
	case serverless.IntegrationLambda:
		f := b.svc.Function(e.FunctionName)
		if f == nil || f.Handler == "" {
			return nil, fmt.Errorf("function %s has no handler for its lambda integration", e.FunctionName)
		}
		if e.Integration.Async {
			return nil, errors.New("async: true (an Event invocation) is not supported by Gatehouse; drop it to invoke the function synchronously")
		}
		return &gateway.LambdaCustom{Function: f.FunctionName, Invoker: b.deps.Invoker, Responses: statusPatterns(e.Integration.Responses)}, nil
	case serverless.IntegrationHTTP:
		return gateway.NewHTTPCustom(e.Integration.URI, e.Integration.Method, statusPatterns(e.Integration.Responses), b.deps.HTTPClient)
	default:
		return nil, fmt.Errorf("integration %s is not supported by Gatehouse", e.Integration.Type)
	}
}

// statusPatterns converts the integration responses; nil stays nil (the Framework's defaults).
func statusPatterns(rs []serverless.StatusResponse) []gateway.StatusPattern {
	if rs == nil {
		return nil
	}
	out := make([]gateway.StatusPattern, len(rs))
	for i, r := range rs {
		out[i] = gateway.StatusPattern{Status: r.Status, Pattern: r.Pattern}
	}
	return out
}

// lambdaFunction is the process configuration of one function of svc.
func lambdaFunction(svc *serverless.Service, f *serverless.Function, dir string, stackEnv map[string]string) (lambda.Function, error) {
	env := make(map[string]string, len(f.Environment))
	for name, v := range f.Environment {
		if s, ok := stackEnv[name]; ok && v.IsExpr() {
			env[name] = s // {Ref: CognitoUserPool} and the like, resolved by the stack
			continue
		}
		if v.IsExpr() {
			// A {Ref: …} or Fn::GetAtt names a resource of the deployed stack; there is no
			// text to give it here, and an empty value would hide the problem.
			return lambda.Function{}, fmt.Errorf("%s:%d: function %s: environment variable %s is a CloudFormation expression Gatehouse cannot evaluate; give it a plain value (e.g. ${env:%s, 'local-value'})",
				svc.File, v.Pos.Line, f.Name, name, name)
		}
		env[name] = v.Value
	}
	return lambda.Function{
		Name:     f.FunctionName,
		Runtime:  f.Runtime,
		Handler:  f.Handler,
		Dir:      dir,
		Timeout:  f.Timeout,
		MemoryMB: f.MemorySize,
		Env:      env,
	}, nil
}

// apiKeys returns the values of provider.apiGateway.apiKeys that are enabled. A key the file
// gives no value is derived from the master key and its name, so it is the same on every
// start and every node; serve prints it.
func apiKeys(svc *serverless.Service, master *masterkey.Key) ([]APIKey, error) {
	var keys []APIKey
	for _, k := range svc.Provider.APIGateway.APIKeys {
		if !k.Enabled {
			continue
		}
		v := k.Value
		if v == "" {
			if master == nil {
				return nil, fmt.Errorf("%s:%d: API key %q has no value and there is no master key to derive one", svc.File, k.Pos.Line, k.Name)
			}
			// API Gateway generates 40-character keys; 30 bytes of base64url are 40 characters.
			v = base64.RawURLEncoding.EncodeToString(master.Derive("gatehouse/api-key/" + svc.Name + "/" + svc.Stage + "/" + k.Name)[:30])
		}
		if len(v) < 20 {
			// CreateApiKey: "API Key value should be at least 20 characters".
			return nil, fmt.Errorf("%s:%d: API key %q: a value must be at least 20 characters", svc.File, k.Pos.Line, k.Name)
		}
		keys = append(keys, APIKey{Name: k.Name, Value: v})
	}
	return keys, nil
}

// gatewayCORS converts serverless.yml's cors settings.
func gatewayCORS(c *serverless.CORS) *gateway.CORS {
	if c == nil {
		return nil
	}
	return &gateway.CORS{
		Origins:          slices.Clone(c.Origins),
		Headers:          slices.Clone(c.Headers),
		Methods:          slices.Clone(c.Methods),
		AllowCredentials: c.AllowCredentials,
		MaxAge:           c.MaxAge,
		CacheControl:     c.CacheControl,
	}
}

// apiID is the REST API's id: ten lower-case alphanumerics as API Gateway's, derived from the
// service, stage, region and account so that method ARNs (and the IAM policies naming them)
// stay the same across restarts and nodes.
func apiID(service, stage, region, account string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte("gatehouse/rest-api\x00" + service + "\x00" + stage + "\x00" + region + "\x00" + account))
	b := make([]byte, 10)
	for i := range b {
		b[i] = alphabet[int(sum[i])%len(alphabet)]
	}
	return string(b)
}

// RestAPIID is the id of the REST API Gatehouse serves for svc (Ref ApiGatewayRestApi);
// account "" is serverless.DefaultAccountID.
func RestAPIID(svc *serverless.Service, account string) string {
	if account == "" {
		account = serverless.DefaultAccountID
	}
	return apiID(svc.Name, svc.Stage, svc.Region, account)
}

// EndpointURL is the stage's base URL on the API listener at base ("http://host:port").
func EndpointURL(base, stage string) string {
	return strings.TrimRight(base, "/") + "/" + stage
}

// Invoker adapts the Lambda process manager to the gateway's Invoker contract: a function
// that threw, timed out or crashed is a *gateway.FunctionError (Lambda's X-Amz-Function-Error
// case, which API Gateway answers 502); a function that could not be invoked at all is a
// plain error (500).
type Invoker struct{ m *lambda.Manager }

// NewInvoker returns the Invoker of the functions registered with m.
func NewInvoker(m *lambda.Manager) Invoker { return Invoker{m} }

// Invoke runs the function synchronously with payload.
func (l Invoker) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	res, err := l.m.Invoke(ctx, function, payload)
	if err != nil {
		var ie *lambda.InvokeError
		if errors.As(err, &ie) && (errors.Is(err, lambda.ErrTimeout) || errors.Is(err, lambda.ErrRuntimeExit)) {
			doc, _ := json.Marshal(map[string]string{"errorType": ie.Type, "errorMessage": ie.Message})
			return nil, &gateway.FunctionError{Type: "Unhandled", Payload: doc}
		}
		return nil, err
	}
	if res.FunctionError != nil {
		return nil, &gateway.FunctionError{Type: "Unhandled", Payload: res.Payload}
	}
	return res.Payload, nil
}

var _ gateway.Invoker = Invoker{}
