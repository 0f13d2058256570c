package authorizer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// fakeFunction is an authorizer function: it records every event and answers with answer.
type fakeFunction struct {
	mu     sync.Mutex
	events [][]byte
	answer func(event map[string]any) ([]byte, error)
}

func (f *fakeFunction) Invoke(_ context.Context, function string, event []byte) ([]byte, error) {
	if function != "authFn" {
		return nil, fmt.Errorf("no function %q", function)
	}
	f.mu.Lock()
	f.events = append(f.events, event)
	f.mu.Unlock()
	var ev map[string]any
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, err
	}
	return f.answer(ev)
}

func (f *fakeFunction) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.events)
}

func (f *fakeFunction) last(t *testing.T) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.events) == 0 {
		t.Fatal("the function was never invoked")
	}
	var ev map[string]any
	if err := json.Unmarshal(f.events[len(f.events)-1], &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// policyResult is an authorizer result with one statement.
func policyResult(principal, effect, resource string, ctx map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"principalId": principal,
		"policyDocument": map[string]any{
			"Version":   "2012-10-17",
			"Statement": []any{map[string]any{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}},
		},
		"context": ctx,
	})
	return b
}

func functionError(typ, msg string) error {
	b, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": msg})
	return &gateway.FunctionError{Type: "Unhandled", Payload: b}
}

// byToken is the AWS developer guide's example TOKEN authorizer, extended with the failure
// modes the issue lists: the token picks the answer.
func byToken(ev map[string]any) ([]byte, error) {
	arn, _ := ev["methodArn"].(string)
	tok, _ := ev["authorizationToken"].(string)
	if tok == "" { // a REQUEST event: the token is in the headers
		tok, _ = ev["headers"].(map[string]any)["Authorization"].(string)
	}
	switch tok {
	case "allow":
		return policyResult("user", "Allow", arn, map[string]any{"stringKey": "stringval", "numberKey": 123, "booleanKey": true}), nil
	case "allow-all":
		return policyResult("user", "Allow", "arn:aws:execute-api:*:*:*/*/*/*", nil), nil
	case "deny":
		return policyResult("user", "Deny", arn, nil), nil
	case "other":
		return policyResult("user", "Allow", "arn:aws:execute-api:us-east-1:123456789012:elsewhere/dev/GET/tasks", nil), nil
	case "unauthorized":
		return nil, functionError("Error", "Unauthorized")
	case "string-unauthorized":
		return nil, functionError("string", "Unauthorized")
	case "boom":
		return nil, functionError("Error", "Error: Invalid token")
	case "timeout":
		return nil, functionError("Sandbox.Timedout", "Task timed out after 1.00 seconds")
	case "garbage":
		return []byte(`"not an object"`), nil
	case "nested-context":
		return policyResult("user", "Allow", arn, map[string]any{"obj": map[string]any{"a": 1}}), nil
	case "unreachable":
		return nil, errors.New("too many requests")
	}
	return nil, functionError("Error", "unexpected token "+tok)
}

var testAPI = &gateway.API{ID: "a1b2c3d4e5", Stage: "dev", Region: "us-east-1", AccountID: "123456789012",
	StageVariables: map[string]string{"tenant": "acme"}}

// apiRequest is a call of the test API.
func apiRequest(method, path string, headers map[string]string, query string) *gateway.Request {
	h := http.Header{}
	for k, v := range headers {
		h.Set(k, v)
	}
	q, _ := url.ParseQuery(query)
	if len(q) == 0 {
		q = nil
	}
	return &gateway.Request{API: testAPI, Method: method, Path: path, StagePath: "/dev" + path, ResourcePath: path,
		Headers: h, Query: q, RawQuery: query, SourceIP: "203.0.113.9", RequestID: "req-1",
		RequestTime: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), Protocol: "HTTP/1.1"}
}

