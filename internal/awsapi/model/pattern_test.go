package model

import (
	"encoding/json"
	"testing"
)

// Every pattern of the embedded models compiles: none is skipped.
func TestEmbeddedPatternsCompile(t *testing.T) {
	for _, m := range models(t) {
		if s := m.SkippedPatterns(); len(s) > 0 {
			t.Errorf("%s: patterns not checked: %q", m.Service(), s)
		}
	}
	for _, name := range []string{"cognito-idp.json", "cognito-identity.json", "iam.json", "sts.json"} {
		data, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var f file
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range f.Shapes {
			if s.Pattern == "" {
				continue
			}
			n++
			if _, err := compileJava(s.Pattern); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n < 10 {
			t.Errorf("%s: only %d patterns", name, n)
		}
	}
}

func TestJavaPatternSemantics(t *testing.T) {
	for _, tc := range []struct {
		pattern, value string
		match          bool
	}{
		{`[\w-]+_[0-9a-zA-Z]+`, "us-east-1_abc", true},
		{`[\u0009\u000A\u000D\u0020-\u00FF]+`, "{\"a\": \"é\"}\t", true}, // IAM's document text
		{`[\u0009\u000A\u000D\u0020-\u00FF]+`, "\u0100", false},
		{`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, "/a/b/", true},
		{`(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, "/a b/", false},
		{`^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, "my-alias-1", true},
		{`^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, "my--alias", false},
		{`^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, "alias-", false},
		{`[\w-]+_[0-9a-zA-Z]+`, " us-east-1_abc", false},  // whole-value match
		{`[\w-]+_[0-9a-zA-Z]+`, "us-east-1_abc\n", false}, // Java's $ does not pass a final newline under matches()
		{`[\w]+`, "é", false},       // \w is ASCII in Java too
		{`[\S]+`, "a\x0bb", false},  // Java's \s includes the vertical tab
		{`[\S]+`, "a\u00a0b", true}, // … but not no-break space
		{`[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]+`, "a\x0bb", true},
		{`\s`, "\x0b", true},
		{`\S`, "\x0b", false},
		{`.*\{####\}.*`, "code {####}", true},
		{`.*\{####\}.*`, "a\rb {####}", false}, // Java's . stops at \r
		{`.*\{####\}.*`, "a\u2028 {####}", false},
		{`(?s).*`, "a\r\nb", true},
		{`[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, "Ünïcødé✓", true},
		{`[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, "a b", false},
		{`[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+`, "abc", true},
		{`[A-Za-z0-9-_=.]+`, "a-b_c=d.e", true},
		{`^(terms-of-use|privacy-policy)$`, "terms-of-use", true},
		{`^(terms-of-use|privacy-policy)$`, "terms", false},
		// cognito-idp S3BucketType, rewritten without its lookbehind.
		{`^[0-9A-Za-z\.\-_]*(?<!\.)$`, "my.bucket-1", true},
		{`^[0-9A-Za-z\.\-_]*(?<!\.)$`, "my.bucket.", false},
		{`^[0-9A-Za-z\.\-_]*(?<!\.)$`, "", true},
		{`^[0-9A-Za-z\.\-_]*(?<!\.)$`, ".", false},
		{`^[0-9A-Za-z\.\-_]*(?<!\.)$`, "a", true},
	} {
		re, err := compileJava(tc.pattern)
		if err != nil {
			t.Errorf("%s: %v", tc.pattern, err)
			continue
		}
		if got := re.MatchString(tc.value); got != tc.match {
			t.Errorf("%s on %q: %v, want %v", tc.pattern, tc.value, got, tc.match)
		}
	}
}

// Constructs RE2 lacks are refused, so the constraint is skipped rather than misjudged.
func TestUnsupportedJavaPatterns(t *testing.T) {
	for _, p := range []string{`a(?=b)`, `a(?!b)`, `(?<=a)b`, `(?<!a)b`, `(?>a)`, `(a)\1`, `[a-z&&[^aeiou]]`, `[a[bc]]`, `a++`, `\p{javaLowerCase}`} {
		if _, err := compileJava(p); err == nil {
			t.Errorf("%s compiled", p)
		}
	}
	m, err := Parse([]byte(`{"metadata":{"service":"x","validationException":"V"},"operations":{"Op":{"input":"In"}},
"shapes":{"In":{"type":"structure","members":[{"name":"A","shape":"S"}]},"S":{"type":"string","pattern":"a(?=b)"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.SkippedPatterns(); len(got) != 1 || got[0] != "a(?=b)" {
		t.Fatalf("SkippedPatterns = %q", got)
	}
	if err := m.Validate("Op", []byte(`{"A":"zzz"}`)); err != nil {
		t.Fatalf("skipped pattern was checked: %v", err)
	}
}
