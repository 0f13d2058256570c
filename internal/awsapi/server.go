package awsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
)

// MaxBodyBytes bounds a request body. The largest legitimate Cognito request (a user with
// every attribute, or a client with 100 callback URLs) is far below this.
const MaxBodyBytes = 1 << 20

// Handler runs one operation on its raw JSON input and returns the value to encode.
type Handler func(ctx context.Context, input json.RawMessage) (any, error)

// Validator checks an operation's raw input against the service model before it is decoded
// (required members, lengths, patterns, ranges, enums, JSON types). It returns nil or the
// *Error AWS would answer (InvalidParameterException / SerializationException).
type Validator interface {
	Validate(operation string, input []byte) *Error
}

// Authenticator decides whether a request may call an operation that AWS authorises with IAM
// credentials. It is the one place admin authentication hooks in; operations never see it.
// A nil Authenticator accepts every request.
type Authenticator interface {
	Authenticate(r *http.Request, body []byte, service, operation string) error
}

// Service is one AWS service's operations under one X-Amz-Target prefix
// (e.g. "AWSCognitoIdentityProviderService").
type Service struct {
	Prefix    string
	Validator Validator
	ops       map[string]Handler
	public    map[string]bool
}

// NewService returns an empty service for the target prefix.
func NewService(prefix string, v Validator) *Service {
	return &Service{Prefix: prefix, Validator: v, ops: map[string]Handler{}, public: map[string]bool{}}
}

// Handle registers an operation that AWS authorises with IAM credentials.
func (s *Service) Handle(name string, h Handler) { s.ops[name] = h }

// HandlePublic registers an operation AWS calls without IAM credentials (the model's
// `"authtype": "none"`, e.g. SignUp, InitiateAuth): the Authenticator is not consulted.
func (s *Service) HandlePublic(name string, h Handler) {
	s.ops[name] = h
	s.public[name] = true
}

// Register registers an operation as public or IAM-authorised as the service's model says:
// when the Validator also reports `Public(operation) bool` (model.Model does, from the
// model's "authtype": "none"), a public operation is registered as by HandlePublic and any
// other as by Handle. Without such a Validator it is Handle.
func (s *Service) Register(name string, h Handler) {
	if p, ok := s.Validator.(interface{ Public(operation string) bool }); ok && p.Public(name) {
		s.HandlePublic(name, h)
		return
	}
	s.Handle(name, h)
}

// IsPublic reports whether an operation was registered as public (no Authenticator).
func (s *Service) IsPublic(name string) bool { return s.public[name] }

// Operations lists the registered operation names.
func (s *Service) Operations() []string {
	names := make([]string, 0, len(s.ops))
	for n := range s.ops {
		names = append(names, n)
	}
	return names
}

// Op adapts a typed handler: the input is decoded into In (a member of the wrong JSON type is
// a SerializationException) and the output encoded as JSON.
func Op[In any, Out any](fn func(ctx context.Context, in *In) (*Out, error)) Handler {
	return func(ctx context.Context, raw json.RawMessage) (any, error) {
		in := new(In)
		if len(bytes.TrimSpace(raw)) > 0 {
			if err := json.Unmarshal(raw, in); err != nil {
				return nil, decodeError(err)
			}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

func decodeError(err error) *Error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// AWS answers a member of the wrong type with a SerializationException naming what it
		// found; the exact Coral wording varies by type, so we name the member instead.
		return Serialization("Unexpected %s value for member %s", te.Value, te.Field)
	}
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	return Serialization("Request body is not valid JSON")
}

// RequestInfo describes the HTTP request an operation runs for.
type RequestInfo struct {
	ID        string
	Service   string
	Operation string
	SourceIP  string
	UserAgent string
	Header    http.Header
}

type requestInfoKey struct{}

// Info returns the request's info; the zero RequestInfo outside a request.
func Info(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestInfoKey{}).(RequestInfo)
	return ri
}

// WithInfo returns ctx carrying ri (for tests and for callers outside HTTP).
func WithInfo(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, ri)
}

