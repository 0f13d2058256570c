package lambda

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// The Lambda Runtime API, version 2018-06-01
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), as served to one function
// process. Statuses and error types follow the API's OpenAPI description (runtime-api.zip):
// 202 Accepted, 400 InvalidRequestID, 403 InvalidStateTransition, 413 RequestEntityTooLarge.
const (
	pathNext      = "GET /2018-06-01/runtime/invocation/next"
	pathResponse  = "POST /2018-06-01/runtime/invocation/{id}/response"
	pathError     = "POST /2018-06-01/runtime/invocation/{id}/error"
	pathInitError = "POST /2018-06-01/runtime/init/error"

	headerRequestID       = "Lambda-Runtime-Aws-Request-Id"
	headerDeadline        = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN     = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID         = "Lambda-Runtime-Trace-Id"
	headerClientContext   = "Lambda-Runtime-Client-Context"
	headerCognitoIdentity = "Lambda-Runtime-Cognito-Identity"
	headerErrorType       = "Lambda-Runtime-Function-Error-Type"
	// aws-lambda-go streams responses and reports a failure mid-stream in these trailers.
	trailerErrorType = "Lambda-Runtime-Function-Error-Type"
	trailerErrorBody = "Lambda-Runtime-Function-Error-Body"

	// maxErrorBytes bounds an error document; larger ones are refused with 413.
	maxErrorBytes = 1 << 20
)

// invocation is one Invoke on its way through a process.
type invocation struct {
	id              string
	payload         []byte
	timeout         time.Duration
	arn             string
	traceID         string
	clientContext   string
	cognitoIdentity string

	finished atomic.Bool
	done     chan outcome // receives exactly one outcome, from finish
}

// outcome is how an invocation ended: a response, a function error, or an invoke error.
type outcome struct {
	payload []byte
	ferr    *FunctionError
	err     *InvokeError
}

// finish records the invocation's outcome; only the first call wins (a late /response loses
// to the timeout that already fired, and the other way round).
func (inv *invocation) finish(o outcome) bool {
	if !inv.finished.CompareAndSwap(false, true) {
		return false
	}
	inv.done <- o
	return true
}

// runtimeAPI serves the Runtime API of one function process. The process handles one
// invocation at a time: /next takes it from invokes, /response or /error finishes it.
type runtimeAPI struct {
	log         *slog.Logger
	maxResponse int64
	mux         *http.ServeMux

	invokes    chan *invocation // unbuffered: a send completes when /next has taken it
	initFailed chan struct{}    // closed when the runtime posted /init/error
	ready      atomic.Bool      // the runtime called /next: initialization is over

	mu      sync.Mutex
	cur     *invocation     // handed out by /next and not yet answered
	lastID  string          // the most recent invocation handed out, answered or not
	initErr outcome         // set before initFailed is closed
	outputs []*outputStream // the process's stdout and stderr, marked at every hand-over
}

func newRuntimeAPI(log *slog.Logger, maxResponse int64) *runtimeAPI {
	a := &runtimeAPI{
		log:         log,
		maxResponse: maxResponse,
		mux:         http.NewServeMux(),
		invokes:     make(chan *invocation),
		initFailed:  make(chan struct{}),
	}
	a.mux.HandleFunc(pathNext, a.next)
	a.mux.HandleFunc(pathResponse, a.response)
	a.mux.HandleFunc(pathError, a.invocationError)
	a.mux.HandleFunc(pathInitError, a.initError)
	return a
}

func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// ServeMux would redirect an unclean path; a runtime has no business sending one.
	if p := r.URL.Path; p == "" || path.Clean(p) != p {
		writeAPIError(w, http.StatusNotFound, "NotFound", "no such resource")
		return
	}
	a.mux.ServeHTTP(w, r)
}

// initialized reports whether the runtime finished its initialization (called /next).
func (a *runtimeAPI) initialized() bool { return a.ready.Load() }

// initFailure returns the /init/error outcome once initFailed is closed.
func (a *runtimeAPI) initFailure() outcome {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.initErr
}

// hasInitFailed reports, without blocking, whether the runtime posted /init/error.
func (a *runtimeAPI) hasInitFailed() bool {
	select {
	case <-a.initFailed:
		return true
	default:
		return false
	}
}

// watchOutput has /next mark out at every hand-over, so that its lines are filed under the
// invocation that was current when they were written.
func (a *runtimeAPI) watchOutput(out *outputStream) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.outputs = append(a.outputs, out)
}

