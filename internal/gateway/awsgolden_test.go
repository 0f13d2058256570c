package gateway

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Tests of the events Gatehouse builds against AWS's own payloads (testdata/aws-lambda-go,
// copied from aws-lambda-go's events/testdata; the README there says where each comes from):
// the same keys and JSON types, recursively, with each allowed difference named and explained.

func loadJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

// freeKeyMembers are the event members whose keys are the caller's (header names, parameter
// names, stage variable names): only their values' types are compared.
var freeKeyMembers = map[string]bool{
	"headers": true, "multiValueHeaders": true, "queryStringParameters": true,
	"multiValueQueryStringParameters": true, "pathParameters": true, "stageVariables": true,
}

func typeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

// eventDiff compares got with AWS's want: the JSON type of every member both have,
// recursively, and the members only one has, by path ("requestContext.identity.apiKey").
type eventDiff struct {
	types   []string // "path: got T, AWS has U"
	missing []string // in AWS's payload, not in ours
	extra   []string // in ours, not in AWS's
}

func diffEvent(path string, want, got any, d *eventDiff) {
	if wt, gt := typeOf(want), typeOf(got); wt != gt {
		d.types = append(d.types, fmt.Sprintf("%s: %s, AWS has %s", path, gt, wt))
		return
	}
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		if freeKeyMembers[path[strings.LastIndex(path, ".")+1:]] {
			// Compare each of our values with the type of AWS's first one.
			var tmpl any
			for _, k := range sortedNames(w) {
				tmpl = w[k]
				break
			}
			if tmpl != nil {
				for _, k := range sortedNames(g) {
					diffEvent(path+"."+k, tmpl, g[k], d)
				}
			}
			return
		}
		for _, k := range sortedNames(w) {
			if _, ok := g[k]; !ok {
				d.missing = append(d.missing, joinPath(path, k))
				continue
			}
			diffEvent(joinPath(path, k), w[k], g[k], d)
		}
		for _, k := range sortedNames(g) {
			if _, ok := w[k]; !ok {
				d.extra = append(d.extra, joinPath(path, k))
			}
		}
	case []any:
		g := got.([]any)
		if len(w) > 0 {
			for i, e := range g {
				diffEvent(fmt.Sprintf("%s[%d]", path, i), w[0], e, d)
			}
		}
	}
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func sortedNames(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// checkDiff fails on every type difference and on every key difference not in allowed.
func checkDiff(t *testing.T, d eventDiff, allowMissing, allowExtra map[string]string) {
	t.Helper()
	for _, s := range d.types {
		t.Errorf("type: %s", s)
	}
	for _, p := range d.missing {
		if _, ok := allowMissing[p]; !ok {
			t.Errorf("missing: %s (AWS's payload has it)", p)
		}
	}
	for _, p := range d.extra {
		if _, ok := allowExtra[p]; !ok {
			t.Errorf("extra: %s (not in AWS's payload)", p)
		}
	}
}

// documentedContext returns allowances for the requestContext and identity members the
// developer guide's proxy event format lists (testdata/proxy-event-v1-format.json): the
// REQUEST authorizer page says requestContext "corresponds to the $context variable" and
// "API Gateway may add new keys to the map", and Gatehouse sends the proxy event's.
func documentedContext(t *testing.T) map[string]string {
	t.Helper()
	doc := loadJSON(t, filepath.Join("testdata", "proxy-event-v1-format.json"))
	out := map[string]string{}
	rc := doc["requestContext"].(map[string]any)
	for k := range rc {
		out["requestContext."+k] = "in the developer guide's proxy event format"
	}
	for k := range rc["identity"].(map[string]any) {
		out["requestContext.identity."+k] = "in the developer guide's proxy event format"
	}
	return out
}

// TestRequestAuthorizerEventMatchesAWS builds the REQUEST authorizer input for the developer
// guide's example request (GET /request with HeaderAuth1, QueryString1 and StageVar1) and
// compares it with AWS's.
func TestRequestAuthorizerEventMatchesAWS(t *testing.T) {
	want := loadJSON(t, filepath.Join("testdata", "aws-lambda-go", "apigw-custom-auth-request-type-request.json"))
	var got []byte
	auth := authorizerFunc(func(_ context.Context, r *Request) (*Principal, error) {
		var err error
		got, err = BuildRequestAuthorizerEvent(r)
		return &Principal{PrincipalID: "p"}, err
	})
	api := testAPI(Route{Method: "GET", Path: "/request", Authorizer: auth, Integration: staticIntegration{200, "ok"}})
	api.StageVariables = map[string]string{"StageVar1": "stageValue1"}
	rec := do(newTestGateway(t, api), "GET", "/dev/request?QueryString1=queryValue1", nil,
		"HeaderAuth1", "headerValue1", "Accept", "*/*", "User-Agent", "PostmanRuntime/7.0",
		"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", "54.240.196.186")
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var ev map[string]any
	if err := json.Unmarshal(got, &ev); err != nil {
		t.Fatal(err)
	}
	var d eventDiff
	diffEvent("", want, ev, &d)
	checkDiff(t, d, map[string]string{
		// API keys and mutual TLS are not part of Gatehouse: API Gateway fills these for a
		// method that requires an API key and for a custom domain with mutual TLS.
		"requestContext.identity.apiKey":     "no API keys",
		"requestContext.identity.clientCert": "no mutual TLS",
	}, documentedContext(t))
	if ev["type"] != "REQUEST" || ev["methodArn"] != "arn:aws:execute-api:us-east-1:123456789012:gy415nuibc/dev/GET/request" {
		t.Errorf("type %v methodArn %v", ev["type"], ev["methodArn"])
	}
}

// TestProxyEventIAMIdentityMatchesAWS compares the proxy event of an AWS_IAM caller with
// aws-lambda-go's proxy event whose identity has every IAM and Cognito member filled in: each
// of those must be a string, not null.
func TestProxyEventIAMIdentityMatchesAWS(t *testing.T) {
	want := loadJSON(t, filepath.Join("testdata", "aws-lambda-go", "apigw-request.json"))
	var tc goldenCase
	for _, c := range goldenCases() {
		if c.name == "aws-iam-cognito-identity" {
			tc = c
		}
	}
	if tc.principal == nil {
		t.Fatal("no aws-iam-cognito-identity case")
	}
	// With a path parameter and a query string, as AWS's event has, so their types compare.
	tc.route.Path, tc.target = "/tasks/{id}", "/dev/tasks/7?status=open"
	var ev map[string]any
	if err := json.Unmarshal(eventFor(t, tc), &ev); err != nil {
		t.Fatal(err)
	}
	var d eventDiff
	diffEvent("", want, ev, &d)
	allowExtra := documentedContext(t)
	// aws-lambda-go's capture predates isBase64Encoded, which the developer guide's format
	// and every REST proxy event now carry.
	allowExtra["isBase64Encoded"] = "in the developer guide's proxy event format"
	// The test API has no stage variables, and API Gateway sends null then
	// (TestEventNullsWithoutInput); AWS's event has some.
	d.types = slices.DeleteFunc(d.types, func(s string) bool { return s == "stageVariables: null, AWS has object" })
	checkDiff(t, d, map[string]string{
		"requestContext.identity.apiKey":     "no API keys",
		"requestContext.identity.apiKeyId":   "no API keys",
		"requestContext.identity.clientCert": "no mutual TLS",
		// An AWS_IAM method has no authorizer output: requestContext.authorizer is absent.
		"requestContext.authorizer": "no Lambda or Cognito authorizer on an AWS_IAM method",
	}, allowExtra)
	id := ev["requestContext"].(map[string]any)["identity"].(map[string]any)
	for _, k := range []string{"cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "accessKey",
		"cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "user", "sourceIp", "userAgent"} {
		if _, ok := id[k].(string); !ok {
			t.Errorf("identity.%s = %v, want a string", k, id[k])
		}
	}
}

// TestDiffEventCanFail keeps the comparison honest.
func TestDiffEventCanFail(t *testing.T) {
	want := map[string]any{"a": "x", "headers": map[string]any{"H": "v"}, "n": map[string]any{"b": 1.0}}
	got := map[string]any{"a": nil, "headers": map[string]any{"Other": []any{"v"}}, "n": map[string]any{"c": 1.0}}
	var d eventDiff
	diffEvent("", want, got, &d)
	if !slices.Equal(d.types, []string{"a: null, AWS has string", "headers.Other: array, AWS has string"}) ||
		!slices.Equal(d.missing, []string{"n.b"}) || !slices.Equal(d.extra, []string{"n.c"}) {
		t.Errorf("diff %+v", d)
	}
}
