package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// botocore's service-2.json, only the parts validation needs.
type source struct {
	Metadata struct {
		EndpointPrefix string `json:"endpointPrefix"`
		APIVersion     string `json:"apiVersion"`
		TargetPrefix   string `json:"targetPrefix"`
		Protocol       string `json:"protocol"`
	} `json:"metadata"`
	Operations map[string]struct {
		Input    *ref   `json:"input"`
		Output   *ref   `json:"output"`
		AuthType string `json:"authtype"`
	} `json:"operations"`
	Shapes map[string]sourceShape `json:"shapes"`
}

type ref struct {
	Shape string `json:"shape"`
}

type sourceShape struct {
	Type      string         `json:"type"`
	Required  []string       `json:"required"`
	Members   orderedMembers `json:"members"`
	Member    *ref           `json:"member"`
	Key       *ref           `json:"key"`
	Value     *ref           `json:"value"`
	Min       *json.Number   `json:"min"`
	Max       *json.Number   `json:"max"`
	Pattern   string         `json:"pattern"`
	Enum      []string       `json:"enum"`
	Sensitive bool           `json:"sensitive"`
	Document  bool           `json:"document"`
	Exception bool           `json:"exception"`
}

// orderedMembers keeps a structure's members in model order: Coral reports validation errors
// member by member, so the order of the generated members is the order of the messages.
type orderedMembers []member

type member struct {
	Name  string `json:"name"`
	Shape string `json:"shape"`
}

func (m *orderedMembers) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("members: want an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("members: %w", err)
		}
		name, _ := tok.(string)
		var r ref
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("member %s: %w", name, err)
		}
		*m = append(*m, member{Name: name, Shape: r.Shape})
	}
	return nil
}

// The generated file (read by package model).
type output struct {
	Metadata   outMeta              `json:"metadata"`
	Operations map[string]outOp     `json:"operations"`
	Shapes     map[string]*outShape `json:"shapes"`
}

type outMeta struct {
	Service             string `json:"service"`
	Protocol            string `json:"protocol"`
	APIVersion          string `json:"apiVersion"`
	TargetPrefix        string `json:"targetPrefix"`
	ValidationException string `json:"validationException"`
	Source              string `json:"source,omitempty"`
}

type outOp struct {
	Input    string `json:"input,omitempty"`
	Output   string `json:"output,omitempty"`
	AuthType string `json:"authtype,omitempty"`
	// ResultKeys are the output members that botocore's paginators-1.json names as the
	// operation's paged results ("result_key"): the lists the operation answers.
	ResultKeys []string `json:"resultKeys,omitempty"`
}

