package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"
)

// Policy language versions (IAM User Guide: reference_policies_elements_version.html). A
// document without Version is read as Version2008, in which policy variables are plain text.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Size bounds of a document.
const (
	// MaxPolicyChars is the largest document Parse accepts, in characters: IAM's quota for a
	// role's inline policies ("Role policy size cannot exceed 10,240 characters", IAM User
	// Guide: reference_iam-quotas.html). As IAM does, white space between JSON tokens is
	// not counted. Stricter quotas (2,048 for a trust policy, 6,144 for a managed policy)
	// are the caller's to enforce on the source text.
	MaxPolicyChars = 10240
	// MaxDocumentBytes bounds the raw input before anything else is looked at, white space
	// included, so that counting characters is itself bounded.
	MaxDocumentBytes = 128 << 10
	// MaxNesting is the deepest JSON nesting a valid document has: the document, its
	// Statement list, a statement, its Condition, an operator, a key's value list.
	MaxNesting = 6
)

var (
	// ErrMalformed is wrapped by every error Parse returns for a document IAM would refuse
	// with MalformedPolicyDocument; the message after it names the problem.
	ErrMalformed = errors.New("malformed policy document")
	// ErrTooLarge is wrapped by Parse's error for a document over MaxPolicyChars or
	// MaxDocumentBytes (IAM answers LimitExceeded for these).
	ErrTooLarge = errors.New("policy document too large")
)

// Policy is a parsed and compiled policy document. Its exported fields show the document as
// written; evaluation uses the compiled form built by Parse. A Policy is immutable and safe
// for concurrent use.
type Policy struct {
	// Version is the document's Version, "" when absent (read as Version2008).
	Version string
	// ID is the optional Id element.
	ID string
	// Statements are the document's statements in order; a single statement object is a
	// list of one.
	Statements []Statement

	compiled []statement
}

// Statement is one statement as written (IAM User Guide: reference_policies_grammar.html).
// Exactly one of Action and NotAction is set, at most one of Resource and NotResource, at
// most one of Principal and NotPrincipal.
type Statement struct {
	Sid string
	// Effect is "Allow" or "Deny".
	Effect       string
	Principal    *Principal
	NotPrincipal *Principal
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	// Conditions are the Condition element's operator/key pairs, sorted by operator then
	// key (JSON objects have no order).
	Conditions []Condition
}

// Condition is one key under one operator of a Condition element, e.g. operator
// "ForAnyValue:StringLike", key "cognito-identity.amazonaws.com:amr", values
// ["authenticated"]. Numbers and booleans are kept as their JSON text.
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// Principal is a Principal or NotPrincipal element (IAM User Guide:
// reference_policies_elements_principal.html). It appears in trust and resource policies;
// identity-policy evaluation never looks at it.
type Principal struct {
	// Wildcard is "Principal": "*".
	Wildcard      bool
	AWS           []string
	Federated     []string
	Service       []string
	CanonicalUser []string
}

