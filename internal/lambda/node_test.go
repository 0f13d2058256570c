package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestNodeAsyncHandler(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "getTasks", "src/tasks.list", map[string]string{
		"src/tasks.js": `exports.list = async (event) => ({ statusCode: 200, body: JSON.stringify({ got: event.path }) });`,
	}, nil)
	var got struct {
		StatusCode int    `json:"statusCode"`
		Body       string `json:"body"`
	}
	res := invokeOK(t, m, "getTasks", `{"path":"/tasks"}`, &got)
	if got.StatusCode != 200 || got.Body != `{"got":"/tasks"}` {
		t.Errorf("response = %+v", got)
	}
	if res.RequestID == "" {
		t.Error("no request id")
	}
}

func TestNodeModuleKinds(t *testing.T) {
	m, _ := newTestManager(t)
	files := map[string]string{
		"cjs.cjs":          `module.exports.handler = async () => "cjs";`,
		"esm.mjs":          `export const handler = async () => "mjs";`,
		"nested.js":        `exports.api = { v1: { get: async () => "nested" } };`,
		"pkg/package.json": `{"type":"module"}`,
		"pkg/esm.js":       `export async function handler() { return "esm-js"; }`,
		"sync.js":          `exports.handler = () => { globalThis.x = 1; };`, // returns nothing: null once the loop empties
	}
	for name, tc := range map[string]struct{ handler, want string }{
		"cjs":    {"cjs.handler", `"cjs"`},
		"mjs":    {"esm.handler", `"mjs"`},
		"nested": {"nested.api.v1.get", `"nested"`},
		"esmjs":  {"pkg/esm.handler", `"esm-js"`},
		"sync":   {"sync.handler", `null`},
	} {
		t.Run(name, func(t *testing.T) {
			nodeFunction(t, m, name, tc.handler, files, nil)
			res := invokeOK(t, m, name, `{}`, nil)
			if string(res.Payload) != tc.want {
				t.Errorf("payload = %s, want %s", res.Payload, tc.want)
			}
		})
	}
}

func TestNodeCallbackHandler(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "cb", "index.handler", map[string]string{
		"index.js": `
exports.handler = (event, context, callback) => {
  if (event.fail) return setTimeout(() => callback(new TypeError("bad input")), 5);
  if (event.str) return callback("Unauthorized");
  if (event.legacy) return context.succeed({ legacy: true });
  setTimeout(() => callback(null, { n: event.n + 1 }), 5);
};`,
	}, nil)
	var got struct{ N int }
	invokeOK(t, m, "cb", `{"n":41}`, &got)
	if got.N != 42 {
		t.Errorf("n = %d", got.N)
	}
	res := invoke(t, m, "cb", `{"fail":true}`)
	if fe := res.FunctionError; fe == nil || fe.Type != "TypeError" || fe.Message != "bad input" {
		t.Errorf("FunctionError = %+v", res.FunctionError)
	}
	res = invoke(t, m, "cb", `{"str":true}`)
	if fe := res.FunctionError; fe == nil || fe.Type != "string" || fe.Message != "Unauthorized" {
		t.Errorf("FunctionError = %+v", res.FunctionError)
	}
	res = invokeOK(t, m, "cb", `{"legacy":true}`, nil)
	if string(res.Payload) != `{"legacy":true}` {
		t.Errorf("payload = %s", res.Payload)
	}
}

func TestNodeCallbackWaitsForEmptyEventLoop(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "wait", "index.handler", map[string]string{
		"index.js": `
exports.handler = (event, context, callback) => {
  context.callbackWaitsForEmptyEventLoop = event.wait;
  setTimeout(() => {}, 400);
  callback(null, "done");
};`,
	}, nil)
	invokeOK(t, m, "wait", `{"wait":false}`, nil) // warm up
	start := time.Now()
	invokeOK(t, m, "wait", `{"wait":false}`, nil)
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("callbackWaitsForEmptyEventLoop=false took %v", d)
	}
	time.Sleep(500 * time.Millisecond) // let the timers of the earlier invocations run out
	start = time.Now()
	invokeOK(t, m, "wait", `{"wait":true}`, nil)
	if d := time.Since(start); d < 350*time.Millisecond {
		t.Errorf("callbackWaitsForEmptyEventLoop=true answered after %v, before the loop emptied", d)
	}
}

