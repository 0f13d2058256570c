package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// invokerFunc runs a Go function as the route's Lambda function.
type invokerFunc func(ctx context.Context, fn string, payload []byte) ([]byte, error)

func (f invokerFunc) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	return f(ctx, fn, payload)
}

// echo answers with the route key it was invoked for and keeps the event.
func echo(events chan<- []byte) invokerFunc {
	return func(_ context.Context, fn string, payload []byte) ([]byte, error) {
		select {
		case events <- payload:
		default:
		}
		return json.Marshal(map[string]any{"statusCode": 200, "body": fn})
	}
}

func TestRoutePrecedence(t *testing.T) {
	keys := []string{
		"GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}",
		"ANY /pets/dog/1", "POST /pets/{kind}/{id}", "GET /", "$default", "GET /a/{x}/c", "GET /a/b/{y}",
	}
	var routes []Route
	for _, k := range keys {
		routes = append(routes, Route{Key: k, Function: k, Payload: "2.0", Invoker: echo(nil)})
	}
	tbl, err := NewTable(&API{ID: "abcdefghij", Routes: routes})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/pets/dog/1", "GET /pets/dog/1"},
		{"POST", "/pets/dog/1", "ANY /pets/dog/1"}, // a full path match (ANY) before path variables
		{"PUT", "/pets/dog/1", "ANY /pets/dog/1"},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}"},
		{"GET", "/pets/cat/2", "GET /pets/{proxy+}"},
		{"GET", "/pets/cat", "GET /pets/{proxy+}"},
		{"GET", "/pets", "ANY /{proxy+}"},
		{"DELETE", "/x/y", "ANY /{proxy+}"},
		{"GET", "/", "GET /"},
		{"POST", "/", "$default"},
		{"GET", "/a/b/c", "GET /a/b/{y}"},
		{"GET", "/a/z/c", "GET /a/{x}/c"},
		{"GET", "/pets/dog%2F1", "GET /pets/{proxy+}"},
	} {
		r, _, ok := tbl.match(tc.method, tc.path)
		if !ok || r.Key != tc.want {
			got := "none"
			if ok {
				got = r.Key
			}
			t.Errorf("%s %s: %s, want %s", tc.method, tc.path, got, tc.want)
		}
	}
	if _, _, ok := (&Table{api: &API{}}).match("GET", "/"); ok {
		t.Error("an empty table matched")
	}
}

func TestParseRouteKeyErrors(t *testing.T) {
	for _, k := range []string{"GET", "get /x", "FETCH /x", "GET x", "GET /a//b", "GET /{p+}/x", "GET /{a}/{a}", "GET /a{b}", "GET /{}", "GET /{+}"} {
		if _, _, err := ParseRouteKey(k); err == nil {
			t.Errorf("%q accepted", k)
		}
	}
}

func FuzzParseRouteKey(f *testing.F) {
	for _, k := range []string{"GET /x", "$default", "ANY /{proxy+}", "POST /a/{b}/c", "GET /{a}/{a}"} {
		f.Add(k, "/a/b")
	}
	f.Fuzz(func(t *testing.T, key, path string) {
		method, segs, err := ParseRouteKey(key)
		if err != nil {
			return
		}
		tbl, err := NewTable(&API{Routes: []Route{{Key: key, Function: "f", Payload: "2.0", Invoker: echo(nil)}}})
		if err != nil {
			t.Fatalf("%q parsed but did not compile: %v", key, err)
		}
		r, params, ok := tbl.match(method, path)
		if ok && method != "" {
			for _, s := range segs {
				if s.kind != segLiteral && params[s.text] == "" {
					t.Fatalf("%q matched %q without {%s}", key, path, s.text)
				}
			}
			_ = r
		}
	})
}

// shape is a JSON document's keys and value types, recursively, as "a.b:string" lines.
func shape(t *testing.T, doc []byte, skip map[string]bool) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		if skip[prefix] {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			out = append(out, prefix+":object")
			// Maps of names chosen by the request (headers, claims …) are compared as maps.
			if strings.HasSuffix(prefix, "headers") || strings.HasSuffix(prefix, "Parameters") || strings.HasSuffix(prefix, "claims") || strings.HasSuffix(prefix, "lambda") {
				return
			}
			for k, e := range x {
				walk(prefix+"."+k, e)
			}
		case []any:
			out = append(out, prefix+":array")
		case string:
			out = append(out, prefix+":string")
		case float64:
			out = append(out, prefix+":number")
		case bool:
			out = append(out, prefix+":bool")
		case nil:
			out = append(out, prefix+":null")
		}
	}
	walk("", v)
	sort.Strings(out)
	return out
}

