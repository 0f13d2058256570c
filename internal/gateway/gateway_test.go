package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestDefaultGatewayResponses checks every default gateway response an authorizer can return:
// status, exact body and x-amzn-ErrorType, and that the integration is never reached.
func TestDefaultGatewayResponses(t *testing.T) {
	cases := []struct {
		refuse    error
		status    int
		body      string
		errorType string
	}{
		{NewResponse(Unauthorized), 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
		{NewResponse(AccessDenied), 403, `{"Message":"User is not authorized to access this resource"}`, "AccessDeniedException"},
		{NewResponse(AccessDenied).WithMessage(MessageExplicitDeny), 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`, "AccessDeniedException"},
		{NewResponse(MissingAuthenticationToken), 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException"},
		{NewResponse(ExpiredToken), 403, `{"message":"The security token included in the request is expired"}`, "ExpiredTokenException"},
		{NewResponse(InvalidSignature).WithMessage("Signature expired: 20170517T062414Z is now earlier than 20170517T062840Z (20170517T063340Z - 5 min.)"),
			403, `{"message":"Signature expired: 20170517T062414Z is now earlier than 20170517T062840Z (20170517T063340Z - 5 min.)"}`, "InvalidSignatureException"},
		{NewResponse(InvalidAPIKey), 403, `{"message":"Forbidden"}`, "ForbiddenException"},
		{NewResponse(AuthorizerConfigurationError), 500, `{"message":null}`, "AuthorizerConfigurationException"},
		{NewResponse(AuthorizerFailure), 500, `{"message":null}`, "AuthorizerConfigurationException"},
		{NewResponse(Throttled), 429, `{"message":"Too Many Requests"}`, "TooManyRequestsException"},
		{errors.New("jwks fetch: connection refused"), 500, `{"message":null}`, "AuthorizerConfigurationException"},
		{&wrapped{NewResponse(Unauthorized)}, 401, `{"message":"Unauthorized"}`, "UnauthorizedException"},
	}
	for _, tc := range cases {
		t.Run(tc.refuse.Error(), func(t *testing.T) {
			var reached atomic.Bool
			integ := integrationFunc(func(context.Context, *Request, *Principal) (*IntegrationResponse, error) {
				reached.Store(true)
				return &IntegrationResponse{StatusCode: 200}, nil
			})
			auth := authorizerFunc(func(context.Context, *Request) (*Principal, error) {
				return &Principal{PrincipalID: "should-not-matter"}, tc.refuse // a principal with an error is still a refusal
			})
			g := newTestGateway(t, testAPI(Route{Method: "GET", Path: "/tasks", Authorizer: auth, Integration: integ}))
			rec := do(g, "GET", "/dev/tasks", nil)
			wantGatewayResponse(t, rec, tc.status, tc.body, tc.errorType)
			if reached.Load() {
				t.Error("the integration was reached")
			}
		})
	}
}

type wrapped struct{ err error }

func (w *wrapped) Error() string { return "wrapped: " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }

type integrationFunc func(ctx context.Context, r *Request, p *Principal) (*IntegrationResponse, error)

func (f integrationFunc) Invoke(ctx context.Context, r *Request, p *Principal) (*IntegrationResponse, error) {
	return f(ctx, r, p)
}

// TestAuthorizerNeverPassesOnFailure: a panic or a nil principal is a 500, never a pass.
func TestAuthorizerNeverPassesOnFailure(t *testing.T) {
	for name, auth := range map[string]Authorizer{
		"panic":        authorizerFunc(func(context.Context, *Request) (*Principal, error) { panic("bug") }),
		"nil, nil":     authorizerFunc(func(context.Context, *Request) (*Principal, error) { return nil, nil }),
		"nil response": authorizerFunc(func(context.Context, *Request) (*Principal, error) { return nil, (*Response)(nil) }),
	} {
		t.Run(name, func(t *testing.T) {
			var reached atomic.Bool
			integ := integrationFunc(func(context.Context, *Request, *Principal) (*IntegrationResponse, error) {
				reached.Store(true)
				return &IntegrationResponse{StatusCode: 200}, nil
			})
			g := newTestGateway(t, testAPI(Route{Method: "GET", Path: "/x", Authorizer: auth, Integration: integ}))
			rec := do(g, "GET", "/dev/x", nil)
			if rec.Code != 500 || reached.Load() {
				t.Errorf("status %d, reached %v", rec.Code, reached.Load())
			}
		})
	}
}

func TestAuthorizerSeesRequest(t *testing.T) {
	var seen *Request
	auth := authorizerFunc(func(_ context.Context, r *Request) (*Principal, error) {
		seen = r
		return &Principal{Claims: map[string]any{"sub": "u1"}}, nil
	})
	var got *Principal
	integ := integrationFunc(func(_ context.Context, _ *Request, p *Principal) (*IntegrationResponse, error) {
		got = p
		return &IntegrationResponse{StatusCode: 204}, nil
	})
	g := newTestGateway(t, testAPI(Route{Method: "POST", Path: "/tasks/{id}", Authorizer: auth, Integration: integ}))
	rec := do(g, "POST", "/dev/tasks/a%20b?x=1", []byte("hi"), "Authorization", "tok", "User-Agent", "ua")
	if rec.Code != 204 {
		t.Fatalf("status %d", rec.Code)
	}
	if seen.MethodARN() != "arn:aws:execute-api:us-east-1:123456789012:gy415nuibc/dev/POST/tasks/a%20b" ||
		seen.Headers.Get("Authorization") != "tok" || seen.PathParams["id"] != "a b" || seen.Query.Get("x") != "1" ||
		string(seen.Body) != "hi" || seen.SourceIP != "192.168.196.186" || seen.UserAgent != "ua" ||
		seen.Stage() != "dev" || seen.APIID() != "gy415nuibc" || seen.ResourcePath != "/tasks/{id}" {
		t.Errorf("request %+v", seen)
	}
	if got == nil || got.Claims["sub"] != "u1" {
		t.Errorf("integration got principal %+v", got)
	}
}

func TestMissingRoutes(t *testing.T) {
	g := newTestGateway(t, testAPI(Route{Method: "GET", Path: "/tasks", Integration: staticIntegration{200, "ok"}}))
	for _, target := range []string{"/dev/nope", "/prod/tasks", "/", "/dev/tasks/1"} {
		rec := do(g, "GET", target, nil)
		wantGatewayResponse(t, rec, 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException")
	}
	rec := do(g, "POST", "/dev/tasks", []byte("x"))
	wantGatewayResponse(t, rec, 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException")

	empty := New(nil, Options{})
	wantGatewayResponse(t, do(empty, "GET", "/dev/tasks", nil), 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException")
}

func TestHeadHasNoBody(t *testing.T) {
	g := newTestGateway(t, testAPI(Route{Method: "ANY", Path: "/x", Integration: staticIntegration{200, "body"}}))
	rec := do(g, "HEAD", "/dev/x", nil)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") != "4" {
		t.Errorf("HEAD: %d %q %v", rec.Code, rec.Body, rec.Header())
	}
	rec = do(g, "HEAD", "/dev/nope", nil)
	if rec.Code != 403 || rec.Body.Len() != 0 {
		t.Errorf("HEAD 403: %d %q", rec.Code, rec.Body)
	}
}

func TestLimits(t *testing.T) {
	fn := &eventRecorder{}
	auth := authorizerFunc(func(context.Context, *Request) (*Principal, error) { return &Principal{PrincipalID: "p"}, nil })
	g := newTestGateway(t, testAPI(
		Route{Method: "POST", Path: "/up", Integration: &LambdaProxy{Function: "f", Invoker: fn}},
		Route{Method: "GET", Path: "/auth/{proxy+}", Authorizer: auth, Integration: staticIntegration{200, "ok"}},
		Route{Method: "GET", Path: "/open/{proxy+}", Integration: staticIntegration{200, "ok"}},
	))
	const edge413 = "HTTP content length exceeded 10485760 bytes."

	// A declared Content-Length over 10 MB is refused before anything is read.
	req := httptest.NewRequest("POST", "/dev/up", strings.NewReader("x"))
	req.ContentLength = MaxBodyBytes + 1
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	if rec.Code != 413 || rec.Body.String() != edge413 {
		t.Errorf("Content-Length over the limit: %d %s", rec.Code, rec.Body)
	}
	// A chunked body is cut at the limit.
	req = httptest.NewRequest("POST", "/dev/up", io.MultiReader(bytes.NewReader(make([]byte, MaxBodyBytes)), strings.NewReader("x")))
	req.ContentLength = -1
	rec = httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	if rec.Code != 413 || rec.Body.String() != edge413 {
		t.Errorf("chunked body over the limit: %d %s", rec.Code, rec.Body)
	}
	if fn.count() != 0 {
		t.Error("function invoked with an oversized body")
	}

	// Headers over 10 KB.
	rec = do(g, "GET", "/dev/open/x", nil, "X-Big", strings.Repeat("a", MaxHeaderBytes))
	if rec.Code != 431 {
		t.Errorf("big headers: %d %s", rec.Code, rec.Body)
	}
	// 8 KB of header still reaches the authorizer and the integration.
	if rec = do(g, "GET", "/dev/auth/x", nil, "Authorization", strings.Repeat(".", 8192)); rec.Code != 200 {
		t.Errorf("8 KB Authorization: %d %s", rec.Code, rec.Body)
	}

	// A method ARN over 1,600 bytes is 414 when an authorizer would see it.
	long := "/dev/auth/" + strings.Repeat("seg/", 400)
	rec = do(g, "GET", long, nil)
	wantGatewayResponse(t, rec, 414, `{"message":"Request-URI Too Long"}`, "")
	if rec = do(g, "GET", "/dev/open/"+strings.Repeat("seg/", 400), nil); rec.Code != 200 {
		t.Errorf("long path without authorizer: %d", rec.Code)
	}
	// A request target over 8 KB is 414 whatever the route.
	rec = do(g, "GET", "/dev/open/x?q="+strings.Repeat("a", MaxURLBytes), nil)
	wantGatewayResponse(t, rec, 414, `{"message":"Request-URI Too Long"}`, "")
}

func TestSwap(t *testing.T) {
	t1, _ := NewTable(testAPI(Route{Method: "GET", Path: "/v", Integration: staticIntegration{200, "one"}}))
	t2, _ := NewTable(testAPI(Route{Method: "GET", Path: "/v", Integration: staticIntegration{200, "two"}}))
	g := New(t1, Options{})
	if rec := do(g, "GET", "/dev/v", nil); rec.Body.String() != "one" {
		t.Fatalf("before swap: %s", rec.Body)
	}
	var wg sync.WaitGroup
	var bad atomic.Int32
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if b := do(g, "GET", "/dev/v", nil).Body.String(); b != "one" && b != "two" {
					bad.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 50; i++ {
		g.Swap(t2)
		g.Swap(t1)
	}
	wg.Wait()
	if bad.Load() != 0 {
		t.Errorf("%d bad answers during swaps", bad.Load())
	}
	if old := g.Swap(t2); old != t1 || g.Table() != t2 {
		t.Error("Swap did not return the old table")
	}
	if rec := do(g, "GET", "/dev/v", nil); rec.Body.String() != "two" {
		t.Errorf("after swap: %s", rec.Body)
	}
}

// TestCustomGatewayResponses: an API's GatewayResponse resources (serverless resources such as
// GatewayResponseDefault4XX) add headers, change status and template.
func TestCustomGatewayResponses(t *testing.T) {
	auth := authorizerFunc(func(context.Context, *Request) (*Principal, error) { return nil, NewResponse(Unauthorized) })
	api := testAPI(Route{Method: "GET", Path: "/tasks", Authorizer: auth, Integration: staticIntegration{200, "ok"}})
	api.GatewayResponses = map[ResponseType]GatewayResponse{
		Default4XX: {Headers: map[string]string{
			"Access-Control-Allow-Origin":  "'*'",
			"Access-Control-Allow-Headers": "'Content-Type,Authorization'",
			"X-Echo":                       "method.request.header.X-Req",
		}},
		MissingAuthenticationToken: {StatusCode: 404, Template: `{"error":$context.error.messageString,"id":"$context.requestId","type":"$context.error.responseType"}`},
	}
	g := newTestGateway(t, api)

	rec := do(g, "GET", "/dev/tasks", nil, "X-Req", "abc")
	wantGatewayResponse(t, rec, 401, `{"message":"Unauthorized"}`, "UnauthorizedException")
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("X-Echo") != "abc" ||
		rec.Header().Get("Access-Control-Allow-Headers") != "Content-Type,Authorization" {
		t.Errorf("DEFAULT_4XX headers missing: %v", rec.Header())
	}

	rec = do(g, "GET", "/dev/nope", nil)
	id := rec.Header().Get("x-amzn-RequestId")
	wantGatewayResponse(t, rec, 404, `{"error":"Missing Authentication Token","id":"`+id+`","type":"MISSING_AUTHENTICATION_TOKEN"}`, "MissingAuthenticationTokenException")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("a type's own customisation replaces DEFAULT_4XX")
	}

	// 5xx responses are not touched by DEFAULT_4XX.
	api2 := testAPI(Route{Method: "GET", Path: "/x", Authorizer: authorizerFunc(func(context.Context, *Request) (*Principal, error) {
		return nil, errors.New("broken")
	}), Integration: staticIntegration{200, "ok"}})
	api2.GatewayResponses = api.GatewayResponses
	rec = do(newTestGateway(t, api2), "GET", "/dev/x", nil)
	if rec.Code != 500 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("5xx: %d %v", rec.Code, rec.Header())
	}
}

func TestRequestHeadersAdded(t *testing.T) {
	var seen http.Header
	integ := integrationFunc(func(_ context.Context, r *Request, _ *Principal) (*IntegrationResponse, error) {
		seen = r.Headers
		return &IntegrationResponse{StatusCode: 200}, nil
	})
	g := newTestGateway(t, testAPI(Route{Method: "GET", Path: "/", Integration: integ}))
	rec := do(g, "GET", "/dev/", nil, "Host", "api.example.com", "X-Amzn-Trace-Id", "Root=1-abc-def")
	if seen.Get("Host") != "api.example.com" || seen.Get("X-Forwarded-For") != "192.168.196.186" ||
		seen.Get("X-Forwarded-Port") != "80" || seen.Get("X-Forwarded-Proto") != "http" || seen.Get("X-Amzn-Trace-Id") != "Root=1-abc-def" {
		t.Errorf("headers %v", seen)
	}
	if rec.Header().Get("X-Amzn-Trace-Id") != "Root=1-abc-def" {
		t.Errorf("trace id not echoed: %v", rec.Header())
	}
}
