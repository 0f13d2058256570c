package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// maxDepth bounds how deep the model is followed into the input. Cognito's input shapes
// nest at most a few levels; deeper input (only possible through a recursive model) is
// accepted unchecked rather than walked.
const maxDepth = 32

// node is an input value decoded along its shape. A nil *node is an absent member or a JSON
// null: AWS treats both as absent.
type node struct {
	opaque bool    // not checked: a document, or deeper than maxDepth
	str    string  // string; base64 text of a blob; canonical text of a number
	num    int64   // integer, long
	bytes  int     // blob: decoded length
	b      bool    // boolean
	items  []*node // list
	keys   []string
	vals   []*node // map values (parallel to keys); structure members (by member index)
	// malformed is the one failure of a query parameter whose text is not of its type
	// ("Member must be an integer"); JSON input fails such values with a
	// SerializationException instead.
	malformed string
}

// Coral's deserializer messages for a value of the wrong JSON type. Measured against an
// awsJson1.1 Coral service (Athena) and recorded with the requests that produced them in
// uzaki-tatsuya/aws-emulators' Athena request parser (2026-09); DynamoDB's answers in
// mhart/dynalite and getmoto/moto agree on the first two. "… a Long/Boolean/Double/Date" and
// "Expected map or null" follow the same pattern but were not measured.
const (
	msgStartOfObject = "Start of structure or map found where not expected."
	msgStartOfList   = "Start of list found where not expected"
	msgNotList       = "Expected list or null"
	msgNotStructure  = "Expected null"
	msgNotMap        = "Expected map or null"
	msgMalformed     = "Request body is not valid JSON"
)

// serialization is Coral's SerializationException; an empty message is left out of the body,
// as Coral leaves it out for a body that is not JSON at all.
func serialization(msg string) *awsapi.Error {
	return &awsapi.Error{Type: "SerializationException", Message: msg, Status: http.StatusBadRequest}
}

// decode reads input as the structure sh, failing with a SerializationException on
// malformed JSON or a member of the wrong JSON type. Unknown members are skipped.
func decode(input []byte, sh *shape) (*node, *awsapi.Error) {
	if sh == nil {
		sh = &shape{kind: kindStructure}
	}
	dec := json.NewDecoder(bytes.NewReader(input))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, serialization(msgMalformed)
	}
	switch tok {
	case json.Delim('{'):
	case json.Delim('['):
		return nil, serialization(msgStartOfList)
	default:
		// Coral answers a top-level scalar with a bare SerializationException.
		return nil, serialization("")
	}
	root, serr := value(dec, tok, sh, 0)
	if serr != nil {
		return nil, serr
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, serialization(msgMalformed)
	}
	return root, nil
}

// next reads the next value's first token and decodes the value as sh.
func next(dec *json.Decoder, sh *shape, depth int) (*node, *awsapi.Error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, serialization(msgMalformed)
	}
	return value(dec, tok, sh, depth)
}

// value decodes the value that starts with tok as sh.
func value(dec *json.Decoder, tok json.Token, sh *shape, depth int) (*node, *awsapi.Error) {
	if tok == nil {
		return nil, nil
	}
	if sh.kind == kindDocument || depth > maxDepth {
		if err := skipRest(dec, tok); err != nil {
			return nil, serialization(msgMalformed)
		}
		return &node{opaque: true}, nil
	}
	switch sh.kind {
	case kindStructure:
		if tok != json.Delim('{') {
			return nil, mismatch(tok, sh.kind)
		}
		n := &node{vals: make([]*node, len(sh.members))}
		for dec.More() {
			key, err := objectKey(dec)
			if err != nil {
				return nil, err
			}
			i, known := sh.index[key]
			if !known {
				// AWS ignores members it does not model.
				if err := skipValue(dec); err != nil {
					return nil, err
				}
				continue
			}
			child, serr := next(dec, sh.members[i].shape, depth+1)
			if serr != nil {
				return nil, serr
			}
			n.vals[i] = child // a repeated key: the last one counts, as in encoding/json
		}
		return n, closing(dec)
	case kindMap:
		if tok != json.Delim('{') {
			return nil, mismatch(tok, sh.kind)
		}
		n := &node{}
		for dec.More() {
			key, err := objectKey(dec)
			if err != nil {
				return nil, err
			}
			child, serr := next(dec, sh.val, depth+1)
			if serr != nil {
				return nil, serr
			}
			n.keys = append(n.keys, key)
			n.vals = append(n.vals, child)
		}
		return n, closing(dec)
	case kindList:
		if tok != json.Delim('[') {
			return nil, mismatch(tok, sh.kind)
		}
		n := &node{items: []*node{}}
		for dec.More() {
			child, serr := next(dec, sh.elem, depth+1)
			if serr != nil {
				return nil, serr
			}
			n.items = append(n.items, child)
		}
		return n, closing(dec)
	}
	return scalar(tok, sh.kind)
}