func TestNodeErrors(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "errs", "index.handler", map[string]string{
		"index.js": `
class ValidationError extends Error { constructor(m) { super(m); this.name = "ValidationError"; } }
exports.handler = async (event) => {
  switch (event.kind) {
  case "unauthorized": throw new Error("Unauthorized");
  case "custom": throw new ValidationError("name is required");
  case "reject": return Promise.reject(new RangeError("out of range"));
  case "string": throw "plain string";
  case "sync": return (() => { throw new SyntaxError("sync") })();
  }
  return "ok";
};`,
		"sync.js": `exports.handler = () => { throw new Error("thrown synchronously"); };`,
	}, nil)
	for kind, want := range map[string]FunctionError{
		"unauthorized": {Type: "Error", Message: "Unauthorized"},
		"custom":       {Type: "ValidationError", Message: "name is required"},
		"reject":       {Type: "RangeError", Message: "out of range"},
		"string":       {Type: "string", Message: "plain string"},
		"sync":         {Type: "SyntaxError", Message: "sync"},
	} {
		res := invoke(t, m, "errs", `{"kind":"`+kind+`"}`)
		if res.FunctionError == nil || *res.FunctionError != want {
			t.Errorf("%s: FunctionError = %+v, want %+v", kind, res.FunctionError, want)
			continue
		}
		var doc struct {
			ErrorType    string   `json:"errorType"`
			ErrorMessage string   `json:"errorMessage"`
			StackTrace   []string `json:"stackTrace"`
		}
		if err := json.Unmarshal(res.Payload, &doc); err != nil || doc.ErrorType != want.Type || doc.ErrorMessage != want.Message {
			t.Errorf("%s: error document %s (%v)", kind, res.Payload, err)
		}
		if kind == "unauthorized" && (len(doc.StackTrace) < 2 || !strings.Contains(strings.Join(doc.StackTrace, "\n"), "index.js")) {
			t.Errorf("stack trace = %q", doc.StackTrace)
		}
	}
	// Errors are the function's: the process stays warm.
	invokeOK(t, m, "errs", `{}`, nil)

	nodeFunction(t, m, "syncthrow", "sync.handler", map[string]string{
		"sync.js": `exports.handler = () => { throw new Error("thrown synchronously"); };`,
	}, nil)
	res := invoke(t, m, "syncthrow", `{}`)
	if fe := res.FunctionError; fe == nil || fe.Type != "Error" || fe.Message != "thrown synchronously" {
		t.Errorf("FunctionError = %+v", res.FunctionError)
	}
}

func TestNodeInitErrors(t *testing.T) {
	m, _ := newTestManager(t)
	files := map[string]string{
		"syntax.js":   "exports.handler = async () => {{ ;",
		"throws.js":   `throw new Error("no database");`,
		"requires.js": `require("left-pad-that-is-not-installed"); exports.handler = async () => 1;`,
		"ok.js":       `exports.other = async () => 1;`,
		"esm.mjs":     `await Promise.reject(new TypeError("top-level await failed")); export const handler = () => 1;`,
	}
	for name, tc := range map[string]struct {
		handler, typ, msg string
	}{
		"missing":    {"nothere.handler", "Runtime.ImportModuleError", "Error: Cannot find module 'nothere'"},
		"syntax":     {"syntax.handler", "Runtime.UserCodeSyntaxError", "SyntaxError: "},
		"throws":     {"throws.handler", "Error", "no database"},
		"requires":   {"requires.handler", "Runtime.ImportModuleError", "Error: Cannot find module 'left-pad-that-is-not-installed'"},
		"notexport":  {"ok.handler", "Runtime.HandlerNotFound", "ok.handler is undefined or not exported"},
		"malformed":  {"nodot", "Runtime.MalformedHandlerName", "Bad handler"},
		"esmrejects": {"esm.handler", "TypeError", "top-level await failed"},
	} {
		t.Run(name, func(t *testing.T) {
			nodeFunction(t, m, name, tc.handler, files, nil)
			for range 2 { // each invocation tries a new process, as Lambda retries Init
				res := invoke(t, m, name, `{}`)
				fe := res.FunctionError
				if fe == nil || fe.Type != tc.typ || !strings.HasPrefix(fe.Message, tc.msg) {
					t.Fatalf("FunctionError = %+v, want %s: %s…", fe, tc.typ, tc.msg)
				}
			}
		})
	}
}

