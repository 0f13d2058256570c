package model

import (
	"encoding/base64"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// maxQueryItems bounds how many members of one list (Name.member.N) or entries of one map
// (Name.entry.N.key) are read: a query request carries at most awsapi.MaxQueryParams
// parameters, so no longer list can be complete.
const maxQueryItems = awsapi.MaxQueryParams

// ValidateQuery checks a query-protocol operation's parameters (IAM, STS) against the model,
// as Validate checks a JSON body: it returns nil for valid parameters or an operation the
// model does not know, else the service's validation error (ValidationError) listing every
// constraint failure in Coral's words. get looks a parameter up by its full name.
//
// The query protocol flattens the input structure into names (AWS query protocol,
// smithy.io/2.0/aws/protocols/aws-query-protocol.html): a member is its name, a nested
// member Outer.Inner, a list item Name.member.N and a map entry Name.entry.N.key /
// Name.entry.N.value, N counting from 1. A value that is not of its member's type (a number,
// a boolean) fails as "Member must be an integer" / "… a boolean" (Gatehouse's words: IAM's
// are not known).
func (m *Model) ValidateQuery(operation string, get func(name string) (string, bool)) *awsapi.Error {
	op, ok := m.ops[operation]
	if !ok || op.input == nil {
		return nil
	}
	root := queryStructure(get, op.input, "", 0)
	var c checker
	c.structure(op.input, root, "", false, 0)
	return c.result(m.validationType)
}

func queryValue(get func(string) (string, bool), sh *shape, name string, depth int) *node {
	if depth > maxDepth {
		return &node{opaque: true}
	}
	switch sh.kind {
	case kindStructure:
		n := queryStructure(get, sh, name+".", depth)
		for _, v := range n.vals {
			if v != nil {
				return n
			}
		}
		return nil // no member given: the structure is absent
	case kindList:
		var items []*node
		for i := 1; i <= maxQueryItems; i++ {
			item := queryValue(get, sh.elem, name+".member."+strconv.Itoa(i), depth+1)
			if item == nil {
				break
			}
			items = append(items, item)
		}
		if items == nil {
			// An empty list is sent as the bare name with an empty value.
			if _, ok := get(name); !ok {
				return nil
			}
			items = []*node{}
		}
		return &node{items: items}
	case kindMap:
		n := &node{}
		for i := 1; i <= maxQueryItems; i++ {
			prefix := name + ".entry." + strconv.Itoa(i)
			k, ok := get(prefix + ".key")
			if !ok {
				break
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, queryValue(get, sh.val, prefix+".value", depth+1))
		}
		if n.keys == nil {
			return nil
		}
		return n
	case kindDocument:
		if _, ok := get(name); !ok {
			return nil
		}
		return &node{opaque: true}
	}
	v, ok := get(name)
	if !ok {
		return nil
	}
	return queryScalar(v, sh.kind)
}

func queryStructure(get func(string) (string, bool), sh *shape, prefix string, depth int) *node {
	n := &node{vals: make([]*node, len(sh.members))}
	for i, mem := range sh.members {
		n.vals[i] = queryValue(get, mem.shape, prefix+mem.name, depth+1)
	}
	return n
}

// queryScalar reads a parameter's text as kind k.
func queryScalar(v string, k kind) *node {
	switch k {
	case kindInteger, kindLong:
		bits := 32
		if k == kindLong {
			bits = 64
		}
		i, err := strconv.ParseInt(v, 10, bits)
		if err != nil {
			return &node{str: v, malformed: "Member must be an integer"}
		}
		return &node{num: i, str: v}
	case kindBoolean:
		b, err := strconv.ParseBool(v)
		if err != nil || (v != "true" && v != "false") {
			return &node{str: v, malformed: "Member must be a boolean"}
		}
		return &node{b: b, str: v}
	case kindDouble:
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return &node{str: v, malformed: "Member must be a number"}
		}
	case kindBlob:
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return &node{str: v, malformed: "Member must be base64-encoded"}
		}
		return &node{str: v, bytes: len(b)}
	}
	return &node{str: v}
}
