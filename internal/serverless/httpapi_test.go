package serverless

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// issue18 is the serverless.yml of issue 18, as a user writes it.
const issue18 = `service: tasks
provider:
  name: aws
  runtime: nodejs20.x
  httpApi:
    cors: true
    authorizers:
      cognito:
        type: jwt
        identitySource: $request.header.Authorization
        issuerUrl: https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abcdefghi
        audience:
          - 1example23456789
      custom:
        type: request
        functionName: authorizerFunc
        enableSimpleResponses: true
        payloadVersion: '2.0'
        resultTtlInSeconds: 300
        identitySource: [$request.header.Authorization]
functions:
  authorizerFunc:
    handler: auth.handler
  listTasks:
    handler: tasks.list
    events:
      - httpApi:
          method: GET
          path: /tasks
          authorizer:
            name: cognito
            scopes: [tasks/read]
  getTask:
    handler: tasks.get
    httpApi: {payload: '1.0'}
    events:
      - httpApi: 'GET /tasks/{id}'
  admin:
    handler: admin.handler
    events:
      - httpApi: { method: '*', path: '/admin/{proxy+}', authorizer: { type: aws_iam } }
      - httpApi: '*'
      - httpApi: {path: /custom, method: post, authorizer: custom}
`

func TestHTTPAPIIssueExample(t *testing.T) {
	svc, diags, err := Parse("serverless.yml", []byte(issue18), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diags {
		if d.Severity != Info {
			t.Errorf("unexpected diagnostic %s", d)
		}
	}
	h := svc.HTTPAPI
	if h == nil {
		t.Fatal("no HTTP API")
	}
	if h.Name != "dev-tasks" || h.Payload != "2.0" {
		t.Errorf("name %q payload %q", h.Name, h.Payload)
	}
	if h.CORS == nil || strings.Join(h.CORS.AllowOrigins, ",") != "*" || h.CORS.MaxAge != -1 {
		t.Errorf("cors %+v", h.CORS)
	}
	for _, m := range []string{"OPTIONS", "GET", "POST", "DELETE"} {
		if !strings.Contains(strings.Join(h.CORS.AllowMethods, ","), m) {
			t.Errorf("cors methods %v lack %s", h.CORS.AllowMethods, m)
		}
	}
	var got []string
	for _, r := range h.Routes {
		az := "-"
		if r.Authorizer != nil {
			az = string(r.Authorizer.Type) + ":" + r.Authorizer.Name
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%v", r.RouteKey, r.FunctionName, r.Payload, az, r.Scopes))
	}
	want := []string{
		"GET /tasks|listTasks|2.0|jwt:cognito|[tasks/read]",
		"GET /tasks/{id}|getTask|1.0|-|[]",
		"ANY /admin/{proxy+}|admin|2.0|aws_iam:aws_iam|[]",
		"$default|admin|2.0|-|[]",
		"POST /custom|admin|2.0|request:custom|[]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("routes\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c := h.Authorizer("custom")
	if c.FunctionName != "authorizerFunc" || !c.EnableSimpleResponses || c.ResultTTL != 300*time.Second || c.PayloadVersion != "2.0" {
		t.Errorf("custom %+v", c)
	}
	j := h.Authorizer("cognito")
	if j.IssuerURL != "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abcdefghi" || len(j.Audience) != 1 {
		t.Errorf("cognito %+v", j)
	}
}

// TestHTTPAPIErrors: each mistake is an error at its line.
func TestHTTPAPIErrors(t *testing.T) {
	head := "service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\n"
	for _, tc := range []struct{ name, provider, events, want string }{
		{"bad string form", "", "      - httpApi: 'GET tasks'", "s.yml:9:18: functions.f.events[0].httpApi is \"GET tasks\""},
		{"bad method", "", "      - httpApi: {method: FETCH, path: /x}", "method \"FETCH\""},
		{"default with method", "", "      - httpApi: {method: GET, path: '*'}", "drop method GET"},
		{"duplicate", "", "      - httpApi: GET /x\n      - httpApi: {method: get, path: /x}", "s.yml:10:18: functions.f.events[1].httpApi: duplicate route 'GET /x' (first at line 9)"},
		{"greedy not last", "", "      - httpApi: GET /{p+}/x", "must be the last segment"},
		{"unknown authorizer", "", "      - httpApi: {method: GET, path: /x, authorizer: nope}", "does not define"},
		{"iam with scopes", "", "      - httpApi: {method: GET, path: /x, authorizer: {type: aws_iam, scopes: [a]}}", "name and scopes are not supported"},
		{"unknown route key", "", "      - httpApi: {method: GET, path: /x, auth: nope}", "unknown key \"auth\""},
		{"jwt without audience", "  httpApi:\n    authorizers:\n      a: {issuerUrl: 'https://x'}\n", "      - httpApi: GET /x", "needs audience"},
		{"request without function", "  httpApi:\n    authorizers:\n      a: {type: request, functionName: missing}\n", "      - httpApi: GET /x", "not found in service"},
		{"ttl without source", "  httpApi:\n    authorizers:\n      a: {type: request, functionName: f, resultTtlInSeconds: 10}\n", "      - httpApi: GET /x", "identitySource has to be set"},
		{"simple with 1.0", "  httpApi:\n    authorizers:\n      a: {type: request, functionName: f, payloadVersion: '1.0', enableSimpleResponses: true}\n", "      - httpApi: GET /x", "needs payloadVersion '2.0'"},
		{"unknown authorizer key", "  httpApi:\n    authorizers:\n      a: {issuerUrl: 'https://x', audience: [c], issuer: y}\n", "      - httpApi: GET /x", "unknown key \"issuer\""},
		{"scopes on request", "  httpApi:\n    authorizers:\n      a: {type: request, functionName: f}\n", "      - httpApi: {method: GET, path: /x, authorizer: {name: a, scopes: [s]}}", "apply only to jwt"},
		{"bad payload", "  httpApi:\n    payload: '3.0'\n", "      - httpApi: GET /x", "want '1.0' or '2.0'"},
		{"credentials with *", "  httpApi:\n    cors: {allowCredentials: true}\n", "      - httpApi: GET /x", "allowCredentials cannot be true"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := head + tc.provider + "functions:\n  f:\n    handler: f.h\n    events:\n" + tc.events + "\n"
			_, _, err := Parse("s.yml", []byte(file), Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q\n%s", err, tc.want, file)
			}
		})
	}
}

// FuzzHTTPAPIEvent: any 'METHOD /path' string loads or is refused with a line, never panics,
// and an accepted route key is well formed.
func FuzzHTTPAPIEvent(f *testing.F) {
	for _, s := range []string{"GET /x", "*", "ANY /a/{b}/{c+}", "get /", "POST /{a}/{a}", "PUT /a//b", "DELETE /{p+}/x", "GET  /x", "HEAD /x\u00e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ev string) {
		if !utf8.ValidString(ev) || strings.ContainsAny(ev, "'\n\r") {
			return
		}
		file := "service: s\nprovider: {name: aws, runtime: nodejs20.x}\nfunctions:\n  f:\n    handler: f.h\n    events:\n      - httpApi: '" + ev + "'\n"
		svc, _, err := Parse("s.yml", []byte(file), Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "s.yml:") {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if svc.HTTPAPI == nil || len(svc.HTTPAPI.Routes) != 1 {
			t.Fatalf("accepted %q without a route", ev)
		}
		r := svc.HTTPAPI.Routes[0]
		if r.RouteKey != "$default" && (r.RouteKey != r.Method+" "+r.Path || !strings.HasPrefix(r.Path, "/")) {
			t.Fatalf("route %+v from %q", r, ev)
		}
	})
}