// TestGoldenV2Events compares 2.0 events with aws-lambda-go's samples of API Gateway's, key by
// key and type by type; what only mutual TLS (authentication) or stage variables add is not
// served by Gatehouse and left out of the comparison.
func TestGoldenV2Events(t *testing.T) {
	skip := map[string]bool{".requestContext.authentication": true, ".stageVariables": true}
	for _, tc := range []struct {
		sample string
		auth   *Authorization
		req    func() *http.Request
		key    string
	}{
		{"apigw-v2-request-no-authorizer.json", nil, func() *http.Request {
			return httptest.NewRequest("GET", "http://aaaaaaaaaa.execute-api.us-west-2.amazonaws.com/", nil)
		}, "$default"},
		{"apigw-v2-request-jwt-authorizer.json", &Authorization{JWT: &JWTAuthorization{Claims: map[string]string{"sub": "x"}, Scopes: []string{"a"}}}, func() *http.Request {
			r := httptest.NewRequest("GET", "http://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value", strings.NewReader("{\"a\": 1}"))
			r.Header.Set("Cookie", "cookie1; cookie2")
			r.Header.Set("Content-Type", "application/json")
			return r
		}, "$default"},
		{"apigw-v2-request-lambda-authorizer.json", &Authorization{Lambda: map[string]any{"key": "value"}}, func() *http.Request {
			r := httptest.NewRequest("GET", "http://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value", strings.NewReader("{\"a\": 1}"))
			r.Header.Set("Cookie", "cookie1; cookie2")
			return r
		}, "$default"},
		{"apigw-v2-request-iam.json", &Authorization{IAM: &IAMAuthorization{AccessKey: "AKIA", AccountID: "1", CallerID: "c", CognitoIdentity: map[string]any{"amr": []string{"foo"}, "identityId": "us-east-1:x", "identityPoolId": "us-east-1:y"}, UserARN: "arn", UserID: "u", PrincipalOrgID: ptr("o")}}, func() *http.Request {
			r := httptest.NewRequest("GET", "http://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value", strings.NewReader("{\"a\": 1}"))
			r.Header.Set("Cookie", "cookie1; cookie2")
			return r
		}, "$default"},
	} {
		t.Run(tc.sample, func(t *testing.T) {
			sample, err := os.ReadFile("testdata/" + tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			req := tc.req()
			r := &Request{HTTP: req, RouteKey: tc.key, RawPath: rawPath(req), Method: req.Method, APIID: "aaaaaaaaaa", AccountID: "123456789012",
				RequestID: "LV7fzho-PHcEJPw=", Time: time.Unix(1587481701, 67e6)}
			if req.Body != nil {
				r.Body, _ = io.ReadAll(req.Body)
			}
			var sampleDoc map[string]any
			_ = json.Unmarshal(sample, &sampleDoc)
			if _, ok := sampleDoc["pathParameters"]; ok {
				r.PathParameters = map[string]string{"proxy": "hello/world"}
			}
			ours, err := json.Marshal(buildV2(r, req.URL.RawQuery, tc.auth))
			if err != nil {
				t.Fatal(err)
			}
			want, got := shape(t, sample, skip), shape(t, ours, skip)
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("event shape differs\nours:\n%s\n\naws-lambda-go's sample:\n%s\n\nevent: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), ours)
			}
			var ev events.APIGatewayV2HTTPRequest
			dec := json.NewDecoder(strings.NewReader(string(ours)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&ev); err != nil {
				t.Fatalf("aws-lambda-go cannot decode the event: %v", err)
			}
		})
	}
}

func TestEventDetails(t *testing.T) {
	req := httptest.NewRequest("POST", "http://api.example.com:3000/files/a%20b/c?x=1&x=2&y=", strings.NewReader("\x89PNG"))
	req.Header.Add("X-Multi", "a")
	req.Header.Add("X-Multi", "b")
	req.Header.Set("Content-Type", "image/png")
	req.Header.Set("Cookie", "a=1; b=2")
	req.RemoteAddr = "10.1.2.3:5555"
	req.Header.Set("X-Forwarded-For", "192.0.2.9")
	r := &Request{HTTP: req, Body: []byte("\x89PNG"), RouteKey: "POST /files/{proxy+}", RawPath: rawPath(req), Method: "POST", Trace: "Root=1-x-y",
		PathParameters: map[string]string{"proxy": "a b/c"}, Time: time.Unix(1583348638, 390e6)}
	ev := buildV2(r, req.URL.RawQuery, nil)
	if ev.Headers["x-multi"] != "a,b" || ev.Headers["cookie"] != "" || strings.Join(ev.Cookies, "|") != "a=1|b=2" {
		t.Errorf("headers %v cookies %v", ev.Headers, ev.Cookies)
	}
	if ev.Headers["x-forwarded-for"] != "192.0.2.9, 10.1.2.3" || ev.Headers["x-forwarded-port"] != "3000" || ev.Headers["x-forwarded-proto"] != "http" ||
		ev.Headers["x-amzn-trace-id"] != "Root=1-x-y" || ev.Headers["content-length"] != "4" {
		t.Errorf("added headers %v", ev.Headers)
	}
	if ev.QueryStringParameters["x"] != "1,2" || ev.RawQueryString != "x=1&x=2&y=" || ev.RawPath != "/files/a%20b/c" {
		t.Errorf("query %v raw %q path %q", ev.QueryStringParameters, ev.RawQueryString, ev.RawPath)
	}
	if !ev.IsBase64Encoded || *ev.Body != "iVBORw==" {
		t.Errorf("body %q base64 %v", *ev.Body, ev.IsBase64Encoded)
	}
	v1 := buildV1(r, req.URL.RawQuery, &Authorization{JWT: &JWTAuthorization{Claims: map[string]string{"sub": "u"}, Scopes: []string{"s"}}})
	if v1.Version != "1.0" || v1.Resource != "/files/{proxy+}" || v1.RequestContext.Authorizer["claims"].(map[string]string)["sub"] != "u" ||
		v1.Headers["X-Multi"] != "b" || len(v1.MultiValueHeaders["X-Multi"]) != 2 || v1.MultiValueQueryStringParameters["x"][1] != "2" {
		t.Errorf("1.0 event %+v", v1)
	}
	c := ev.RequestContext
	if c.DomainName != "api.example.com" || c.DomainPrefix != "api" || c.HTTP.SourceIP != "10.1.2.3" || c.Time != "04/Mar/2020:19:03:58 +0000" || c.TimeEpoch != 1583348638390 || c.Stage != "$default" {
		t.Errorf("context %+v", c)
	}
}

func TestResponseRules(t *testing.T) {
	for _, tc := range []struct {
		v1                 bool
		payload            string
		status             int
		body, ctype, cooky string
		bad                bool
	}{
		{payload: `"hello"`, status: 200, body: "hello", ctype: "application/json"},
		{payload: `{"a":1}`, status: 200, body: `{"a":1}`, ctype: "application/json"},
		{payload: `[1,2]`, status: 200, body: `[1,2]`, ctype: "application/json"},
		{payload: `{"statusCode":201,"headers":{"content-type":"text/plain","x-n":3},"cookies":["a=1","b=2"],"body":"made"}`, status: 201, body: "made", ctype: "text/plain", cooky: "a=1|b=2"},
		{payload: `{"statusCode":"202","body":"aGk=","isBase64Encoded":true}`, status: 202, body: "hi"},
		{payload: `{"statusCode":99}`, bad: true},
		{payload: `{"statusCode":200,"headers":{"a":{"b":1}}}`, bad: true},
		{payload: `not json`, bad: true},
		{v1: true, payload: `{"statusCode":204,"multiValueHeaders":{"x":["1","2"]}}`, status: 204},
		{v1: true, payload: `"hello"`, bad: true},
		{v1: true, payload: `{"body":"x"}`, bad: true},
	} {
		read := readV2
		if tc.v1 {
			read = readV1
		}
		res, err := read([]byte(tc.payload))
		if tc.bad {
			if err == nil {
				t.Errorf("%s accepted", tc.payload)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.payload, err)
			continue
		}
		if res.status != tc.status || string(res.body) != tc.body || res.headers.Get("Content-Type") != tc.ctype ||
			strings.Join(res.headers.Values("Set-Cookie"), "|") != tc.cooky {
			t.Errorf("%s: %d %q %v", tc.payload, res.status, res.body, res.headers)
		}
	}
}

type refuseAll struct{ err error }

func (r refuseAll) Authorize(context.Context, *Request) (*Authorization, error) { return nil, r.err }

type panics struct{}

func (panics) Authorize(context.Context, *Request) (*Authorization, error) { panic("boom") }

func TestServerAnswers(t *testing.T) {
	slow := invokerFunc(func(ctx context.Context, _ string, _ []byte) ([]byte, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	throws := invokerFunc(func(context.Context, string, []byte) ([]byte, error) {
		return nil, fmt.Errorf("wrapped: %w", &gatewayFunctionError)
	})
	evs := make(chan []byte, 1)
	tbl, err := NewTable(&API{ID: "abcdefghij", Timeout: 100 * time.Millisecond,
		CORS: &CORS{AllowOrigins: []string{"https://app.example"}, AllowHeaders: []string{"Authorization"}, AllowMethods: []string{"GET", "OPTIONS"}, ExposeHeaders: []string{"X-Id"}, MaxAge: 600},
		Routes: []Route{
			{Key: "GET /ok", Function: "ok", Payload: "2.0", Invoker: echo(evs)},
			{Key: "GET /slow", Function: "slow", Payload: "2.0", Invoker: slow},
			{Key: "GET /throws", Function: "throws", Payload: "2.0", Invoker: throws},
			{Key: "GET /401", Function: "x", Payload: "2.0", Invoker: echo(nil), Authorizer: refuseAll{Unauthorized("no token")}},
			{Key: "GET /403", Function: "x", Payload: "2.0", Invoker: echo(nil), Authorizer: refuseAll{Forbidden("policy")}},
			{Key: "GET /500", Function: "x", Payload: "2.0", Invoker: echo(nil), Authorizer: refuseAll{fmt.Errorf("store down")}},
			{Key: "GET /panic", Function: "x", Payload: "2.0", Invoker: echo(nil), Authorizer: panics{}},
			{Key: "GET /v1", Function: "v1", Payload: "1.0", Invoker: echo(evs)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(tbl, Options{}))
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		header       map[string]string
		status       int
		body         string
	}{
		{"GET", "/ok", nil, 200, "ok"},
		{"GET", "/nope", nil, 404, `{"message":"Not Found"}`},
		{"POST", "/ok", nil, 404, `{"message":"Not Found"}`},
		{"GET", "/slow", nil, 503, `{"message":"Service Unavailable"}`},
		{"GET", "/throws", nil, 500, `{"message":"Internal Server Error"}`},
		{"GET", "/401", nil, 401, `{"message":"Unauthorized"}`},
		{"GET", "/403", nil, 403, `{"message":"Forbidden"}`},
		{"GET", "/500", nil, 500, `{"message":"Internal Server Error"}`},
		{"GET", "/panic", nil, 500, `{"message":"Internal Server Error"}`},
		{"GET", "/v1", nil, 200, "v1"},
		{"OPTIONS", "/anything", map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}, 204, ""},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || string(b) != tc.body || res.Header.Get("Apigw-Requestid") == "" {
			t.Errorf("%s %s: %d %s (%v), want %d %s", tc.method, tc.path, res.StatusCode, b, res.Header, tc.status, tc.body)
		}
		if tc.method == "OPTIONS" {
			h := res.Header
			if h.Get("Access-Control-Allow-Origin") != "https://app.example" || h.Get("Access-Control-Allow-Methods") != "GET,OPTIONS" ||
				h.Get("Access-Control-Allow-Headers") != "authorization" || h.Get("Access-Control-Max-Age") != "600" {
				t.Errorf("preflight headers %v", h)
			}
		}
	}
	// A CORS request gets the API's headers; another origin gets none.
	req, _ := http.NewRequest("GET", srv.URL+"/ok", nil)
	req.Header.Set("Origin", "https://app.example")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || res.Header.Get("Access-Control-Expose-Headers") != "X-Id" {
		t.Errorf("cors headers %v", res.Header)
	}
	req.Header.Set("Origin", "https://evil.example")
	res, _ = http.DefaultClient.Do(req)
	res.Body.Close()
	if res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin allowed: %v", res.Header)
	}
}

func ptr[T any](v T) *T { return &v }

// TestGoldenAuthorizerEvents compares the Lambda authorizer events with aws-lambda-go's samples:
// 2.0 key for key, 1.0 every key of the sample (which shows only part of the REST-style event)
// with its type.
func TestGoldenAuthorizerEvents(t *testing.T) {
	req := httptest.NewRequest("POST", "http://id.execute-api.us-east-1.amazonaws.com/my/path?parameter1=value1&parameter1=value2&parameter2=value", nil)
	req.Header.Set("Cookie", "cookie1; cookie2")
	r := &Request{HTTP: req, RouteKey: "$default", RawPath: "/my/path", Method: "POST", APIID: "api-id", AccountID: "123456789012",
		RequestID: "id", Time: time.Unix(1583348638, 390e6), PathParameters: map[string]string{"parameter1": "value1"}}
	skip := map[string]bool{".requestContext.authentication": true, ".stageVariables": true,
		".requestContext.identity.apiKey": true, ".requestContext.identity.clientCert": true}
	for _, tc := range []struct {
		version, sample string
		exact           bool
	}{
		{"2.0", "apigw-v2-custom-authorizer-v2-request.json", true},
		{"1.0", "apigw-v2-custom-authorizer-v1-request.json", false},
	} {
		t.Run(tc.version, func(t *testing.T) {
			sample, err := os.ReadFile("testdata/" + tc.sample)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := AuthorizerEvent(tc.version, r, []string{"user1", "123"}, "arn:aws:execute-api:us-east-1:123456789012:api-id/$default/POST/my/path")
			if err != nil {
				t.Fatal(err)
			}
			want, got := shape(t, sample, skip), shape(t, ours, skip)
			if tc.exact {
				if strings.Join(want, "\n") != strings.Join(got, "\n") {
					t.Errorf("shape differs\nours:\n%s\nsample:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				var ev events.APIGatewayV2CustomAuthorizerV2Request
				dec := json.NewDecoder(strings.NewReader(string(ours)))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&ev); err != nil {
					t.Errorf("aws-lambda-go cannot decode: %v", err)
				}
				return
			}
			have := map[string]bool{}
			for _, g := range got {
				have[g] = true
			}
			for _, w := range want {
				if !have[w] {
					t.Errorf("sample's %s missing from %s", w, ours)
				}
			}
		})
	}
}

// FuzzServe: any request line, header and body gets an answer that is not a 500, and the
// event the function sees is valid JSON aws-lambda-go decodes.
func FuzzServe(f *testing.F) {
	f.Add("GET", "/pets/dog/1", "a=1&a=2", "c=1; d", "text/plain", []byte("hi"))
	f.Add("POST", "/x/%zz", "%%", "", "image/png", []byte{0xff, 0})
	f.Add("DELETE", "//a/../b", "x", ";;", "application/json; charset=utf-8", []byte("{}"))
	evs := make(chan []byte, 1)
	tbl, err := NewTable(&API{ID: "abcdefghij", CORS: &CORS{AllowOrigins: []string{"*"}, MaxAge: -1}, Routes: []Route{
		{Key: "GET /pets/{kind}/{id}", Function: "f", Payload: "2.0", Invoker: echo(evs)},
		{Key: "ANY /{proxy+}", Function: "f", Payload: "1.0", Invoker: echo(evs)},
		{Key: "$default", Function: "f", Payload: "2.0", Invoker: echo(evs)},
	}})
	if err != nil {
		f.Fatal(err)
	}
	srv := NewServer(tbl, Options{})
	f.Fuzz(func(t *testing.T, method, path, query, cookie, ctype string, body []byte) {
		req, err := http.NewRequest(method, "http://api.example", strings.NewReader(string(body)))
		if err != nil || !strings.HasPrefix(path, "/") {
			return
		}
		req.URL.RawPath, req.URL.Path, req.URL.RawQuery = "", path, query
		req.RequestURI = path
		req.Header.Set("Cookie", cookie)
		req.Header.Set("Content-Type", ctype)
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: %d %s", method, path, rec.Code, rec.Body)
		}
		select {
		case ev := <-evs:
			if !json.Valid(ev) {
				t.Fatalf("event is not JSON: %s", ev)
			}
			var v2 events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(ev, &v2); err != nil {
				t.Fatalf("event does not decode: %v", err)
			}
		default:
		}
	})
}
