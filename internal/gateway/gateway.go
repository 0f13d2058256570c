package gateway

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Limits API Gateway enforces on REST APIs (developer guide: "Amazon API Gateway quotas and
// important notes"; "Input to an API Gateway Lambda authorizer").
const (
	// DefaultIntegrationTimeout is the integration timeout: a slower integration is answered
	// 504 {"message": "Endpoint request timed out"}.
	DefaultIntegrationTimeout = 29 * time.Second
	// MaxBodyBytes is the payload quota, 10 MB; a bigger body is refused with 413 before
	// routing, with the edge's plain-text answer.
	MaxBodyBytes = 10 * 1024 * 1024
	// MaxHeaderBytes bounds the request's headers, names and values together; more is 431.
	MaxHeaderBytes = 10240
	// MaxURLBytes bounds the request target (path and query); longer is 414.
	MaxURLBytes = 8192
	// MaxMethodARNBytes is the longest method ARN an authorizer is given; a longer one is 414.
	MaxMethodARNBytes = 1600
)

// Options configure a Gateway. The zero value is usable.
type Options struct {
	Log *slog.Logger // nil: discard
	// Now is the clock (requestTime, trace ids); nil is time.Now.
	Now func() time.Time
	// Rand draws request ids; it must be safe for concurrent use. nil is crypto/rand.
	Rand io.Reader
	// IntegrationTimeout bounds every integration that has no Route.Timeout; 0 is
	// DefaultIntegrationTimeout.
	IntegrationTimeout time.Duration
}

// Gateway serves the APIs of its current Table. It is an http.Handler for the API listener
// (--api-addr); Swap installs a new table without disturbing requests in flight.
type Gateway struct {
	table   atomic.Pointer[Table]
	log     *slog.Logger
	now     func() time.Time
	rand    io.Reader
	timeout time.Duration
}

// New returns a gateway serving t (nil: no APIs yet, every request is 403).
func New(t *Table, opts Options) *Gateway {
	g := &Gateway{log: opts.Log, now: opts.Now, rand: opts.Rand, timeout: opts.IntegrationTimeout}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.rand == nil {
		g.rand = rand.Reader
	}
	if g.timeout <= 0 {
		g.timeout = DefaultIntegrationTimeout
	}
	g.table.Store(t)
	return g
}

// Swap installs t atomically and returns the table it replaces. Requests already routed finish
// with the old table.
func (g *Gateway) Swap(t *Table) *Table { return g.table.Swap(t) }

// Table returns the current table.
func (g *Gateway) Table() *Table { return g.table.Load() }

// ServeHTTP runs the request pipeline: edge limits → API (Host) → route → body → authorizer →
// integration → response. Every answer carries x-amzn-RequestId.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	now := g.now()
	ids, err := newRequestIDs(g.rand, now, req.Header.Get("X-Amzn-Trace-Id"))
	if err != nil {
		g.log.Error("gateway: request id", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}

	// The edge (CloudFront, in front of every REST API) refuses oversized requests before
	// API Gateway sees them.
	if req.ContentLength > MaxBodyBytes {
		writeTooLarge(w)
		return
	}
	if len(req.RequestURI) > MaxURLBytes {
		writeResponse(w, req, nil, ids, nil, uriTooLong())
		return
	}
	if headerBytes(req) > MaxHeaderBytes {
		r := NewResponse(Default4XX)
		r.Status, r.ErrorType, r.Message = http.StatusRequestHeaderFieldsTooLarge, "", "Request Header Fields Too Large"
		writeResponse(w, req, nil, ids, nil, r)
		return
	}

	var c *compiledAPI
	if t := g.table.Load(); t != nil {
		c = t.api(req.Host)
	}
	if c == nil {
		writeResponse(w, req, nil, ids, nil, NewResponse(MissingAuthenticationToken))
		return
	}
	api := c.api
	m, ok := c.match(req.Method, rawPath(req))
	if !ok {
		writeResponse(w, req, api, ids, nil, NewResponse(MissingAuthenticationToken))
		return
	}

	body, err := readBody(req)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			writeTooLarge(w)
			return
		}
		g.log.Debug("gateway: read body", "requestId", ids.request, "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	r := g.newRequest(req, m, ids, now, body)

	if m.method.needsARN && r.methodARNLen(arnPath(r.Path)) > MaxMethodARNBytes {
		writeResponse(w, req, api, ids, m.params, uriTooLong())
		return
	}

	principal, err := g.authorize(req.Context(), m.method, r)
	if err != nil {
		writeResponse(w, req, api, ids, m.params, g.refusal(r, err))
		return
	}

	timeout := m.method.route.Timeout
	if timeout <= 0 {
		timeout = g.timeout
	}
	ctx, cancel := context.WithTimeout(req.Context(), timeout)
	res, err := g.invoke(ctx, m.method, r, principal)
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
	cancel()
	if err != nil {
		clientGone := req.Context().Err() != nil && !timedOut
		writeResponse(w, req, api, ids, m.params, g.integrationError(r, err, timedOut, clientGone))
		return
	}
	writeIntegrationResponse(w, req, ids, res)
}

// authorize runs the method's authorizer. A panic, an error or a missing principal is a
// refusal: the request never reaches the integration.
func (g *Gateway) authorize(ctx context.Context, m *method, r *Request) (*Principal, error) {
	if _, none := m.authorizer.(None); none {
		return nil, nil
	}
	return CallAuthorizer(func() (*Principal, error) { return m.authorizer.Authorize(ctx, r) }, "principal")
}

// CallAuthorizer runs an authorizer's call so that a panic or a nil result with no error
// becomes an error (a refusal) rather than a crash or a request let through; what names the
// missing result in that error. REST and HTTP APIs both guard their authorizers with it.
func CallAuthorizer[T any](call func() (*T, error), what string) (res *T, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("authorizer panic: %v\n%s", v, debug.Stack())
		}
	}()
	res, err = call()
	if err == nil && res == nil {
		err = errors.New("authorizer returned no " + what + " and no error")
	}
	return res, err
}

