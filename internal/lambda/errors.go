package lambda

import (
	"errors"
	"fmt"
)

// Sentinel errors of Invoke and Register; an *InvokeError wraps one of the first six.
var (
	// ErrTimeout: the function did not answer within its timeout (Lambda's "Task timed out
	// after N.NN seconds", errorType Sandbox.Timedout) or its runtime did not initialize within
	// the init timeout. The process was killed.
	ErrTimeout = errors.New("function timed out")
	// ErrRuntimeExit: the function's process exited before answering (Lambda's
	// "Runtime exited with error: exit status 1", errorType Runtime.ExitError).
	ErrRuntimeExit = errors.New("runtime exited")
	// ErrTooManyRequests: every process of the function is busy and the queue is full
	// (Lambda's TooManyRequestsException, "Rate Exceeded.").
	ErrTooManyRequests = errors.New("too many requests")
	// ErrRequestTooLarge: the payload exceeds Lambda's 6 MB synchronous invocation quota.
	ErrRequestTooLarge = errors.New("request too large")
	// ErrInvalidPayload: the payload is not JSON (Lambda's InvalidRequestContentException).
	ErrInvalidPayload = errors.New("invalid request content")
	// ErrFunctionNotFound: no function of that name is registered (ResourceNotFoundException).
	ErrFunctionNotFound = errors.New("function not found")
	// ErrClosed: the Manager is closed.
	ErrClosed = errors.New("lambda manager closed")
	// ErrUnsupportedRuntime: Register was given a runtime this package cannot run.
	ErrUnsupportedRuntime = errors.New("unsupported runtime")
)

// Lambda quotas (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
// 6 MB for a synchronous invocation's request and response. The response limit that Lambda
// prints in its error is 6291556 bytes.
const (
	maxRequestBytes  = 6 << 20
	maxResponseBytes = 6291556
)

// Result is the answer of one invocation: the function's response, or the error it reported.
type Result struct {
	// RequestID is the invocation's request id (Lambda-Runtime-Aws-Request-Id).
	RequestID string
	// Payload is the response the runtime posted; when FunctionError is set, it is the error
	// document instead ({"errorType":…,"errorMessage":…,…}), as Lambda's Invoke returns it.
	Payload []byte
	// FunctionError is set when the function reported an error through /invocation/{id}/error
	// or /init/error, or its response broke a quota; nil on success.
	FunctionError *FunctionError
}

// FunctionError is an error reported by the function itself: Lambda answers such an invocation
// with X-Amz-Function-Error and the error document as payload.
type FunctionError struct {
	// Type is the document's errorType: the JavaScript error's name ("Error", "TypeError"),
	// aws-lambda-go's Go type name ("errorString"), or a Runtime.* type
	// ("Runtime.ImportModuleError", "Runtime.HandlerNotFound", "Function.ResponseSizeTooLarge").
	Type string
	// Message is the document's errorMessage, e.g. "Unauthorized".
	Message string
}

func (e *FunctionError) Error() string {
	return fmt.Sprintf("function error %s: %s", e.Type, e.Message)
}

// InvokeError is an invocation that failed around the function rather than in it. Type and
// Message are what Lambda reports in that case, e.g. Sandbox.Timedout / "Task timed out after
// 3.00 seconds" or Runtime.ExitError / "Runtime exited with error: exit status 1".
type InvokeError struct {
	Function  string
	RequestID string // empty when the invocation never reached a process
	Type      string
	Message   string
	Err       error // one of the sentinels above
}

func (e *InvokeError) Error() string {
	return fmt.Sprintf("invoke %s: %s: %s", e.Function, e.Type, e.Message)
}

func (e *InvokeError) Unwrap() error { return e.Err }
