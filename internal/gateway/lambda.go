package gateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// MaxLambdaPayload is Lambda's limit for a synchronous invocation's request (and response):
// 6 MB (Lambda developer guide: "Lambda quotas"). A bigger proxy event is answered 413
// {"message": "Request Too Long"}, as API Gateway does.
const MaxLambdaPayload = 6 * 1024 * 1024

// Invoker runs a Lambda function synchronously (InvocationType RequestResponse) with a JSON
// payload and returns the function's JSON result. internal/lambda satisfies it through an
// adapter.
//
// The error is a *FunctionError when the function ran and failed (it threw, exited, timed out,
// or crashed mid-invocation): Lambda's X-Amz-Function-Error case. Any other error means the
// function could not be invoked. When ctx is done (the integration timeout), Invoke must return
// promptly with ctx's error.
type Invoker interface {
	Invoke(ctx context.Context, function string, payload []byte) ([]byte, error)
}

// FunctionError is a function's failure as Lambda reports it: the X-Amz-Function-Error value
// ("Unhandled") and the error document, e.g. {"errorType":"Error","errorMessage":"boom"}.
type FunctionError struct {
	Type    string
	Payload []byte
}

func (e *FunctionError) Error() string {
	var doc struct {
		ErrorType    string `json:"errorType"`
		ErrorMessage string `json:"errorMessage"`
	}
	_ = json.Unmarshal(e.Payload, &doc)
	msg := "function error"
	if e.Type != "" {
		msg += " (" + e.Type + ")"
	}
	if doc.ErrorType != "" || doc.ErrorMessage != "" {
		msg += ": " + doc.ErrorType + ": " + doc.ErrorMessage
	}
	return msg
}

// LambdaProxy is the AWS_PROXY integration (serverless "lambda-proxy", the default): the
// request becomes a proxy event (BuildEvent), the function's result must be a proxy response
// (developer guide: "Output format of a Lambda function for proxy integration"); a function
// error or a malformed response is 502 {"message": "Internal server error"}.
type LambdaProxy struct {
	Function string
	Invoker  Invoker
}

// Invoke runs the function for r.
func (l *LambdaProxy) Invoke(ctx context.Context, r *Request, p *Principal) (*IntegrationResponse, error) {
	payload, err := BuildEvent(r, p)
	if err != nil {
		return nil, fmt.Errorf("build event: %w", err)
	}
	if len(payload) > MaxLambdaPayload {
		return nil, NewResponse(RequestTooLarge).WithReason("proxy event of %d bytes exceeds Lambda's %d", len(payload), MaxLambdaPayload)
	}
	out, err := l.Invoker.Invoke(ctx, l.Function, payload)
	if err != nil {
		var fe *FunctionError
		if errors.As(err, &fe) && fe != nil {
			return nil, NewResponse(IntegrationFailure).WithReason("function %s: %v", l.Function, fe)
		}
		return nil, fmt.Errorf("invoke function %s: %w", l.Function, err)
	}
	resp, err := ParseProxyResponse(out, r.acceptsBinary())
	if err != nil {
		return nil, NewResponse(IntegrationFailure).WithReason("function %s: malformed Lambda proxy response: %v", l.Function, err)
	}
	return resp, nil
}

