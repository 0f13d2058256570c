package main

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go"
)

// clock is the one fake in these tests: the edge of the machine. Tests move it forward to
// expire sessions, codes and tokens and to let lockouts pass, without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testServer is a real Gatehouse on a free loopback port, with a real store.
type testServer struct {
	*server
	clock *clock
	dir   string
	idp   *cip.Client
}

// startTestServer starts Gatehouse on SQLite in a temp dir (or on the PostgreSQL database
// named by storeURL) and returns it with an AWS SDK client pointed at it.
func startTestServer(t testing.TB, storeURL string) *testServer {
	t.Helper()
	return startTestServerWith(t, t.TempDir(), storeURL, nil)
}

// startTestServerWith starts Gatehouse on the data dir (or storeURL), letting configure set
// more options (-c, timeouts) first.
func startTestServerWith(t testing.TB, dir, storeURL string, configure func(*serveOptions)) *testServer {
	t.Helper()
	clk := newClock()
	o := serveOptions{
		storeFlags: storeFlags{data: dir, storeURL: storeURL},
		addr:       "127.0.0.1:0", region: "us-east-1", account: "000000000000", logLevel: "info",
		now: clk.Now,
	}
	if configure != nil {
		configure(&o)
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := startServer(context.Background(), o, log)
	if err != nil {
		t.Fatalf("start server: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
	})
	return &testServer{server: srv, clock: clk, dir: dir, idp: newIDPClient(srv.awsURL)}
}

func newIDPClient(url string) *cip.Client {
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		RetryMaxAttempts: 1,
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(url) })
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}

// wantAPIError asserts err is the AWS error code with the message (when msg is non-empty).
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want %s (%q), got %v", code, msg, err)
	}
	if ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Fatalf("want %s: %q\n got %s: %q", code, msg, ae.ErrorCode(), ae.ErrorMessage())
	}
}

var _ = filepath.Join
