package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// startupFile is a small serverless.yml: a Lambda function (so the start registers it with
// the functions' manager) behind a route.
const startupFile = `service: startup
provider: {name: aws, runtime: nodejs20.x}
functions:
  hello:
    handler: hello.handler
    events:
      - http: GET hello
`

// freeAddr returns a loopback address with a port nothing listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startupOptions are the options of a start with every step in use: both listeners on fixed
// free ports, SQLite in a temporary folder, -c.
func startupOptions(t *testing.T) serveOptions {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(config, []byte(startupFile), 0o600); err != nil {
		t.Fatal(err)
	}
	return serveOptions{
		storeFlags: storeFlags{data: filepath.Join(dir, "data")},
		addr:       freeAddr(t), apiAddr: freeAddr(t), config: config,
		region: "us-east-1", account: "000000000000", logLevel: "info",
		env: func(string) (string, bool) { return "", false },
	}
}

// wantNothingLeft checks that a failed start left no listener (both addresses can be listened
// on again), no open store and no goroutine behind.
func wantNothingLeft(t *testing.T, o serveOptions, s *server) {
	t.Helper()
	for _, addr := range []string{o.addr, o.apiAddr} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("%s is still taken: %v", addr, err)
			continue
		}
		ln.Close()
	}
	if s != nil && s.store != nil {
		if err := s.store.Ping(context.Background()); err == nil {
			t.Error("the store is still open")
		}
	}
	goleak.VerifyNone(t, goleak.IgnoreCurrent())
}

var errInjected = errors.New("injected failure")

// TestStartFailureUndoesEverything: whichever start-up step fails, every earlier step (and
// what the failing step acquired before failing) is undone, once: no listener, no store, no
// goroutine is left. A step is made to fail after it ran, so its own acquisitions count.
func TestStartFailureUndoesEverything(t *testing.T) {
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	names := (&startup{}).steps()
	for i := -1; i < len(names); i++ {
		name := "before the first step"
		if i >= 0 {
			name = "after " + names[i].name
		}
		t.Run(name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			o := startupOptions(t)
			b := &startup{o: o, log: log, s: &server{}}
			steps := b.steps()
			if i < 0 {
				steps = append([]step{{"fail", func(context.Context) error { return errInjected }}}, steps...)
			} else {
				real := steps[i].run
				steps[i].run = func(ctx context.Context) error {
					if err := real(ctx); err != nil {
						t.Fatalf("step %s: %v", steps[i].name, err)
					}
					return errInjected
				}
			}
			srv, err := b.run(context.Background(), steps)
			if !errors.Is(err, errInjected) || srv != nil {
				t.Fatalf("run = %v, %v; want the injected failure", srv, err)
			}
			wantNothingLeft(t, o, b.s)
			goleak.VerifyNone(t, ignore)
			if err := b.s.undo.run(); err != nil {
				t.Errorf("a second undo: %v", err)
			}
		})
	}
	t.Run("started and closed", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		o := startupOptions(t)
		srv, err := startServer(context.Background(), o, log)
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
		wantNothingLeft(t, o, srv)
		goleak.VerifyNone(t, ignore)
	})
}

// TestStartRealFailures: the steps' own failures — a busy port, a store that cannot be
// opened, a credentials file that cannot be written, a serverless.yml that does not load —
// are reported and leave nothing behind.
func TestStartRealFailures(t *testing.T) {
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelError}))
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, o *serveOptions) (release func())
		want  string
	}{
		{"--addr taken", func(t *testing.T, o *serveOptions) func() {
			ln, err := net.Listen("tcp", o.addr)
			if err != nil {
				t.Fatal(err)
			}
			return func() { ln.Close() }
		}, "listen on --addr"},
		{"data folder is a file", func(t *testing.T, o *serveOptions) func() {
			if err := os.WriteFile(o.data, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return nil
		}, "create data folder"},
		{"credentials file is a folder", func(t *testing.T, o *serveOptions) func() {
			if err := os.MkdirAll(filepath.Join(o.data, "credentials", "x"), 0o700); err != nil {
				t.Fatal(err)
			}
			return nil
		}, "admin credentials"},
		{"-c does not load", func(t *testing.T, o *serveOptions) func() {
			if err := os.WriteFile(o.config, []byte("service: [\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			return nil
		}, "serverless.yml:"},
		{"--api-addr taken", func(t *testing.T, o *serveOptions) func() {
			ln, err := net.Listen("tcp", o.apiAddr)
			if err != nil {
				t.Fatal(err)
			}
			return func() { ln.Close() }
		}, "listen on --api-addr"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			o := startupOptions(t)
			release := tc.setup(t, &o)
			srv, err := startServer(context.Background(), o, log)
			if err == nil {
				srv.Close()
				t.Fatalf("started; want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want %q in it", err, tc.want)
			}
			if release != nil {
				release()
			}
			wantNothingLeft(t, o, nil)
			goleak.VerifyNone(t, ignore)
		})
	}
}

// TestCleanupsRunOnceInReverse: the undo stack releases the last acquisition first, each
// once however often it runs, and reports every error.
func TestCleanupsRunOnceInReverse(t *testing.T) {
	var c cleanups
	var order []int
	for i := range 3 {
		c.push(func() error {
			order = append(order, i)
			if i == 1 {
				return errInjected
			}
			return nil
		})
	}
	for range 2 {
		if err := c.run(); !errors.Is(err, errInjected) {
			t.Fatalf("run = %v, want the step's error", err)
		}
	}
	if len(order) != 3 || order[0] != 2 || order[1] != 1 || order[2] != 0 {
		t.Fatalf("order %v, want [2 1 0] once", order)
	}
}