func TestNodeTimeout(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "slow", "index.handler", map[string]string{
		"index.js": `exports.handler = async (event) => {
  if (event.hang) await new Promise((resolve) => setTimeout(resolve, 60000));
  return process.pid;
};`,
	}, func(fn *Function) { fn.Timeout = time.Second })
	var pid int
	invokeOK(t, m, "slow", `{}`, &pid)

	start := time.Now()
	_, err := m.Invoke(context.Background(), "slow", []byte(`{"hang":true}`))
	ie := wantInvokeError(t, err, ErrTimeout, "Sandbox.Timedout")
	if ie.Message != "Task timed out after 1.00 seconds" {
		t.Errorf("message = %q", ie.Message)
	}
	if d := time.Since(start); d < time.Second || d > 3*time.Second {
		t.Errorf("timed out after %v", d)
	}
	waitGone(t, pid)

	var pid2 int
	invokeOK(t, m, "slow", `{}`, &pid2)
	if pid2 == pid {
		t.Error("the timed-out process was reused")
	}
}

func TestNodeProcessExitMidInvocation(t *testing.T) {
	m, rec := newTestManager(t)
	nodeFunction(t, m, "crash", "index.handler", map[string]string{
		"index.js": `exports.handler = async (event) => {
  if (event.exit) { console.log("exiting"); process.exit(1); }
  if (event.throwLater) { setTimeout(() => { throw new Error("from a timer"); }, 1); await new Promise(() => setTimeout(() => {}, 1000)); }
  return process.pid;
};`,
	}, nil)
	var pid1 int
	invokeOK(t, m, "crash", `{}`, &pid1)

	_, err := m.Invoke(context.Background(), "crash", []byte(`{"exit":true}`))
	ie := wantInvokeError(t, err, ErrRuntimeExit, "Runtime.ExitError")
	if ie.Message != "Runtime exited with error: exit status 1" {
		t.Errorf("message = %q", ie.Message)
	}
	if ie.RequestID == "" {
		t.Error("no request id")
	}
	if len(rec.find(map[string]string{"function": "crash", "request_id": ie.RequestID})) == 0 {
		t.Error("the function's output before exiting was not logged with its request id")
	}

	var pid2 int
	invokeOK(t, m, "crash", `{}`, &pid2)
	if pid2 == pid1 {
		t.Errorf("served by the crashed process %d", pid1)
	}

	// An exception nothing catches fails the invocation and ends the process.
	res := invoke(t, m, "crash", `{"throwLater":true}`)
	if fe := res.FunctionError; fe == nil || fe.Type != "Error" || fe.Message != "from a timer" {
		t.Errorf("FunctionError = %+v", fe)
	}
	waitGone(t, pid2)
	var pid3 int
	invokeOK(t, m, "crash", `{}`, &pid3)
	if pid3 == pid2 {
		t.Error("served by the crashed process")
	}
}

