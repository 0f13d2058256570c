package testclient

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RequireEnv, set to 1, turns every skip for a missing client into a test failure.
const RequireEnv = "GATEHOUSE_REQUIRE_CLIENTS"

// PostgresEnv names the PostgreSQL database that PostgreSQL tests run against.
const PostgresEnv = "GATEHOUSE_TEST_POSTGRES"

// missing skips the test with "skipping: " + line, or fails it with line under RequireEnv=1.
func missing(t testing.TB, line string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1: a missing client fails the test)", line, RequireEnv)
	}
	t.Skip("skipping: " + line)
}

// RequireAWSCLI returns the path of the AWS CLI (`aws`), or skips the test saying how to
// install it.
func RequireAWSCLI(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("aws")
	if err != nil {
		missing(t, "the AWS CLI (aws) is not on PATH; install it (pip install awscli, or apt-get install awscli) to run this test")
	}
	return path
}

// RequireNode returns the path of node, or skips the test saying how to install it.
func RequireNode(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node is not on PATH; install Node.js 20 or later (https://nodejs.org, or apt-get install nodejs) to run this test")
	}
	return path
}

// RequireNodeModules returns the path of node once node is on PATH and every package in
// pkgs is installed in dir/node_modules, or skips the test saying how to install them.
func RequireNodeModules(t testing.TB, dir string, pkgs ...string) string {
	t.Helper()
	node := RequireNode(t)
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		if _, err := os.Stat(filepath.Join(abs, "node_modules", p, "package.json")); err != nil {
			missing(t, fmt.Sprintf("the npm package %s is not installed in %s; run `npm ci --no-audit --no-fund --prefix %s` to run this test", p, abs, abs))
		}
	}
	return node
}

// RequirePythonModule returns the first Python interpreter (python3 on PATH, then Debian's
// /usr/bin/python3) that imports module, or skips the test naming the Debian package
// (debianPkg) that installs it.
func RequirePythonModule(t testing.TB, module, debianPkg string) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import "+module).Run() == nil {
			return py
		}
	}
	missing(t, fmt.Sprintf("no python3 imports %s; install it (apt-get install %s, or pip install %s) to run this test", module, debianPkg, module))
	return ""
}

// RequireChromium returns the path of a Chromium browser (Debian's chromium, for browser
// tests driven by chromedp), or skips the test saying how to install it.
func RequireChromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "chromium is not on PATH; install it (apt-get install chromium) to run this browser test")
	return ""
}

// RequirePostgres returns the database URL in GATEHOUSE_TEST_POSTGRES, or skips the test
// saying how to provide one. Tests should not use the URL directly but through
// storetest.PostgresURL, which gives each test a schema of its own.
func RequirePostgres(t testing.TB) string {
	t.Helper()
	url := os.Getenv(PostgresEnv)
	if url == "" {
		missing(t, PostgresEnv+" is not set; set it to a PostgreSQL database URL, e.g. "+
			"'postgres://postgres@127.0.0.1:5432/test?sslmode=disable', to run this test")
	}
	return url
}