type outShape struct {
	Type      string   `json:"type"`
	Required  []string `json:"required,omitempty"`
	Members   []member `json:"members,omitempty"`
	Member    string   `json:"member,omitempty"`
	Key       string   `json:"key,omitempty"`
	Value     string   `json:"value,omitempty"`
	Min       *int64   `json:"min,omitempty"`
	Max       *int64   `json:"max,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	Enum      []string `json:"enum,omitempty"`
	Sensitive bool     `json:"sensitive,omitempty"`
}

// paginators is botocore's paginators-1.json: result_key is one member name or a list of them.
type paginators struct {
	Pagination map[string]struct {
		ResultKey json.RawMessage `json:"result_key"`
	} `json:"pagination"`
}

// resultKeys returns the top-level result keys of each paginated operation.
func resultKeys(r io.Reader) (map[string][]string, error) {
	if r == nil {
		return nil, nil
	}
	var p paginators
	if err := json.NewDecoder(r).Decode(&p); err != nil {
		return nil, fmt.Errorf("decode paginators: %w", err)
	}
	out := map[string][]string{}
	for op, pg := range p.Pagination {
		var keys []string
		var one string
		if err := json.Unmarshal(pg.ResultKey, &one); err == nil {
			keys = []string{one}
		} else if err := json.Unmarshal(pg.ResultKey, &keys); err != nil {
			return nil, fmt.Errorf("paginator %s: result_key: %w", op, err)
		}
		for _, k := range keys {
			if !strings.ContainsAny(k, ".[") { // a path into a nested member is not a member
				out[op] = append(out[op], k)
			}
		}
	}
	return out, nil
}

// generate reads a gzipped botocore model (and, when pag is not nil, its paginators-1.json)
// and returns the model as JSON: every operation's input and output shape trees.
func generate(gz io.Reader, pag io.Reader, validationException, from string) ([]byte, error) {
	zr, err := gzip.NewReader(gz)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	var src source
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	if err := dec.Decode(&src); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if p := src.Metadata.Protocol; p != "json" && p != "query" {
		return nil, fmt.Errorf("protocol %q: only the JSON 1.1 and query protocols are supported", p)
	}
	keys, err := resultKeys(pag)
	if err != nil {
		return nil, err
	}
	out := output{
		Metadata: outMeta{
			Service:             src.Metadata.EndpointPrefix,
			Protocol:            src.Metadata.Protocol,
			APIVersion:          src.Metadata.APIVersion,
			TargetPrefix:        src.Metadata.TargetPrefix,
			ValidationException: validationException,
			Source:              from,
		},
		Operations: map[string]outOp{},
		Shapes:     map[string]*outShape{},
	}
	for name, op := range src.Operations {
		o := outOp{AuthType: op.AuthType}
		if op.Input != nil {
			o.Input = op.Input.Shape
			if err := collect(&src, op.Input.Shape, out.Shapes); err != nil {
				return nil, fmt.Errorf("operation %s: %w", name, err)
			}
		}
		if op.Output != nil {
			o.Output = op.Output.Shape
			if err := collect(&src, op.Output.Shape, out.Shapes); err != nil {
				return nil, fmt.Errorf("operation %s: %w", name, err)
			}
			for _, k := range keys[name] {
				s := src.Shapes[op.Output.Shape]
				if !slices.ContainsFunc(s.Members, func(m member) bool { return m.Name == k }) {
					return nil, fmt.Errorf("operation %s: paginator result key %s is not an output member", name, k)
				}
				o.ResultKeys = append(o.ResultKeys, k)
			}
			slices.Sort(o.ResultKeys)
		}
		out.Operations[name] = o
	}
	return encode(&out)
}

// collect converts shape name and every shape it reaches into shapes.
func collect(src *source, name string, shapes map[string]*outShape) error {
	if _, done := shapes[name]; done {
		return nil
	}
	s, ok := src.Shapes[name]
	if !ok {
		return fmt.Errorf("shape %s is not in the model", name)
	}
	o := &outShape{Type: s.Type, Pattern: s.Pattern, Enum: s.Enum, Sensitive: s.Sensitive}
	if s.Document {
		o.Type = "document"
	}
	var err error
	if o.Min, err = integer(s.Min); err != nil {
		return fmt.Errorf("shape %s min: %w", name, err)
	}
	if o.Max, err = integer(s.Max); err != nil {
		return fmt.Errorf("shape %s max: %w", name, err)
	}
	shapes[name] = o // before recursing: shapes may refer to themselves
	var next []string
	switch o.Type {
	case "structure":
		o.Members = s.Members
		if o.Members == nil {
			o.Members = []member{}
		}
		for _, r := range s.Required {
			if !slices.ContainsFunc(s.Members, func(m member) bool { return m.Name == r }) {
				return fmt.Errorf("shape %s requires unknown member %s", name, r)
			}
		}
		o.Required = s.Required
		for _, m := range s.Members {
			next = append(next, m.Shape)
		}
	case "list":
		if s.Member == nil {
			return fmt.Errorf("list %s has no member", name)
		}
		o.Member = s.Member.Shape
		next = append(next, o.Member)
	case "map":
		if s.Key == nil || s.Value == nil {
			return fmt.Errorf("map %s lacks key or value", name)
		}
		o.Key, o.Value = s.Key.Shape, s.Value.Shape
		next = append(next, o.Key, o.Value)
	case "string", "boolean", "integer", "long", "float", "double", "timestamp", "blob", "document",
		"byte", "short", "bigInteger", "bigDecimal":
	default:
		return fmt.Errorf("shape %s has unknown type %q", name, s.Type)
	}
	for _, n := range next {
		if err := collect(src, n, shapes); err != nil {
			return err
		}
	}
	return nil
}

func integer(n *json.Number) (*int64, error) {
	if n == nil {
		return nil, nil
	}
	v, err := n.Int64()
	if err != nil {
		// Cognito's models only bound lengths and integers; a fractional bound (a double
		// range) would need the model format to grow.
		return nil, fmt.Errorf("%s is not an integer: %w", n.String(), err)
	}
	return &v, nil
}

// encode writes one operation or shape per line, keys sorted, so regenerating after a
// botocore update gives a readable diff.
func encode(out *output) ([]byte, error) {
	var b bytes.Buffer
	line := func(v any) error {
		var lb bytes.Buffer
		enc := json.NewEncoder(&lb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Write(bytes.TrimSuffix(lb.Bytes(), []byte("\n")))
		return nil
	}
	b.WriteString("{\"metadata\":")
	if err := line(out.Metadata); err != nil {
		return nil, err
	}
	b.WriteString(",\n\"operations\":{")
	if err := section(&b, out.Operations, line); err != nil {
		return nil, err
	}
	b.WriteString("},\n\"shapes\":{")
	if err := section(&b, out.Shapes, line); err != nil {
		return nil, err
	}
	b.WriteString("}}\n")
	return b.Bytes(), nil
}

func section[V any](b *bytes.Buffer, m map[string]V, line func(any) error) error {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		if err := line(n); err != nil {
			return err
		}
		b.WriteString(":")
		if err := line(m[n]); err != nil {
			return fmt.Errorf("%s: %w", strings.TrimSpace(n), err)
		}
	}
	b.WriteString("\n")
	return nil
}
