package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

const apiPrefix = "/2018-06-01/runtime"

func newInvocation(id string, payload string) *invocation {
	return &invocation{
		id: id, payload: []byte(payload), timeout: 3 * time.Second,
		arn: "arn:aws:lambda:us-east-1:000000000000:function:f", traceID: "Root=1-00000000-000000000000000000000000",
		done: make(chan outcome, 1),
	}
}

// runtimeClient plays a runtime against an httptest server of a runtimeAPI.
type runtimeClient struct {
	t   *testing.T
	url string
}

func (c runtimeClient) do(method, path string, body []byte, header http.Header) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+apiPrefix+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c runtimeClient) want(method, path string, body []byte, header http.Header, status int, errorType string) {
	c.t.Helper()
	resp, got := c.do(method, path, body, header)
	if resp.StatusCode != status || errorType != "" && !strings.Contains(got, `"errorType":"`+errorType+`"`) {
		c.t.Errorf("%s %s: %d %s, want %d %s", method, path, resp.StatusCode, got, status, errorType)
	}
}

func newTestAPI(t *testing.T, maxResponse int64) (*runtimeAPI, runtimeClient) {
	api := newRuntimeAPI(slog.New(newRecorder()), maxResponse)
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return api, runtimeClient{t, srv.URL}
}

// handOver sends inv to the runtime's pending /next and returns that response.
func handOver(t *testing.T, api *runtimeAPI, c runtimeClient, inv *invocation) (*http.Response, string) {
	t.Helper()
	type next struct {
		resp *http.Response
		body string
	}
	got := make(chan next, 1)
	go func() {
		resp, body := c.do("GET", "/invocation/next", nil, nil)
		got <- next{resp, body}
	}()
	select {
	case api.invokes <- inv:
	case <-time.After(5 * time.Second):
		t.Fatal("the runtime's /next never asked")
	}
	n := <-got
	return n.resp, n.body
}

func TestRuntimeAPINextAndResponse(t *testing.T) {
	api, c := newTestAPI(t, maxResponseBytes)
	inv := newInvocation("req-1", `{"hello":"world"}`)
	inv.clientContext = `{"client":{}}`
	start := time.Now()
	resp, body := handOver(t, api, c, inv)
	if resp.StatusCode != 200 || body != `{"hello":"world"}` {
		t.Fatalf("next: %d %s", resp.StatusCode, body)
	}
	h := resp.Header
	if h.Get(headerRequestID) != "req-1" || h.Get(headerFunctionARN) != inv.arn || h.Get(headerTraceID) != inv.traceID ||
		h.Get(headerClientContext) != `{"client":{}}` || h.Values(headerCognitoIdentity) != nil {
		t.Errorf("headers = %v", h)
	}
	var ms int64
	if err := json.Unmarshal([]byte(h.Get(headerDeadline)), &ms); err != nil ||
		ms < start.Add(3*time.Second).UnixMilli() || ms > time.Now().Add(3*time.Second).UnixMilli() {
		t.Errorf("deadline %s (%v)", h.Get(headerDeadline), err)
	}
	if !api.initialized() || api.currentID() != "req-1" {
		t.Error("the invocation is not in progress")
	}

	c.want("GET", "/invocation/next", nil, nil, 403, "InvalidStateTransition")
	c.want("POST", "/invocation/other/response", []byte(`1`), nil, 400, "InvalidRequestID")
	c.want("POST", "/init/error", []byte(`{}`), nil, 403, "InvalidStateTransition")
	c.want("POST", "/invocation/req-1/response", []byte(`{"ok":true}`), nil, 202, "")
	if o := <-inv.done; string(o.payload) != `{"ok":true}` || o.ferr != nil || o.err != nil {
		t.Errorf("outcome = %+v", o)
	}
	c.want("POST", "/invocation/req-1/response", []byte(`2`), nil, 400, "InvalidRequestID")
	c.want("POST", "/invocation/req-1/error", []byte(`{}`), nil, 400, "InvalidRequestID")
	c.want("PUT", "/invocation/next", nil, nil, 405, "")
	c.want("GET", "/nope", nil, nil, 404, "")
}

