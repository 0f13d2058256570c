package iam

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// The two services this handler speaks, told apart by the request's Version.
const (
	iamVersion   = "2010-05-08"
	stsVersion   = "2011-06-15"
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// action runs one query-protocol action on its parameters and returns its result (nil for
// actions without one).
type action func(a *API, ctx context.Context, p *params) (any, error)

// ServeHTTP answers IAM and STS query-protocol requests: POST with an
// application/x-www-form-urlencoded body (or GET with a query string) holding Action,
// Version and the action's parameters. It answers XML in the service's namespace, with a
// RequestId in the body and in x-amzn-RequestId.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := a.newID()
	w.Header().Set("x-amzn-RequestId", reqID)
	ns := iamNamespace
	body, p, err := a.readParams(w, r)
	if err != nil {
		a.writeError(w, ns, reqID, err)
		return
	}
	version, name := p.get("Version"), p.get("Action")
	service, table := "iam", iamActions
	if version == stsVersion || version == "" && name == "GetCallerIdentity" {
		service, table, ns = "sts", stsActions, stsNamespace
	}
	if name == "" {
		// Guessed text.
		a.writeError(w, ns, reqID, iamError("MissingAction", http.StatusBadRequest, "Missing Action"))
		return
	}
	act := table[name]
	if act == nil || version != "" && version != iamVersion && version != stsVersion {
		// As AWS's query services answer an unknown action: "Could not find operation
		// GetSendStatistics for version 2012-12-01" (confirmed for SES).
		if version == "" {
			version = iamVersion
		}
		a.writeError(w, ns, reqID, iamError("InvalidAction", http.StatusBadRequest, "Could not find operation %s for version %s", name, version))
		return
	}
	ctx := r.Context()
	if a.auth != nil {
		// The caller the action acts for is the one whose signature was verified, never one
		// read from the request a second time.
		caller, err := a.auth.checkQuery(r, body, service, name, p)
		if err != nil {
			a.fail(w, r, ns, reqID, name, err)
			return
		}
		if caller != "" {
			ctx = WithCaller(ctx, caller)
		}
	}
	ctx = awsapi.WithInfo(ctx, awsapi.RequestInfo{ID: reqID, Service: service, Operation: name, UserAgent: r.UserAgent(), Header: r.Header})
	out, err := act(a, ctx, p)
	if err != nil {
		a.fail(w, r, ns, reqID, name, err)
		return
	}
	buf, err := renderResult(ns, name, reqID, out)
	if err != nil {
		a.fail(w, r, ns, reqID, name, err)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf)
}

// readParams reads the bounded body and decodes the parameters of the URL's query and, for
// a form POST, of the body (the query's first).
func (a *API) readParams(w http.ResponseWriter, r *http.Request) ([]byte, *params, error) {
	p := &params{}
	if len(r.URL.RawQuery) > MaxBodyBytes {
		return nil, nil, validationError("Request is too large.")
	}
	if err := parseParams(p, r.URL.RawQuery); err != nil {
		return nil, nil, paramsError(err)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			// Gatehouse's own text and status.
			return nil, nil, &awsapi.Error{Type: "ValidationError", Message: "Request body is too large.", Status: http.StatusRequestEntityTooLarge}
		}
		return nil, nil, validationError("Could not read the request body.")
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "" && ct != "application/x-www-form-urlencoded" {
			return nil, nil, validationError("Content-Type must be application/x-www-form-urlencoded.")
		}
		if err := parseParams(p, string(body)); err != nil {
			return nil, nil, paramsError(err)
		}
	}
	return body, p, nil
}

func paramsError(err error) error {
	if errors.Is(err, errTooManyParams) {
		return validationError("Too many parameters: at most %d.", MaxParams) // Gatehouse's own
	}
	// The common MalformedQueryString (IAM API reference, Common Errors: status 404).
	return iamError("MalformedQueryString", http.StatusNotFound, "The query string contains a syntax error.")
}

// fail renders err: an *awsapi.Error as it is, anything else logged with the request id
// and answered ServiceFailure without detail.
func (a *API) fail(w http.ResponseWriter, r *http.Request, ns, reqID, action string, err error) {
	var ae *awsapi.Error
	if errors.As(err, &ae) {
		a.writeError(w, ns, reqID, ae)
		return
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	a.log.Error("iam action failed", "request_id", reqID, "action", action, "err", err)
	a.writeError(w, ns, reqID, &serviceFailure)
}

type xmlError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Error     xmlError `xml:"Error"`
	RequestID string   `xml:"RequestId"`
}

// writeError renders an error as the query services do:
// <ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
// <RequestId>…</RequestId></ErrorResponse>, Type Receiver for a server fault.
func (a *API) writeError(w http.ResponseWriter, ns, reqID string, err error) {
	var ae *awsapi.Error
	if !errors.As(err, &ae) {
		ae = &serviceFailure
	}
	status := ae.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	buf, merr := xml.Marshal(errorResponse{Xmlns: ns, Error: xmlError{Type: typ, Code: ae.Type, Message: ae.Message}, RequestID: reqID})
	if merr != nil {
		buf = nil
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write(append([]byte(xml.Header[:len(xml.Header)-1]), buf...))
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// renderResult writes <{Action}Response xmlns=…><{Action}Result>…</{Action}Result>
// <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Action}Response>; an
// action without a result has no Result element. A result of type empty renders as an
// empty Result element (UpdateRole's).
func renderResult(ns, action, reqID string, result any) ([]byte, error) {
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

// empty is the result of actions whose Result element is there but empty.
type empty struct{}