func newTestLambda(t *testing.T, fn *fakeFunction, clk *clock, mod func(*LambdaConfig)) *Lambda {
	t.Helper()
	cfg := LambdaConfig{Name: "auth", Type: LambdaToken, Function: "authFn", Invoker: fn, ResultTTL: 300 * time.Second, Now: clk.Now}
	if mod != nil {
		mod(&cfg)
	}
	l, err := NewLambda(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// wantResponse checks that err is the gateway response of type typ, status and message.
func wantResponse(t *testing.T, p *gateway.Principal, err error, typ gateway.ResponseType, status int, message string) {
	t.Helper()
	if p != nil {
		t.Fatalf("passed with %+v, want %s", p, typ)
	}
	var resp *gateway.Response
	if !errors.As(err, &resp) {
		t.Fatalf("err = %v (%T), want a *gateway.Response %s", err, err, typ)
	}
	if resp.Type != typ || resp.Status != status || resp.Message != message {
		t.Fatalf("got %s %d %q, want %s %d %q (reason: %s)", resp.Type, resp.Status, resp.Message, typ, status, message, resp.Reason)
	}
	if resp.Reason == "" {
		t.Fatal("no reason for the log")
	}
}

func TestLambdaTokenAnswers(t *testing.T) {
	for _, tc := range []struct {
		token, header string
		typ           gateway.ResponseType // "" → allowed
		status        int
		message       string
		invoked       bool
	}{
		{token: "allow", invoked: true},
		{token: "deny", typ: gateway.AccessDenied, status: 403, message: gateway.MessageExplicitDeny, invoked: true},
		{token: "other", typ: gateway.AccessDenied, status: 403, message: gateway.MessageImplicitDeny, invoked: true},
		{token: "unauthorized", typ: gateway.Unauthorized, status: 401, message: "Unauthorized", invoked: true},
		{token: "string-unauthorized", typ: gateway.Unauthorized, status: 401, message: "Unauthorized", invoked: true},
		{token: "boom", typ: gateway.AuthorizerConfigurationError, status: 500, invoked: true},
		{token: "timeout", typ: gateway.AuthorizerFailure, status: 500, invoked: true},
		{token: "garbage", typ: gateway.AuthorizerConfigurationError, status: 500, invoked: true},
		{token: "nested-context", typ: gateway.AuthorizerConfigurationError, status: 500, invoked: true},
		{token: "unreachable", typ: gateway.AuthorizerConfigurationError, status: 500, invoked: true},
		{token: "", typ: gateway.Unauthorized, status: 401, message: "Unauthorized"},
		{token: "allow", header: "X-Other", typ: gateway.Unauthorized, status: 401, message: "Unauthorized"},
		{token: "Bearer allow", typ: gateway.Unauthorized, status: 401, message: "Unauthorized"}, // fails the expression
	} {
		t.Run(tc.token+tc.header, func(t *testing.T) {
			fn := &fakeFunction{answer: byToken}
			l := newTestLambda(t, fn, &clock{t: time.Now()}, func(c *LambdaConfig) {
				c.ValidationExpression = regexp.MustCompile(`^(?:[a-z-]+)$`)
			})
			header := tc.header
			if header == "" {
				header = "Authorization"
			}
			r := apiRequest("GET", "/tasks", map[string]string{header: tc.token}, "")
			p, err := l.Authorize(context.Background(), r)
			if got := fn.calls() > 0; got != tc.invoked {
				t.Fatalf("invoked = %v, want %v", got, tc.invoked)
			}
			if tc.typ == "" {
				if err != nil || p == nil {
					t.Fatalf("refused: %v", err)
				}
				if p.PrincipalID != "user" || p.Context["stringKey"] != "stringval" || p.Context["booleanKey"] != true ||
					p.Context["numberKey"] != json.Number("123") || p.Reason == "" {
					t.Fatalf("principal %+v", p)
				}
				return
			}
			message := tc.message
			if tc.status == 500 {
				message = "" // {"message":null}
			}
			wantResponse(t, p, err, tc.typ, tc.status, message)
		})
	}
}

func TestLambdaTokenEvent(t *testing.T) {
	fn := &fakeFunction{answer: byToken}
	l := newTestLambda(t, fn, &clock{t: time.Now()}, nil)
	if _, err := l.Authorize(context.Background(), apiRequest("DELETE", "/tasks/7", map[string]string{"Authorization": "allow"}, "")); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"TOKEN","authorizationToken":"allow","methodArn":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/DELETE/tasks/7"}`
	if got := string(fn.events[0]); got != want {
		t.Fatalf("event\n%s\nwant\n%s", got, want)
	}
}

func TestLambdaCache(t *testing.T) {
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	fn := &fakeFunction{answer: byToken}
	l := newTestLambda(t, fn, clk, nil)
	get := func(token, method, path string) (*gateway.Principal, error) {
		return l.Authorize(context.Background(), apiRequest(method, path, map[string]string{"Authorization": token}, ""))
	}
	if _, err := get("allow", "GET", "/tasks"); err != nil {
		t.Fatal(err)
	}
	p, err := get("allow", "GET", "/tasks")
	if err != nil || fn.calls() != 1 {
		t.Fatalf("second call: err %v, %d invocations, want 1", err, fn.calls())
	}
	if p.IntegrationLatency != 0 || p.PrincipalID != "user" {
		t.Errorf("cached principal %+v", p)
	}
	// The cached policy names GET /tasks only: the same token on another method is denied
	// without asking the function again.
	p, err = get("allow", "DELETE", "/tasks/1")
	wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageImplicitDeny)
	if fn.calls() != 1 {
		t.Fatalf("%d invocations after another method, want 1", fn.calls())
	}
	// Denials are cached too.
	for range 3 {
		p, err = get("deny", "GET", "/tasks")
		wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
	}
	if fn.calls() != 2 {
		t.Fatalf("%d invocations after three denials, want 2", fn.calls())
	}
	// Errors are not.
	for range 2 {
		p, err = get("unauthorized", "GET", "/tasks")
		wantResponse(t, p, err, gateway.Unauthorized, 401, "Unauthorized")
	}
	if fn.calls() != 4 {
		t.Fatalf("%d invocations after two Unauthorized, want 4", fn.calls())
	}
	// Past the TTL the function is asked again.
	clk.Advance(299 * time.Second)
	if _, err := get("allow", "GET", "/tasks"); err != nil || fn.calls() != 4 {
		t.Fatalf("within the TTL: err %v, %d invocations, want 4", err, fn.calls())
	}
	clk.Advance(time.Second)
	if _, err := get("allow", "GET", "/tasks"); err != nil || fn.calls() != 5 {
		t.Fatalf("at the TTL: err %v, %d invocations, want 5", err, fn.calls())
	}
	if s := l.Stats(); s.Hits != 5 || s.Misses != 5 || s.Entries != 2 {
		t.Errorf("stats %+v, want 5 hits, 5 misses, 2 entries (allow, deny)", s)
	}
}

func TestLambdaNoCache(t *testing.T) {
	fn := &fakeFunction{answer: byToken}
	l := newTestLambda(t, fn, &clock{t: time.Now()}, func(c *LambdaConfig) { c.ResultTTL = 0 })
	for i := 1; i <= 3; i++ {
		if _, err := l.Authorize(context.Background(), apiRequest("GET", "/tasks", map[string]string{"Authorization": "allow"}, "")); err != nil {
			t.Fatal(err)
		}
		if fn.calls() != i {
			t.Fatalf("%d invocations after %d calls with TTL 0", fn.calls(), i)
		}
	}
	if s := l.Stats(); s.Hits != 0 || s.Entries != 0 {
		t.Errorf("stats %+v with TTL 0", s)
	}
}

func TestLambdaCacheBounded(t *testing.T) {
	fn := &fakeFunction{answer: func(ev map[string]any) ([]byte, error) {
		return policyResult("u", "Allow", "*", nil), nil
	}}
	l := newTestLambda(t, fn, &clock{t: time.Now()}, func(c *LambdaConfig) { c.CacheSize = 32 })
	for i := range 500 {
		if _, err := l.Authorize(context.Background(), apiRequest("GET", "/tasks", map[string]string{"Authorization": fmt.Sprint("t", i)}, "")); err != nil {
			t.Fatal(err)
		}
	}
	if n := l.Stats().Entries; n > 32 || n == 0 {
		t.Fatalf("%d entries in a cache of 32", n)
	}
}

func TestLambdaRequest(t *testing.T) {
	clk := &clock{t: time.Now()}
	fn := &fakeFunction{answer: byToken}
	l := newTestLambda(t, fn, clk, func(c *LambdaConfig) {
		c.Type = LambdaRequest
		c.IdentitySource = []string{"method.request.header.Authorization, method.request.querystring.tenant", "stageVariables.tenant", "context.identity.sourceIp"}
	})
	call := func(headers map[string]string, query string) (*gateway.Principal, error) {
		return l.Authorize(context.Background(), apiRequest("GET", "/tasks", headers, query))
	}
	// Any identity source missing or empty: 401, not invoked.
	for _, q := range []string{"", "tenant=", "other=1"} {
		p, err := call(map[string]string{"Authorization": "allow"}, q)
		wantResponse(t, p, err, gateway.Unauthorized, 401, "Unauthorized")
	}
	p, err := call(nil, "tenant=a")
	wantResponse(t, p, err, gateway.Unauthorized, 401, "Unauthorized")
	if fn.calls() != 0 {
		t.Fatalf("invoked %d times with missing identity sources", fn.calls())
	}

	if _, err := call(map[string]string{"Authorization": "allow"}, "tenant=a"); err != nil {
		t.Fatal(err)
	}
	ev := fn.last(t)
	if ev["type"] != "REQUEST" || ev["methodArn"] != "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/tasks" ||
		ev["queryStringParameters"].(map[string]any)["tenant"] != "a" || ev["stageVariables"].(map[string]any)["tenant"] != "acme" {
		t.Fatalf("REQUEST event %v", ev)
	}
	// The key is all identity sources together: the same header with another query value
	// is another entry.
	if _, err := call(map[string]string{"Authorization": "allow"}, "tenant=a"); err != nil || fn.calls() != 1 {
		t.Fatalf("same sources: err %v, %d invocations", err, fn.calls())
	}
	if _, err := call(map[string]string{"Authorization": "allow"}, "tenant=b"); err != nil || fn.calls() != 2 {
		t.Fatalf("another query value: err %v, %d invocations", err, fn.calls())
	}
}

func TestLambdaConfigErrors(t *testing.T) {
	fn := &fakeFunction{answer: byToken}
	for _, tc := range []struct {
		name string
		mod  func(*LambdaConfig)
		want string
	}{
		{"no invoker", func(c *LambdaConfig) { c.Invoker = nil }, "invoker"},
		{"no function", func(c *LambdaConfig) { c.Function = "" }, "function"},
		{"ttl", func(c *LambdaConfig) { c.ResultTTL = MaxResultTTL + time.Second }, "TTL"},
		{"type", func(c *LambdaConfig) { c.Type = "COGNITO" }, "type"},
		{"token query source", func(c *LambdaConfig) { c.IdentitySource = []string{"method.request.querystring.t"} }, "header"},
		{"request regex", func(c *LambdaConfig) {
			c.Type, c.IdentitySource, c.ValidationExpression = LambdaRequest, []string{"method.request.header.A"}, regexp.MustCompile("x")
		}, "TOKEN"},
		{"request no sources", func(c *LambdaConfig) { c.Type, c.IdentitySource = LambdaRequest, nil }, "cache key"},
		{"request unknown context", func(c *LambdaConfig) {
			c.Type, c.IdentitySource = LambdaRequest, []string{"context.authorizer.principalId"}
		}, "context variable"},
		{"request bad source", func(c *LambdaConfig) { c.Type, c.IdentitySource = LambdaRequest, []string{"body.token"} }, "want method.request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := LambdaConfig{Name: "auth", Type: LambdaToken, Function: "authFn", Invoker: fn, ResultTTL: time.Minute}
			tc.mod(&cfg)
			_, err := NewLambda(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want one mentioning %q", err, tc.want)
			}
		})
	}
	// Without caching a REQUEST authorizer may have no identity source at all.
	if _, err := NewLambda(LambdaConfig{Type: LambdaRequest, Function: "authFn", Invoker: fn}); err != nil {
		t.Fatal(err)
	}
}

func TestIdentitySourceValues(t *testing.T) {
	r := apiRequest("POST", "/tasks", map[string]string{"x-api-token": "h"}, "q=1&q=2")
	r.Host = "a1b2c3d4e5.execute-api.localhost"
	for _, tc := range []struct{ expr, want string }{
		{"method.request.header.X-API-Token", "h"},
		{"method.request.header.x-api-token", "h"},
		{"method.request.header.Missing", ""},
		{"method.request.querystring.q", "2"},
		{"method.request.querystring.Q", ""},
		{"stageVariables.tenant", "acme"},
		{"stageVariables.none", ""},
		{"context.identity.sourceIp", "203.0.113.9"},
		{"context.httpMethod", "POST"},
		{"context.stage", "dev"},
		{"context.apiId", "a1b2c3d4e5"},
		{"context.domainPrefix", "a1b2c3d4e5"},
		{"context.requestTimeEpoch", "1777636800000"},
	} {
		s, err := parseIdentitySource(tc.expr)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if got := s.value(r); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.expr, got, tc.want)
		}
	}
}