func TestRuntimeAPIErrors(t *testing.T) {
	api, c := newTestAPI(t, 64)
	for _, tc := range []struct {
		name   string
		body   []byte
		header http.Header
		want   FunctionError
		doc    string // the payload, when not the body
	}{
		{"node", []byte(`{"errorType":"Error","errorMessage":"Unauthorized","stackTrace":["Error: Unauthorized"]}`), nil,
			FunctionError{"Error", "Unauthorized"}, ""},
		{"header only", nil, http.Header{headerErrorType: {"Runtime.Custom"}},
			FunctionError{"Runtime.Custom", ""}, `{"errorType":"Runtime.Custom","errorMessage":""}`},
		{"not json", []byte("plain text"), http.Header{headerErrorType: {"Unhandled"}},
			FunctionError{"Unhandled", "plain text"}, `{"errorType":"Unhandled","errorMessage":"plain text"}`},
		{"no type", []byte(`{"errorMessage":"m"}`), nil, FunctionError{"Runtime.Unknown", "m"}, ""},
		{"odd message", []byte(`{"errorType":"T","errorMessage":{"a":1}}`), nil, FunctionError{"T", `{"a":1}`}, ""},
	} {
		inv := newInvocation("req-"+tc.name, `{}`)
		handOver(t, api, c, inv)
		c.want("POST", "/invocation/"+strings.ReplaceAll(inv.id, " ", "%20")+"/error", tc.body, tc.header, 202, "")
		o := <-inv.done
		if o.ferr == nil || *o.ferr != tc.want {
			t.Errorf("%s: FunctionError = %+v, want %+v", tc.name, o.ferr, tc.want)
		}
		want := tc.doc
		if want == "" {
			want = string(tc.body)
		}
		if string(o.payload) != want {
			t.Errorf("%s: payload = %s, want %s", tc.name, o.payload, want)
		}
	}

	// A response over the quota fails the invocation; the runtime gets 413.
	inv := newInvocation("big", `{}`)
	handOver(t, api, c, inv)
	c.want("POST", "/invocation/big/response", bytes.Repeat([]byte("x"), 65), nil, 413, "RequestEntityTooLarge")
	if o := <-inv.done; o.ferr == nil || o.ferr.Type != "Function.ResponseSizeTooLarge" ||
		o.ferr.Message != "Response payload size exceeded maximum allowed payload size (64 bytes)." {
		t.Errorf("outcome = %+v", o.ferr)
	}
	// Also when the body is streamed without a length.
	inv = newInvocation("chunked", `{}`)
	handOver(t, api, c, inv)
	req, _ := http.NewRequest("POST", c.url+apiPrefix+"/invocation/chunked/response", io.MultiReader(strings.NewReader(strings.Repeat("y", 100))))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 413 {
		t.Errorf("chunked oversized response: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if o := <-inv.done; o.ferr == nil || o.ferr.Type != "Function.ResponseSizeTooLarge" {
		t.Errorf("outcome = %+v", o.ferr)
	}
}

// aws-lambda-go streams a response and reports a failure while streaming in trailers.
func TestRuntimeAPIResponseTrailers(t *testing.T) {
	api, c := newTestAPI(t, maxResponseBytes)
	inv := newInvocation("streamed", `{}`)
	handOver(t, api, c, inv)
	doc, _ := json.Marshal(messages.InvokeResponse_Error{Type: "ReadError", Message: "stream broke"})
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", c.url+apiPrefix+"/invocation/streamed/response", pr)
	req.Trailer = http.Header{trailerErrorType: nil, trailerErrorBody: nil}
	go func() {
		_, _ = pw.Write([]byte("partial"))
		req.Trailer.Set(trailerErrorType, "ReadError")
		req.Trailer.Set(trailerErrorBody, base64.StdEncoding.EncodeToString(doc))
		pw.Close()
	}()
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("POST: %v %v", resp, err)
	}
	resp.Body.Close()
	if o := <-inv.done; o.ferr == nil || *o.ferr != (FunctionError{"ReadError", "stream broke"}) {
		t.Errorf("outcome = %+v", o.ferr)
	}
}

