package serverless

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// resolveDoc parses and resolves a YAML document, failing the test on any error.
func resolveDoc(t *testing.T, doc string, opts Options) (Value, []Diagnostic) {
	t.Helper()
	rep := newReport("t.yml")
	raw, ok := parseYAML(rep, []byte(doc))
	if !ok {
		t.Fatalf("parse: %v", rep.err())
	}
	v := resolveAll(rep, raw, opts)
	if err := rep.err(); err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return v, rep.diagnostics()
}

// at returns the value at a dotted path.
func at(t *testing.T, v Value, path string) Value {
	t.Helper()
	for _, k := range strings.Split(path, ".") {
		var ok bool
		if v, ok = child(v, k); !ok {
			t.Fatalf("no value at %s", path)
		}
	}
	return v
}

func TestResolve(t *testing.T) {
	env := MapEnv(map[string]string{
		"TABLE":   "from-env",
		"EMPTY":   "",
		"B":       "b-value",
		"SNEAKY":  "${self:custom.secret}",
		"FEATURE": "1",
	})
	for _, tc := range []struct {
		name string
		doc  string
		opts Options
		path string
		want string // JSON of the resolved value
		kind Kind
	}{
		{"whole value keeps a map", "custom: {m: {x: 1}}\nv: ${self:custom.m}", Options{}, "v", `{"x":1}`, KindMap},
		{"whole value keeps a number", "custom: {n: 42}\nv: ${self:custom.n}", Options{}, "v", `42`, KindInt},
		{"whole value keeps a boolean", "custom: {b: true}\nv: ${self:custom.b}", Options{}, "v", `true`, KindBool},
		{"whole value keeps a list", "custom: {l: [a, b]}\nv: ${self:custom.l}", Options{}, "v", `["a","b"]`, KindList},
		{"interpolation", "provider: {region: eu-west-1}\nv: arn:aws:s3:${self:provider.region}:x", Options{}, "v", `"arn:aws:s3:eu-west-1:x"`, KindString},
		{"number in text", "custom: {n: 42}\nv: t-${self:custom.n}-${self:custom.n}", Options{}, "v", `"t-42-42"`, KindString},
		{"list index", "custom: {l: [a, b, c]}\nv: ${self:custom.l.1}", Options{}, "v", `"b"`, KindString},
		{"env", "v: ${env:TABLE}", Options{Env: env}, "v", `"from-env"`, KindString},
		{"env default", "v: ${env:NOPE, 'dflt'}", Options{Env: env}, "v", `"dflt"`, KindString},
		{"empty env is unset", "v: ${env:EMPTY, 'dflt'}", Options{Env: env}, "v", `"dflt"`, KindString},
		{"no env at all", "v: ${env:TABLE, 'dflt'}", Options{}, "v", `"dflt"`, KindString},
		{"numeric default keeps its type", "v: ${env:NOPE, 42}", Options{Env: env}, "v", `42`, KindInt},
		{"float default", "v: ${env:NOPE, 1.5}", Options{}, "v", `1.5`, KindFloat},
		{"boolean default", "v: ${env:NOPE, false}", Options{}, "v", `false`, KindBool},
		{"null default", "v: ${env:NOPE, null}", Options{}, "v", `null`, KindNull},
		{"double-quoted default", `v: '${env:NOPE, "a\"b, c"}'`, Options{}, "v", `"a\"b, c"`, KindString},
		{"single-quoted default with comma", `v: "${env:NOPE, 'a, b'}"`, Options{}, "v", `"a, b"`, KindString},
		{"self default", "v: ${self:custom.x, 42}", Options{}, "v", `42`, KindInt},
		{"source fallback", "v: ${env:NOPE, env:B, 'c'}", Options{Env: env}, "v", `"b-value"`, KindString},
		{"nested fallback", "v: ${env:NOPE, ${env:B}}", Options{Env: env}, "v", `"b-value"`, KindString},
		{"nested fallback missing", "v: ${env:NOPE, ${env:NOPE2}, 'z'}", Options{Env: env}, "v", `"z"`, KindString},
		{"opt stage default", "v: ${opt:stage, 'dev'}", Options{}, "v", `"dev"`, KindString},
		{"opt stage", "v: ${opt:stage, 'dev'}", Options{Stage: "prod"}, "v", `"prod"`, KindString},
		{"opt region", "v: ${opt:region}", Options{Region: "eu-north-1"}, "v", `"eu-north-1"`, KindString},
		{"opt flag", "v: ${opt:domain}", Options{Flags: map[string]string{"domain": "example.com"}}, "v", `"example.com"`, KindString},
		{"sls stage default", "v: ${sls:stage}", Options{}, "v", `"dev"`, KindString},
		{"sls stage from provider", "provider: {stage: qa}\nv: ${sls:stage}", Options{}, "v", `"qa"`, KindString},
		{"sls stage from provider variable", "provider: {stage: '${opt:stage, \"test\"}'}\nv: ${sls:stage}", Options{}, "v", `"test"`, KindString},
		{"sls stage option wins", "provider: {stage: qa}\nv: ${sls:stage}", Options{Stage: "prod"}, "v", `"prod"`, KindString},
		{"self provider.stage ignores --stage", "provider: {stage: qa}\nv: ${self:provider.stage}", Options{Stage: "prod"}, "v", `"qa"`, KindString},
		{"nested address", "custom: {prod: {table: t-prod}, dev: {table: t-dev}}\nv: ${self:custom.${opt:stage}.table}", Options{Stage: "prod"}, "v", `"t-prod"`, KindString},
		{"nested address via sls", "custom: {dev: {table: t-dev}}\nv: ${self:custom.${sls:stage}.table}", Options{}, "v", `"t-dev"`, KindString},
		{"chain", "custom: {a: '${self:custom.b}', b: '${self:custom.c}-x', c: c}\nv: ${self:custom.a}", Options{}, "v", `"c-x"`, KindString},
		{"through a container from a variable", "custom: {conf: '${self:custom.prod}', prod: {t: 1}}\nv: ${self:custom.conf.t}", Options{}, "v", `1`, KindInt},
		{"map whose values are variables", "custom: {m: {a: '${env:B}'}}\nv: ${self:custom.m}", Options{Env: env}, "v", `{"a":"b-value"}`, KindMap},
		{"environment text is never parsed", "custom: {secret: s3cr3t}\nv: ${env:SNEAKY}", Options{Env: env}, "v", `"${self:custom.secret}"`, KindString},
		{"CloudFormation text kept", "custom: {y: Y}\nv: !Sub 'arn:${AWS::Region}:${self:custom.y}:${Bucket.Arn}'", Options{}, "v", `{"Fn::Sub":"arn:${AWS::Region}:Y:${Bucket.Arn}"}`, KindMap},
		{"aws region", "provider: {region: ap-south-1}\nv: ${aws:region}", Options{}, "v", `"ap-south-1"`, KindString},
		{"aws account default", "v: ${aws:accountId}", Options{}, "v", `"000000000000"`, KindString},
		{"aws account", "v: ${aws:accountId}", Options{AccountID: "123456789012"}, "v", `"123456789012"`, KindString},
		{"param by stage", "params: {default: {p: d}, prod: {p: pp}}\nv: ${param:p}", Options{Stage: "prod"}, "v", `"pp"`, KindString},
		{"param default", "params: {default: {p: d}, prod: {p: pp}}\nv: ${param:p}", Options{}, "v", `"d"`, KindString},
		{"param v4 stages", "stages: {default: {params: {p: d4}}}\nv: ${param:p}", Options{}, "v", `"d4"`, KindString},
		{"param option", "params: {default: {p: d}}\nv: ${param:p}", Options{Params: map[string]string{"p": "cli"}}, "v", `"cli"`, KindString},
		{"strToBool", "v: ${strToBool(${env:FEATURE})}", Options{Env: env}, "v", `true`, KindBool},
		{"unsupported source with default", "v: ${ssm:/x, 'fallback'}", Options{}, "v", `"fallback"`, KindString},
		{"short tags", "v: [!Ref A, !GetAtt B.Arn, !GetAtt C.Endpoint.Address, !Join [':', [a, b]]]", Options{}, "v",
			`[{"Ref":"A"},{"Fn::GetAtt":["B","Arn"]},{"Fn::GetAtt":["C","Endpoint.Address"]},{"Fn::Join":[":",["a","b"]]}]`, KindList},
		{"merge key", "base: &b {x: 1, y: 2}\nv: {<<: *b, y: 3}", Options{}, "v", `{"y":3,"x":1}`, KindMap},
		{"merge list", "a: &a {x: 1}\nb: &b {x: 2, z: 2}\nv: {<<: [*a, *b]}", Options{}, "v", `{"x":1,"z":2}`, KindMap},
		{"alias", "a: &a [1, 2]\nv: *a", Options{}, "v", `[1,2]`, KindList},
		{"variable in an alias", "custom: {n: 7}\na: &a {x: '${self:custom.n}'}\nv: *a", Options{}, "v", `{"x":7}`, KindMap},
		{"dollar without brace", "v: costs $5 and ${foo} stays", Options{}, "v", `"costs $5 and ${foo} stays"`, KindString},
		{"hex int", "v: 0x1f", Options{}, "v", `31`, KindInt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := resolveDoc(t, tc.doc, tc.opts)
			got := at(t, v, tc.path)
			if j := jsonText(got); j != tc.want {
				t.Errorf("got %s, want %s", j, tc.want)
			}
			if got.Kind != tc.kind {
				t.Errorf("kind %s, want %s", got.Kind, tc.kind)
			}
		})
	}
}

