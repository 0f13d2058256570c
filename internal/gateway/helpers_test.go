package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// testNow is the clock of every test gateway: 15/May/2020:06:01:09.693 +0000.
var testNow = time.Date(2020, time.May, 15, 6, 1, 9, 693_000_000, time.UTC)

// seqReader is a deterministic "random" source: 0, 1, 2, … (safe for concurrent use).
type seqReader struct {
	mu sync.Mutex
	n  byte
}

func (s *seqReader) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range p {
		p[i] = s.n
		s.n++
	}
	return len(p), nil
}

// funcInvoker is the test Invoker: a Go function standing in for a Lambda function. It is the
// integration boundary the real internal/lambda adapter implements.
type funcInvoker func(ctx context.Context, function string, event []byte) ([]byte, error)

func (f funcInvoker) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	return f(ctx, function, payload)
}

// eventRecorder is a Lambda function that records the events it gets and answers with resp.
type eventRecorder struct {
	mu     sync.Mutex
	events [][]byte
	resp   string
}

func (e *eventRecorder) Invoke(_ context.Context, _ string, payload []byte) ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.events = append(e.events, append([]byte(nil), payload...))
	if e.resp == "" {
		return []byte(`{"statusCode":200,"body":"ok"}`), nil
	}
	return []byte(e.resp), nil
}

func (e *eventRecorder) last(t *testing.T) map[string]any {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.events) == 0 {
		t.Fatal("the function was not invoked")
	}
	var m map[string]any
	if err := json.Unmarshal(e.events[len(e.events)-1], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (e *eventRecorder) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.events)
}

// staticIntegration answers every request with the same response.
type staticIntegration struct {
	status int
	body   string
}

func (s staticIntegration) Invoke(context.Context, *Request, *Principal) (*IntegrationResponse, error) {
	return &IntegrationResponse{StatusCode: s.status, Header: http.Header{"Content-Type": {"text/plain"}}, Body: []byte(s.body)}, nil
}

// authorizerFunc adapts a function to Authorizer.
type authorizerFunc func(ctx context.Context, r *Request) (*Principal, error)

func (f authorizerFunc) Authorize(ctx context.Context, r *Request) (*Principal, error) {
	return f(ctx, r)
}

// testAPI is an API with the test's account, region and stage.
func testAPI(routes ...Route) *API {
	return &API{ID: "gy415nuibc", Name: "todo-dev", Stage: "dev", Region: "us-east-1", AccountID: "123456789012", Routes: routes}
}

func newTestGateway(t testing.TB, apis ...*API) *Gateway {
	t.Helper()
	tab, err := NewTable(apis...)
	if err != nil {
		t.Fatal(err)
	}
	return New(tab, Options{Now: func() time.Time { return testNow }, Rand: &seqReader{}})
}

// do sends one request through g.
func do(g http.Handler, method, target string, body []byte, header ...string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	req.RemoteAddr = "192.168.196.186:51234"
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Add(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	return rec
}

// wantGatewayResponse checks a gateway response: status, exact body, error type, request id.
func wantGatewayResponse(t *testing.T, rec *httptest.ResponseRecorder, status int, body, errorType string) {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status %d, want %d (body %s)", rec.Code, status, rec.Body)
	}
	if got := rec.Body.String(); got != body {
		t.Errorf("body %s, want %s", got, body)
	}
	if got := rec.Header().Get("x-amzn-ErrorType"); got != errorType {
		t.Errorf("x-amzn-ErrorType %q, want %q", got, errorType)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	if rec.Header().Get("x-amzn-RequestId") == "" || rec.Header().Get("x-amz-apigw-id") == "" {
		t.Errorf("missing request id headers: %v", rec.Header())
	}
}