// Parse parses and compiles a policy document. Identity policies (a role's permissions)
// and trust policies (Principal, no Resource) are both accepted; a statement without
// Principal or NotPrincipal must have Resource or NotResource, as IAM requires of identity
// policies. Errors wrap ErrMalformed or ErrTooLarge.
func Parse(doc []byte) (*Policy, error) {
	if len(doc) > MaxDocumentBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, len(doc), MaxDocumentBytes)
	}
	if !utf8.Valid(doc) {
		return nil, malformed("document is not valid UTF-8")
	}
	chars, err := scan(doc, MaxNesting)
	if err != nil {
		return nil, err
	}
	if chars > MaxPolicyChars {
		return nil, fmt.Errorf("%w: %d characters without white space, more than %d", ErrTooLarge, chars, MaxPolicyChars)
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, malformed("syntax errors in policy: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("syntax errors in policy: data after the document")
	}
	top, ok := root.(map[string]any)
	if !ok {
		return nil, malformed("the document must be a JSON object")
	}
	p := &Policy{}
	for _, k := range sortedKeys(top) {
		v := top[k]
		switch k {
		case "Version":
			s, ok := v.(string)
			if !ok || (s != Version2012 && s != Version2008) {
				return nil, malformed("invalid Version %s: must be %q or %q", show(v), Version2012, Version2008)
			}
			p.Version = s
		case "Id":
			s, ok := v.(string)
			if !ok {
				return nil, malformed("Id must be a string")
			}
			p.ID = s
		case "Statement":
		default:
			return nil, malformed("unknown element %q", k)
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, malformed("missing required field Statement")
	}
	var list []any
	switch v := raw.(type) {
	case map[string]any:
		list = []any{v}
	case []any:
		list = v
	default:
		return nil, malformed("Statement must be an object or a list of objects")
	}
	if len(list) == 0 {
		return nil, malformed("Statement has no statements")
	}
	sids := make(map[string]bool, len(list))
	for i, el := range list {
		m, ok := el.(map[string]any)
		if !ok {
			return nil, malformed("statement %d is not an object", i)
		}
		st, err := parseStatement(m)
		if err != nil {
			return nil, fmt.Errorf("%w: statement %d: %w", ErrMalformed, i, err)
		}
		if st.Sid != "" {
			if sids[st.Sid] {
				return nil, malformed("statement %d: the statement ids in the policy are not unique: %q repeats", i, st.Sid)
			}
			sids[st.Sid] = true
		}
		p.Statements = append(p.Statements, st)
	}
	vars := p.Version == Version2012
	p.compiled = make([]statement, len(p.Statements))
	for i := range p.Statements {
		c, err := compileStatement(&p.Statements[i], vars)
		if err != nil {
			return nil, fmt.Errorf("%w: statement %d: %w", ErrMalformed, i, err)
		}
		p.compiled[i] = c
	}
	return p, nil
}

// parseStatement reads one statement object and checks what IAM checks of its shape.
func parseStatement(m map[string]any) (Statement, error) {
	var st Statement
	var err error
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch k {
		case "Sid":
			s, ok := v.(string)
			if !ok {
				return st, problem("Sid must be a string")
			}
			for _, r := range s {
				if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
					return st, problem("statement IDs (SID) must be alpha-numeric, check that your input satisfies the regular expression [0-9A-Za-z]*: %q", s)
				}
			}
			st.Sid = s
		case "Effect":
			s, ok := v.(string)
			if !ok || (s != "Allow" && s != "Deny") {
				return st, problem("invalid Effect %s: must be \"Allow\" or \"Deny\"", show(v))
			}
			st.Effect = s
		case "Action":
			st.Action, err = stringList(k, v)
		case "NotAction":
			st.NotAction, err = stringList(k, v)
		case "Resource":
			st.Resource, err = stringList(k, v)
		case "NotResource":
			st.NotResource, err = stringList(k, v)
		case "Principal":
			st.Principal, err = parsePrincipal(k, v)
		case "NotPrincipal":
			st.NotPrincipal, err = parsePrincipal(k, v)
		case "Condition":
			st.Conditions, err = parseConditions(v)
		default:
			return st, problem("unknown element %q", k)
		}
		if err != nil {
			return st, err
		}
	}
	if st.Effect == "" {
		return st, problem("missing required field Effect")
	}
	_, hasAction := m["Action"]
	_, hasNotAction := m["NotAction"]
	switch {
	case hasAction && hasNotAction:
		return st, problem("a statement cannot have both Action and NotAction")
	case len(st.Action) == 0 && len(st.NotAction) == 0:
		return st, problem("policy statement must contain actions")
	}
	for _, a := range append(st.Action[:len(st.Action):len(st.Action)], st.NotAction...) {
		if err := checkAction(a); err != nil {
			return st, err
		}
	}
	_, hasResource := m["Resource"]
	_, hasNotResource := m["NotResource"]
	if hasResource && hasNotResource {
		return st, problem("a statement cannot have both Resource and NotResource")
	}
	if m["Principal"] != nil && m["NotPrincipal"] != nil {
		return st, problem("a statement cannot have both Principal and NotPrincipal")
	}
	if len(st.Resource) == 0 && len(st.NotResource) == 0 && st.Principal == nil && st.NotPrincipal == nil {
		return st, problem("policy statement must contain resources")
	}
	for _, r := range append(st.Resource[:len(st.Resource):len(st.Resource)], st.NotResource...) {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return st, problem("resource %s must be in ARN format or \"*\"", r)
		}
	}
	return st, nil
}

