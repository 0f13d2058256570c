package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden event files in testdata/")

// cognitoClaims are an ID token's claims as a JWT library decodes them.
func cognitoClaims() map[string]any {
	var claims map[string]any
	_ = json.Unmarshal([]byte(`{
		"sub": "7d8ca528-4931-4254-9273-ea5ee853f271",
		"cognito:groups": ["admin", "users"],
		"email_verified": true,
		"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
		"cognito:username": "7d8ca528-4931-4254-9273-ea5ee853f271",
		"custom:tenant": "acme",
		"origin_jti": "b8f2a9b4-9c64-4b5e-8d7b-0e9f3c1a2d4e",
		"aud": "4l2ku5rtnqqgl0uh9ou7q1k1ec",
		"event_id": "e3c2d1b0-a9f8-4e7d-b6c5-d4e3f2a1b0c9",
		"token_use": "id",
		"auth_time": 1562947993,
		"exp": 1563170302,
		"iat": 1563166702,
		"jti": "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f",
		"email": "admin@example.com"
	}`), &claims)
	return claims
}

// goldenCase is one request and the event API Gateway builds for it.
type goldenCase struct {
	name      string
	route     Route
	binary    []string
	method    string
	target    string
	body      []byte
	header    []string
	principal *Principal
}

func goldenCases() []goldenCase {
	return []goldenCase{
		{
			name:   "get-path-and-query-params",
			route:  Route{Method: "GET", Path: "/tasks/{id}"},
			method: "GET", target: "/dev/tasks/42?status=open&tag=a&tag=b&q=x%20y",
			header: []string{"Host", "gy415nuibc.execute-api.localhost:3000", "Accept", "*/*", "User-Agent", "curl/8.5.0",
				"X-Multi", "one", "X-Multi", "two"},
		},
		{
			name:   "cognito-user-pool-claims",
			route:  Route{Method: "GET", Path: "/tasks"},
			method: "GET", target: "/dev/tasks",
			header:    []string{"Host", "127.0.0.1:3000", "Authorization", "eyJraWQiOi.eyJzdWIiOi.c2lnbmF0dXJl", "User-Agent", "Mozilla/5.0"},
			principal: &Principal{Claims: cognitoClaims()},
		},
		{
			name:   "lambda-authorizer-context",
			route:  Route{Method: "DELETE", Path: "/tasks/{id}"},
			method: "DELETE", target: "/dev/tasks/7",
			header: []string{"Host", "127.0.0.1:3000", "Authorization", "Bearer allow-me", "User-Agent", "node"},
			principal: &Principal{PrincipalID: "user|a1b2c3", IntegrationLatency: 34 * time.Millisecond,
				Context: map[string]any{"tenant": "acme", "count": 3.0, "admin": true}},
		},
		{
			name:   "aws-iam-cognito-identity",
			route:  Route{Method: "POST", Path: "/tasks"},
			method: "POST", target: "/dev/tasks", body: []byte(`{"title":"write tests"}`),
			header: []string{"Host", "127.0.0.1:3000", "Content-Type", "application/json", "User-Agent", "aws-sdk-js/3.0",
				"X-Amz-Date", "20200515T060109Z", "X-Amz-Security-Token", "IQoJb3JpZ2luX2VjEXAMPLE"},
			principal: &Principal{Identity: Identity{
				CognitoIdentityPoolID:         "us-east-1:0c2a4e6f-8b0d-4f2a-9c4e-6a8b0d2f4a6c",
				AccountID:                     "123456789012",
				CognitoIdentityID:             "us-east-1:1d3b5f7a-9c1e-4b3d-8f5a-7c9e1b3d5f7a",
				Caller:                        "AROAEXAMPLEROLEID:CognitoIdentityCredentials",
				AccessKey:                     "ASIAEXAMPLEKEY123456",
				CognitoAuthenticationType:     "authenticated",
				CognitoAuthenticationProvider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI,cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI:CognitoSignIn:7d8ca528-4931-4254-9273-ea5ee853f271",
				UserARN:                       "arn:aws:sts::123456789012:assumed-role/todo-authenticated/CognitoIdentityCredentials",
				User:                          "AROAEXAMPLEROLEID:CognitoIdentityCredentials",
			}},
		},
		{
			name:   "binary-body-base64",
			route:  Route{Method: "PUT", Path: "/files/{name}"},
			binary: []string{"image/png"},
			method: "PUT", target: "/dev/files/logo.png",
			body:   []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
			header: []string{"Host", "127.0.0.1:3000", "Content-Type", "image/png"},
		},
		{
			name:   "proxy-plus-json-body",
			route:  Route{Method: "ANY", Path: "/{proxy+}"},
			method: "POST", target: "/dev/hello/world?name=me",
			body: []byte("{\r\n\t\"a\": 1\r\n}"),
			header: []string{"Host", "gy415nuibc.execute-api.localhost:3000", "Content-Type", "application/json",
				"X-Forwarded-For", "54.240.196.186"},
		},
	}
}

