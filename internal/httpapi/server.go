package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// Quotas of HTTP APIs (developer guide, "Amazon API Gateway quotas for configuring and running
// an HTTP API").
const (
	// DefaultIntegrationTimeout is the most an HTTP API waits for an integration: 30 s; a
	// slower one is 503 {"message":"Service Unavailable"}.
	DefaultIntegrationTimeout = 30 * time.Second
	// MaxBodyBytes is the payload quota, 10 MB.
	MaxBodyBytes = 10 * 1024 * 1024
	// MaxHeaderBytes bounds request headers (10 KB).
	MaxHeaderBytes = 10240
	// MaxURLBytes bounds the request target.
	MaxURLBytes = 8192
)

// Options configure a Server. The zero value is usable.
type Options struct {
	Log  *slog.Logger     // nil: discard
	Now  func() time.Time // nil: time.Now
	Rand io.Reader        // request ids; nil: crypto/rand
	// IntegrationTimeout overrides DefaultIntegrationTimeout when positive and smaller.
	IntegrationTimeout time.Duration
}

// Server serves the HTTP API of its current Table; Swap installs a new one atomically.
type Server struct {
	table   atomic.Pointer[Table]
	log     *slog.Logger
	now     func() time.Time
	rand    io.Reader
	timeout time.Duration
}

// NewServer returns a server for t (nil: no API yet, every request is 404).
func NewServer(t *Table, opts Options) *Server {
	s := &Server{log: opts.Log, now: opts.Now, rand: opts.Rand, timeout: DefaultIntegrationTimeout}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if opts.IntegrationTimeout > 0 && opts.IntegrationTimeout < s.timeout {
		s.timeout = opts.IntegrationTimeout
	}
	s.table.Store(t)
	return s
}

// Swap installs t and returns the table it replaces.
func (s *Server) Swap(t *Table) *Table { return s.table.Swap(t) }

// Table returns the current table.
func (s *Server) Table() *Table { return s.table.Load() }

// HasRoutes reports whether an API with routes is being served.
func (s *Server) HasRoutes() bool {
	t := s.table.Load()
	return t != nil && len(t.routes) > 0
}