// ParseProxyResponse validates a function's result as a REST API does and turns it into the
// HTTP response: a JSON object with statusCode (a number, or a numeric string, 100–599),
// optional headers (name → string, number or boolean), multiValueHeaders (name → list of
// those), body (a string) and isBase64Encoded; any other member, or any other shape, makes it
// malformed. Headers and multiValueHeaders are merged, multiValueHeaders winning on the same
// name. A base64 body is decoded only when binary is true (the client accepts a binary media
// type of the API); otherwise the base64 text is the body, as on AWS.
func ParseProxyResponse(payload []byte, binary bool) (*IntegrationResponse, error) {
	payload = bytes.TrimSpace(payload)
	if len(payload) == 0 || payload[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(payload, &doc); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	resp := &IntegrationResponse{Header: make(http.Header)}
	for k := range doc {
		switch k {
		case "statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded":
		default:
			return nil, fmt.Errorf("unexpected member %q", k)
		}
	}

	status, err := parseStatusCode(doc["statusCode"])
	if err != nil {
		return nil, err
	}
	resp.StatusCode = status

	if raw, ok := doc["multiValueHeaders"]; ok && !isNull(raw) {
		var mv map[string]json.RawMessage
		if err := json.Unmarshal(raw, &mv); err != nil {
			return nil, errors.New("multiValueHeaders is not an object")
		}
		for name, rawList := range mv {
			if isNull(rawList) {
				continue
			}
			var list []json.RawMessage
			if err := json.Unmarshal(rawList, &list); err != nil {
				return nil, fmt.Errorf("multiValueHeaders.%s is not a list", name)
			}
			if err := checkHeaderName(name); err != nil {
				return nil, err
			}
			for _, rv := range list {
				v, ok, err := headerValue(rv)
				if err != nil {
					return nil, fmt.Errorf("multiValueHeaders.%s: %w", name, err)
				}
				if ok {
					resp.Header.Add(name, v)
				}
			}
		}
	}
	if raw, ok := doc["headers"]; ok && !isNull(raw) {
		var hs map[string]json.RawMessage
		if err := json.Unmarshal(raw, &hs); err != nil {
			return nil, errors.New("headers is not an object")
		}
		for name, rv := range hs {
			if err := checkHeaderName(name); err != nil {
				return nil, err
			}
			v, ok, err := headerValue(rv)
			if err != nil {
				return nil, fmt.Errorf("headers.%s: %w", name, err)
			}
			if ok && !contains(resp.Header.Values(name), v) {
				resp.Header.Add(name, v)
			}
		}
	}

	isBase64 := false
	if raw, ok := doc["isBase64Encoded"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &isBase64); err != nil {
			return nil, errors.New("isBase64Encoded is not a boolean")
		}
	}
	if raw, ok := doc["body"]; ok && !isNull(raw) {
		var body string
		if err := json.Unmarshal(raw, &body); err != nil {
			return nil, errors.New("body is not a string")
		}
		if isBase64 && binary {
			b, err := base64.StdEncoding.DecodeString(body)
			if err != nil {
				return nil, fmt.Errorf("body is not base64: %w", err)
			}
			resp.Body = b
		} else {
			resp.Body = []byte(body)
		}
	}
	if resp.Header.Get("Content-Type") == "" {
		// REST APIs answer application/json when the function names no Content-Type.
		resp.Header.Set("Content-Type", "application/json")
	}
	return resp, nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func parseStatusCode(raw json.RawMessage) (int, error) {
	if raw == nil || isNull(raw) {
		return 0, errors.New("no statusCode")
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, errors.New("statusCode is not a number")
	}
	var f float64
	switch t := v.(type) {
	case float64:
		f = t
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
		if err != nil {
			return 0, fmt.Errorf("statusCode %q is not a number", t)
		}
		f = n
	default:
		return 0, errors.New("statusCode is not a number")
	}
	if f != math.Trunc(f) || f < 100 || f > 599 {
		return 0, fmt.Errorf("statusCode %v out of range", f)
	}
	return int(f), nil
}

// headerValue reads a header value: a string, number or boolean (Node handlers often write
// 'Access-Control-Allow-Credentials': true); null is no value.
func headerValue(raw json.RawMessage) (string, bool, error) {
	if isNull(raw) {
		return "", false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false, err
	}
	s, ok := scalarString(v)
	if !ok {
		return "", false, errors.New("not a string, number or boolean")
	}
	if strings.ContainsAny(s, "\r\n\x00") {
		return "", false, errors.New("line break in a header value")
	}
	return s, true, nil
}

func checkHeaderName(name string) error {
	if name == "" {
		return errors.New("empty header name")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return fmt.Errorf("invalid header name %q", name)
		}
	}
	return nil
}

var _ Integration = (*LambdaProxy)(nil)
