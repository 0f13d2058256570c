package apiruntime

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/serverless"
)

// syncBuffer is a log sink the watcher's goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), sub)
}

// apiFile is a serverless.yml whose GET /{path} proxies to backend/{answer}.
func apiFile(backend, path, answer string) string {
	return `service: s
provider: {name: aws, runtime: nodejs20.x}
functions:
  web:
    events:
      - http:
          path: ` + path + `
          method: get
          integration: http-proxy
          request: {uri: "` + backend + `/` + answer + `"}
`
}

// TestReloadKeepsLastGoodSnapshot: a good file is served; an edit that does not load or does
// not compile is refused whole (with file:line), logged once, and the last good snapshot keeps
// being served; the next good edit is served; Watch notices edits by itself and stops with
// its context.
func TestReloadKeepsLastGoodSnapshot(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Path)
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
	logs := &syncBuffer{}
	gw := gateway.New(nil, gateway.Options{})
	api := httptest.NewServer(gw)
	defer api.Close()
	lambdas := lambda.NewManager(slog.New(slog.DiscardHandler))
	defer lambdas.Close()
	rt := New(Config{
		File: file, Options: serverless.Options{Region: "us-east-1"},
		Deps: Deps{Master: testKey(t)}, Gateway: gw, Lambdas: lambdas,
		Log: slog.New(slog.NewTextHandler(logs, nil)),
	})
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(api.URL + "/dev/" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	want := func(path string, status int, body string) {
		t.Helper()
		if gotStatus, got := get(path); gotStatus != status || (body != "" && got != body) {
			t.Fatalf("GET /dev/%s = %d %q, want %d %q", path, gotStatus, got, status, body)
		}
	}

	if rt.Current() != nil || rt.Stats() != nil {
		t.Fatal("a snapshot before the first reload")
	}
	write(apiFile(backend.URL, "hello", "v1"))
	first, err := rt.Reload(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want("hello", 200, "/v1")

	// An edit that does not load: refused with file:line, the first snapshot stays.
	write(apiFile(backend.URL, "hello", "v2") + "  bad: [\n")
	if _, err := rt.Reload(context.Background()); err == nil || !strings.HasPrefix(err.Error(), file+":") {
		t.Fatalf("Reload of a broken file: %v, want an error starting with %s:", err, file)
	}
	if rt.Current() != first {
		t.Fatal("a failed reload replaced the snapshot")
	}
	want("hello", 200, "/v1")

	// An edit that loads but does not compile, seen by the watcher: logged once however many
	// times it looks, and the first snapshot stays.
	write(apiFile(backend.URL, "hello", "v3") + "  worker:\n    handler: w.h\n    environment:\n      TABLE: {Ref: Table}\n")
	lastErr := ""
	for range 3 {
		lastErr = rt.poll(context.Background(), lastErr)
	}
	if !strings.Contains(lastErr, "serverless.yml:14: function worker: environment variable TABLE") {
		t.Fatalf("poll error %q, want the file:line of the expression", lastErr)
	}
	if n := logs.count("api config reload failed"); n != 1 {
		t.Fatalf("the failed reload was logged %d times, want once:\n%s", n, logs.b.String())
	}
	if rt.Current() != first {
		t.Fatal("a failed reload replaced the snapshot")
	}
	want("hello", 200, "/v1")

	// The file gone: logged, routes kept.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if lastErr = rt.poll(context.Background(), lastErr); logs.count("api config unreadable") != 1 {
		t.Fatalf("a missing file was not logged: %q", lastErr)
	}
	want("hello", 200, "/v1")

	// A good edit is served, by Watch on its own.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rt.Watch(ctx, 5*time.Millisecond); close(done) }()
	write(apiFile(backend.URL, "bye", "v4"))
	deadline := time.Now().Add(5 * time.Second)
	for rt.Current() == first {
		if time.Now().After(deadline) {
			t.Fatalf("the watcher did not reload the file:\n%s", logs.b.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	want("bye", 200, "/v4")
	want("hello", 403, "") // API Gateway's MISSING_AUTHENTICATION_TOKEN for an unknown route
	if logs.count("api config reloaded") != 1 {
		t.Fatalf("reload not logged:\n%s", logs.b.String())
	}
}