// ServeHTTP runs the pipeline: limits → CORS preflight → route → body → authorizer →
// integration → response. Every answer carries apigw-requestid.
func (s *Server) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	now := s.now()
	var idb [10 + 12]byte
	if _, err := io.ReadFull(s.rand, idb[:]); err != nil {
		s.log.Error("httpapi: request id", "err", err)
		writeError(w, http.StatusInternalServerError)
		return
	}
	// HTTP APIs' request ids look like "JKJaXmPLvHcESHA=": base64 of 10 bytes.
	id := base64.StdEncoding.EncodeToString(idb[:10])
	// A client's own X-Amzn-Trace-Id is kept; otherwise API Gateway starts a trace.
	trace := req.Header.Get("X-Amzn-Trace-Id")
	if trace == "" || len(trace) > 256 {
		trace = "Root=1-" + strconv.FormatInt(now.Unix(), 16) + "-" + hex.EncodeToString(idb[10:])
	}
	w.Header().Set("Apigw-Requestid", id)

	if req.ContentLength > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge)
		return
	}
	if len(req.RequestURI) > MaxURLBytes {
		writeError(w, http.StatusRequestURITooLong)
		return
	}
	if headerBytes(req) > MaxHeaderBytes {
		writeError(w, http.StatusRequestHeaderFieldsTooLarge)
		return
	}
	t := s.table.Load()
	if t == nil {
		writeError(w, http.StatusNotFound)
		return
	}
	api := t.api
	if api.CORS != nil && isPreflight(req) {
		// "API Gateway automatically sends a response to preflight OPTIONS requests, even if
		// there isn't an OPTIONS route configured" (http-api-cors.html).
		api.CORS.preflight(w, req)
		return
	}
	raw := rawPath(req)
	route, params, ok := t.match(req.Method, raw)
	if !ok {
		writeError(w, http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxBodyBytes+1))
	if err != nil {
		s.log.Debug("httpapi: read body", "requestId", id, "err", err)
		writeError(w, http.StatusBadRequest)
		return
	}
	if len(body) > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge)
		return
	}
	r := &Request{
		HTTP: req, Body: body, RouteKey: route.Key, RawPath: raw, Method: req.Method,
		Scopes: route.Scopes, APIID: api.ID, Region: api.Region, AccountID: api.AccountID,
		RequestID: id, Trace: trace, Time: now, PathParameters: params,
	}
	auth, err := s.authorize(req.Context(), route, r)
	if err != nil {
		var ref *Refusal
		if errors.As(err, &ref) && (ref.Status == http.StatusUnauthorized || ref.Status == http.StatusForbidden) {
			s.log.Info("httpapi: refused", "requestId", id, "route", route.Key, "status", ref.Status, "reason", ref.Reason)
			api.CORS.decorate(w, req)
			writeError(w, ref.Status)
			return
		}
		s.log.Error("httpapi: authorizer failed", "requestId", id, "route", route.Key, "err", err)
		api.CORS.decorate(w, req)
		writeError(w, http.StatusInternalServerError)
		return
	}
	timeout := s.timeout
	if api.Timeout > 0 && api.Timeout < timeout {
		timeout = api.Timeout
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	res, err := s.invoke(ctx, route, r, auth)
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel()
	api.CORS.decorate(w, req)
	if err != nil {
		if timedOut {
			writeError(w, http.StatusServiceUnavailable)
			return
		}
		var fe *gateway.FunctionError
		if !errors.As(err, &fe) {
			s.log.Error("httpapi: integration failed", "requestId", id, "route", route.Key, "err", err)
		} else {
			s.log.Info("httpapi: function error", "requestId", id, "route", route.Key, "err", err)
		}
		writeError(w, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	for k, vs := range res.headers {
		if api.CORS != nil && strings.HasPrefix(strings.ToLower(k), "access-control-") {
			// "API Gateway ignores CORS headers returned from your backend integration" when
			// the API has a CORS configuration (http-api-cors.html).
			continue
		}
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(res.status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(res.body)
	}
}

func (s *Server) authorize(ctx context.Context, route *compiledRoute, r *Request) (*Authorization, error) {
	if route.Authorizer == nil {
		return nil, nil
	}
	return gateway.CallAuthorizer(func() (*Authorization, error) { return route.Authorizer.Authorize(ctx, r) }, "authorization")
}

func (s *Server) invoke(ctx context.Context, route *compiledRoute, r *Request, auth *Authorization) (res *result, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("integration panic: %v\n%s", v, debug.Stack())
		}
	}()
	if route.Proxy != nil {
		return s.proxy(ctx, route, r)
	}
	var ev any
	if route.Payload == "1.0" {
		ev = buildV1(r, r.HTTP.URL.RawQuery, auth)
	} else {
		ev = buildV2(r, r.HTTP.URL.RawQuery, auth)
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	out, err := route.Invoker.Invoke(ctx, route.Function, payload)
	if err != nil {
		return nil, err
	}
	if route.Payload == "1.0" {
		res, err = readV1(out)
	} else {
		res, err = readV2(out)
	}
	if err != nil {
		return nil, fmt.Errorf("function %s: %w", route.Function, err)
	}
	return res, nil
}

// proxy runs an HTTP_PROXY integration through the REST API's implementation.
func (s *Server) proxy(ctx context.Context, route *compiledRoute, r *Request) (*result, error) {
	gr := &gateway.Request{
		API:    &gateway.API{ID: r.APIID, Stage: Stage, Region: r.Region, AccountID: r.AccountID},
		Method: r.Method, Path: r.RawPath, StagePath: r.RawPath, ResourcePath: route.path,
		PathParams: r.PathParameters, Headers: r.HTTP.Header, RawQuery: r.HTTP.URL.RawQuery,
		Body: r.Body, RequestID: r.RequestID, RequestTime: r.Time,
	}
	res, err := route.Proxy.Invoke(ctx, gr, nil)
	if err != nil {
		return nil, err
	}
	return &result{status: res.StatusCode, headers: res.Header, body: res.Body}, nil
}

func headerBytes(req *http.Request) int {
	n := 0
	for k, vs := range req.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// rawPath is the request's path as sent, still escaped.
func rawPath(req *http.Request) string {
	uri := req.RequestURI
	if uri == "" || uri[0] != '/' {
		if p := req.URL.EscapedPath(); p != "" {
			return p
		}
		return "/"
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return uri
}