// checkAction checks an Action or NotAction entry: "*" or "service:pattern" with a service
// prefix free of wildcards (IAM User Guide: reference_policies_elements_action.html).
func checkAction(a string) error {
	if a == "*" {
		return nil
	}
	service, _, ok := strings.Cut(a, ":")
	if !ok || service == "" {
		return problem("action %q: actions/conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", a)
	}
	if strings.ContainsAny(service, "*?") {
		return problem("action %q: the service prefix cannot contain wildcards", a)
	}
	return nil
}

// stringList reads an element that is a string or a list of strings.
func stringList(name string, v any) ([]string, error) {
	switch v := v.(type) {
	case string:
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, el := range v {
			s, ok := el.(string)
			if !ok {
				return nil, problem("%s must be a string or a list of strings, found %s", name, show(el))
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, problem("%s must be a string or a list of strings, found %s", name, show(v))
}

// parsePrincipal reads "*" or an object of principal types to a string or list.
func parsePrincipal(name string, v any) (*Principal, error) {
	if s, ok := v.(string); ok {
		if s != "*" {
			return nil, problem("invalid %s %q: must be \"*\" or an object such as {\"AWS\": ...}", name, s)
		}
		return &Principal{Wildcard: true}, nil
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil, problem("invalid %s %s", name, show(v))
	}
	p := &Principal{}
	for _, k := range sortedKeys(m) {
		list, err := stringList(name+"."+k, m[k])
		if err != nil {
			return nil, err
		}
		switch k {
		case "AWS":
			p.AWS = list
		case "Federated":
			p.Federated = list
		case "Service":
			p.Service = list
		case "CanonicalUser":
			p.CanonicalUser = list
		default:
			return nil, problem("invalid principal type %q in %s", k, name)
		}
	}
	return p, nil
}

// parseConditions reads a Condition element: operator → key → value or list of values.
func parseConditions(v any) ([]Condition, error) {
	ops, ok := v.(map[string]any)
	if !ok {
		return nil, problem("Condition must be an object")
	}
	var out []Condition
	for _, op := range sortedKeys(ops) {
		keys, ok := ops[op].(map[string]any)
		if !ok {
			return nil, problem("condition %s must be an object of keys", op)
		}
		for _, key := range sortedKeys(keys) {
			valsV := keys[key]
			var raw []any
			if list, ok := valsV.([]any); ok {
				raw = list
			} else {
				raw = []any{valsV}
			}
			vals := make([]string, 0, len(raw))
			for _, el := range raw {
				switch el := el.(type) {
				case string:
					vals = append(vals, el)
				case json.Number:
					vals = append(vals, el.String())
				case bool:
					vals = append(vals, fmt.Sprint(el))
				default:
					return nil, problem("condition %s key %s: values must be strings, numbers or booleans, found %s", op, key, show(el))
				}
			}
			out = append(out, Condition{Operator: op, Key: key, Values: vals})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Operator != out[j].Operator {
			return out[i].Operator < out[j].Operator
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}

// Chars counts a document's characters as IAM's size quotas do: white space outside JSON
// strings is not counted (IAM User Guide, reference_iam-quotas.html: "IAM does not count
// white space when calculating the size of a policy").
func Chars(doc []byte) int {
	n, _ := scan(doc, 0)
	return n
}

// scan counts the document's characters outside insignificant white space and, when
// maxNesting > 0, refuses a document nested deeper, before the JSON decoder sees it.
func scan(doc []byte, maxNesting int) (int, error) {
	chars, depth := 0, 0
	inString, escaped := false, false
	for _, r := range string(doc) {
		if inString {
			chars++
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				inString = false
			}
			continue
		}
		switch r {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			inString = true
		case '{', '[':
			depth++
			if maxNesting > 0 && depth > maxNesting {
				return 0, malformed("nested deeper than %d levels", maxNesting)
			}
		case '}', ']':
			depth--
		}
		chars++
	}
	return chars, nil
}

// malformed is an error of the document as a whole.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// problem is an error in one statement; Parse wraps it with ErrMalformed and the
// statement's index.
func problem(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

// sortedKeys returns m's keys in order, so that a document with several problems always
// gets the same error.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// show renders a decoded JSON value for an error message, shortened.
func show(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		s = fmt.Sprintf("%q", v)
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	default:
		s = fmt.Sprint(v)
	}
	if len(s) > 64 {
		s = strings.ToValidUTF8(s[:61], "") + "..."
	}
	return s
}
