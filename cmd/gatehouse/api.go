package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/serverless"
)

// apiRuntime serves the REST API of one serverless.yml: it compiles the file into a gateway
// table and the Lambda functions it names, and recompiles it when the file changes. A file
// that fails to load or compile leaves the running API as it was (Pomerium's rule: config is
// compiled into an immutable snapshot, swapped only when the whole of it is good).
type apiRuntime struct {
	file    string
	opts    serverless.Options
	log     *slog.Logger
	gw      *gateway.Gateway
	lambdas *lambda.Manager
	invoker gateway.Invoker
	client  *http.Client
	auth    authorizerDeps

	mu        sync.Mutex // serialises reloads
	functions map[string]lambda.Function
	stamp     fileStamp
	svc       *serverless.Service
	auths     map[string]gateway.Authorizer // the authorizers served now, for authorizerStats
}

// fileStamp is what the watcher compares to notice an edit: an editor that rewrites the file
// in place within one mtime tick still changes its size or content hash.
type fileStamp struct {
	mod  time.Time
	size int64
	sum  [sha256.Size]byte
}

func statFile(path string) (fileStamp, error) {
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	if st.Size() > serverless.MaxFileSize {
		// Load refuses it with a clear error; hashing it would only cost time.
		return fileStamp{mod: st.ModTime(), size: st.Size()}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{mod: st.ModTime(), size: st.Size(), sum: sha256.Sum256(data)}, nil
}

// compiled is one load of the file: the table to serve and the functions behind it.
type compiled struct {
	svc       *serverless.Service
	table     *gateway.Table
	functions map[string]lambda.Function
	auths     map[string]gateway.Authorizer
}

// reload loads the file and, when it is good, registers its functions, swaps the route table
// and retires the functions it no longer names. On error nothing changes.
func (rt *apiRuntime) reload(ctx context.Context) (*serverless.Service, error) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	stamp, err := statFile(rt.file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rt.file, err)
	}
	c, err := rt.compile(ctx)
	if err != nil {
		return nil, err
	}
	for _, fn := range c.functions {
		if err := rt.lambdas.Register(fn); err != nil {
			return nil, fmt.Errorf("%s: function %s: %w", rt.file, fn.Name, err)
		}
	}
	rt.gw.Swap(c.table)
	for name := range rt.functions {
		if _, ok := c.functions[name]; !ok {
			rt.lambdas.Unregister(name)
		}
	}
	rt.functions, rt.stamp, rt.svc, rt.auths = c.functions, stamp, c.svc, c.auths
	return c.svc, nil
}

// watch polls the file every interval and reloads it when it changed, until ctx is done. A
// failed reload is logged with every problem and the old routes stay. Polling, rather than
// inotify, also follows editors that replace the file and files on network mounts.
func (rt *apiRuntime) watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		stamp, err := statFile(rt.file)
		rt.mu.Lock()
		same := err == nil && stamp == rt.stamp
		rt.mu.Unlock()
		if same {
			continue
		}
		if err != nil {
			if msg := err.Error(); msg != lastErr {
				rt.log.Error("api config unreadable; keeping the current routes", "file", rt.file, "err", err)
				lastErr = msg
			}
			continue
		}
		svc, err := rt.reload(ctx)
		if err != nil {
			if msg := err.Error(); msg != lastErr {
				rt.log.Error("api config reload failed; keeping the current routes", "file", rt.file, "err", err)
				lastErr = msg
			}
			// Do not retry the same content every tick: remember it as seen.
			rt.mu.Lock()
			rt.stamp = stamp
			rt.mu.Unlock()
			continue
		}
		lastErr = ""
		rt.log.Info("api config reloaded", "file", rt.file, "service", svc.Name, "stage", svc.Stage, "endpoints", len(svc.Endpoints))
	}
}