// eventFor sends one golden request through a gateway and returns the event the function got.
func eventFor(t *testing.T, tc goldenCase) []byte {
	t.Helper()
	fn := &eventRecorder{}
	tc.route.Integration = &LambdaProxy{Function: "todo-dev-fn", Invoker: fn}
	if tc.principal != nil {
		p := tc.principal
		tc.route.Authorizer = authorizerFunc(func(context.Context, *Request) (*Principal, error) { return p, nil })
	}
	api := testAPI(tc.route)
	api.BinaryMediaTypes = tc.binary
	rec := do(newTestGateway(t, api), tc.method, tc.target, tc.body, tc.header...)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	fn.mu.Lock()
	defer fn.mu.Unlock()
	return fn.events[0]
}

// TestEventGolden compares the events we build with golden files written from the documented
// format ("Input format of a Lambda function for proxy integration") and real captures
// (aws-lambda-go events/testdata/apigw-request.json; the public captures quoted in
// docs/dev/aws-behaviour.md#lambda-proxy-event). Regenerate with go test -run TestEventGolden
// -update, then review the diff against the documentation.
func TestEventGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := eventFor(t, tc)
			file := filepath.Join("testdata", "event-"+tc.name+".json")
			if *update {
				var buf bytes.Buffer
				if err := json.Indent(&buf, got, "", "  "); err != nil {
					t.Fatal(err)
				}
				buf.WriteByte('\n')
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				var buf bytes.Buffer
				_ = json.Indent(&buf, got, "", "  ")
				t.Errorf("event differs from %s; got:\n%s", file, buf.String())
			}
		})
	}
}

// TestEventShape checks every event against the documented v1 format's key set: the same
// members at the top level, in requestContext and in requestContext.identity, and null exactly
// where API Gateway sends null for a request without them.
func TestEventShape(t *testing.T) {
	format, err := os.ReadFile(filepath.Join("testdata", "proxy-event-v1-format.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(format, &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range goldenCases() {
		var ev map[string]any
		if err := json.Unmarshal(eventFor(t, tc), &ev); err != nil {
			t.Fatal(err)
		}
		if d, e := keys(doc), keys(ev); d != e {
			t.Errorf("%s: top-level keys\n got %s\nwant %s", tc.name, e, d)
		}
		dctx, ectx := doc["requestContext"].(map[string]any), ev["requestContext"].(map[string]any)
		wantCtx := keys(dctx)
		if _, ok := ectx["authorizer"]; ok != (tc.principal != nil && (tc.principal.Claims != nil || tc.principal.PrincipalID != "")) {
			t.Errorf("%s: authorizer present=%v", tc.name, ok)
		}
		delete(ectx, "authorizer")
		if got := keys(ectx); got != wantCtx {
			t.Errorf("%s: requestContext keys\n got %s\nwant %s", tc.name, got, wantCtx)
		}
		if d, e := keys(dctx["identity"].(map[string]any)), keys(ectx["identity"].(map[string]any)); d != e {
			t.Errorf("%s: identity keys\n got %s\nwant %s", tc.name, e, d)
		}
		if tc.principal == nil {
			for k, v := range ectx["identity"].(map[string]any) {
				if k == "userAgent" {
					continue // null when the client sends no User-Agent
				}
				if (v == nil) != (k != "sourceIp") {
					t.Errorf("%s: identity.%s = %v", tc.name, k, v)
				}
			}
		}
	}
}

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func TestEventNullsWithoutInput(t *testing.T) {
	fn := &eventRecorder{}
	g := newTestGateway(t, testAPI(Route{Method: "GET", Path: "/", Integration: &LambdaProxy{Function: "f", Invoker: fn}}))
	if rec := do(g, "GET", "/dev", nil); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	ev := fn.last(t)
	for _, k := range []string{"queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body"} {
		if v, ok := ev[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %v), want null", k, v, ok)
		}
	}
	if ev["isBase64Encoded"] != false || ev["resource"] != "/" || ev["path"] != "/" {
		t.Errorf("event %v", ev)
	}
	rc := ev["requestContext"].(map[string]any)
	if rc["path"] != "/dev" || rc["resourcePath"] != "/" || rc["requestTime"] != "15/May/2020:06:01:09 +0000" || rc["requestTimeEpoch"] != 1589522469693.0 {
		t.Errorf("requestContext %v", rc)
	}
}

func TestEventNonUTF8BodyIsBase64(t *testing.T) {
	fn := &eventRecorder{}
	g := newTestGateway(t, testAPI(Route{Method: "POST", Path: "/up", Integration: &LambdaProxy{Function: "f", Invoker: fn}}))
	do(g, "POST", "/dev/up", []byte{0xff, 0xfe, 0x00, 'a'}, "Content-Type", "application/octet-stream")
	ev := fn.last(t)
	if ev["isBase64Encoded"] != true || ev["body"] != "//4AYQ==" {
		t.Errorf("body %v base64 %v", ev["body"], ev["isBase64Encoded"])
	}
	do(g, "POST", "/dev/up", []byte("héllo"), "Content-Type", "application/octet-stream")
	ev = fn.last(t)
	if ev["isBase64Encoded"] != false || ev["body"] != "héllo" {
		t.Errorf("body %v base64 %v", ev["body"], ev["isBase64Encoded"])
	}
}

