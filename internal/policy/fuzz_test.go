package policy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary documents to Parse: it must never panic, must refuse only with
// ErrMalformed or ErrTooLarge, and what it accepts must evaluate without panicking.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		doc, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doc)
	}
	for _, tc := range evalCases() {
		for _, doc := range tc.docs {
			f.Add([]byte(doc))
		}
	}
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"Statement":[]}`, `{"Statement":[[[[[[[1]]]]]]]}`,
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:${a, 'x''y'}${*}${"}}`,
		`{"Statement":{"Effect":"Deny","Action":"a:*","Resource":"*","Condition":{"ForAllValues:ArnLikeIfExists":{"a:b":["arn:${x}:::"]}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := Parse(doc)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v wraps neither ErrMalformed nor ErrTooLarge", err)
			}
			if p != nil {
				t.Fatal("a policy and an error")
			}
			return
		}
		if len(p.Statements) == 0 || len(p.compiled) != len(p.Statements) {
			t.Fatalf("%d statements, %d compiled", len(p.Statements), len(p.compiled))
		}
		req := Request{Action: "execute-api:Invoke", Resource: petsARN}
		req.Context.Set(KeySourceIP, "203.0.113.5")
		req.Context.Set(KeyUsername, "alice")
		req.Context.Set("aws:TagKeys", "a", "b")
		req.Context.SetTime(mustTime(t, "2026-05-01T12:00:00Z"))
		d := p.Evaluate(&req)
		if d.Effect != ImplicitDeny && p.Statements[d.Matched.Index].Effect != map[Effect]string{Allow: "Allow", ExplicitDeny: "Deny"}[d.Effect] {
			t.Fatalf("%v decided by a statement with Effect %s", d.Effect, p.Statements[d.Matched.Index].Effect)
		}
	})
}

// FuzzEvaluate builds a policy from a fuzzed resource pattern, condition pattern and
// action pattern and checks Evaluate against a regular-expression rendering of IAM's
// wildcards (for patterns without policy variables), and that adding a Deny of everything
// always yields ExplicitDeny. Patterns are bounded by MaxPolicyChars and subjects by
// MaxRequestLength, and matching is O(pattern·subject), so each run is quick.
func FuzzEvaluate(f *testing.F) {
	f.Add("execute-api:*", "aws:execute-api:us-east-1:*:a1b2c3d4e5/*/GET/*", "aws:execute-api:us-east-1:1:a1b2c3d4e5/dev/GET/pets", "home/*", "home/alice")
	f.Add("*", "*", "", "*", "")
	f.Add("execute-api:Inv?ke", "aws:s3:::b/${aws:username}/*", "aws:s3:::b/alice/x", "${aws:username}", "alice")
	f.Add("EXECUTE-API:INVOKE", "a*a*a*a*a*a*b", strings.Repeat("a", 300), "?*?*?", "xyz")
	f.Add("execute-api:*", "aws:${*}${?}", "aws:*?", "é?", "éé")
	deny := Named{Name: "deny", Policy: mustParse(f, `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)}
	f.Fuzz(func(t *testing.T, action, resourcePattern, resource, valuePattern, value string) {
		doc, err := json.Marshal(map[string]any{
			"Version": Version2012,
			"Statement": map[string]any{
				"Effect":    "Allow",
				"Action":    action,
				"Resource":  "arn:" + resourcePattern,
				"Condition": map[string]any{"StringLike": map[string]any{"aws:userid": valuePattern}},
			},
		})
		if err != nil {
			t.Skip()
		}
		p, err := Parse(doc)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Parse: %v", err)
			}
			return
		}
		req := Request{Action: "execute-api:Invoke", Resource: "arn:" + resource}
		req.Context.Set(KeyUserID, value)
		req.Context.Set(KeyUsername, "alice")
		d := Evaluate(&req, Named{Name: "fuzz", Policy: p})
		if again := Evaluate(&req, Named{Name: "fuzz", Policy: p}); again != d {
			t.Fatalf("two evaluations differ: %+v, %+v", d, again)
		}
		if d.Effect == ExplicitDeny {
			t.Fatalf("an Allow-only policy denied explicitly: %+v", d)
		}
		if dd := Evaluate(&req, Named{Name: "fuzz", Policy: p}, deny); dd.Effect != ExplicitDeny || dd.Matched.Policy != "deny" {
			t.Fatalf("with a Deny of everything: %+v", dd)
		}
		all := []string{action, resourcePattern, resource, valuePattern, value}
		for _, s := range all {
			if !utf8.ValidString(s) || strings.Contains(s, "${") {
				return // json.Marshal rewrote it, or it holds variables: no reference
			}
		}
		if len(resourcePattern)*len(resource) > 1<<20 || len(valuePattern)*len(value) > 1<<20 {
			return // the reference is too slow for these
		}
		want := reference(strings.ToLower(action), "execute-api:invoke") &&
			len(req.Resource) <= MaxRequestLength && reference("arn:"+resourcePattern, req.Resource) &&
			len(value) <= MaxRequestLength && reference(valuePattern, value)
		if got := d.Effect == Allow; got != want {
			t.Fatalf("Allow = %v, the reference says %v (%s)", got, want, d.Reason)
		}
	})
}

// reference matches s against an IAM wildcard pattern with the regexp package.
func reference(pattern, s string) bool {
	var b strings.Builder
	b.WriteString(`^(?s:`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`)$`)
	return regexp.MustCompile(b.String()).MatchString(s)
}