// compile loads the file and builds everything it describes without touching what runs.
func (rt *apiRuntime) compile(ctx context.Context) (*compiled, error) {
	svc, diags, err := serverless.Load(rt.file, rt.opts)
	for _, d := range diags {
		switch d.Severity {
		case serverless.Info:
			rt.log.Info(d.String())
		default:
			rt.log.Warn(d.String())
		}
	}
	if err != nil {
		return nil, err
	}
	if r := svc.Provider.Region; r != "" && rt.opts.Region != "" && r != rt.opts.Region {
		// One Gatehouse is one region, as its pool ids and ARNs say; the file's region would
		// give method ARNs that no policy or pool of this endpoint names.
		rt.log.Warn(fmt.Sprintf("%s:%d: provider.region %s is served as %s, the region of this Gatehouse (--region)",
			svc.File, svc.Provider.Pos.Line, r, rt.opts.Region))
	}
	c := &compiled{svc: svc, functions: map[string]lambda.Function{}}
	dir := filepath.Dir(rt.file)
	for _, f := range svc.Functions {
		if f.Handler == "" {
			continue // fronts HTTP integrations only
		}
		fn, err := lambdaFunction(svc, f, dir)
		if err != nil {
			return nil, err
		}
		c.functions[fn.Name] = fn
	}
	api, auths, err := rt.buildAPI(ctx, svc)
	if err != nil {
		return nil, err
	}
	c.auths = auths
	if c.table, err = gateway.NewTable(api); err != nil {
		return nil, fmt.Errorf("%s: %w", svc.File, err)
	}
	return c, nil
}

// lambdaFunction is the process configuration of one function of svc.
func lambdaFunction(svc *serverless.Service, f *serverless.Function, dir string) (lambda.Function, error) {
	env := make(map[string]string, len(f.Environment))
	for name, v := range f.Environment {
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

// buildAPI turns svc's endpoints into the gateway's API.
func (rt *apiRuntime) buildAPI(ctx context.Context, svc *serverless.Service) (*gateway.API, map[string]gateway.Authorizer, error) {
	api := &gateway.API{
		ID:               apiID(svc.Name, svc.Stage, svc.Region, rt.opts.AccountID),
		Name:             svc.Provider.APIName,
		Stage:            svc.Stage,
		Region:           svc.Region,
		AccountID:        rt.opts.AccountID,
		BinaryMediaTypes: svc.Provider.APIGateway.BinaryMediaTypes,
	}
	if api.AccountID == "" {
		api.AccountID = serverless.DefaultAccountID
	}
	auths := map[string]gateway.Authorizer{}
	keys, err := rt.apiKeys(svc)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range svc.Endpoints {
		where := fmt.Sprintf("%s:%d: %s /%s", svc.File, e.Pos.Line, e.Method, e.Path)
		a, err := rt.authorizer(ctx, svc, e, auths)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", where, err)
		}
		if e.Private {
			a = &apiKeyCheck{next: a, keys: keys}
		}
		in, err := rt.integration(svc, e)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", where, err)
		}
		api.Routes = append(api.Routes, gateway.Route{
			Path:        e.ResourcePath(),
			Method:      e.Method,
			Authorizer:  a,
			Integration: in,
			CORS:        gatewayCORS(e.CORS),
		})
	}
	return api, auths, nil
}

// integration builds the backend of one endpoint.
func (rt *apiRuntime) integration(svc *serverless.Service, e *serverless.Endpoint) (gateway.Integration, error) {
	switch e.Integration.Type {
	case serverless.IntegrationLambdaProxy, "":
		f := svc.Function(e.FunctionName)
		if f == nil || f.Handler == "" {
			return nil, fmt.Errorf("function %s has no handler for its lambda-proxy integration", e.FunctionName)
		}
		if e.Integration.Async {
			return nil, errors.New("async: true is not supported with the lambda-proxy integration (API Gateway allows it only with integration: lambda)")
		}
		return &gateway.LambdaProxy{Function: f.FunctionName, Invoker: rt.invoker}, nil
	case serverless.IntegrationHTTPProxy:
		return gateway.NewHTTPProxy(e.Integration.URI, rt.client)
	case serverless.IntegrationLambda:
		f := svc.Function(e.FunctionName)
		if f == nil || f.Handler == "" {
			return nil, fmt.Errorf("function %s has no handler for its lambda integration", e.FunctionName)
		}
		if e.Integration.Async {
			return nil, errors.New("async: true (an Event invocation) is not supported by Gatehouse; drop it to invoke the function synchronously")
		}
		responses, err := lambdaResponses(e.Integration)
		if err != nil {
			return nil, err
		}
		return &gateway.LambdaCustom{Function: f.FunctionName, Invoker: rt.invoker, Responses: responses}, nil
	case serverless.IntegrationHTTP:
		responses, err := lambdaResponses(e.Integration)
		if err != nil {
			return nil, err
		}
		return gateway.NewHTTPCustom(e.Integration.URI, e.Integration.Method, responses, rt.client)
	default:
		return nil, fmt.Errorf("integration %s is not supported by Gatehouse", e.Integration.Type)
	}
}

