package serverless

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
	"go.yaml.in/yaml/v4/plugin/loaderlimits"
)

// parseYAML reads data as exactly one YAML document and turns it into a raw Value tree:
// aliases expanded (shared, and counted against MaxResolvedSize), merge keys (<<) applied,
// CloudFormation short tags turned into their long form, duplicate keys refused. It returns
// false when the file cannot be used at all.
func parseYAML(rep *report, data []byte) (Value, bool) {
	if len(data) > MaxFileSize {
		rep.errorf(Pos{}, ErrLimit, "file is %d bytes; the limit is %d", len(data), MaxFileSize)
		return Value{}, false
	}
	var doc yaml.Node
	err := yaml.Load(data, &doc, yaml.WithPlugin(loaderlimits.New(loaderlimits.DepthValue(MaxNesting))))
	if err != nil {
		reportYAMLError(rep, data, err)
		return Value{}, false
	}
	c := &converter{rep: rep, anchors: map[*yaml.Node]Value{}, busy: map[*yaml.Node]bool{}}
	v, ok := c.convert(&doc)
	if !ok || rep.failed() {
		return Value{}, false
	}
	if v.Kind != KindMap {
		rep.errorf(v.Pos, ErrInvalid, "the file must be a map of settings (service, provider, functions…), not %s", v.describe())
		return Value{}, false
	}
	return v, true
}

// reportYAMLError turns the yaml package's error into a positioned *Error.
func reportYAMLError(rep *report, data []byte, err error) {
	var le *yaml.LoadError
	if errors.As(err, &le) {
		msg := le.Message
		msg = strings.TrimPrefix(msg, "yaml: ")
		switch {
		case strings.Contains(msg, "no documents in stream"):
			rep.errorf(Pos{}, ErrInvalid, "the file is empty")
			return
		case strings.Contains(msg, "expected single document"):
			rep.errorf(secondDocument(data), ErrSyntax, "the file holds several YAML documents (---); a serverless.yml holds one")
			return
		case strings.Contains(msg, "exceeded max depth"):
			rep.errorf(Pos{Line: le.Mark.Line, Col: le.Mark.Column}, ErrLimit, "maps and lists are nested more than %d deep", MaxNesting)
			return
		}
		if le.ContextMsg != "" {
			msg = le.ContextMsg + ": " + msg
		}
		if strings.Contains(le.ContextMsg, "flow mapping") && byteAt(data, le.Mark.Line, le.Mark.Column) == '{' {
			// The commonest case: `{ path: legacy/{proxy+}, … }`. YAML ends a plain value at
			// "{" inside braces; js-yaml, the Framework's parser, refuses it too.
			msg += `; a value inside { … } cannot contain "{" unless quoted: write path: "legacy/{proxy+}"`
		}
		rep.errorf(Pos{Line: le.Mark.Line, Col: le.Mark.Column}, ErrSyntax, "%s", msg)
		return
	}
	rep.errorf(Pos{}, ErrSyntax, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
}

// secondDocument returns where the second document of a stream starts.
func secondDocument(data []byte) Pos {
	var docs []yaml.Node
	if err := yaml.Load(data, &docs, yaml.WithAllDocuments(), yaml.WithPlugin(loaderlimits.New(loaderlimits.DepthValue(MaxNesting)))); err != nil || len(docs) < 2 {
		return Pos{}
	}
	return nodePos(&docs[1])
}

type converter struct {
	rep     *report
	anchors map[*yaml.Node]Value // anchored nodes already converted
	busy    map[*yaml.Node]bool  // anchored nodes being converted (an alias inside its anchor)
	size    int                  // logical size so far, aliases spelled out
}

func nodePos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

// convert returns the Value of n; false means a limit was hit and conversion stopped.
func (c *converter) convert(n *yaml.Node) (Value, bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nullValue(nodePos(n)), true
		}
		return c.convert(n.Content[0])
	case yaml.AliasNode:
		return c.alias(n)
	}
	if n.Anchor != "" {
		c.busy[n] = true
		defer delete(c.busy, n)
	}
	var v Value
	var ok bool
	switch n.Kind {
	case yaml.ScalarNode:
		v, ok = c.scalar(n), true
		c.size += v.size
	case yaml.SequenceNode:
		v, ok = c.sequence(n)
	case yaml.MappingNode:
		v, ok = c.mapping(n)
	default:
		c.rep.errorf(nodePos(n), ErrSyntax, "unexpected YAML node")
		return nullValue(nodePos(n)), true
	}
	if !ok {
		return v, false
	}
	if !c.withinLimits(v) {
		return v, false
	}
	if n.Kind != yaml.ScalarNode && n.Tag != "" && n.Tag != "!!seq" && n.Tag != "!!map" {
		v = c.tagged(n, v)
	}
	if n.Anchor != "" {
		c.anchors[n] = v
	}
	return v, true
}

func (c *converter) withinLimits(v Value) bool {
	if v.height > MaxNesting {
		c.rep.errorf(v.Pos, ErrLimit, "maps and lists are nested more than %d deep", MaxNesting)
		return false
	}
	if c.size > MaxResolvedSize {
		c.rep.errorf(v.Pos, ErrLimit, "the document is larger than %d bytes once its aliases are expanded", MaxResolvedSize)
		return false
	}
	return true
}

// alias returns the (shared) Value of the anchored node and counts its full size again.
func (c *converter) alias(n *yaml.Node) (Value, bool) {
	target := n.Alias
	if target == nil {
		c.rep.errorf(nodePos(n), ErrSyntax, "alias *%s has no anchor", n.Value)
		return nullValue(nodePos(n)), true
	}
	if c.busy[target] {
		c.rep.errorf(nodePos(n), ErrSyntax, "alias *%s is inside its own anchor", n.Value)
		return nullValue(nodePos(n)), true
	}
	v, done := c.anchors[target]
	if !done {
		var ok bool
		if v, ok = c.convert(target); !ok {
			return v, false
		}
	}
	c.size += v.size
	v = v.at(nodePos(n))
	return v, c.withinLimits(v)
}

