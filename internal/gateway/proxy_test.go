package gateway

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// echoBackend answers with what it received, as JSON, and a few headers of its own.
func echoBackend(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend", "echo")
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.Header().Set("Server", "echo/1.0")
		switch r.URL.Path {
		case "/status/418":
			w.WriteHeader(418)
		case "/redirect":
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(302)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{
			"method": r.Method, "uri": r.RequestURI, "host": r.Host, "body": string(body), "header": r.Header,
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func proxyAPI(t testing.TB, uri string, client *http.Client) *API {
	t.Helper()
	p, err := NewHTTPProxy(uri, client)
	if err != nil {
		t.Fatal(err)
	}
	return testAPI(
		Route{Method: "ANY", Path: "/legacy/{proxy+}", Integration: p},
		Route{Method: "GET", Path: "/items/{id}", Integration: mustProxy(t, uri[:strings.Index(uri, "/{")]+"/item/{id}")},
	)
}

func mustProxy(t testing.TB, uri string) *HTTPProxy {
	t.Helper()
	p, err := NewHTTPProxy(uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type echoed struct {
	Method string              `json:"method"`
	URI    string              `json:"uri"`
	Host   string              `json:"host"`
	Body   string              `json:"body"`
	Header map[string][]string `json:"header"`
}

func TestHTTPProxy(t *testing.T) {
	backend := echoBackend(t)
	g := newTestGateway(t, proxyAPI(t, backend.URL+"/{proxy}", nil))

	rec := do(g, "POST", "/dev/legacy/a/b%20c?x=1&x=2&y=%2F", []byte(`{"k":"v"}`),
		"Content-Type", "application/json", "Authorization", "Bearer t", "Connection", "X-Drop", "X-Drop", "1",
		"Keep-Alive", "timeout=5", "X-Custom", "c1", "X-Custom", "c2", "Host", "api.example.com")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var e echoed
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	if e.Method != "POST" || e.URI != "/a/b%20c?x=1&x=2&y=%2F" || e.Body != `{"k":"v"}` || e.Host != strings.TrimPrefix(backend.URL, "http://") {
		t.Errorf("backend got %+v", e)
	}
	h := http.Header(e.Header)
	if h.Get("Authorization") != "Bearer t" || h.Get("Content-Type") != "application/json" ||
		strings.Join(h.Values("X-Custom"), ",") != "c1,c2" || h.Get("X-Forwarded-For") != "192.168.196.186" ||
		h.Get("X-Amzn-Trace-Id") == "" {
		t.Errorf("forwarded headers %v", h)
	}
	for _, hop := range []string{"X-Drop", "Keep-Alive"} {
		if h.Get(hop) != "" {
			t.Errorf("hop-by-hop header %s forwarded", hop)
		}
	}
	rh := rec.Header()
	if rh.Get("X-Backend") != "echo" || strings.Join(rh.Values("Set-Cookie"), ",") != "a=1,b=2" ||
		rh.Get("X-Amzn-Remapped-Server") != "echo/1.0" || rh.Get("Server") != "" || rh.Get("x-amzn-RequestId") == "" ||
		rh.Get("X-Amzn-Remapped-Content-Length") == "" || rh.Get("Content-Length") != "" && rh.Get("Content-Length") != itoa(rec.Body.Len()) {
		t.Errorf("response headers %v", rh)
	}

	// Status codes and redirects pass through; redirects are not followed.
	if rec = do(g, "GET", "/dev/legacy/status/418", nil); rec.Code != 418 {
		t.Errorf("status: %d", rec.Code)
	}
	if rec = do(g, "GET", "/dev/legacy/redirect", nil); rec.Code != 302 || rec.Header().Get("Location") != "/elsewhere" {
		t.Errorf("redirect: %d %v", rec.Code, rec.Header())
	}
	// {param} substitution escapes the value.
	rec = do(g, "GET", "/dev/items/a%2Fb", nil)
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.URI != "/item/a%2Fb" {
		t.Errorf("param substitution: %s", rec.Body)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestHTTPProxyFailures(t *testing.T) {
	// A slow backend: 504 after the integration timeout.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()
	tab, err := NewTable(proxyAPI(t, slow.URL+"/{proxy}", nil))
	if err != nil {
		t.Fatal(err)
	}
	g := New(tab, Options{IntegrationTimeout: 100 * time.Millisecond})
	start := time.Now()
	rec := do(g, "GET", "/dev/legacy/x", nil)
	wantGatewayResponse(t, rec, 504, `{"message": "Endpoint request timed out"}`, "InternalServerErrorException")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("timeout took %v", d)
	}

	// A backend that is not there: 500.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	g = newTestGateway(t, proxyAPI(t, "http://"+addr+"/{proxy}", nil))
	wantGatewayResponse(t, do(g, "GET", "/dev/legacy/x", nil), 500, `{"message": "Internal server error"}`, "InternalServerErrorException")

	// A response over 10 MB: 502.
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := make([]byte, 1<<20)
		for i := 0; i <= MaxResponseBytes>>20; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer huge.Close()
	g = newTestGateway(t, proxyAPI(t, huge.URL+"/{proxy}", nil))
	wantGatewayResponse(t, do(g, "GET", "/dev/legacy/x", nil), 502, `{"message": "Internal server error"}`, "InternalServerErrorException")
}

func TestNewHTTPProxyRefuses(t *testing.T) {
	for _, uri := range []string{"", "/relative/{proxy}", "ftp://host/{proxy}", "http://host/{proxy", "http://host/{a b}", "http:///x"} {
		if _, err := NewHTTPProxy(uri, nil); err == nil {
			t.Errorf("NewHTTPProxy(%q) accepted", uri)
		}
	}
}
