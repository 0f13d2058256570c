package testclient

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recordingTB stands in for the test a Require function is given: Skip and Fatal record
// the line and end the goroutine, as the testing package's do.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recordingTB) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (r *recordingTB) Fatal(args ...any) {
	r.failed = fmt.Sprint(args...)
	runtime.Goexit()
}

// call runs require with a recordingTB on a goroutine of its own and reports what it did.
func call(t *testing.T, require func(testing.TB) string) (rec *recordingTB, got string) {
	rec = &recordingTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		got = require(rec)
	}()
	<-done
	return rec, got
}

func TestRequire(t *testing.T) {
	bin := t.TempDir()
	for _, name := range []string{"aws", "node"} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	modules := t.TempDir()
	if err := os.MkdirAll(filepath.Join(modules, "node_modules", "aws4"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(modules, "node_modules", "aws4", "package.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	const pgURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	for _, tc := range []struct {
		name     string
		require  func(testing.TB) string
		path, pg string
		want     string // the returned value when present; "" when missing
		line     string // in the skip or failure line when missing
	}{
		{"aws present", RequireAWSCLI, bin, "", filepath.Join(bin, "aws"), ""},
		{"aws missing", RequireAWSCLI, t.TempDir(), "", "", "the AWS CLI (aws) is not on PATH; install it (pip install awscli"},
		{"node present", RequireNode, bin, "", filepath.Join(bin, "node"), ""},
		{"node missing", RequireNode, t.TempDir(), "", "", "node is not on PATH; install Node.js"},
		{"modules present", func(t testing.TB) string { return RequireNodeModules(t, modules, "aws4") }, bin, "", filepath.Join(bin, "node"), ""},
		{"modules missing", func(t testing.TB) string { return RequireNodeModules(t, modules, "aws4", "amazon-cognito-identity-js") }, bin, "", "",
			"the npm package amazon-cognito-identity-js is not installed in " + modules + "; run `npm ci --no-audit --no-fund --prefix " + modules + "`"},
		{"modules without node", func(t testing.TB) string { return RequireNodeModules(t, modules, "aws4") }, t.TempDir(), "", "", "node is not on PATH"},
		{"postgres set", RequirePostgres, "", pgURL, pgURL, ""},
		{"postgres unset", RequirePostgres, "", "", "", "GATEHOUSE_TEST_POSTGRES is not set; set it to a PostgreSQL database URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", tc.path)
			t.Setenv(PostgresEnv, tc.pg)
			for _, strict := range []string{"", "1"} {
				t.Setenv(RequireEnv, strict)
				rec, got := call(t, tc.require)
				switch {
				case tc.want != "":
					if got != tc.want || rec.skipped != "" || rec.failed != "" {
						t.Errorf("%s=%q: got %q, skipped %q, failed %q; want %q", RequireEnv, strict, got, rec.skipped, rec.failed, tc.want)
					}
				case strict == "":
					if !strings.HasPrefix(rec.skipped, "skipping: ") || !strings.Contains(rec.skipped, tc.line) || rec.failed != "" {
						t.Errorf("skipped %q, failed %q; want a skip with %q", rec.skipped, rec.failed, tc.line)
					}
				default:
					if !strings.Contains(rec.failed, tc.line) || !strings.Contains(rec.failed, RequireEnv+"=1") || rec.skipped != "" {
						t.Errorf("%s=1: skipped %q, failed %q; want a failure with %q", RequireEnv, rec.skipped, rec.failed, tc.line)
					}
				}
			}
		})
	}
}
