package serverless

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a Value.
type Kind uint8

const (
	KindNull Kind = iota
	KindBool
	KindInt
	KindFloat
	KindString
	KindList
	KindMap
)

// String names the kind the way messages do ("string", "map", …).
func (k Kind) String() string {
	switch k {
	case KindNull:
		return "null"
	case KindBool:
		return "boolean"
	case KindInt:
		return "integer"
	case KindFloat:
		return "number"
	case KindString:
		return "string"
	case KindList:
		return "list"
	case KindMap:
		return "map"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is a JSON-like tree read from the serverless.yml, with the position of every node.
// CloudFormation intrinsic functions are kept as their long form: `!Ref X` becomes the map
// {Ref: X} and `!GetAtt A.B` becomes {"Fn::GetAtt": [A, B]}, exactly as CloudFormation
// itself reads the short YAML tags
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
//
// Values are immutable once built and may share subtrees.
type Value struct {
	Kind Kind
	// Str is the text of a scalar: "true"/"false" for booleans, the canonical decimal form of
	// numbers, the string itself for strings.
	Str  string
	List []Value
	Map  []Field // in file order; keys are unique
	Pos  Pos

	size   int  // logical size in bytes once every shared subtree is spelled out
	nodes  int  // logical node count, likewise
	height int  // nesting depth: 1 for a scalar
	vars   bool // some string below contains "${" (raw trees only)
}

// Field is one entry of a map Value.
type Field struct {
	Key    string
	KeyPos Pos
	Value  Value
}

// IsZero reports whether v is the zero Value (an absent value; a YAML null has a position).
func (v Value) IsZero() bool {
	return v.Kind == KindNull && v.Pos == (Pos{}) && v.nodes == 0
}

// Get returns the value of key in a map Value.
func (v Value) Get(key string) (Value, bool) {
	if v.Kind != KindMap {
		return Value{}, false
	}
	for _, f := range v.Map {
		if f.Key == key {
			return f.Value, true
		}
	}
	return Value{}, false
}

// Intrinsic reports whether v is a CloudFormation intrinsic function: a map with the single key
// "Ref", "Condition" or "Fn::…". It returns the function's name and argument.
func (v Value) Intrinsic() (name string, arg Value, ok bool) {
	if v.Kind != KindMap || len(v.Map) != 1 {
		return "", Value{}, false
	}
	k := v.Map[0].Key
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, v.Map[0].Value, true
	}
	return "", Value{}, false
}

// Interface returns v as plain Go values, the way encoding/json would decode it: nil, bool,
// int64, float64, string, []any and map[string]any.
func (v Value) Interface() any {
	switch v.Kind {
	case KindBool:
		return v.Str == "true"
	case KindInt:
		n, err := strconv.ParseInt(v.Str, 10, 64)
		if err != nil {
			f, _ := strconv.ParseFloat(v.Str, 64)
			return f
		}
		return n
	case KindFloat:
		f, _ := strconv.ParseFloat(v.Str, 64)
		return f
	case KindString:
		return v.Str
	case KindList:
		out := make([]any, len(v.List))
		for i, c := range v.List {
			out[i] = c.Interface()
		}
		return out
	case KindMap:
		out := make(map[string]any, len(v.Map))
		for _, f := range v.Map {
			out[f.Key] = f.Value.Interface()
		}
		return out
	}
	return nil
}

// MarshalJSON writes v as JSON, keeping the file's key order.
func (v Value) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := v.writeJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (v Value) writeJSON(b *bytes.Buffer) error {
	switch v.Kind {
	case KindNull:
		b.WriteString("null")
	case KindBool, KindInt:
		b.WriteString(v.Str)
	case KindFloat:
		f, err := strconv.ParseFloat(v.Str, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("serverless: number %q has no JSON form", v.Str)
		}
		b.WriteString(v.Str)
	case KindString:
		s, _ := json.Marshal(v.Str)
		b.Write(s)
	case KindList:
		b.WriteByte('[')
		for i, c := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := c.writeJSON(b); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case KindMap:
		b.WriteByte('{')
		for i, f := range v.Map {
			if i > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(f.Key)
			b.Write(k)
			b.WriteByte(':')
			if err := f.Value.writeJSON(b); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	}
	return nil
}

// scalar builds a scalar Value.
func scalar(k Kind, s string, pos Pos) Value {
	return Value{Kind: k, Str: s, Pos: pos, size: len(s) + 1, nodes: 1, height: 1, vars: k == KindString && strings.Contains(s, "${")}
}

func stringValue(s string, pos Pos) Value { return scalar(KindString, s, pos) }

func nullValue(pos Pos) Value { return Value{Kind: KindNull, Pos: pos, size: 1, nodes: 1, height: 1} }

// listValue builds a list Value; its size is the sum of its items'.
func listValue(items []Value, pos Pos) Value {
	v := Value{Kind: KindList, List: items, Pos: pos, size: 2, nodes: 1, height: 1}
	for _, c := range items {
		v.size += c.size
		v.nodes += c.nodes
		v.height = max(v.height, c.height+1)
		v.vars = v.vars || c.vars
	}
	return v
}

// mapValue builds a map Value; its size is the sum of its keys' and values'.
func mapValue(fields []Field, pos Pos) Value {
	v := Value{Kind: KindMap, Map: fields, Pos: pos, size: 2, nodes: 1, height: 1}
	for _, f := range fields {
		v.size += len(f.Key) + f.Value.size
		v.nodes += f.Value.nodes
		v.height = max(v.height, f.Value.height+1)
		v.vars = v.vars || f.Value.vars
	}
	return v
}

// at returns v moved to pos (the position of the reference that produced it).
func (v Value) at(pos Pos) Value {
	v.Pos = pos
	return v
}

// scalarText returns the text of a scalar, for string interpolation; ok is false for null,
// lists and maps, which cannot be spliced into a string.
func (v Value) scalarText() (string, bool) {
	switch v.Kind {
	case KindBool, KindInt, KindFloat, KindString:
		return v.Str, true
	}
	return "", false
}

// describe names v for messages: its kind, and the text of short scalars.
func (v Value) describe() string {
	switch v.Kind {
	case KindString:
		if len(v.Str) > 60 {
			return strconv.Quote(v.Str[:57] + "...")
		}
		return strconv.Quote(v.Str)
	case KindBool, KindInt, KindFloat:
		return v.Str
	case KindMap:
		if name, _, ok := v.Intrinsic(); ok {
			return "a CloudFormation " + name + " expression"
		}
		return "a map"
	case KindList:
		return "a list"
	}
	return "null"
}
