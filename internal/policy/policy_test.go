package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustParse(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseRefuses(t *testing.T) {
	stmt := func(body string) string { return `{"Version":"2012-10-17","Statement":{` + body + `}}` }
	ok := `"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"`
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"not JSON", `{"Version":`, "syntax errors in policy"},
		{"trailing data", `{"Statement":{` + ok + `}} {}`, "data after the document"},
		{"a list", `[]`, "must be a JSON object"},
		{"unknown element", `{"Version":"2012-10-17","Statment":[]}`, `unknown element "Statment"`},
		{"no Statement", `{"Version":"2012-10-17"}`, "missing required field Statement"},
		{"empty Statement", `{"Version":"2012-10-17","Statement":[]}`, "no statements"},
		{"Statement a string", `{"Version":"2012-10-17","Statement":"x"}`, "Statement must be an object"},
		{"statement a string", `{"Version":"2012-10-17","Statement":["x"]}`, "statement 0 is not an object"},
		{"bad Version", `{"Version":"2020-01-01","Statement":{` + ok + `}}`, `invalid Version "2020-01-01"`},
		{"numeric Version", `{"Version":2012,"Statement":{` + ok + `}}`, "invalid Version 2012"},
		{"no Effect", stmt(`"Action":"s3:*","Resource":"*"`), "missing required field Effect"},
		{"lower-case Effect", stmt(`"Effect":"allow","Action":"s3:*","Resource":"*"`), `invalid Effect "allow"`},
		{"Action and NotAction", stmt(`"Effect":"Allow","Action":"s3:*","NotAction":"iam:*","Resource":"*"`), "both Action and NotAction"},
		{"no Action", stmt(`"Effect":"Allow","Resource":"*"`), "policy statement must contain actions"},
		{"empty Action", stmt(`"Effect":"Allow","Action":[],"Resource":"*"`), "policy statement must contain actions"},
		{"Action without a service", stmt(`"Effect":"Allow","Action":"Invoke","Resource":"*"`), "must be prefaced by a vendor"},
		{"wildcard service", stmt(`"Effect":"Allow","Action":"s*:GetObject","Resource":"*"`), "service prefix cannot contain wildcards"},
		{"Action a number", stmt(`"Effect":"Allow","Action":[1],"Resource":"*"`), "Action must be a string or a list of strings"},
		{"no Resource", stmt(`"Effect":"Allow","Action":"s3:*"`), "policy statement must contain resources"},
		{"Resource and NotResource", stmt(ok + `,"NotResource":"*"`), "both Resource and NotResource"},
		{"Resource not an ARN", stmt(`"Effect":"Allow","Action":"s3:*","Resource":"my-bucket"`), `resource my-bucket must be in ARN format or "*"`},
		{"Sid with a dash", stmt(`"Sid":"allow-all",` + ok), "must be alpha-numeric"},
		{"duplicate Sid", `{"Version":"2012-10-17","Statement":[{"Sid":"A",` + ok + `},{"Sid":"A",` + ok + `}]}`, "are not unique"},
		{"unknown statement element", stmt(ok + `,"Effects":"Allow"`), `unknown element "Effects"`},
		{"Principal a name", stmt(`"Effect":"Allow","Principal":"alice","Action":"sts:AssumeRole"`), `invalid Principal "alice"`},
		{"unknown principal type", stmt(`"Effect":"Allow","Principal":{"User":"x"},"Action":"sts:AssumeRole"`), `invalid principal type "User"`},
		{"Principal and NotPrincipal", stmt(`"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"sts:AssumeRole"`), "both Principal and NotPrincipal"},
		{"Condition a list", stmt(ok + `,"Condition":[]`), "Condition must be an object"},
		{"unknown operator", stmt(ok + `,"Condition":{"StringEqualz":{"aws:username":"a"}}`), "invalid condition type: StringEqualz"},
		{"NullIfExists", stmt(ok + `,"Condition":{"NullIfExists":{"aws:username":"true"}}`), "Null takes no IfExists"},
		{"Null not boolean", stmt(ok + `,"Condition":{"Null":{"aws:username":"yes"}}`), `"yes" is not true or false`},
		{"key without vendor", stmt(ok + `,"Condition":{"StringEquals":{"username":"a"}}`), `condition key "username"`},
		{"operator value not an object", stmt(ok + `,"Condition":{"StringEquals":"a"}`), "must be an object of keys"},
		{"condition value an object", stmt(ok + `,"Condition":{"StringEquals":{"aws:username":{"a":1}}}`), "values must be strings, numbers or booleans"},
		{"condition value null", stmt(ok + `,"Condition":{"StringEquals":{"aws:username":null}}`), "found null"},
		{"numeric not a number", stmt(ok + `,"Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}`), `"ten" is not a number`},
		{"numeric NaN", stmt(ok + `,"Condition":{"NumericLessThan":{"s3:max-keys":"NaN"}}`), "is not a number"},
		{"date not a date", stmt(ok + `,"Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}`), `"tomorrow" is not a date`},
		{"bad CIDR", stmt(ok + `,"Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/33"}}`), "is not an IP address or CIDR block"},
		{"bad binary", stmt(ok + `,"Condition":{"BinaryEquals":{"aws:x":"***"}}`), "is not base64"},
		{"too deep", `{"Statement":[[[[[[1]]]]]]}`, "nested deeper than 6"},
		{"invalid UTF-8", "{\"Statement\":\"\xff\"}", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.doc))
			if err == nil {
				t.Fatalf("Parse accepted %s: %+v", tc.doc, p)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("error %v does not wrap ErrMalformed", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if msg := err.Error(); msg != "" && msg[0] != strings.ToLower(msg[:1])[0] {
				t.Errorf("error %q does not start in lower case", msg)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	stmt := `{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/pets/N"}`
	const head = `{"Version":"2012-10-17","Statement":[`
	build := func(n int, indent string) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n" + indent + strings.Replace(stmt, "N", string(rune('a'+i%26)), 1))
		}
		b.WriteString("]}")
		return b.String()
	}
	fits := (MaxPolicyChars - len(head) - 2) / (len(stmt) + 1)
	small := build(fits, strings.Repeat(" ", 200)) // white space does not count
	if len(small) <= MaxPolicyChars {
		t.Fatalf("test document only %d bytes", len(small))
	}
	if _, err := Parse([]byte(small)); err != nil {
		t.Fatalf("Parse of %d bytes with white space: %v", len(small), err)
	}
	_, err := Parse([]byte(build(fits+2, "")))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "more than 10240") {
		t.Fatalf("Parse of too many characters: %v, want ErrTooLarge", err)
	}
	_, err = Parse([]byte(`{"Statement":[]}` + strings.Repeat(" ", MaxDocumentBytes)))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse of too many bytes: %v, want ErrTooLarge", err)
	}
}