// currentID returns the invocation most recently handed out, or "" before the first. It stays
// set after the response: Lambda files output between a response and the next /next under the
// request that just ended (its END line follows them). The output streams keep the same rule
// per byte offset (outputStream.mark).
func (a *runtimeAPI) currentID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lastID
}

// next is GET /runtime/invocation/next: it blocks until an invocation is handed to this
// process, then answers with its event and the Lambda-Runtime-* headers ("Next invocation").
func (a *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	if a.cur != nil {
		id := a.cur.id
		a.mu.Unlock()
		writeAPIError(w, http.StatusForbidden, "InvalidStateTransition",
			"invocation "+id+" has not been answered: post its response or error first")
		return
	}
	if a.hasInitFailed() {
		a.mu.Unlock()
		writeAPIError(w, http.StatusForbidden, "InvalidStateTransition", "the runtime reported an initialization error")
		return
	}
	a.mu.Unlock()
	a.ready.Store(true)

	var inv *invocation
	select {
	case inv = <-a.invokes:
	case <-r.Context().Done():
		return
	}
	// The deadline counts from the hand-over; the invoker starts its timer at the same moment.
	deadline := time.Now().Add(inv.timeout)
	a.mu.Lock()
	a.cur = inv
	a.lastID = inv.id
	// Mark the output streams before the runtime learns of the invocation: whatever it wrote
	// so far, read or still in the pipes, is the previous invocation's (or initialization's),
	// whenever the readers get to it; what it writes from now on is this one's.
	for _, out := range a.outputs {
		out.mark(inv.id)
	}
	a.mu.Unlock()

	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h[headerRequestID] = []string{inv.id}
	h[headerDeadline] = []string{strconv.FormatInt(deadline.UnixMilli(), 10)}
	h[headerFunctionARN] = []string{inv.arn}
	h[headerTraceID] = []string{inv.traceID}
	if inv.clientContext != "" {
		h[headerClientContext] = []string{inv.clientContext}
	}
	if inv.cognitoIdentity != "" {
		h[headerCognitoIdentity] = []string{inv.cognitoIdentity}
	}
	h["Content-Length"] = []string{strconv.Itoa(len(inv.payload))}
	_, _ = w.Write(inv.payload) // a runtime that hung up is seen exiting or timing out
}

// take returns the invocation in progress if its id is id, else answers 400 and returns nil.
func (a *runtimeAPI) take(w http.ResponseWriter, id string) *invocation {
	a.mu.Lock()
	inv := a.cur
	a.mu.Unlock()
	if inv == nil || inv.id != id {
		writeAPIError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return nil
	}
	return inv
}

// complete finishes the invocation in progress.
func (a *runtimeAPI) complete(inv *invocation, o outcome) {
	a.mu.Lock()
	if a.cur == inv {
		a.cur = nil
	}
	a.mu.Unlock()
	inv.finish(o)
}

// response is POST /runtime/invocation/{id}/response ("Invocation response"). A response over
// Lambda's 6 MB quota fails the invocation with Function.ResponseSizeTooLarge, as Lambda does.
func (a *runtimeAPI) response(w http.ResponseWriter, r *http.Request) {
	inv := a.take(w, r.PathValue("id"))
	if inv == nil {
		return
	}
	body, err := readBody(w, r, a.maxResponse)
	switch {
	case errors.Is(err, errBodyTooLarge):
		msg := "Response payload size exceeded maximum allowed payload size (" + strconv.FormatInt(a.maxResponse, 10) + " bytes)."
		a.complete(inv, functionErrorOutcome("Function.ResponseSizeTooLarge", msg))
		writeAPIError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Exceeded maximum allowed payload size ("+strconv.FormatInt(a.maxResponse, 10)+" bytes).")
		return
	case err != nil:
		// The runtime hung up mid-body; the process is about to be seen exiting or timing out.
		a.log.Debug("runtime API: reading response", "request_id", inv.id, "err", err)
		return
	}
	// aws-lambda-go reports a handler failure in the middle of a streamed response in trailers.
	if t := r.Trailer.Get(trailerErrorType); t != "" {
		doc, _ := base64.StdEncoding.DecodeString(r.Trailer.Get(trailerErrorBody))
		a.complete(inv, errorDocOutcome(doc, t))
	} else {
		a.complete(inv, outcome{payload: body})
	}
	writeAccepted(w)
}