// refusal turns an authorizer's error into the gateway response to send.
func (g *Gateway) refusal(r *Request, err error) *Response {
	var resp *Response
	if errors.As(err, &resp) && resp != nil {
		g.log.Info("gateway: refused", "requestId", r.RequestID, "method", r.Method, "path", r.StagePath,
			"type", string(resp.Type), "status", resp.Status, "reason", resp.Reason)
		return resp
	}
	g.log.Error("gateway: authorizer failed", "requestId", r.RequestID, "method", r.Method, "path", r.StagePath, "err", err)
	return NewResponse(AuthorizerFailure).WithReason("%v", err)
}

// invoke runs the integration, turning a panic into an error.
func (g *Gateway) invoke(ctx context.Context, m *method, r *Request, p *Principal) (res *IntegrationResponse, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, fmt.Errorf("integration panic: %v\n%s", v, debug.Stack())
		}
	}()
	res, err = m.route.Integration.Invoke(ctx, r, p)
	if err == nil && res == nil {
		err = errors.New("integration returned no response and no error")
	}
	return res, err
}

// integrationError turns an integration's error into the gateway response to send. When the
// client went away first, the failure is only worth a debug line.
func (g *Gateway) integrationError(r *Request, err error, timedOut, clientGone bool) *Response {
	var resp *Response
	switch {
	case errors.As(err, &resp) && resp != nil:
	case timedOut:
		resp = NewResponse(IntegrationTimeout).WithReason("%v", err)
	default:
		resp = NewResponse(APIConfigurationError).WithReason("%v", err)
	}
	level := slog.LevelError
	if clientGone {
		level = slog.LevelDebug
	}
	g.log.Log(context.Background(), level, "gateway: integration failed", "requestId", r.RequestID, "method", r.Method,
		"path", r.StagePath, "type", string(resp.Type), "status", resp.Status, "reason", resp.Reason)
	return resp
}