// Server dispatches JSON 1.1 requests to services by X-Amz-Target.
type Server struct {
	services map[string]*Service
	auth     Authenticator
	log      *slog.Logger
	newID    func() string
}

// NewServer returns a Server for the given services; auth may be nil.
func NewServer(log *slog.Logger, auth Authenticator, services ...*Service) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{services: map[string]*Service{}, auth: auth, log: log, newID: func() string { return uuid.NewString() }}
	for _, svc := range services {
		s.services[svc.Prefix] = svc
	}
	return s
}

// ServeHTTP answers POST / with X-Amz-Target.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := s.newID()
	w.Header().Set("x-amzn-RequestId", reqID)
	if r.Method != http.MethodPost {
		s.writeError(w, reqID, &Error{Type: "UnknownOperationException", Message: "Only POST is accepted on this endpoint", Status: http.StatusBadRequest})
		return
	}
	target := r.Header.Get("X-Amz-Target")
	prefix, opName, ok := strings.Cut(target, ".")
	svc := s.services[prefix]
	var h Handler
	if ok && svc != nil {
		h = svc.ops[opName]
	}
	if h == nil {
		s.writeError(w, reqID, &Error{Type: "UnknownOperationException", Message: "", Status: http.StatusBadRequest})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.writeError(w, reqID, &Error{Type: "SerializationException", Message: fmt.Sprintf("Request body exceeds the limit of %d bytes", MaxBodyBytes), Status: http.StatusRequestEntityTooLarge})
			return
		}
		s.writeError(w, reqID, Serialization("Could not read the request body"))
		return
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		trimmed = []byte("{}")
	}
	if !json.Valid(trimmed) || trimmed[0] != '{' {
		msg := "Request body is not a JSON object"
		if trimmed[0] == '[' && json.Valid(trimmed) {
			msg = "Start of list found where not expected" // Coral's words for a top-level array
		}
		s.writeError(w, reqID, Serialization("%s", msg))
		return
	}
	if s.auth != nil && !svc.public[opName] {
		if err := s.auth.Authenticate(r, body, prefix, opName); err != nil {
			s.fail(w, r, reqID, opName, err)
			return
		}
	}
	if svc.Validator != nil {
		if verr := svc.Validator.Validate(opName, trimmed); verr != nil {
			s.writeError(w, reqID, verr)
			return
		}
	}
	ctx := WithInfo(r.Context(), RequestInfo{
		ID: reqID, Service: prefix, Operation: opName,
		SourceIP: SourceIP(r), UserAgent: r.UserAgent(), Header: r.Header,
	})
	out, err := h(ctx, trimmed)
	if err != nil {
		s.fail(w, r, reqID, opName, err)
		return
	}
	buf, err := json.Marshal(out)
	if err != nil {
		s.fail(w, r, reqID, opName, fmt.Errorf("encode output: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, reqID, op string, err error) {
	var ae *Error
	if errors.As(err, &ae) {
		s.writeError(w, reqID, ae)
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client went away; nothing useful can be written.
		return
	}
	s.log.Error("operation failed", "request_id", reqID, "operation", op, "err", err)
	s.writeError(w, reqID, &internalError)
}

func (s *Server) writeError(w http.ResponseWriter, reqID string, e *Error) {
	WriteError(w, e)
}

// WriteError renders e as AWS does: the JSON body {"__type", "message"}, the
// x-amzn-ErrorType header and e.Status.
func WriteError(w http.ResponseWriter, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	body := map[string]string{"__type": e.Type}
	if e.Message != "" {
		body["message"] = e.Message
	}
	buf, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("x-amzn-ErrorType", e.Type)
	if e.Message != "" {
		w.Header().Set("x-amzn-ErrorMessage", headerSafe(e.Message))
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf)
}

// headerSafe makes a message fit for the x-amzn-ErrorMessage header: its first line, other
// control characters (which a message can echo from the request) replaced, at most 512 bytes
// cut at a character boundary. The body keeps the whole message.
func headerSafe(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	if len(s) > 512 {
		cut := 512
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, s)
}

// SourceIP is the address of the client that sent r (its RemoteAddr without the port).
func SourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
