package awsapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The AWS query protocol (IAM, STS): a POST with an application/x-www-form-urlencoded body (or
// a GET with a query string) holding Action, Version and the action's parameters, answered
// with XML (AWS query protocol, smithy.io/2.0/aws/protocols/aws-query-protocol.html; IAM API
// reference, "Making query requests").

// MaxQueryParams bounds the parameters of one query request. No IAM or STS action takes more
// than a few dozen; the largest legitimate request (a policy document of 131,072 characters,
// each URL-encoded as up to 9 bytes) stays under MaxBodyBytes.
const MaxQueryParams = 256

var (
	errTooManyParams = errors.New("too many parameters")
	errBadEncoding   = errors.New("malformed query string")
)

// Params are a query request's parameters: Action, Version and the action's members, lists
// as Name.member.N. A name given twice keeps its first value.
type Params struct {
	m map[string]string
}

// ParseParams adds the parameters of application/x-www-form-urlencoded text (or a URL's
// query string) to dst: '&'-separated name=value pairs, '+' as space, percent escapes. Unlike
// url.ParseQuery it counts the pairs before decoding more than MaxQueryParams of them.
func ParseParams(dst *Params, s string) error {
	if dst.m == nil {
		dst.m = map[string]string{}
	}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		if len(dst.m) >= MaxQueryParams {
			return errTooManyParams
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			return errBadEncoding
		}
		v, err = url.QueryUnescape(v)
		if err != nil {
			return errBadEncoding
		}
		if _, dup := dst.m[k]; !dup {
			dst.m[k] = v
		}
	}
	return nil
}

// Len is the number of parameters.
func (p *Params) Len() int { return len(p.m) }

// Get returns a parameter's value, "" when it was not sent.
func (p *Params) Get(name string) string { return p.m[name] }

// Lookup returns a parameter's value and whether it was sent.
func (p *Params) Lookup(name string) (string, bool) {
	v, ok := p.m[name]
	return v, ok
}

// Optional returns a pointer to the parameter's value, nil when it was not sent.
func (p *Params) Optional(name string) *string {
	v, ok := p.m[name]
	if !ok {
		return nil
	}
	return &v
}

// Int reads an integer parameter the model has validated; 0 when absent or not an integer.
func (p *Params) Int(name string) int {
	n, _ := strconv.Atoi(p.m[name])
	return n
}

// The query services' common errors (IAM API reference, Common Errors).
func queryValidation(format string, args ...any) *Error {
	return &Error{Type: "ValidationError", Message: fmt.Sprintf(format, args...), Status: http.StatusBadRequest}
}

// ReadQuery reads a query request: the bounded body, and the parameters of the URL's query
// and, for a form POST, of the body (the query's first). It returns the body as read, for
// signature checks.
func ReadQuery(w http.ResponseWriter, r *http.Request) ([]byte, *Params, *Error) {
	p := &Params{}
	if len(r.URL.RawQuery) > MaxBodyBytes {
		return nil, nil, queryValidation("Request is too large.")
	}
	if err := ParseParams(p, r.URL.RawQuery); err != nil {
		return nil, nil, paramsError(err)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			// Gatehouse's own text and status.
			return nil, nil, &Error{Type: "ValidationError", Message: "Request body is too large.", Status: http.StatusRequestEntityTooLarge}
		}
		return nil, nil, queryValidation("Could not read the request body.")
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "" && ct != "application/x-www-form-urlencoded" {
			return nil, nil, queryValidation("Content-Type must be application/x-www-form-urlencoded.")
		}
		if err := ParseParams(p, string(body)); err != nil {
			return nil, nil, paramsError(err)
		}
	}
	return body, p, nil
}

func paramsError(err error) *Error {
	if errors.Is(err, errTooManyParams) {
		return queryValidation("Too many parameters: at most %d.", MaxQueryParams) // Gatehouse's own
	}
	// The common MalformedQueryString (IAM API reference, Common Errors: status 404).
	return &Error{Type: "MalformedQueryString", Message: "The query string contains a syntax error.", Status: http.StatusNotFound}
}

type queryXMLError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type queryErrorResponse struct {
	XMLName   xml.Name      `xml:"ErrorResponse"`
	Xmlns     string        `xml:"xmlns,attr"`
	Error     queryXMLError `xml:"Error"`
	RequestID string        `xml:"RequestId"`
}

// WriteQueryError renders e as the query services do, in the service's XML namespace ns:
// <ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
// <RequestId>…</RequestId></ErrorResponse>, Type Receiver for a server fault (status 5xx).
func WriteQueryError(w http.ResponseWriter, ns, reqID string, e *Error) {
	status := e.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	buf, err := xml.Marshal(queryErrorResponse{Xmlns: ns, Error: queryXMLError{Type: typ, Code: e.Type, Message: e.Message}, RequestID: reqID})
	if err != nil {
		buf = nil
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write(append([]byte(xml.Header[:len(xml.Header)-1]), buf...))
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// QueryResponse renders an action's answer: <{Action}Response xmlns=…><{Action}Result>…
// </{Action}Result><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
// </{Action}Response>. A nil result has no Result element; an empty struct renders as an
// empty one (IAM's UpdateRole).
func QueryResponse(ns, action, reqID string, result any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header[:len(xml.Header)-1])
	enc := xml.NewEncoder(&b)
	start := xml.StartElement{Name: xml.Name{Local: action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: ns}}}
	if err := enc.EncodeToken(start); err != nil {
		return nil, err
	}
	if result != nil {
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return nil, err
		}
	}
	if err := enc.EncodeElement(responseMetadata{RequestID: reqID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ByProtocol sends each request on one endpoint to the protocol it speaks, as AWS's clients
// send them: JSON 1.1 (X-Amz-Target, Cognito) to json, and form posts with Action= (the query
// protocol of IAM and STS) to query.
func ByProtocol(json, query http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct := strings.ToLower(r.Header.Get("Content-Type"))
		if r.Header.Get("X-Amz-Target") == "" && strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			query.ServeHTTP(w, r)
			return
		}
		json.ServeHTTP(w, r)
	})
}