func TestParseShapes(t *testing.T) {
	p := mustParse(t, `{
		"Version": "2012-10-17",
		"Id": "trust",
		"Statement": {
			"Sid": "CognitoAuthenticated",
			"Effect": "Allow",
			"Principal": {"Federated": "cognito-identity.amazonaws.com"},
			"Action": "sts:AssumeRoleWithWebIdentity",
			"Condition": {
				"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:12345678-abcd-abcd-abcd-123456789012"},
				"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
				"NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
				"Bool": {"aws:SecureTransport": true}
			}
		}
	}`)
	want := &Policy{
		Version: Version2012,
		ID:      "trust",
		Statements: []Statement{{
			Sid:       "CognitoAuthenticated",
			Effect:    "Allow",
			Principal: &Principal{Federated: []string{"cognito-identity.amazonaws.com"}},
			Action:    []string{"sts:AssumeRoleWithWebIdentity"},
			Conditions: []Condition{
				{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
				{Operator: "ForAnyValue:StringLike", Key: "cognito-identity.amazonaws.com:amr", Values: []string{"authenticated"}},
				{Operator: "NumericLessThan", Key: "aws:MultiFactorAuthAge", Values: []string{"3600"}},
				{Operator: "StringEquals", Key: "cognito-identity.amazonaws.com:aud", Values: []string{"us-east-1:12345678-abcd-abcd-abcd-123456789012"}},
			},
		}},
	}
	got := *p
	got.compiled = nil
	if !reflect.DeepEqual(&got, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", got, *want)
	}
	// A trust statement has no Resource: it applies to the role, whatever the resource.
	req := Request{Action: "sts:AssumeRoleWithWebIdentity", Resource: "arn:aws:iam::123456789012:role/Cognito_Auth"}
	req.Context.Set(KeyCognitoAud, "us-east-1:12345678-abcd-abcd-abcd-123456789012")
	req.Context.Set(KeyCognitoAmr, "authenticated")
	req.Context.Set("aws:MultiFactorAuthAge", "60")
	req.Context.Set(KeySecureTransport, "true")
	if d := p.Evaluate(&req); d.Effect != Allow {
		t.Errorf("trust policy: %v (%s)", d.Effect, d.Reason)
	}

	wild := mustParse(t, `{"Statement":[{"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:*","NotResource":["arn:aws:s3:::b"]}]}`)
	if st := wild.Statements[0]; wild.Version != "" || !st.NotPrincipal.Wildcard || st.NotAction[0] != "s3:*" || st.NotResource[0] != "arn:aws:s3:::b" {
		t.Errorf("Parse = %+v", wild)
	}
}

func TestPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"a*", "a", true},
		{"*a", "ba", true},
		{"*a", "ab", false},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a?c", "aéc", true}, // ? is one character, not one byte
		{"**", "x", true},
		{"*:*", "a:b:c", true},
		{"a*a*a*a*a*a*a*b", strings.Repeat("a", 200), false},
	} {
		p := compilePattern(tc.pattern, true, false)
		if got, _ := p.match(nil, tc.s); got != tc.want {
			t.Errorf("%q ~ %q = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
	for _, tc := range []struct {
		body, key, def string
		hasDef         bool
	}{
		{"aws:username", "aws:username", "", false},
		{" AWS:PrincipalTag/Team , 'a b' ", "aws:principaltag/team", "a b", true},
		{"k:x, 'it''s'", "k:x", "it's", true},
		{"k:x, 'unclosed", "", "", false},
		{"k:x, 'a'b'", "", "", false},
		{"", "", "", false},
		{"has space", "", "", false},
	} {
		key, def, hasDef := parseVariable(tc.body)
		if key != tc.key || def != tc.def || hasDef != tc.hasDef {
			t.Errorf("parseVariable(%q) = %q %q %v, want %q %q %v", tc.body, key, def, hasDef, tc.key, tc.def, tc.hasDef)
		}
	}
}

func TestDates(t *testing.T) {
	want := mustTime(t, "2026-05-01T00:00:00Z")
	for _, s := range []string{"2026-05-01", "2026-05-01T00:00:00Z", "2026-05-01T02:00:00+02:00", "2026-05-01T00:00Z", "2026-05-01T00:00:00.000Z", "2026-05-01T00:00:00", "1777593600"} {
		got, ok := parseDate(s)
		if !ok || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v %v, want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "May 1 2026", "2026-13-01", "99999999999999999999"} {
		if _, ok := parseDate(s); ok {
			t.Errorf("parseDate(%q) accepted", s)
		}
	}
}

// Chars counts as IAM's size quotas do: white space counts only inside strings, and
// nesting is not limited.
func TestChars(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want int
	}{
		{``, 0},
		{" {\n\t\"a b\" : 1 }\r\n", 9},
		{`{"x\" y":"é"}`, 13},
		{`[[[[[[[[1]]]]]]]]`, 17},
	} {
		if got := Chars([]byte(tc.doc)); got != tc.want {
			t.Errorf("Chars(%q) = %d, want %d", tc.doc, got, tc.want)
		}
	}
}