// invocationError is POST /runtime/invocation/{id}/error ("Invocation error"): the body is an
// error document {"errorMessage","errorType","stackTrace"}; without one, Lambda builds the error
// from the Lambda-Runtime-Function-Error-Type header.
func (a *runtimeAPI) invocationError(w http.ResponseWriter, r *http.Request) {
	inv := a.take(w, r.PathValue("id"))
	if inv == nil {
		return
	}
	body, err := readBody(w, r, maxErrorBytes)
	switch {
	case errors.Is(err, errBodyTooLarge):
		writeAPIError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			"Exceeded maximum allowed error payload size ("+strconv.Itoa(maxErrorBytes)+" bytes).")
		a.complete(inv, functionErrorOutcome(headerOr(r, "Runtime.Unknown"), "error document too large"))
		return
	case err != nil:
		a.log.Debug("runtime API: reading error", "request_id", inv.id, "err", err)
		return
	}
	a.complete(inv, errorDocOutcome(body, r.Header.Get(headerErrorType)))
	writeAccepted(w)
}

// initError is POST /runtime/init/error ("Initialization error"): the runtime could not load
// the function. The invocation waiting for this process gets the error; the process is then
// discarded, and the next invocation initializes a new one.
func (a *runtimeAPI) initError(w http.ResponseWriter, r *http.Request) {
	if a.initialized() || a.hasInitFailed() {
		writeAPIError(w, http.StatusForbidden, "InvalidStateTransition", "initialization is over")
		return
	}
	body, err := readBody(w, r, maxErrorBytes)
	var o outcome
	switch {
	case errors.Is(err, errBodyTooLarge):
		o = functionErrorOutcome(headerOr(r, "Runtime.Unknown"), "initialization error document too large")
	case err != nil:
		return
	default:
		o = errorDocOutcome(body, r.Header.Get(headerErrorType))
	}
	a.mu.Lock()
	if a.initialized() || a.hasInitFailed() {
		a.mu.Unlock()
		writeAPIError(w, http.StatusForbidden, "InvalidStateTransition", "initialization is over")
		return
	}
	a.initErr = o
	close(a.initFailed)
	a.mu.Unlock()
	writeAccepted(w)
}

var errBodyTooLarge = errors.New("body too large")

// readBody reads a request body of at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errBodyTooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errBodyTooLarge
	}
	return body, err
}

func headerOr(r *http.Request, def string) string {
	if t := r.Header.Get(headerErrorType); t != "" {
		return t
	}
	return def
}

// errorDoc is the Runtime API's error document. errorMessage is a string for every runtime we
// know, but is kept raw so that any JSON value can be shown.
type errorDoc struct {
	ErrorType    json.RawMessage `json:"errorType"`
	ErrorMessage json.RawMessage `json:"errorMessage"`
}

// errorDocOutcome turns a posted error document into a function error. The payload is the
// document as posted when it is a JSON object (Lambda returns it as the Invoke payload), else a
// document built from what could be read.
func errorDocOutcome(body []byte, headerType string) outcome {
	var doc errorDoc
	if err := json.Unmarshal(body, &doc); err == nil && (doc.ErrorType != nil || doc.ErrorMessage != nil) {
		fe := &FunctionError{Type: jsonText(doc.ErrorType), Message: jsonText(doc.ErrorMessage)}
		if fe.Type == "" {
			fe.Type = headerType
		}
		if fe.Type == "" {
			fe.Type = "Runtime.Unknown"
		}
		return outcome{payload: body, ferr: fe}
	}
	t := headerType
	if t == "" {
		t = "Runtime.Unknown"
	}
	msg := string(body)
	if len(msg) > 1024 {
		msg = msg[:1024]
	}
	return functionErrorOutcome(t, msg)
}

// jsonText renders a JSON value as text: a string's contents, anything else as written.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if string(raw) == "null" {
		return ""
	}
	return string(raw)
}

// functionErrorOutcome is a function error with the document Lambda would return for it.
func functionErrorOutcome(errorType, message string) outcome {
	doc, _ := json.Marshal(struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}{errorType, message})
	return outcome{payload: doc, ferr: &FunctionError{Type: errorType, Message: message}}
}

func writeAccepted(w http.ResponseWriter) {
	w.Header()["Content-Type"] = []string{"application/json"}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func writeAPIError(w http.ResponseWriter, status int, errorType, message string) {
	body, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{message, errorType})
	w.Header()["Content-Type"] = []string{"application/json"}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
