package serverless

import (
	"os"
	"strings"
	"testing"
	"time"
)

// FuzzResolve feeds arbitrary strings to the variable resolver, as values that refer to each
// other, to the provider's stage and to themselves. It must never panic, never hang, and never
// produce more than the documented bounds.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"${self:custom.a}", "${self:custom.b, 'x'}", "${env:HOME, ${opt:stage, \"dev\"}}",
		"${self:custom.${opt:stage}.t}", "arn:${AWS::Region}:${self:provider.stage}", "${",
		"${self:", "${self:custom.a}${self:custom.a}${self:custom.a}", "${env:A, ${env:B, ${env:C}}}",
		"${file(x):y, 1}", "${strToBool(${env:X})}", "${param:p, null}", "${sls:stage}", "$${}}{$",
		"${self:custom.l.0}", "${self:}", "${aws:region}-${aws:accountId}", `${env:X, "a\"}"}`,
	} {
		f.Add(s, "${self:custom.a}")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 4096 || len(b) > 4096 {
			return
		}
		pos := Pos{Line: 1, Col: 1}
		str := func(s string) Value { return stringValue(s, pos) }
		custom := mapValue([]Field{
			{Key: "a", Value: str(a)},
			{Key: "b", Value: str(b)},
			{Key: "l", Value: listValue([]Value{str(a), str(b)}, pos)},
			{Key: "dev", Value: mapValue([]Field{{Key: "t", Value: str(b)}}, pos)},
		}, pos)
		root := mapValue([]Field{
			{Key: "service", Value: str(a)},
			{Key: "provider", Value: mapValue([]Field{{Key: "stage", Value: str(b)}}, pos)},
			{Key: "custom", Value: custom},
			{Key: "x", Value: listValue([]Value{str(a), str(b), str("${self:custom}")}, pos)},
		}, pos)
		start := time.Now()
		rep := newReport("fuzz.yml")
		out := resolveAll(rep, root, Options{Env: MapEnv(map[string]string{"A": a, "HOME": "/root"})})
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("resolution took %s", d)
		}
		if !rep.failed() && out.size > 4*MaxResolvedSize {
			t.Fatalf("resolved size %d", out.size)
		}
	})
}

// FuzzParse feeds arbitrary bytes to Parse: no panic, no hang, and either a Service or an
// error, never both.
func FuzzParse(f *testing.F) {
	for _, file := range []string{"testdata/todo.yml", "testdata/todo-quoted.yml", "testdata/project.yml"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("service: x\nprovider: {name: aws}\nfunctions: {f: {handler: h, events: [{http: GET a/{b}}]}}"))
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("service: ${self:service}"))
	f.Add([]byte(strings.Repeat("- ", 100)))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		svc, _, err := Parse("fuzz.yml", data, Options{Stage: "dev"})
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Parse took %s", d)
		}
		if (svc == nil) == (err == nil) {
			t.Fatalf("service %v with error %v", svc != nil, err)
		}
	})
}