func TestNodeContext(t *testing.T) {
	m, _ := newTestManager(t, WithRegion("eu-west-1"), WithAccount("123456789012"))
	nodeFunction(t, m, "ctx", "index.handler", map[string]string{
		"index.js": `exports.handler = async (event, context) => {
  const before = context.getRemainingTimeInMillis();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const after = context.getRemainingTimeInMillis();
  return {
    before, after,
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    memoryLimitInMB: context.memoryLimitInMB,
    invokedFunctionArn: context.invokedFunctionArn,
    logGroupName: context.logGroupName,
    callbackWaitsForEmptyEventLoop: context.callbackWaitsForEmptyEventLoop,
    fns: [typeof context.done, typeof context.succeed, typeof context.fail],
    identity: context.identity || null,
    clientContext: context.clientContext || null,
    trace: process.env._X_AMZN_TRACE_ID,
  };
};`,
	}, func(fn *Function) { fn.Timeout = 5 * time.Second; fn.MemoryMB = 256 })
	var got struct {
		Before, After                  int
		AwsRequestID                   string `json:"awsRequestId"`
		FunctionName, FunctionVersion  string
		MemoryLimitInMB                string
		InvokedFunctionArn             string
		LogGroupName                   string
		CallbackWaitsForEmptyEventLoop bool
		Fns                            []string
		Identity                       map[string]string
		ClientContext                  map[string]any
		Trace                          string
	}
	res, err := m.Invoke(context.Background(), "ctx", []byte(`{}`),
		WithCognitoIdentity("eu-west-1:abc", "eu-west-1:pool"),
		WithClientContext(`{"custom":{"k":"v"}}`),
		WithTraceID("Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"))
	if err != nil || res.FunctionError != nil {
		t.Fatalf("Invoke: %v %+v", err, res.FunctionError)
	}
	if err := json.Unmarshal(res.Payload, &got); err != nil {
		t.Fatal(err)
	}
	if got.Before > 5000 || got.Before < 4000 || got.After >= got.Before || got.Before-got.After < 40 {
		t.Errorf("remaining time before %d, after %d", got.Before, got.After)
	}
	want := map[string][2]string{
		"awsRequestId":       {got.AwsRequestID, res.RequestID},
		"functionName":       {got.FunctionName, "ctx"},
		"functionVersion":    {got.FunctionVersion, "$LATEST"},
		"memoryLimitInMB":    {got.MemoryLimitInMB, "256"},
		"invokedFunctionArn": {got.InvokedFunctionArn, "arn:aws:lambda:eu-west-1:123456789012:function:ctx"},
		"logGroupName":       {got.LogGroupName, "/aws/lambda/ctx"},
		"identity":           {got.Identity["cognitoIdentityId"] + " " + got.Identity["cognitoIdentityPoolId"], "eu-west-1:abc eu-west-1:pool"},
		"trace":              {got.Trace, "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"},
		"fns":                {strings.Join(got.Fns, ","), "function,function,function"},
	}
	for k, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s = %q, want %q", k, v[0], v[1])
		}
	}
	if !got.CallbackWaitsForEmptyEventLoop {
		t.Error("callbackWaitsForEmptyEventLoop is not true by default")
	}
	if got.ClientContext["custom"] == nil {
		t.Errorf("clientContext = %v", got.ClientContext)
	}
	// Without options: a fresh trace id, no identity.
	invokeOK(t, m, "ctx", `{}`, &got)
	if !strings.HasPrefix(got.Trace, "Root=1-") || got.Identity != nil {
		t.Errorf("trace %q, identity %v", got.Trace, got.Identity)
	}
}

func TestNodeEnvironment(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAPARENTSECRET")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "parent-secret")
	t.Setenv("GATEHOUSE_SECRET", "parent")
	m, _ := newTestManager(t)
	fn := nodeFunction(t, m, "env", "src/env.handler", map[string]string{
		"src/env.js": `exports.handler = async () => ({ env: process.env, cwd: process.cwd(), tz: new Date(0).getTimezoneOffset() });`,
	}, func(fn *Function) {
		fn.MemoryMB = 512
		fn.Env = map[string]string{"TABLE": "tasks", "AWS_REGION": "ignored-by-lambda"}
	})
	var got struct {
		Env map[string]string
		Cwd string
		TZ  int
	}
	invokeOK(t, m, "env", `{}`, &got)
	for k, want := range map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "env",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"_HANDLER":                        "src/env.handler",
		"LAMBDA_TASK_ROOT":                fn.Dir,
		"TZ":                              ":UTC",
		"TABLE":                           "tasks",
		"AWS_EXECUTION_ENV":               "AWS_Lambda_nodejs20.x",
		"AWS_REGION":                      "ignored-by-lambda", // the function's variables come last
	} {
		if got.Env[k] != want {
			t.Errorf("%s = %q, want %q", k, got.Env[k], want)
		}
	}
	if !strings.HasPrefix(got.Env["AWS_LAMBDA_RUNTIME_API"], "127.0.0.1:") {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", got.Env["AWS_LAMBDA_RUNTIME_API"])
	}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GATEHOUSE_SECRET", "HOME"} {
		if v, ok := got.Env[k]; ok {
			t.Errorf("%s leaked into the function: %q", k, v)
		}
	}
	if got.Cwd != fn.Dir || got.TZ != 0 {
		t.Errorf("cwd %q, tz offset %d", got.Cwd, got.TZ)
	}

	// A reserved variable is refused.
	fn.Env = map[string]string{"AWS_LAMBDA_RUNTIME_API": "elsewhere:1"}
	if err := m.Register(fn); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("Register with a reserved variable: %v", err)
	}
}

