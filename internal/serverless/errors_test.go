package serverless

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .want and .golden files of testdata from the current output")

// TestErrorFixtures loads every testdata/errors/*.yml and compares all it reports — errors,
// then warnings and infos — with the .want file beside it, line for line.
func TestErrorFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yml"), func(t *testing.T) {
			got := loadReport(t, file, Options{})
			checkWant(t, strings.TrimSuffix(file, ".yml")+".want", got)
		})
	}
}

// loadReport loads file and returns what it reports as text: "error: …" lines, then diagnostics.
func loadReport(t *testing.T, file string, opts Options) string {
	t.Helper()
	svc, diags, err := Load(file, opts)
	var b strings.Builder
	if err != nil {
		if svc != nil {
			t.Errorf("Load returned a Service with an error")
		}
		es, ok := err.(Errors)
		if !ok {
			t.Fatalf("error is %T, want Errors: %v", err, err)
		}
		for _, e := range es {
			b.WriteString("error: " + e.Error() + "\n")
		}
	}
	for _, d := range diags {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

func checkWant(t *testing.T, wantFile, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(wantFile, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(wantFile)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			g, w := line(gl, i), line(wl, i)
			if g != w {
				t.Errorf("line %d:\n got: %s\nwant: %s", i+1, g, w)
			}
		}
	}
}

func line(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<none>"
}
