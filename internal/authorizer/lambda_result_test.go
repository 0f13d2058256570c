package authorizer

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/policy"
)

const allowDoc = `{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/tasks"}]}`

func TestParseResult(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		bad      string // "" → valid
		check    func(*lambdaResult) bool
	}{
		// The developer guide's example output, with its placeholders filled in.
		{name: "aws example", in: `{"principalId":"yyyyyyyy","policyDocument":` + allowDoc +
			`,"context":{"stringKey":"value","numberKey":"1","booleanKey":"true"},"usageIdentifierKey":"{api-key}"}`,
			check: func(r *lambdaResult) bool {
				return r.principalID == "yyyyyyyy" && r.context["numberKey"] == "1" && r.usageIdentifierKey == "{api-key}"
			}},
		{name: "typed context", in: `{"principalId":"u","policyDocument":` + allowDoc + `,"context":{"n":123,"f":1.5,"b":true,"z":null}}`,
			check: func(r *lambdaResult) bool {
				_, hasZ := r.context["z"]
				return r.context["n"] == json.Number("123") && r.context["f"] == json.Number("1.5") && r.context["b"] == true && !hasZ
			}},
		{name: "no principal", in: `{"policyDocument":` + allowDoc + `}`, check: func(r *lambdaResult) bool { return r.principalID == "" && r.context == nil }},
		{name: "numeric principal", in: `{"principalId":42,"policyDocument":` + allowDoc + `}`, check: func(r *lambdaResult) bool { return r.principalID == "42" }},
		{name: "null context", in: `{"principalId":"u","policyDocument":` + allowDoc + `,"context":null}`, check: func(r *lambdaResult) bool { return r.context == nil }},
		{name: "extra members", in: `{"principalId":"u","policyDocument":` + allowDoc + `,"isAuthorized":true}`, check: func(r *lambdaResult) bool { return r.policy != nil }},

		{name: "not json", in: `allow`, bad: "not a JSON object"},
		{name: "string", in: `"allow"`, bad: "not a JSON object"},
		{name: "null", in: `null`, bad: "null"},
		{name: "array", in: `[]`, bad: "not a JSON object"},
		{name: "trailing", in: `{"policyDocument":` + allowDoc + `} {}`, bad: "after"},
		{name: "no policy", in: `{"principalId":"u"}`, bad: "no policyDocument"},
		{name: "null policy", in: `{"principalId":"u","policyDocument":null}`, bad: "no policyDocument"},
		{name: "string policy", in: `{"principalId":"u","policyDocument":"` + strings.ReplaceAll(allowDoc, `"`, `\"`) + `"}`, bad: "not a JSON object"},
		{name: "bad policy", in: `{"principalId":"u","policyDocument":{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}}`, bad: "policyDocument"},
		{name: "object principal", in: `{"principalId":{},"policyDocument":` + allowDoc + `}`, bad: "principalId"},
		{name: "object in context", in: `{"policyDocument":` + allowDoc + `,"context":{"o":{"a":1}}}`, bad: "context.o is a JSON object"},
		{name: "array in context", in: `{"policyDocument":` + allowDoc + `,"context":{"a":[1]}}`, bad: "context.a is a JSON array"},
		{name: "context not object", in: `{"policyDocument":` + allowDoc + `,"context":"x"}`, bad: "context"},
		{name: "usage key not string", in: `{"policyDocument":` + allowDoc + `,"usageIdentifierKey":1}`, bad: "usageIdentifierKey"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parseResult([]byte(tc.in))
			if tc.bad != "" {
				if err == nil || !errors.Is(err, errMalformedResult) || !strings.Contains(err.Error(), tc.bad) {
					t.Fatalf("err %v, want a malformed result mentioning %q", err, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.policy == nil || !tc.check(r) {
				t.Fatalf("parsed %+v", r)
			}
		})
	}
}

// FuzzParseResult: parseResult never panics, and whatever it accepts is usable: a policy to
// evaluate, context values the event can print.
func FuzzParseResult(f *testing.F) {
	for _, s := range []string{
		`{"principalId":"u","policyDocument":` + allowDoc + `,"context":{"a":"b","n":1,"t":true}}`,
		`{"policyDocument":{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}}`,
		`{"principalId":1e400,"policyDocument":{}}`, `{"context":{"a":{}}}`, `null`, `{}`, `[`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseResult(b)
		if err != nil {
			if !errors.Is(err, errMalformedResult) {
				t.Fatalf("error %v does not wrap errMalformedResult", err)
			}
			return
		}
		if r.policy == nil {
			t.Fatal("accepted without a policy")
		}
		r.policy.Evaluate(&policy.Request{Action: "execute-api:Invoke", Resource: "arn:aws:execute-api:us-east-1:1:a/dev/GET/x"})
		for k, v := range r.context {
			switch v.(type) {
			case string, bool, json.Number:
			default:
				t.Fatalf("context.%s is %T", k, v)
			}
		}
	})
}

// FuzzIdentitySource: parsing never panics; an accepted source reads a value without
// panicking, from any request; and the expression round-trips to the same source.
func FuzzIdentitySource(f *testing.F) {
	for _, s := range []string{
		"method.request.header.Authorization", "method.request.querystring.token", "stageVariables.v",
		"context.identity.sourceIp", "context.requestId", "context.", "method.request.header.", "a,b", " ",
		"method.request.header.X,method.request.querystring.y",
	} {
		f.Add(s, "value")
	}
	f.Fuzz(func(t *testing.T, expr, value string) {
		srcs, err := parseIdentitySources([]string{expr})
		if err != nil {
			return
		}
		r := apiRequest("GET", "/x", map[string]string{"Authorization": value}, "token="+value)
		for _, s := range srcs {
			_ = s.value(r)
			again, err := parseIdentitySource(s.expr)
			if err != nil || again != s {
				t.Fatalf("%q parsed to %+v, which re-parses to %+v, %v", expr, s, again, err)
			}
		}
		// A Lambda authorizer built from them never passes a request without asking.
		l, err := NewLambda(LambdaConfig{Type: LambdaRequest, Function: "authFn", IdentitySource: []string{expr},
			Invoker: &fakeFunction{answer: func(map[string]any) ([]byte, error) { return []byte(`{}`), nil }}})
		if err != nil {
			t.Fatalf("parsed but refused by NewLambda: %v", err)
		}
		if p, err := l.Authorize(t.Context(), r); err == nil || p != nil {
			t.Fatalf("passed with an invalid result: %+v", p)
		}
	})
}