func (c *converter) scalar(n *yaml.Node) Value {
	pos := nodePos(n)
	switch n.Tag {
	case "!!null":
		return nullValue(pos)
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			c.rep.errorf(pos, ErrSyntax, "%q is not a boolean", n.Value)
			return nullValue(pos)
		}
		return scalar(KindBool, strconv.FormatBool(b), pos)
	case "!!int":
		var i int64
		if err := n.Decode(&i); err == nil {
			return scalar(KindInt, strconv.FormatInt(i, 10), pos)
		}
		var u uint64
		if err := n.Decode(&u); err == nil {
			return scalar(KindInt, strconv.FormatUint(u, 10), pos)
		}
		c.rep.errorf(pos, ErrSyntax, "%q is not an integer this loader can hold", n.Value)
		return nullValue(pos)
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			c.rep.errorf(pos, ErrSyntax, "%q is not a finite number", n.Value)
			return nullValue(pos)
		}
		return scalar(KindFloat, strconv.FormatFloat(f, 'g', -1, 64), pos)
	case "", "!!str", "!!binary", "!!timestamp", "!":
		return stringValue(n.Value, pos)
	}
	return c.tagged(n, stringValue(n.Value, pos))
}

func (c *converter) sequence(n *yaml.Node) (Value, bool) {
	items := make([]Value, 0, len(n.Content))
	for _, item := range n.Content {
		v, ok := c.convert(item)
		if !ok {
			return v, false
		}
		items = append(items, v)
	}
	v := listValue(items, nodePos(n))
	c.size += 2
	return v, true
}

func (c *converter) mapping(n *yaml.Node) (Value, bool) {
	fields := make([]Field, 0, len(n.Content)/2)
	index := map[string]Pos{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, val)
			continue
		}
		key, ok := c.key(k)
		if !ok {
			continue
		}
		if first, dup := index[key]; dup {
			c.rep.errorf(nodePos(k), ErrSyntax, "duplicate key %q (first at line %d)", key, first.Line)
			continue
		}
		index[key] = nodePos(k)
		v, ok := c.convert(val)
		if !ok {
			return v, false
		}
		fields = append(fields, Field{Key: key, KeyPos: nodePos(k), Value: v})
		c.size += len(key)
	}
	// YAML merge keys (https://yaml.org/type/merge.html): keys written in the map win, then
	// the merged maps in order.
	for _, m := range merges {
		src, ok := c.convert(m)
		if !ok {
			return src, false
		}
		var maps []Value
		switch src.Kind {
		case KindMap:
			maps = []Value{src}
		case KindList:
			maps = src.List
		}
		for _, sm := range maps {
			if sm.Kind != KindMap {
				c.rep.errorf(src.Pos, ErrSyntax, "merge key << needs a map or a list of maps, not %s", sm.describe())
				continue
			}
			for _, f := range sm.Map {
				if _, dup := index[f.Key]; dup {
					continue
				}
				index[f.Key] = f.KeyPos
				fields = append(fields, f)
				c.size += len(f.Key) + f.Value.size
			}
		}
		if len(maps) == 0 {
			c.rep.errorf(src.Pos, ErrSyntax, "merge key << needs a map or a list of maps, not %s", src.describe())
		}
	}
	v := mapValue(fields, nodePos(n))
	c.size += 2
	return v, true
}

// key returns the text of a map key; keys must be scalars.
func (c *converter) key(k *yaml.Node) (string, bool) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		c.rep.errorf(nodePos(k), ErrSyntax, "map keys must be plain scalars")
		return "", false
	}
	if strings.Contains(k.Value, "${") {
		if tmpl, err := parseTemplate(k.Value); err == nil && tmpl.hasVars() {
			// Serverless Framework docs, Variables: "You can only use variables in
			// serverless.yml property values, not property keys."
			c.rep.warnf(nodePos(k), "key %q: variables in keys are not resolved (the Serverless Framework resolves them only in values)", k.Value)
		}
	}
	return k.Value, true
}

// tagged applies an explicit tag: a CloudFormation short form becomes its long form; any other
// tag is an error.
func (c *converter) tagged(n *yaml.Node, v Value) Value {
	name, ok := cfnShortTag(n.Tag)
	if !ok {
		c.rep.errorf(nodePos(n), ErrSyntax, "unknown YAML tag %s (CloudFormation tags such as !Ref, !GetAtt, !Sub and !Join are understood)", n.Tag)
		return v
	}
	arg := v
	if name == "Fn::GetAtt" && v.Kind == KindString {
		// !GetAtt Resource.Attribute is short for [Resource, Attribute]; the attribute may
		// itself contain dots (Endpoint.Address).
		res, attr, found := strings.Cut(v.Str, ".")
		if !found || res == "" || attr == "" {
			c.rep.errorf(v.Pos, ErrInvalid, "!GetAtt %q: want Resource.Attribute", v.Str)
		}
		arg = listValue([]Value{stringValue(res, v.Pos), stringValue(attr, v.Pos)}, v.Pos)
	}
	out := mapValue([]Field{{Key: name, KeyPos: v.Pos, Value: arg}}, v.Pos)
	c.size += len(name) + 2
	return out
}

// byteAt returns the byte at 1-based line and column of data, or 0 when there is none.
func byteAt(data []byte, line, col int) byte {
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return 0
		}
		data = data[i+1:]
	}
	if col < 1 || col > len(data) {
		return 0
	}
	return data[col-1]
}