func TestClaimStrings(t *testing.T) {
	got := ClaimStrings(map[string]any{
		"auth_time":      1562947993.0,
		"exp":            1563168502.0,
		"iat":            json.Number("1563164902"),
		"email_verified": false,
		"cognito:groups": []any{"a", "b", "c"},
		"cognito:roles":  []any{"arn:aws:iam::1:role/x"},
		"ratio":          0.5,
		"big":            1e21,
		"nested":         map[string]any{"k": "v"},
		"gone":           nil,
		"name":           "Zoë",
		"exp_str":        "Mon Jul 15 05:58:22 UTC 2019",
	})
	want := map[string]string{
		"auth_time":      "1562947993",
		"exp":            "Mon Jul 15 05:28:22 UTC 2019",
		"iat":            "Mon Jul 15 04:28:22 UTC 2019",
		"email_verified": "false",
		"cognito:groups": "a,b,c",
		"cognito:roles":  "arn:aws:iam::1:role/x",
		"ratio":          "0.5",
		"big":            "1e+21",
		"nested":         `{"k":"v"}`,
		"name":           "Zoë",
		"exp_str":        "Mon Jul 15 05:58:22 UTC 2019",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ClaimStrings:\n got %v\nwant %v", got, want)
	}
	// Java's Date.toString pads the day of the month: "Mon Jul 05".
	if s := ClaimStrings(map[string]any{"exp": 1562303302.0})["exp"]; s != "Fri Jul 05 05:08:22 UTC 2019" {
		t.Errorf("padded day: %s", s)
	}
}

func TestMethodARN(t *testing.T) {
	r := &Request{API: testAPI(), Method: "GET", Path: "/tasks/a%20b"}
	if got, want := r.MethodARN(), "arn:aws:execute-api:us-east-1:123456789012:gy415nuibc/dev/GET/tasks/a%20b"; got != want {
		t.Errorf("MethodARN %s, want %s", got, want)
	}
	if len(r.MethodARN()) != r.methodARNLen(arnPath(r.Path)) {
		t.Errorf("methodARNLen %d, len %d", r.methodARNLen(arnPath(r.Path)), len(r.MethodARN()))
	}
	r.Path = "/"
	if got, want := r.MethodARN(), "arn:aws:execute-api:us-east-1:123456789012:gy415nuibc/dev/GET/"; got != want {
		t.Errorf("MethodARN %s, want %s", got, want)
	}
}

func TestParseQuery(t *testing.T) {
	got := parseQuery("a=1&a=2;b=x+y&c&=skip&d=%ZZ&e=%C3%A9")
	want := map[string][]string{"a": {"1", "2"}, "b": {"x y"}, "c": {""}, "d": {"%ZZ"}, "e": {"é"}}
	if !reflect.DeepEqual(map[string][]string(got), want) {
		t.Errorf("parseQuery %v, want %v", got, want)
	}
	if parseQuery("") != nil {
		t.Error("empty query is not nil")
	}
}

func TestBuildRequestAuthorizerEvent(t *testing.T) {
	var got []byte
	auth := authorizerFunc(func(_ context.Context, r *Request) (*Principal, error) {
		var err error
		got, err = BuildRequestAuthorizerEvent(r)
		return &Principal{PrincipalID: "p"}, err
	})
	g := newTestGateway(t, testAPI(Route{Method: "GET", Path: "/request/{id}", Authorizer: auth, Integration: staticIntegration{200, "ok"}}))
	if rec := do(g, "GET", "/dev/request/1?q=a", nil, "HeaderAuth1", "headerValue1"); rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	var ev map[string]any
	if err := json.Unmarshal(got, &ev); err != nil {
		t.Fatal(err)
	}
	want := "headers,httpMethod,methodArn,multiValueHeaders,multiValueQueryStringParameters,path,pathParameters," +
		"queryStringParameters,requestContext,resource,stageVariables,type"
	if keys(ev) != want {
		t.Errorf("keys %s", keys(ev))
	}
	if ev["type"] != "REQUEST" || ev["methodArn"] != "arn:aws:execute-api:us-east-1:123456789012:gy415nuibc/dev/GET/request/1" ||
		ev["resource"] != "/request/{id}" || ev["headers"].(map[string]any)["Headerauth1"] != "headerValue1" {
		t.Errorf("event %v", ev)
	}
	if _, ok := ev["requestContext"].(map[string]any)["authorizer"]; ok {
		t.Error("requestContext.authorizer in an authorizer's input")
	}
}
