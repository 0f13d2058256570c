package model

import (
	"encoding/base64"
	"strings"
)

// example builds a JSON value that satisfies sh: required members only, the fewest list
// items and map entries the model allows. ok is false when no candidate fits a string shape.
func example(sh *shape, depth int) (v any, ok bool) {
	if depth > maxDepth {
		return nil, false
	}
	switch sh.kind {
	case kindString:
		if len(sh.enum) > 0 {
			return sh.enum[0], true
		}
		for _, c := range exampleStrings(sh) {
			if len(failures(sh, &node{str: c})) == 0 {
				return c, true
			}
		}
		return nil, false
	case kindBlob:
		n := int64(1)
		if sh.min != nil && *sh.min > n {
			n = *sh.min
		}
		return base64.StdEncoding.EncodeToString(make([]byte, n)), true
	case kindBoolean:
		return true, true
	case kindInteger, kindLong:
		n := int64(1)
		if sh.min != nil {
			n = *sh.min
		}
		if sh.max != nil && n > *sh.max {
			n = *sh.max
		}
		return n, true
	case kindDouble, kindTimestamp:
		return 1, true
	case kindDocument:
		return map[string]any{}, true
	case kindStructure:
		obj := map[string]any{}
		for _, m := range sh.members {
			if !m.required {
				continue
			}
			mv, ok := example(m.shape, depth+1)
			if !ok {
				return nil, false
			}
			obj[m.name] = mv
		}
		return obj, true
	case kindList:
		items := []any{}
		for i := int64(0); sh.min != nil && i < *sh.min; i++ {
			ev, ok := example(sh.elem, depth+1)
			if !ok {
				return nil, false
			}
			items = append(items, ev)
		}
		return items, true
	case kindMap:
		obj := map[string]any{}
		for i := int64(0); sh.min != nil && i < *sh.min; i++ {
			k, ok := example(sh.key, depth+1)
			if !ok {
				return nil, false
			}
			v, ok := example(sh.val, depth+1)
			if !ok {
				return nil, false
			}
			obj[k.(string)+strings.Repeat("x", int(i))] = v
		}
		return obj, true
	}
	return nil, false
}

func exampleStrings(sh *shape) []string {
	c := []string{
		"us-east-1_abcdEFG12", "us-east-1:0f0e0d0c-0b0a-4000-8000-000000000001",
		"abcdefghij", "abc123", "a", "1", "123456", "arn:aws:iam::000000000000:role/x",
		"https://example.com/cb", "user@example.com", "terms-of-use", "cognito:english",
		"import-abc123", "x{####}x", "{####}", "x{##y##}x", "0123456789abcdef",
		"v1", "o-abcdefghij/r-abcd", "0f0e0d0c-0b0a-4000-8000-000000000001", "us-east-1_0f0e0d0c-0b0a-4000-8000-000000000001", "abcdefghijklmnopqrstuvwxyz012345",
	}
	if sh.min != nil {
		c = append(c, strings.Repeat("a", int(*sh.min)), strings.Repeat("1", int(*sh.min)))
	}
	return c
}
