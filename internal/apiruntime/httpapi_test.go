package apiruntime

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/serverless"
)

// echoInvoker answers every invocation with the function's name and the event's routeKey.
type echoInvoker struct{}

func (echoInvoker) Invoke(_ context.Context, fn string, payload []byte) ([]byte, error) {
	var ev struct {
		RouteKey string `json:"routeKey"`
	}
	_ = json.Unmarshal(payload, &ev)
	return json.Marshal(fn + " " + ev.RouteKey)
}

// TestHTTPAPIServedBesideREST: one listener, the REST API under /dev, the HTTP API elsewhere;
// a reload that drops the httpApi events stops serving them; an authorizer that cannot be
// built refuses the file with its line.
func TestHTTPAPIServedBesideREST(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "rest "+r.URL.Path)
	}))
	defer backend.Close()
	dir := t.TempDir()
	file := filepath.Join(dir, "serverless.yml")
	write := func(content string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	both := apiFile(backend.URL, "hello", "v1") + `  fn:
    handler: src/fn.handler
    events:
      - httpApi: 'GET /hello'
      - httpApi: '*'
`
	gw := gateway.New(nil, gateway.Options{})
	lambdas := lambda.NewManager(slog.New(slog.DiscardHandler))
	defer lambdas.Close()
	rt := New(Config{File: file, Options: serverless.Options{Region: "us-east-1"}, Deps: Deps{Master: testKey(t), Invoker: echoInvoker{}},
		Gateway: gw, Lambdas: lambdas})
	api := httptest.NewServer(rt)
	defer api.Close()
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(api.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	write(both)
	s, err := rt.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.HTTPAPIID) != 10 || s.HTTPAPIID == s.Table.APIs()[0].ID {
		t.Errorf("http api id %q", s.HTTPAPIID)
	}
	for path, want := range map[string]string{
		"/dev/hello": "rest /v1",
		"/hello":     "s-dev-fn GET /hello",
		"/other":     "s-dev-fn $default",
		"/devx":      "s-dev-fn $default",
	} {
		if status, body := get(path); status != 200 || body != want {
			t.Errorf("GET %s = %d %q, want %q", path, status, body, want)
		}
	}
	if status, body := get("/dev/nope"); status != 403 || !strings.Contains(body, "Missing Authentication Token") {
		t.Errorf("GET /dev/nope = %d %s", status, body)
	}

	write(strings.Replace(both, "httpApi: 'GET /hello'", "httpApi: {method: GET, path: /hello, authorizer: {type: aws_iam}}", 1))
	if _, err := rt.Reload(context.Background()); err == nil || !strings.Contains(err.Error(), "serverless.yml:14: httpApi authorizer aws_iam") {
		t.Errorf("aws_iam without IAM: %v", err)
	}
	if status, _ := get("/hello"); status != 200 {
		t.Errorf("the last good snapshot is not served: %d", status)
	}

	write(apiFile(backend.URL, "hello", "v1"))
	if _, err := rt.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if status, body := get("/hello"); status != 403 || !strings.Contains(body, "Missing Authentication Token") {
		t.Errorf("after the httpApi events went: %d %s", status, body)
	}
}
