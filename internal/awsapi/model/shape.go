package model

import (
	"fmt"
	"regexp"
	"strings"
)

// file is the JSON modelgen writes.
type file struct {
	Metadata struct {
		Service             string `json:"service"`
		APIVersion          string `json:"apiVersion"`
		TargetPrefix        string `json:"targetPrefix"`
		ValidationException string `json:"validationException"`
	} `json:"metadata"`
	Operations map[string]struct {
		Input    string `json:"input"`
		Output   string `json:"output"`
		AuthType string `json:"authtype"`
	} `json:"operations"`
	Shapes map[string]fileShape `json:"shapes"`
}

type fileShape struct {
	Type     string   `json:"type"`
	Required []string `json:"required"`
	Members  []struct {
		Name  string `json:"name"`
		Shape string `json:"shape"`
	} `json:"members"`
	Member    string   `json:"member"`
	Key       string   `json:"key"`
	Value     string   `json:"value"`
	Min       *int64   `json:"min"`
	Max       *int64   `json:"max"`
	Pattern   string   `json:"pattern"`
	Enum      []string `json:"enum"`
	Sensitive bool     `json:"sensitive"`
}

type kind uint8

const (
	kindString kind = iota
	kindBoolean
	kindInteger // also byte, short
	kindLong    // also bigInteger
	kindDouble  // also float, bigDecimal
	kindTimestamp
	kindBlob
	kindStructure
	kindList
	kindMap
	kindDocument
)

// kindOf maps a model type name to its kind.
func kindOf(typ string) (kind, bool) {
	switch typ {
	case "string":
		return kindString, true
	case "boolean":
		return kindBoolean, true
	case "integer", "byte", "short":
		return kindInteger, true
	case "long", "bigInteger":
		return kindLong, true
	case "double", "float", "bigDecimal":
		return kindDouble, true
	case "timestamp":
		return kindTimestamp, true
	case "blob":
		return kindBlob, true
	case "structure":
		return kindStructure, true
	case "list":
		return kindList, true
	case "map":
		return kindMap, true
	case "document":
		return kindDocument, true
	}
	return 0, false
}

// shape is a compiled model shape. Shapes point at each other, so a recursive model links
// into a cycle; the walkers bound their depth.
type shape struct {
	name      string
	kind      kind
	members   []member       // structure, in model order
	index     map[string]int // structure: wire name → members index
	elem      *shape         // list member
	key, val  *shape         // map
	min, max  *int64         // length (string, blob, list, map) or value (numbers)
	pattern   string         // as written in the model, for messages
	re        *regexp.Regexp // nil when there is no pattern or RE2 cannot express it
	enum      []string       // in model order, for messages
	enumSet   map[string]bool
	sensitive bool   // values are never echoed in messages
	bracket   string // "[…]" of all constraints, for list/map element messages
}

type member struct {
	name     string // wire name, e.g. "UserPoolId"
	path     string // Coral's path segment, e.g. "userPoolId"
	shape    *shape
	required bool
}

// link compiles every shape and resolves references by name.
func link(src map[string]fileShape) (map[string]*shape, []string, error) {
	shapes := make(map[string]*shape, len(src))
	var skipped []string
	for name, fs := range src {
		k, ok := kindOf(fs.Type)
		if !ok {
			return nil, nil, fmt.Errorf("shape %s: unknown type %q", name, fs.Type)
		}
		s := &shape{name: name, kind: k, min: fs.Min, max: fs.Max, pattern: fs.Pattern, enum: fs.Enum, sensitive: fs.Sensitive}
		if fs.Pattern != "" {
			re, err := compileJava(fs.Pattern)
			if err != nil {
				skipped = append(skipped, fs.Pattern)
			}
			s.re = re
		}
		if len(fs.Enum) > 0 {
			s.enumSet = make(map[string]bool, len(fs.Enum))
			for _, v := range fs.Enum {
				s.enumSet[v] = true
			}
		}
		s.bracket = bracket(s)
		shapes[name] = s
	}
	ref := func(from, name string) (*shape, error) {
		s := shapes[name]
		if s == nil {
			return nil, fmt.Errorf("shape %s refers to unknown shape %q", from, name)
		}
		return s, nil
	}
	for name, fs := range src {
		s := shapes[name]
		var err error
		switch s.kind {
		case kindStructure:
			s.index = make(map[string]int, len(fs.Members))
			required := make(map[string]bool, len(fs.Required))
			for _, r := range fs.Required {
				required[r] = true
			}
			for i, m := range fs.Members {
				ms, err := ref(name, m.Shape)
				if err != nil {
					return nil, nil, err
				}
				s.members = append(s.members, member{name: m.Name, path: lowerFirst(m.Name), shape: ms, required: required[m.Name]})
				s.index[m.Name] = i
			}
		case kindList:
			s.elem, err = ref(name, fs.Member)
		case kindMap:
			if s.key, err = ref(name, fs.Key); err == nil {
				s.val, err = ref(name, fs.Value)
			}
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return shapes, skipped, nil
}

// lowerFirst is Coral's member path: the wire name with only its first letter lowered
// ("UserPoolId" → "userPoolId", and "SSESpecification" → "sSESpecification" as DynamoDB
// answers "at 'sSESpecification.sSEType'").
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