func TestNodeConcurrency(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "par", "index.handler", map[string]string{
		"index.js": `exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  return process.pid;
};`,
	}, func(fn *Function) { fn.Concurrency = 3 })

	run := func(n int) map[int]int {
		var mu sync.Mutex
		pids := map[int]int{}
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				var pid int
				invokeOK(t, m, "par", `{"ms":300}`, &pid)
				mu.Lock()
				pids[pid]++
				mu.Unlock()
			})
		}
		wg.Wait()
		return pids
	}
	if pids := run(3); len(pids) != 3 {
		t.Errorf("3 parallel invocations ran on %d processes: %v", len(pids), pids)
	}
	start := time.Now()
	pids := run(7)
	if len(pids) != 3 {
		t.Errorf("7 parallel invocations with concurrency 3 ran on %d processes: %v", len(pids), pids)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("7 invocations of 300 ms on 3 processes took only %v", d)
	}
}

func TestNodeQueueFull(t *testing.T) {
	m, _ := newTestManager(t, WithQueueLimit(1))
	nodeFunction(t, m, "q", "index.handler", map[string]string{
		"index.js": `exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); return "ok"; };`,
	}, func(fn *Function) { fn.Concurrency = 1 })
	invokeOK(t, m, "q", `{"ms":0}`, nil) // warm

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() { _, errs[i] = m.Invoke(context.Background(), "q", []byte(`{"ms":600}`)) })
		time.Sleep(100 * time.Millisecond) // the first runs, the second queues
	}
	_, err := m.Invoke(context.Background(), "q", []byte(`{"ms":0}`))
	ie := wantInvokeError(t, err, ErrTooManyRequests, "TooManyRequestsException")
	if ie.Message != "Rate Exceeded." {
		t.Errorf("message = %q", ie.Message)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("invocation %d: %v", i, err)
		}
	}

	// A queued invocation whose caller gives up leaves the queue.
	wg.Go(func() { _, _ = m.Invoke(context.Background(), "q", []byte(`{"ms":400}`)) })
	time.Sleep(100 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err = m.Invoke(ctx, "q", []byte(`{"ms":0}`))
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cancelled queued invocation: %v", err)
	}
	if _, err := m.Invoke(context.Background(), "q", []byte(`{"ms":0}`)); err != nil {
		t.Errorf("after a cancelled waiter: %v", err)
	}
	wg.Wait()
}

func TestNodeLogs(t *testing.T) {
	m, rec := newTestManager(t)
	nodeFunction(t, m, "logs", "index.handler", map[string]string{
		"index.js": `console.log("cold start");
exports.handler = async () => {
  console.log("hello", { a: 1 });
  console.error("line one\nline two");
  process.stdout.write("x".repeat(40000) + "\n");
  process.stdout.write("after\n");
  return "ok";
};`,
	}, nil)
	res := invokeOK(t, m, "logs", `{}`, nil)

	// stdout and stderr are read by separate goroutines, so wait for both
	// streams' records rather than for stdout alone.
	deadline := time.Now().Add(10 * time.Second)
	for (len(rec.find(map[string]string{"function": "logs", "stream": "stdout"})) < 4 ||
		len(rec.find(map[string]string{"function": "logs", "stream": "stderr"})) < 1) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	type line struct{ msg, stream, requestID, truncated string }
	var got []line
	for _, r := range rec.find(map[string]string{"function": "logs"}) {
		attrs := map[string]string{}
		r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.String(); return true })
		if attrs["stream"] == "" {
			continue // the Manager's own records
		}
		got = append(got, line{r.Message, attrs["stream"], attrs["request_id"], attrs["truncated"]})
	}
	want := []line{
		{"cold start", "stdout", "", ""},
		{"hello { a: 1 }", "stdout", res.RequestID, ""},
		{strings.Repeat("x", maxLogLine), "stdout", res.RequestID, "true"},
		{"after", "stdout", res.RequestID, ""},
		{"line one\nline two", "stderr", res.RequestID, ""},
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("no log record %.40q stream=%s request_id=%q truncated=%q", w.msg, w.stream, w.requestID, w.truncated)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d output records, want %d", len(got), len(want))
	}
}

