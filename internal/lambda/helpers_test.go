package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// recorder is a slog.Handler that keeps records in memory; a failed test prints them.
type recorder struct {
	mu      *sync.Mutex
	records *[]slog.Record
	attrs   []slog.Attr
}

func newRecorder() *recorder {
	return &recorder{mu: new(sync.Mutex), records: new([]slog.Record)}
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	rec = rec.Clone()
	rec.AddAttrs(r.attrs...)
	r.mu.Lock()
	*r.records = append(*r.records, rec)
	r.mu.Unlock()
	return nil
}

func (r *recorder) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &recorder{mu: r.mu, records: r.records, attrs: append(append([]slog.Attr{}, r.attrs...), attrs...)}
}

func (r *recorder) WithGroup(string) slog.Handler { return r }

// find returns the records whose attributes include every key=value of match.
func (r *recorder) find(match map[string]string) []slog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []slog.Record
	for _, rec := range *r.records {
		got := map[string]string{}
		rec.Attrs(func(a slog.Attr) bool { got[a.Key] = a.Value.String(); return true })
		ok := true
		for k, v := range match {
			if got[k] != v {
				ok = false
			}
		}
		if ok {
			out = append(out, rec)
		}
	}
	return out
}

func (r *recorder) dump(t *testing.T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rec := range *r.records {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
		rec.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
		t.Log(b.String())
	}
}

// newTestManager returns a Manager closed at the end of the test, and its log.
func newTestManager(t testing.TB, opts ...Option) (*Manager, *recorder) {
	t.Helper()
	rec := newRecorder()
	m := NewManager(slog.New(rec), opts...)
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if tt, ok := t.(*testing.T); ok && tt.Failed() {
			rec.dump(tt)
		}
	})
	return m, rec
}

// writeFiles writes files (path relative to dir → content) and returns dir.
func writeFiles(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// nodeFunction registers a nodejs20.x function whose code is files; without node on PATH
// the test skips (testclient.RequireNode).
func nodeFunction(t testing.TB, m *Manager, name, handler string, files map[string]string, mod func(*Function)) Function {
	t.Helper()
	testclient.RequireNode(t)
	fn := Function{
		Name:    name,
		Runtime: "nodejs20.x",
		Handler: handler,
		Dir:     writeFiles(t, t.TempDir(), files),
		Timeout: 10 * time.Second,
	}
	if mod != nil {
		mod(&fn)
	}
	if err := m.Register(fn); err != nil {
		t.Fatalf("Register: %v", err)
	}
	return fn
}

func invoke(t testing.TB, m *Manager, name, payload string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := m.Invoke(ctx, name, []byte(payload))
	if err != nil {
		t.Fatalf("Invoke %s: %v", name, err)
	}
	return res
}

// invokeOK invokes and decodes a successful result into v.
func invokeOK(t testing.TB, m *Manager, name, payload string, v any) Result {
	t.Helper()
	res := invoke(t, m, name, payload)
	if res.FunctionError != nil {
		t.Fatalf("Invoke %s: function error %v; payload %s", name, res.FunctionError, res.Payload)
	}
	if v != nil {
		if err := json.Unmarshal(res.Payload, v); err != nil {
			t.Fatalf("Invoke %s: payload %q: %v", name, res.Payload, err)
		}
	}
	return res
}

// wantInvokeError checks that err is an *InvokeError wrapping sentinel with the given type.
func wantInvokeError(t testing.TB, err error, sentinel error, errorType string) *InvokeError {
	t.Helper()
	var ie *InvokeError
	if !errors.As(err, &ie) || !errors.Is(err, sentinel) {
		t.Fatalf("error = %v, want an *InvokeError wrapping %v", err, sentinel)
	}
	if ie.Type != errorType {
		t.Errorf("InvokeError.Type = %q, want %q (message %q)", ie.Type, errorType, ie.Message)
	}
	return ie
}

// alive reports whether pid is a running (not zombie) process.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no procfs: trust kill
	}
	// pid (comm) S ...: the state follows the last ')'.
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// waitGone waits until no pid in pids is alive.
func waitGone(t testing.TB, pids ...int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("process %d still alive", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