// TestResolvePositions: a value substituted whole takes the position of the reference, so
// that errors about it name the line where it is used.
func TestResolvePositions(t *testing.T) {
	v, _ := resolveDoc(t, "custom:\n  n: 1000\nv: ${self:custom.n}\n", Options{})
	if got := at(t, v, "v").Pos; got != (Pos{Line: 3, Col: 4}) {
		t.Errorf("position %+v", got)
	}
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		opts      Options
		want      string
		kind      error
	}{
		{"cycle", "service: ${self:custom.a}\ncustom:\n  a: ${self:custom.b}\n  b: ${self:service}\n", Options{},
			"t.yml:1:10: variable cycle: service (line 1) → custom.a (line 3) → custom.b (line 4) → service", ErrCycle},
		{"self root", "service: ${self:}\n", Options{}, "t.yml:1:10: variable cycle: service (line 1) → the file (line 1) → service", ErrCycle},
		{"missing option", "service: ${opt:stage}\n", Options{}, "t.yml:1:10: cannot resolve ${opt:stage}: option --stage was not given", ErrVariable},
		{"unknown source", "service: ${git:branch}\n", Options{},
			`t.yml:1:10: cannot resolve ${git:branch}: unknown variable source "git"; write the value itself or add a fallback: ${git:branch, 'value'}`, ErrVariable},
		{"bad fallback", "service: ${env:A, bare word}\n", Options{},
			`t.yml:1:10: invalid variable syntax in "${env:A, bare word}": invalid fallback "bare ": want a source (env:NAME), a quoted string, a number, true, false or null`, ErrVariable},
		{"upper-case source inside", "service: ${env:A, ${Foo}}\n", Options{},
			`t.yml:1:10: invalid variable syntax in "${env:A, ${Foo}}": fallback "${Foo}}" is not a variable`, ErrVariable},
		{"params on self", "service: ${self(x):a}\n", Options{}, `t.yml:1:10: variable source "self" takes no parameters`, ErrVariable},
		{"aws unknown", "service: ${aws:partition}\n", Options{}, `t.yml:1:10: ${aws:partition} is not supported (only ${aws:region} and ${aws:accountId})`, ErrVariable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse("t.yml", []byte(tc.doc), tc.opts)
			if err == nil {
				t.Fatal("no error")
			}
			if got := strings.Split(err.Error(), "\n")[0]; got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error is not %v", tc.kind)
			}
		})
	}
}