func TestRegisterErrors(t *testing.T) {
	m, _ := newTestManager(t)
	dir := t.TempDir()
	err := m.Register(Function{Name: "py", Runtime: "python3.12", Handler: "app.handler", Dir: dir})
	if !errors.Is(err, ErrUnsupportedRuntime) || !strings.Contains(err.Error(), `"python3.12"`) {
		t.Errorf("unsupported runtime: %v", err)
	}
	for _, fn := range []Function{
		{Name: "bad name", Runtime: "nodejs20.x", Handler: "a.b", Dir: dir},
		{Name: "nohandler", Runtime: "nodejs20.x", Dir: dir},
		{Name: "slow", Runtime: "nodejs20.x", Handler: "a.b", Dir: dir, Timeout: time.Hour},
		{Name: "nodir", Runtime: "nodejs20.x", Handler: "a.b", Dir: dir + "/missing"},
		{Name: "mem", Runtime: "provided.al2", Dir: dir, MemoryMB: 64},
	} {
		if err := m.Register(fn); err == nil {
			t.Errorf("Register(%+v) succeeded", fn)
		}
	}
	_, err = m.Invoke(context.Background(), "nope", []byte(`{}`))
	wantInvokeError(t, err, ErrFunctionNotFound, "ResourceNotFoundException")

	nodeFunction(t, m, "echo", "index.handler", map[string]string{"index.js": `exports.handler = async (e) => e;`}, nil)
	_, err = m.Invoke(context.Background(), "echo", []byte(`{not json`))
	wantInvokeError(t, err, ErrInvalidPayload, "InvalidRequestContentException")
	_, err = m.Invoke(context.Background(), "echo", []byte(`"`+strings.Repeat("x", 6<<20)+`"`))
	wantInvokeError(t, err, ErrRequestTooLarge, "RequestTooLargeException")
	if res := invokeOK(t, m, "echo", ``, nil); string(res.Payload) != `{}` {
		t.Errorf("empty payload delivered as %s", res.Payload)
	}

	// provided.al2 without a bootstrap fails at start, naming the problem.
	if err := m.Register(Function{Name: "nobootstrap", Runtime: "provided.al2", Dir: dir}); err != nil {
		t.Fatal(err)
	}
	_, err = m.Invoke(context.Background(), "nobootstrap", []byte(`{}`))
	ie := wantInvokeError(t, err, ErrRuntimeExit, "Runtime.InvalidEntrypoint")
	if !strings.Contains(ie.Message, "no executable bootstrap") {
		t.Errorf("message = %q", ie.Message)
	}
}

func TestNodeResponseTooLarge(t *testing.T) {
	m, _ := newTestManager(t)
	nodeFunction(t, m, "big", "index.handler", map[string]string{
		"index.js": `exports.handler = async (e) => e.big ? "x".repeat(7 * 1024 * 1024) : "small";`,
	}, nil)
	res := invoke(t, m, "big", `{"big":true}`)
	want := FunctionError{Type: "Function.ResponseSizeTooLarge", Message: "Response payload size exceeded maximum allowed payload size (6291556 bytes)."}
	if res.FunctionError == nil || *res.FunctionError != want {
		t.Errorf("FunctionError = %+v", res.FunctionError)
	}
	if res := invokeOK(t, m, "big", `{}`, nil); string(res.Payload) != `"small"` {
		t.Errorf("payload = %s", res.Payload)
	}
}

func TestReRegister(t *testing.T) {
	m, _ := newTestManager(t)
	fn := nodeFunction(t, m, "conf", "index.handler", map[string]string{
		"index.js": `exports.handler = async () => ({ v: process.env.V, pid: process.pid });`,
	}, func(fn *Function) { fn.Env = map[string]string{"V": "1"} })
	var a, b, c struct {
		V   string
		Pid int
	}
	invokeOK(t, m, "conf", `{}`, &a)
	if err := m.Register(fn); err != nil { // unchanged: stays warm
		t.Fatal(err)
	}
	invokeOK(t, m, "conf", `{}`, &b)
	if b.Pid != a.Pid {
		t.Error("registering the same configuration restarted the process")
	}
	fn.Env = map[string]string{"V": "2"}
	if err := m.Register(fn); err != nil {
		t.Fatal(err)
	}
	invokeOK(t, m, "conf", `{}`, &c)
	if c.V != "2" || c.Pid == a.Pid {
		t.Errorf("after a new configuration: %+v (old pid %d)", c, a.Pid)
	}
	waitGone(t, a.Pid)

	m.Unregister("conf")
	_, err := m.Invoke(context.Background(), "conf", []byte(`{}`))
	wantInvokeError(t, err, ErrFunctionNotFound, "ResourceNotFoundException")
	waitGone(t, c.Pid)
}