func TestRuntimeAPIInitError(t *testing.T) {
	api, c := newTestAPI(t, maxResponseBytes)
	c.want("POST", "/init/error", []byte(`{"errorType":"Runtime.ImportModuleError","errorMessage":"Error: Cannot find module 'x'"}`),
		nil, 202, "")
	select {
	case <-api.initFailed:
	default:
		t.Fatal("initFailed not closed")
	}
	if o := api.initFailure(); o.ferr == nil || o.ferr.Type != "Runtime.ImportModuleError" {
		t.Errorf("init failure = %+v", o.ferr)
	}
	c.want("POST", "/init/error", []byte(`{}`), nil, 403, "InvalidStateTransition")
	c.want("GET", "/invocation/next", nil, nil, 403, "InvalidStateTransition")
}

// FuzzRuntimeAPI sends arbitrary requests to a Runtime API with an invocation in progress: it
// must answer with one of the API's statuses, never panic, and only a /response or /error for
// the right id may finish the invocation.
func FuzzRuntimeAPI(f *testing.F) {
	f.Add("GET", "/2018-06-01/runtime/invocation/next", []byte(nil), "")
	f.Add("POST", "/2018-06-01/runtime/invocation/req-1/response", []byte(`{"ok":true}`), "")
	f.Add("POST", "/2018-06-01/runtime/invocation/req-1/error", []byte(`{"errorType":"Error","errorMessage":"x"}`), "Unhandled")
	f.Add("POST", "/2018-06-01/runtime/invocation/req-1/error", []byte(`{"errorType":1,"errorMessage":null}`), "")
	f.Add("POST", "/2018-06-01/runtime/invocation/../../init/error", []byte(`[`), "T")
	f.Add("POST", "/2018-06-01/runtime/invocation/req-2/response", bytes.Repeat([]byte("z"), 300), "")
	f.Add("POST", "/2018-06-01/runtime/invocation/req-1/response", bytes.Repeat([]byte("z"), 300), "")
	f.Add("POST", "/2018-06-01/runtime/init/error", []byte("\xff\xfe"), "")
	f.Add("DELETE", "/2018-06-01/runtime/invocation/%2F/response", []byte(nil), "")
	f.Fuzz(func(t *testing.T, method, path string, body []byte, errType string) {
		req, err := http.NewRequest(method, "http://127.0.0.1"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		if errType != "" {
			req.Header[headerErrorType] = []string{errType}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // a /next would wait: let it see its runtime gone
		req = req.WithContext(ctx)

		api := newRuntimeAPI(slog.New(newRecorder()), 256)
		inv := newInvocation("req-1", `{}`)
		api.cur = inv
		w := httptest.NewRecorder()
		api.ServeHTTP(w, req)

		switch w.Code {
		case 200, 202, 400, 403, 404, 405, 413:
		default:
			t.Fatalf("%s %q: status %d", method, path, w.Code)
		}
		if w.Code >= 400 && w.Code != 404 && w.Code != 405 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s %q: %d with body %q", method, path, w.Code, w.Body)
		}
		select {
		case o := <-inv.done:
			if method != "POST" || !strings.Contains(req.URL.Path, "/req-1/") {
				t.Fatalf("%s %q finished the invocation", method, path)
			}
			if w.Code == 202 && o.ferr == nil && !bytes.Equal(o.payload, body) {
				t.Fatalf("payload %q, posted %q", o.payload, body)
			}
			if w.Code == 413 && (o.ferr == nil || len(body) <= 256 && strings.HasSuffix(req.URL.Path, "/response")) {
				t.Fatalf("413 with outcome %+v for %d bytes", o, len(body))
			}
		default:
			if w.Code == 202 && !strings.HasSuffix(req.URL.Path, "/init/error") {
				t.Fatalf("%s %q accepted without finishing the invocation", method, path)
			}
		}
	})
}
