package httpapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// result is what a function's answer turns into.
type result struct {
	status  int
	headers http.Header
	body    []byte
}

var errBadResponse = errors.New("malformed Lambda proxy response")

// readV2 reads a function's answer by payload format 2.0's rules (developer guide,
// http-api-develop-integrations-lambda.html, "Lambda function response for format 2.0"): an
// object with statusCode is a response (statusCode, headers, cookies, body, isBase64Encoded);
// anything else valid JSON is the body of a 200 application/json response (a string returned
// is its text).
func readV2(payload []byte) (*result, error) {
	payload = bytes.TrimSpace(payload)
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(payload, &obj); err == nil && obj != nil {
		if _, ok := obj["statusCode"]; ok {
			return structured(obj, true)
		}
	}
	if !json.Valid(payload) {
		return nil, errBadResponse
	}
	h := http.Header{"Content-Type": {"application/json"}}
	var s string
	if json.Unmarshal(payload, &s) == nil {
		return &result{status: http.StatusOK, headers: h, body: []byte(s)}, nil
	}
	return &result{status: http.StatusOK, headers: h, body: payload}, nil
}

// readV1 reads a function's answer by payload format 1.0's rules: statusCode is required,
// with headers, multiValueHeaders, body and isBase64Encoded.
func readV1(payload []byte) (*result, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(payload, &obj); err != nil || obj == nil {
		return nil, errBadResponse
	}
	if _, ok := obj["statusCode"]; !ok {
		return nil, errBadResponse
	}
	return structured(obj, false)
}

func structured(obj map[string]json.RawMessage, v2 bool) (*result, error) {
	var r struct {
		StatusCode        json.RawMessage  `json:"statusCode"`
		Headers           map[string]any   `json:"headers"`
		MultiValueHeaders map[string][]any `json:"multiValueHeaders"`
		Cookies           []string         `json:"cookies"`
		Body              *string          `json:"body"`
		IsBase64Encoded   bool             `json:"isBase64Encoded"`
	}
	raw, _ := json.Marshal(obj)
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, errBadResponse
	}
	status, err := strconv.Atoi(strings.Trim(string(r.StatusCode), `"`))
	if err != nil || status < 100 || status > 599 {
		return nil, errBadResponse
	}
	res := &result{status: status, headers: http.Header{}}
	for k, v := range r.Headers {
		s, ok := scalar(v)
		if !ok {
			return nil, errBadResponse
		}
		res.headers.Set(k, s)
	}
	for k, vs := range r.MultiValueHeaders {
		res.headers.Del(k)
		for _, v := range vs {
			s, ok := scalar(v)
			if !ok {
				return nil, errBadResponse
			}
			res.headers.Add(k, s)
		}
	}
	if v2 {
		for _, c := range r.Cookies {
			res.headers.Add("Set-Cookie", c)
		}
	}
	if r.Body != nil {
		if r.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(*r.Body)
			if err != nil {
				return nil, errBadResponse
			}
			res.body = b
		} else {
			res.body = []byte(*r.Body)
		}
	}
	return res, nil
}

func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// errorBody is an HTTP API's error answer, {"message":"Not Found"}.
func writeError(w http.ResponseWriter, status int) {
	msg := http.StatusText(status)
	w.Header().Set("Content-Type", "application/json")
	body := `{"message":"` + msg + `"}`
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
