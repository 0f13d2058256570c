package gateway

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseProxyResponse(t *testing.T) {
	ok := []struct {
		name, payload string
		binary        bool
		status        int
		header        http.Header
		body          string
	}{
		{"minimal", `{"statusCode":200}`, false, 200, http.Header{"Content-Type": {"application/json"}}, ""},
		{"string status", `{"statusCode":"201","body":"made"}`, false, 201, http.Header{"Content-Type": {"application/json"}}, "made"},
		{"float status", `{"statusCode":404.0,"body":null}`, false, 404, http.Header{"Content-Type": {"application/json"}}, ""},
		{"headers", `{"statusCode":200,"headers":{"content-type":"text/html","Access-Control-Allow-Credentials":true,"X-N":3,"X-Null":null},"body":"<p>"}`,
			false, 200, http.Header{"Content-Type": {"text/html"}, "Access-Control-Allow-Credentials": {"true"}, "X-N": {"3"}}, "<p>"},
		{"multi merged", `{"statusCode":200,"headers":{"Set-Cookie":"a=1","X-A":"h"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"],"X-B":["1",2]}}`,
			false, 200, http.Header{"Set-Cookie": {"a=1", "b=2"}, "X-A": {"h"}, "X-B": {"1", "2"}, "Content-Type": {"application/json"}}, ""},
		{"base64 accepted", `{"statusCode":200,"isBase64Encoded":true,"body":"AAEC"}`, true, 200, http.Header{"Content-Type": {"application/json"}}, "\x00\x01\x02"},
		{"base64 not accepted", `{"statusCode":200,"isBase64Encoded":true,"body":"AAEC"}`, false, 200, http.Header{"Content-Type": {"application/json"}}, "AAEC"},
		{"whitespace", " \n{\"statusCode\":204}\n", false, 204, http.Header{"Content-Type": {"application/json"}}, ""},
	}
	for _, tc := range ok {
		res, err := ParseProxyResponse([]byte(tc.payload), tc.binary)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if res.StatusCode != tc.status || string(res.Body) != tc.body || !reflect.DeepEqual(res.Header, tc.header) {
			t.Errorf("%s: got %d %v %q", tc.name, res.StatusCode, res.Header, res.Body)
		}
	}
	bad := map[string]string{
		"not json":          `hello`,
		"string":            `"hello"`,
		"null":              `null`,
		"array":             `[{"statusCode":200}]`,
		"no status":         `{"body":"x"}`,
		"null status":       `{"statusCode":null}`,
		"status text":       `{"statusCode":"OK"}`,
		"status fraction":   `{"statusCode":200.5}`,
		"status range":      `{"statusCode":99}`,
		"status high":       `{"statusCode":600}`,
		"status bool":       `{"statusCode":true}`,
		"body object":       `{"statusCode":200,"body":{"a":1}}`,
		"body number":       `{"statusCode":200,"body":1}`,
		"extra member":      `{"statusCode":200,"body":"x","cookies":["a=1"]}`,
		"headers array":     `{"statusCode":200,"headers":["a"]}`,
		"header object":     `{"statusCode":200,"headers":{"X":{"a":1}}}`,
		"header newline":    `{"statusCode":200,"headers":{"X":"a\r\nInjected: 1"}}`,
		"header name":       `{"statusCode":200,"headers":{"Bad Name":"x"}}`,
		"multi not list":    `{"statusCode":200,"multiValueHeaders":{"X":"a"}}`,
		"base64 flag":       `{"statusCode":200,"isBase64Encoded":"yes"}`,
		"base64 body":       `{"statusCode":200,"isBase64Encoded":true,"body":"%%%"}`,
		"truncated":         `{"statusCode":200,"body":"x"`,
		"trailing garbage":  `{"statusCode":200} {}`,
		"multi value array": `{"statusCode":200,"multiValueHeaders":{"X":[["a"]]}}`,
	}
	for name, payload := range bad {
		if res, err := ParseProxyResponse([]byte(payload), true); err == nil {
			t.Errorf("%s: accepted as %d %v %q", name, res.StatusCode, res.Header, res.Body)
		}
	}
}

// FuzzProxyResponse: the parser never panics, and what it accepts is a sendable response.
func FuzzProxyResponse(f *testing.F) {
	for _, s := range []string{
		`{"statusCode":200,"body":"ok"}`, `{"statusCode":"302","headers":{"Location":"/x"}}`,
		`{"statusCode":200,"multiValueHeaders":{"Set-Cookie":["a","b"]},"headers":{"X":1}}`,
		`{"statusCode":200,"isBase64Encoded":true,"body":"aGk="}`, `{}`, `null`, `{"statusCode":1e3}`,
		`{"statusCode":200,"headers":{"":"x"}}`, `{"statusCode":-0}`,
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, payload []byte, binary bool) {
		res, err := ParseProxyResponse(payload, binary)
		if err != nil {
			return
		}
		if res.StatusCode < 100 || res.StatusCode > 599 {
			t.Fatalf("status %d accepted", res.StatusCode)
		}
		for k, vs := range res.Header {
			if k == "" || strings.ContainsAny(k, " :\r\n") {
				t.Fatalf("header name %q accepted", k)
			}
			for _, v := range vs {
				if strings.ContainsAny(v, "\r\n") {
					t.Fatalf("header value %q accepted", v)
				}
			}
		}
		if res.Header.Get("Content-Type") == "" {
			t.Fatal("no Content-Type")
		}
	})
}