func scalar(tok json.Token, k kind) (*node, *awsapi.Error) {
	switch k {
	case kindString:
		if s, ok := tok.(string); ok {
			return &node{str: s}, nil
		}
	case kindBlob:
		if s, ok := tok.(string); ok {
			// JSON 1.1 sends blobs base64-encoded (smithy aws-json-1_1 "blob: base64").
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, serialization("Base64 encoded value is invalid")
			}
			return &node{str: s, bytes: len(b)}, nil
		}
	case kindBoolean:
		if b, ok := tok.(bool); ok {
			return &node{b: b, str: strconv.FormatBool(b)}, nil
		}
	case kindInteger, kindLong:
		if num, ok := tok.(json.Number); ok {
			bits := 32
			if k == kindLong {
				bits = 64
			}
			v, ok := integer(num, bits)
			if !ok {
				return nil, serialization("NUMBER_VALUE can not be converted to " + target(k))
			}
			return &node{num: v, str: strconv.FormatInt(v, 10)}, nil
		}
	case kindDouble, kindTimestamp:
		if num, ok := tok.(json.Number); ok {
			f, err := strconv.ParseFloat(num.String(), 64)
			if err != nil || math.IsInf(f, 0) {
				return nil, serialization("NUMBER_VALUE can not be converted to " + target(k))
			}
			return &node{str: strconv.FormatFloat(f, 'g', -1, 64)}, nil
		}
	}
	return nil, mismatch(tok, k)
}

// integer converts a JSON number for an integer member. Coral truncates a fraction
// ("MaxResults": 1.5 is accepted as 1, per the same Athena measurements); a value out of the
// type's range is refused.
func integer(num json.Number, bits int) (int64, bool) {
	if v, err := strconv.ParseInt(num.String(), 10, bits); err == nil {
		return v, true
	}
	f, err := strconv.ParseFloat(num.String(), 64)
	if err != nil {
		return 0, false
	}
	f = math.Trunc(f)
	lim := math.Ldexp(1, bits-1)
	if math.IsNaN(f) || f < -lim || f >= lim {
		return 0, false
	}
	return int64(f), true
}

// mismatch is Coral's SerializationException for tok where a k is expected.
func mismatch(tok json.Token, k kind) *awsapi.Error {
	switch tok {
	case json.Delim('{'):
		return serialization(msgStartOfObject)
	case json.Delim('['):
		return serialization(msgStartOfList)
	}
	switch k {
	case kindList:
		return serialization(msgNotList)
	case kindStructure:
		return serialization(msgNotStructure)
	case kindMap:
		return serialization(msgNotMap)
	}
	return serialization(jsonValueName(tok) + " can not be converted to " + target(k))
}

func jsonValueName(tok json.Token) string {
	switch v := tok.(type) {
	case string:
		return "STRING_VALUE"
	case json.Number:
		return "NUMBER_VALUE"
	case bool:
		if v {
			return "TRUE_VALUE"
		}
		return "FALSE_VALUE"
	}
	return "VALUE"
}

func target(k kind) string {
	switch k {
	case kindInteger:
		return "an Integer"
	case kindLong:
		return "a Long"
	case kindBoolean:
		return "a Boolean"
	case kindDouble:
		return "a Double"
	case kindTimestamp:
		return "a Date"
	case kindBlob:
		return "a ByteBuffer"
	}
	return "a String"
}

func objectKey(dec *json.Decoder) (string, *awsapi.Error) {
	tok, err := dec.Token()
	if err != nil {
		return "", serialization(msgMalformed)
	}
	key, ok := tok.(string)
	if !ok {
		return "", serialization(msgMalformed)
	}
	return key, nil
}

// closing consumes the '}' or ']' that ends the current object or array.
func closing(dec *json.Decoder) *awsapi.Error {
	if _, err := dec.Token(); err != nil {
		return serialization(msgMalformed)
	}
	return nil
}

// skipValue consumes the next value whole.
func skipValue(dec *json.Decoder) *awsapi.Error {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return serialization(msgMalformed)
	}
	return nil
}

// skipRest consumes the rest of a value whose first token was tok, without recursion.
func skipRest(dec *json.Decoder, tok json.Token) error {
	depth := 0
	for {
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
		var err error
		if tok, err = dec.Token(); err != nil {
			return err
		}
	}
}
