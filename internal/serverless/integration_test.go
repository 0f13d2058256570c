package serverless

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestIntegrationResponses: response.statusCodes arrive typed, in file order, with the
// Framework's default 200 added when no status is the default, and nil when the block names
// none (the Framework's default statusCodes then apply).
func TestIntegrationResponses(t *testing.T) {
	const file = `service: s
provider: {name: aws, runtime: nodejs20.x}
functions:
  f:
    handler: f.h
    events:
      - http:
          path: explicit
          method: get
          integration: lambda
          response:
            statusCodes:
              201:
              400: {pattern: '.*\[400\].*'}
      - http:
          path: implicit
          method: get
          integration: lambda
          response:
            statusCodes:
              404: {pattern: 'Not found.*'}
      - http:
          path: none
          method: get
          integration: lambda
`
	svc, _, err := Parse("serverless.yml", []byte(file), Options{})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status  int
		pattern string // "" for the default response
		line    int
	}
	cases := map[string][]want{
		"explicit": {{201, "", 13}, {400, `^(?:.*\[400\].*)$`, 14}},
		"implicit": {{404, `^(?:Not found.*)$`, 21}, {200, "", 21}},
		"none":     nil,
	}
	for _, e := range svc.Endpoints {
		w, ok := cases[e.Path]
		if !ok {
			t.Fatalf("unexpected endpoint %s", e.Path)
		}
		got := e.Integration.Responses
		if len(got) != len(w) || (w == nil) != (got == nil) {
			t.Fatalf("%s: responses %+v, want %+v", e.Path, got, w)
		}
		for i, r := range got {
			pattern := ""
			if r.Pattern != nil {
				pattern = r.Pattern.String()
			}
			if r.Status != w[i].status || pattern != w[i].pattern || r.Pos.Line != w[i].line {
				t.Errorf("%s[%d] = {%d %q line %d}, want %+v", e.Path, i, r.Status, pattern, r.Pos.Line, w[i])
			}
		}
	}
}

// TestEveryDiagnosticHasALine: every warning and info of every fixture names the line it is
// about, so a reader can go to it.
func TestEveryDiagnosticHasALine(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("testdata/errors/*.yml")
	files = append(files, more...)
	seen := 0
	for _, file := range files {
		for _, stage := range []string{"", "prod"} {
			_, diags, _ := Load(file, Options{Stage: stage})
			for _, d := range diags {
				seen++
				if d.File != file || d.Line <= 0 {
					t.Errorf("%s: diagnostic without file:line: %s", file, d)
				}
				if strings.Contains(d.Message, "Outputs") && strings.Contains(d.Message, "not used") {
					t.Errorf("%s: %s: resources.Outputs are resolved and printed by the stack package", file, d)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no diagnostics at all: the fixtures changed")
	}
}