// TestLimits: hostile files are refused quickly with ErrLimit and a position.
func TestLimits(t *testing.T) {
	deep := "service: x\nv: " + strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1) + "\n"

	var laughs strings.Builder
	laughs.WriteString("service: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&laughs, "a%d: &a%d [*a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d, *a%[3]d]\n", i, i, i-1)
	}

	var doubling strings.Builder
	doubling.WriteString("service: x\ncustom:\n  s0: " + strings.Repeat("x", 64) + "\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&doubling, "  s%d: ${self:custom.s%d}${self:custom.s%[2]d}\n", i, i-1)
	}

	var wide strings.Builder
	wide.WriteString("service: x\ncustom:\n  big: '" + strings.Repeat("y", 200_000) + "'\n  list:\n")
	for i := 0; i < 100; i++ {
		wide.WriteString("    - ${self:custom.big}\n")
	}

	var chain strings.Builder
	chain.WriteString("service: ${self:custom.c0}\ncustom:\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&chain, "  c%d: ${self:custom.c%d}\n", i, i+1)
	}
	chain.WriteString("  c40: end\n")

	nested := "service: " + strings.Repeat("${env:A, ", 40) + "'x'" + strings.Repeat("}", 40) + "\n"

	for _, tc := range []struct {
		name, doc, want string
	}{
		{"nesting", deep, "t.yml:2:68: maps and lists are nested more than 64 deep"},
		{"aliases", laughs.String(), "larger than 10485760 bytes once its aliases are expanded"},
		{"doubling", doubling.String(), "variables expand the document beyond 10485760 bytes"},
		{"wide", wide.String(), "variables expand the document beyond 10485760 bytes"},
		{"chain", chain.String(), "variables nested more than 32 deep"},
		{"nested syntax", nested, "variables nested more than 32 deep"},
		{"size", "service: x\ncustom: '" + strings.Repeat("z", MaxFileSize) + "'\n", "t.yml: file is 4194326 bytes; the limit is 4194304"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Parse("t.yml", []byte(tc.doc), Options{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant …%s…", err, tc.want)
			}
			if !errors.Is(err, ErrLimit) && !errors.Is(err, ErrVariable) {
				t.Errorf("error is neither ErrLimit nor ErrVariable: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) || (e.Line == 0 && tc.name != "size") {
				t.Errorf("error has no position: %v", err)
			}
		})
	}
}
