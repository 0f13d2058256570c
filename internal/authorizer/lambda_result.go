package authorizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gatehouse/gatehouse/internal/policy"
)

// MaxContextKeys bounds the context map of a Lambda authorizer's result. API Gateway documents
// no count, only that the whole response is bounded; 1,000 keys is far beyond any real use
// and keeps one cached result small.
const MaxContextKeys = 1000

// lambdaResult is a Lambda authorizer's output, parsed (developer guide: "Output from an API
// Gateway Lambda authorizer", api-gateway-lambda-authorizer-output.html). It is immutable once
// parsed and shared by every request the cache answers with it.
type lambdaResult struct {
	principalID        string
	policy             *policy.Policy
	context            map[string]any // string, json.Number or bool values; nil when none
	usageIdentifierKey string
}

// errMalformedResult is wrapped by every parseResult error: API Gateway answers a result it
// cannot use with 500 AUTHORIZER_CONFIGURATION_ERROR.
var errMalformedResult = errors.New("malformed authorizer result")

func malformedResult(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errMalformedResult, fmt.Sprintf(format, args...))
}

// parseResult parses the JSON a Lambda authorizer returned:
//
//		{"principalId": "user", "policyDocument": {"Version": …, "Statement": […]},
//		 "context": {"k": "v", "n": 1, "b": true}, "usageIdentifierKey": "…"}
//
//	  - the result must be a JSON object, and policyDocument an IAM policy document that
//	    package policy parses (a missing or null policyDocument is API Gateway's "Could not parse
//	    policy");
//	  - principalId is a string when present; a number is taken as its decimal text (API
//	    Gateway's developer guide requires principalId, yet real APIs accept a result without
//	    it: the event then carries no principalId);
//	  - context values must be strings, numbers or booleans ("you can't set a JSON object or
//	    array as a valid value of any key in the context map"); a null value is dropped;
//	  - usageIdentifierKey is a string when present;
//	  - other members are ignored, as API Gateway ignores them.
func parseResult(b []byte) (*lambdaResult, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, malformedResult("not a JSON object: %v", err)
	}
	if raw == nil {
		return nil, malformedResult("the result is null")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformedResult("data after the JSON object")
	}
	res := &lambdaResult{}

	if v, ok := raw["principalId"]; ok && !isNull(v) {
		var id any
		if err := unmarshalNumber(v, &id); err != nil {
			return nil, malformedResult("principalId: %v", err)
		}
		switch t := id.(type) {
		case string:
			res.principalID = t
		case json.Number:
			res.principalID = t.String()
		default:
			return nil, malformedResult("principalId is a %s, not a string", jsonKind(id))
		}
	}

	doc, ok := raw["policyDocument"]
	if !ok || isNull(doc) {
		return nil, malformedResult("no policyDocument")
	}
	if t := bytes.TrimSpace(doc); len(t) == 0 || t[0] != '{' {
		return nil, malformedResult("policyDocument is not a JSON object")
	}
	p, err := policy.Parse(doc)
	if err != nil {
		return nil, malformedResult("policyDocument: %v", err)
	}
	res.policy = p

	if v, ok := raw["context"]; ok && !isNull(v) {
		var m map[string]any
		if err := unmarshalNumber(v, &m); err != nil {
			return nil, malformedResult("context is not a JSON object")
		}
		if len(m) > MaxContextKeys {
			return nil, malformedResult("context has %d keys, more than %d", len(m), MaxContextKeys)
		}
		for k, val := range m {
			switch val.(type) {
			case string, json.Number, bool:
			case nil:
				delete(m, k)
			default:
				return nil, malformedResult("context.%s is a %s; context values must be strings, numbers or booleans", k, jsonKind(val))
			}
		}
		if len(m) > 0 {
			res.context = m
		}
	}

	if v, ok := raw["usageIdentifierKey"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &res.usageIdentifierKey); err != nil {
			return nil, malformedResult("usageIdentifierKey is not a string")
		}
	}
	return res, nil
}

func isNull(v json.RawMessage) bool {
	return string(bytes.TrimSpace(v)) == "null"
}

func unmarshalNumber(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return dec.Decode(v)
}

func jsonKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "JSON object"
	case []any:
		return "JSON array"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