// lambdaResponses reads the statusCodes of a lambda or http integration's response block:
// each status with the selection pattern matched against a function error's errorMessage (or
// an HTTP backend's status code). The
// Framework's default request and response templates are what Gatehouse renders; a file that
// writes its own (request.template, response.template, a status's template or headers) is
// refused, since Gatehouse does not run Velocity templates and serving it without them would
// hand the function and the client something else than AWS does.
func lambdaResponses(in serverless.Integration) ([]gateway.StatusPattern, error) {
	if t, ok := in.Request.Get("template"); ok {
		return nil, fmt.Errorf("line %d: request.template: custom mapping templates are not supported by Gatehouse (the Framework's default templates are); use lambda-proxy", t.Pos.Line)
	}
	for _, k := range []string{"template", "headers"} {
		if t, ok := in.Response.Get(k); ok {
			return nil, fmt.Errorf("line %d: response.%s is not supported by Gatehouse (mapping templates); use lambda-proxy", t.Pos.Line, k)
		}
	}
	codes, ok := in.Response.Get("statusCodes")
	if !ok {
		return nil, nil
	}
	if codes.Kind != serverless.KindMap {
		return nil, fmt.Errorf("line %d: response.statusCodes must be a map of status codes", codes.Pos.Line)
	}
	var out []gateway.StatusPattern
	hasDefault := false
	for _, c := range codes.Map {
		status, err := strconv.Atoi(c.Key)
		if err != nil || status < 100 || status > 599 {
			return nil, fmt.Errorf("line %d: response.statusCodes: %q is not an HTTP status", c.KeyPos.Line, c.Key)
		}
		for _, f := range c.Value.Map {
			if f.Key != "pattern" {
				return nil, fmt.Errorf("line %d: response.statusCodes.%s.%s is not supported by Gatehouse (only pattern is)", f.KeyPos.Line, c.Key, f.Key)
			}
		}
		pattern := ""
		if pv, ok := c.Value.Get("pattern"); ok {
			pattern = pv.Str
		}
		if pattern == "" {
			// The Framework makes the status without a pattern the default response.
			out = append(out, gateway.StatusPattern{Status: status})
			hasDefault = true
			continue
		}
		re, err := regexp.Compile(`^(?:` + pattern + `)$`)
		if err != nil {
			return nil, fmt.Errorf("line %d: response.statusCodes.%s.pattern: %v", c.KeyPos.Line, c.Key, err)
		}
		out = append(out, gateway.StatusPattern{Status: status, Pattern: re})
	}
	if !hasDefault {
		// The Framework adds 200 as the default response when none is given.
		out = append(out, gateway.StatusPattern{Status: http.StatusOK})
	}
	return out, nil
}

// gatewayCORS converts serverless.yml's cors settings.
func gatewayCORS(c *serverless.CORS) *gateway.CORS {
	if c == nil {
		return nil
	}
	return &gateway.CORS{
		Origins:          c.Origins,
		Headers:          c.Headers,
		Methods:          c.Methods,
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

// lambdaInvoker adapts the Lambda process manager to the gateway's Invoker contract: a
// function that threw, timed out or crashed is a *gateway.FunctionError (Lambda's
// X-Amz-Function-Error case, which API Gateway answers 502); a function that could not be
// invoked at all is a plain error (500).
type lambdaInvoker struct{ m *lambda.Manager }

func (l lambdaInvoker) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
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

// endpointURL is the stage's base URL on the API listener.
func endpointURL(base, stage string) string {
	return strings.TrimRight(base, "/") + "/" + stage
}

var _ gateway.Invoker = lambdaInvoker{}