// newRequest builds the Request that authorizers and integrations see.
func (g *Gateway) newRequest(req *http.Request, m match, ids requestIDs, now time.Time, body []byte) *Request {
	api := m.api.api
	r := &Request{
		API:               api,
		Method:            req.Method,
		Path:              m.path,
		StagePath:         rawPath(req),
		ResourcePath:      m.resource.path,
		ResourceID:        m.resource.id,
		PathParams:        m.params,
		RawQuery:          req.URL.RawQuery,
		Query:             parseQuery(req.URL.RawQuery),
		Body:              body,
		UserAgent:         req.UserAgent(),
		Protocol:          req.Proto,
		Host:              hostName(req.Host),
		RequestID:         ids.request,
		ExtendedRequestID: ids.extended,
		RequestTime:       now,
	}
	if r.Protocol == "" {
		r.Protocol = "HTTP/1.1"
	}
	r.SourceIP = req.RemoteAddr
	if h, _, err := net.SplitHostPort(req.RemoteAddr); err == nil {
		r.SourceIP = h
	}

	// The headers API Gateway passes on: the client's, Host, and those it adds itself.
	h := make(http.Header, len(req.Header)+5)
	for k, v := range req.Header {
		h[k] = v
	}
	if req.Host != "" {
		h["Host"] = []string{req.Host}
	}
	if xff := h.Get("X-Forwarded-For"); xff != "" {
		h["X-Forwarded-For"] = []string{xff + ", " + r.SourceIP}
	} else {
		h["X-Forwarded-For"] = []string{r.SourceIP}
	}
	proto, port := "http", "80"
	if req.TLS != nil {
		proto, port = "https", "443"
	}
	if la, ok := req.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if _, p, err := net.SplitHostPort(la.String()); err == nil {
			port = p // the port the client connected to
		}
	} else if _, p, err := net.SplitHostPort(req.Host); err == nil && p != "" {
		port = p
	}
	h["X-Forwarded-Port"] = []string{port}
	h["X-Forwarded-Proto"] = []string{proto}
	h["X-Amzn-Trace-Id"] = []string{ids.trace}
	r.Headers = h

	if len(body) > 0 {
		r.IsBase64 = matchMediaType(api.BinaryMediaTypes, req.Header.Get("Content-Type")) || !isUTF8(body)
	}
	return r
}

// rawPath is the request's path as the client sent it, percent-encoding included.
func rawPath(req *http.Request) string {
	uri := req.RequestURI
	if uri == "" || uri[0] != '/' {
		p := req.URL.EscapedPath()
		if p == "" {
			p = "/"
		}
		return p
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return uri
}

var errTooLarge = errors.New("request body too large")

// readBody reads the whole body, at most MaxBodyBytes.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	var buf []byte
	if req.ContentLength > 0 {
		buf = make([]byte, 0, req.ContentLength+1)
	}
	buf, err := readAllInto(buf, io.LimitReader(req.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(buf) > MaxBodyBytes {
		return nil, errTooLarge
	}
	if len(buf) == 0 {
		return nil, nil
	}
	return buf, nil
}

func readAllInto(b []byte, r io.Reader) ([]byte, error) {
	if b == nil {
		b = make([]byte, 0, 512)
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				return b, nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

// writeTooLarge is the edge's answer to a body over 10 MB, as captured from a real REST API:
// 413 with a plain-text body and no request id.
func writeTooLarge(w http.ResponseWriter) {
	body := "HTTP content length exceeded " + strconv.Itoa(MaxBodyBytes) + " bytes."
	w.Header().Set("Content-Type", "text; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	_, _ = io.WriteString(w, body)
}

// uriTooLong is the answer to a request target, or a method ARN, that is too long.
func uriTooLong() *Response {
	r := NewResponse(Default4XX)
	r.Status, r.ErrorType, r.Message = http.StatusRequestURITooLong, "", "Request-URI Too Long"
	return r
}

// headerBytes is the size of the request's headers.
func headerBytes(req *http.Request) int {
	n := len("Host") + len(req.Host) + 4
	for k, vs := range req.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// remapped are the integration response headers API Gateway renames to x-amzn-Remapped-NAME
// rather than send as they are (developer guide: "Amazon API Gateway important notes").
func remapped(name string) bool {
	switch name {
	case "Authorization", "Connection", "Content-Length", "Date", "Server", "Www-Authenticate":
		return true
	}
	return false
}

// writeIntegrationResponse sends an integration's response with API Gateway's own headers.
func writeIntegrationResponse(w http.ResponseWriter, req *http.Request, ids requestIDs, res *IntegrationResponse) {
	h := w.Header()
	for k, v := range res.Header {
		if remapped(k) {
			h["X-Amzn-Remapped-"+k] = v
			continue
		}
		if isHopHeader(k) {
			continue
		}
		h[k] = v
	}
	ids.set(h)
	h.Set("Content-Length", strconv.Itoa(len(res.Body)))
	if _, ok := h["Content-Type"]; !ok {
		h["Content-Type"] = nil // no sniffing: send no Content-Type, as the integration did
	}
	status := res.StatusCode
	if status < 100 || status > 999 {
		status = http.StatusBadGateway
	}
	w.WriteHeader(status)
	if req.Method != http.MethodHead && len(res.Body) > 0 {
		_, _ = w.Write(res.Body)
	}
}