// lambdaAPI is an API whose GET /fn runs inv.
func lambdaAPI(inv Invoker) *API {
	return testAPI(Route{Method: "GET", Path: "/fn", Integration: &LambdaProxy{Function: "todo-dev-fn", Invoker: inv}})
}

func TestLambdaProxyResponses(t *testing.T) {
	cases := []struct {
		name      string
		inv       funcInvoker
		status    int
		body      string
		errorType string
	}{
		{"function error", func(context.Context, string, []byte) ([]byte, error) {
			return nil, &FunctionError{Type: "Unhandled", Payload: []byte(`{"errorType":"Error","errorMessage":"boom"}`)}
		}, 502, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"wrapped function error", func(context.Context, string, []byte) ([]byte, error) {
			return nil, errors.Join(errors.New("ctx"), &FunctionError{Type: "Unhandled"})
		}, 502, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"malformed", func(context.Context, string, []byte) ([]byte, error) {
			return []byte(`{"body":"no status"}`), nil
		}, 502, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"not json", func(context.Context, string, []byte) ([]byte, error) {
			return []byte(`Task timed out after 3.00 seconds`), nil
		}, 502, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"invoke failure", func(context.Context, string, []byte) ([]byte, error) {
			return nil, errors.New("function not found: todo-dev-fn")
		}, 500, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"panic", func(context.Context, string, []byte) ([]byte, error) {
			panic("invoker bug")
		}, 500, `{"message": "Internal server error"}`, "InternalServerErrorException"},
		{"timeout", func(ctx context.Context, _ string, _ []byte) ([]byte, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, 504, `{"message": "Endpoint request timed out"}`, "InternalServerErrorException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := NewTable(lambdaAPI(tc.inv))
			if err != nil {
				t.Fatal(err)
			}
			g := New(tab, Options{IntegrationTimeout: 50 * time.Millisecond})
			rec := do(g, "GET", "/dev/fn", nil)
			wantGatewayResponse(t, rec, tc.status, tc.body, tc.errorType)
		})
	}
}

func TestLambdaProxySuccess(t *testing.T) {
	fn := &eventRecorder{resp: `{"statusCode":201,"headers":{"X-Custom":"1","Content-Length":"999","Date":"yesterday","Server":"lambda"},` +
		`"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"{\"id\":1}"}`}
	g := newTestGateway(t, lambdaAPI(fn))
	rec := do(g, "GET", "/dev/fn", nil)
	if rec.Code != 201 || rec.Body.String() != `{"id":1}` {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	h := rec.Header()
	for k, want := range map[string]string{
		"X-Custom": "1", "Content-Type": "application/json", "Content-Length": "8",
		"X-Amzn-Remapped-Content-Length": "999", "X-Amzn-Remapped-Date": "yesterday", "X-Amzn-Remapped-Server": "lambda",
		"x-amzn-RequestId": "00010203-0405-4607-8809-0a0b0c0d0e0f", "x-amz-apigw-id": "EBESExQVFhcYGRo=",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if got := h.Values("Set-Cookie"); !reflect.DeepEqual(got, []string{"a=1", "b=2"}) {
		t.Errorf("Set-Cookie %v", got)
	}
	if h.Get("x-amzn-ErrorType") != "" {
		t.Error("x-amzn-ErrorType on a success")
	}
}

func TestLambdaProxyBinaryResponse(t *testing.T) {
	fn := &eventRecorder{resp: `{"statusCode":200,"headers":{"Content-Type":"image/png"},"isBase64Encoded":true,"body":"iVBORw0KGgo="}`}
	api := lambdaAPI(fn)
	api.BinaryMediaTypes = []string{"image/*"}
	g := newTestGateway(t, api)
	rec := do(g, "GET", "/dev/fn", nil, "Accept", "text/html, image/png;q=0.9")
	if !bytes.Equal(rec.Body.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("Accept image/png: body %q", rec.Body)
	}
	rec = do(g, "GET", "/dev/fn", nil, "Accept", "application/json")
	if rec.Body.String() != "iVBORw0KGgo=" {
		t.Errorf("Accept application/json: body %q, want the base64 text", rec.Body)
	}
}

func TestLambdaProxyEventTooLarge(t *testing.T) {
	fn := &eventRecorder{}
	g := newTestGateway(t, testAPI(Route{Method: "POST", Path: "/up", Integration: &LambdaProxy{Function: "f", Invoker: fn}}))
	body := bytes.Repeat([]byte("a"), MaxLambdaPayload)
	rec := do(g, "POST", "/dev/up", body)
	wantGatewayResponse(t, rec, 413, `{"message": "Request Too Long"}`, "BadRequestException")
	if fn.count() != 0 {
		t.Error("the function was invoked")
	}
}

func TestFunctionErrorText(t *testing.T) {
	e := &FunctionError{Type: "Unhandled", Payload: []byte(`{"errorType":"TypeError","errorMessage":"x is undefined"}`)}
	if got := e.Error(); got != "function error (Unhandled): TypeError: x is undefined" {
		t.Errorf("Error() = %q", got)
	}
}