func TestCloseLeavesNoProcesses(t *testing.T) {
	m := NewManager(slog.New(newRecorder()))
	nodeFunction(t, m, "spawner", "index.handler", map[string]string{
		"index.js": `const { spawn } = require("node:child_process");
exports.handler = async (event) => {
  const child = spawn("sleep", ["60"], { stdio: "inherit" });
  await new Promise((resolve) => setTimeout(resolve, event.ms));
  return [process.pid, child.pid];
};`,
	}, func(fn *Function) { fn.Concurrency = 3 })

	var mu sync.Mutex
	var pids []int
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			var got []int
			invokeOK(t, m, "spawner", `{"ms":200}`, &got)
			mu.Lock()
			pids = append(pids, got...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(pids) != 6 {
		t.Fatalf("pids = %v", pids)
	}
	for _, pid := range pids {
		if !alive(pid) {
			t.Fatalf("process %d is not running before Close", pid)
		}
	}

	// One invocation still running when Close comes.
	inflight := make(chan error, 1)
	go func() {
		_, err := m.Invoke(context.Background(), "spawner", []byte(`{"ms":30000}`))
		inflight <- err
	}()
	time.Sleep(200 * time.Millisecond)
	m.mu.RLock()
	runtimeDir := m.node.dir
	m.mu.RUnlock()

	if err := m.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("process %d survived Close", pid)
		}
	}
	wantInvokeError(t, <-inflight, ErrClosed, "ServiceException")
	if _, err := os.Stat(runtimeDir); !os.IsNotExist(err) {
		t.Errorf("runtime directory %s: %v", runtimeDir, err)
	}
	_, err := m.Invoke(context.Background(), "spawner", []byte(`{}`))
	wantInvokeError(t, err, ErrClosed, "ServiceException")
	if err := m.Register(Function{Name: "late", Runtime: "provided", Dir: t.TempDir()}); !errors.Is(err, ErrClosed) {
		t.Errorf("Register after Close: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNodeCallerGivesUp(t *testing.T) {
	m, _ := newTestManager(t)
	mark := t.TempDir()
	nodeFunction(t, m, "slowish", "index.handler", map[string]string{
		"index.js": `const fs = require("node:fs");
exports.handler = async (event) => {
  if (event.ms) fs.writeFileSync(process.env.MARK + "/began", "");
  await new Promise((r) => setTimeout(r, event.ms));
  return process.pid;
};`,
	}, func(fn *Function) { fn.Concurrency = 1; fn.Env = map[string]string{"MARK": mark} })
	var pid int
	invokeOK(t, m, "slowish", `{"ms":0}`, &pid)
	time.Sleep(50 * time.Millisecond) // the runtime asks for the next event

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := m.Invoke(ctx, "slowish", []byte(`{"ms":600}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Invoke with an expiring context: %v", err)
	}
	// The abandoned invocation runs on: the process is busy until it ends, then reused.
	var again int
	invokeOK(t, m, "slowish", `{"ms":0}`, &again)
	if again != pid {
		t.Errorf("pid %d, want the warm %d", again, pid)
	}
	if _, err := os.Stat(mark + "/began"); err != nil {
		t.Skip("the abandoned invocation never reached the runtime (a loaded machine)")
	}
	if d := time.Since(start); d < 550*time.Millisecond {
		t.Errorf("the process was reused after %v, while still running the abandoned invocation", d)
	}
}

func TestNodeInitTimeout(t *testing.T) {
	m, _ := newTestManager(t, WithInitTimeout(300*time.Millisecond))
	nodeFunction(t, m, "slowinit", "index.handler", map[string]string{
		"index.js": `const end = Date.now() + 3000; while (Date.now() < end) {}
exports.handler = async () => 1;`,
	}, nil)
	_, err := m.Invoke(context.Background(), "slowinit", []byte(`{}`))
	ie := wantInvokeError(t, err, ErrTimeout, "Sandbox.Timedout")
	if ie.Message != "Init timed out after 0.30 seconds" {
		t.Errorf("message = %q", ie.Message)
	}
}
