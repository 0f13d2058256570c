package lambda

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
)

// buildGoFunction builds testdata/gofn, an aws-lambda-go function, into dir/name.
func buildGoFunction(t *testing.T, dir, name string) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	cmd := exec.Command(gobin, "build", "-o", filepath.Join(dir, name), "./testdata/gofn")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

func TestProvidedAWSLambdaGo(t *testing.T) {
	dir := t.TempDir()
	buildGoFunction(t, dir, "bootstrap")
	m, _ := newTestManager(t)
	fn := Function{
		Name:    "goHello",
		Runtime: "provided.al2",
		Handler: "hello.handler",
		Dir:     dir,
		Timeout: 2 * time.Second,
		Env:     map[string]string{"GREETING": "hello"},
	}
	if err := m.Register(fn); err != nil {
		t.Fatal(err)
	}

	var got struct {
		Greeting, RequestID, FunctionARN string
		RemainingMS                      int64
		Pid                              int
		Env                              map[string]string
	}
	res := invokeOK(t, m, "goHello", `{"name":"gopher"}`, &got)
	if got.Greeting != "hello, gopher" || got.RequestID != res.RequestID ||
		got.FunctionARN != "arn:aws:lambda:us-east-1:000000000000:function:goHello" {
		t.Errorf("response = %+v (request id %s)", got, res.RequestID)
	}
	if got.RemainingMS <= 1000 || got.RemainingMS > 2000 {
		t.Errorf("remaining %d ms of a 2 s timeout", got.RemainingMS)
	}
	if got.Env["_HANDLER"] != "hello.handler" || got.Env["LAMBDA_TASK_ROOT"] != dir ||
		!strings.HasPrefix(got.Env["_X_AMZN_TRACE_ID"], "Root=1-") {
		t.Errorf("env = %v", got.Env)
	}
	pid := got.Pid

	// A returned error is the function's: errorType is the Go type's name.
	res = invoke(t, m, "goHello", `{"fail":true}`)
	if fe := res.FunctionError; fe == nil || fe.Type != "errorString" || fe.Message != "Unauthorized" {
		t.Errorf("FunctionError = %+v", fe)
	}

	// A panic is reported with its stack, then the runtime exits; the next request gets a
	// new process.
	res = invoke(t, m, "goHello", `{"panic":true}`)
	var doc messages.InvokeResponse_Error
	if err := json.Unmarshal(res.Payload, &doc); err != nil || res.FunctionError == nil ||
		doc.Type != "string" || doc.Message != "boom" || len(doc.StackTrace) == 0 {
		t.Errorf("panic: FunctionError %+v, document %s", res.FunctionError, res.Payload)
	}
	waitGone(t, pid)
	invokeOK(t, m, "goHello", `{"name":"again"}`, &got)
	if got.Pid == pid {
		t.Error("served by the process that panicked")
	}

	// Exit mid-invocation.
	_, err := m.Invoke(context.Background(), "goHello", []byte(`{"exit":true}`))
	ie := wantInvokeError(t, err, ErrRuntimeExit, "Runtime.ExitError")
	if ie.Message != "Runtime exited with error: exit status 2" {
		t.Errorf("message = %q", ie.Message)
	}

	// Timeout.
	_, err = m.Invoke(context.Background(), "goHello", []byte(`{"sleepMs":5000}`))
	ie = wantInvokeError(t, err, ErrTimeout, "Sandbox.Timedout")
	if ie.Message != "Task timed out after 2.00 seconds" {
		t.Errorf("message = %q", ie.Message)
	}
	invokeOK(t, m, "goHello", `{"name":"after timeout"}`, &got)
}

func TestGo1xHandler(t *testing.T) {
	dir := t.TempDir()
	buildGoFunction(t, dir, "hello")
	m, _ := newTestManager(t)
	if err := m.Register(Function{Name: "go1x", Runtime: "go1.x", Handler: "hello", Dir: dir}); err != nil {
		t.Fatal(err)
	}
	var got struct{ Greeting string }
	invokeOK(t, m, "go1x", `{"name":"go1.x"}`, &got)
	if got.Greeting != ", go1.x" {
		t.Errorf("greeting = %q", got.Greeting)
	}

	if err := m.Register(Function{Name: "go1xmissing", Runtime: "go1.x", Handler: "nothere", Dir: dir}); err != nil {
		t.Fatal(err)
	}
	_, err := m.Invoke(context.Background(), "go1xmissing", []byte(`{}`))
	ie := wantInvokeError(t, err, ErrRuntimeExit, "Runtime.InvalidEntrypoint")
	if !strings.Contains(ie.Message, "handler nothere is not an executable") {
		t.Errorf("message = %q", ie.Message)
	}
}
