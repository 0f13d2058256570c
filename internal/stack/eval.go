package stack

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/serverless"
)

// noValue is what Ref AWS::NoValue evaluates to: the property holding it is removed.
type noValue struct{}

// env evaluates intrinsic functions over the stack's physical resources: attrs[logicalID]
// holds a created resource's attributes, "" its Ref value.
type env struct {
	t     *Template
	attrs map[string]map[string]string
}

// value evaluates v into plain Go values (nil, bool, int64, float64, string, []any,
// map[string]any), intrinsic functions replaced by their results.
func (e *env) value(v serverless.Value, depth int) (any, error) {
	if depth > 64 {
		return nil, e.errf(v.Pos, "nested too deeply")
	}
	name, arg, ok := v.Intrinsic()
	if ok {
		return e.intrinsic(name, arg, v.Pos, depth)
	}
	switch v.Kind {
	case serverless.KindList:
		out := make([]any, 0, len(v.List))
		for _, c := range v.List {
			x, err := e.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			if _, skip := x.(noValue); !skip {
				out = append(out, x)
			}
		}
		return out, nil
	case serverless.KindMap:
		out := make(map[string]any, len(v.Map))
		for _, f := range v.Map {
			x, err := e.value(f.Value, depth+1)
			if err != nil {
				return nil, err
			}
			if _, skip := x.(noValue); !skip {
				out[f.Key] = x
			}
		}
		return out, nil
	}
	return v.Interface(), nil
}

func (e *env) errf(p serverless.Pos, format string, args ...any) error {
	return errAt(e.t.svc.File, p, format, args...)
}

// ref is Ref name: a pseudo parameter, a created resource, or one the Framework generates.
func (e *env) ref(name, attr string, p serverless.Pos) (any, error) {
	t := e.t
	if attr == "" {
		switch name {
		case "AWS::NoValue":
			return noValue{}, nil
		case "AWS::NotificationARNs":
			return []any{}, nil
		}
		if v, ok := t.pseudo(name); ok {
			return v, nil
		}
	}
	if a, ok := e.attrs[name]; ok {
		v, ok := a[attr]
		if !ok {
			return nil, e.errf(p, "%s has no value for %q yet", name, attr)
		}
		return v, nil
	}
	if name == frameworkRestAPI {
		if attr == "RootResourceId" {
			return stableID(t.APIID+"/", 10), nil
		}
		return t.APIID, nil
	}
	if fn, ok := t.functions[name]; ok {
		if attr == "Arn" {
			return "arn:aws:lambda:" + t.Region + ":" + t.AccountID + ":function:" + fn, nil
		}
		return fn, nil
	}
	if attr != "" {
		return nil, e.errf(p, "Fn::GetAtt %s.%s: no such resource in this stack", name, attr)
	}
	return nil, e.errf(p, "Ref %s: no such resource in this stack", name)
}

func (e *env) str(v serverless.Value, depth int, fn string) (string, error) {
	x, err := e.value(v, depth+1)
	if err != nil {
		return "", err
	}
	s, ok := scalarText(x)
	if !ok {
		return "", e.errf(v.Pos, "%s needs a string here, not %s", fn, describe(x))
	}
	return s, nil
}

func scalarText(x any) (string, bool) {
	switch x := x.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func describe(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	case noValue:
		return "AWS::NoValue"
	}
	return fmt.Sprintf("%T", x)
}

// intrinsic evaluates one function
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
func (e *env) intrinsic(name string, arg serverless.Value, p serverless.Pos, depth int) (any, error) {
	switch name {
	case "Ref":
		if arg.Kind != serverless.KindString {
			return nil, e.errf(arg.Pos, "Ref takes a logical ID")
		}
		return e.ref(arg.Str, "", arg.Pos)
	case "Fn::GetAtt":
		res, attr, err := getAttArgs(e.t.svc.File, arg, "Fn::GetAtt")
		if err != nil {
			return nil, err
		}
		return e.ref(res, attr, arg.Pos)
	case "Fn::Sub":
		return e.sub(arg, depth)
	case "Fn::Join":
		if arg.Kind != serverless.KindList || len(arg.List) != 2 || arg.List[0].Kind != serverless.KindString {
			return nil, e.errf(arg.Pos, "Fn::Join takes [delimiter, [values]]")
		}
		items, err := e.list(arg.List[1], depth, "Fn::Join")
		if err != nil {
			return nil, err
		}
		parts := make([]string, len(items))
		for i, x := range items {
			s, ok := scalarText(x)
			if !ok {
				return nil, e.errf(arg.List[1].Pos, "Fn::Join: item %d is %s, not a string", i, describe(x))
			}
			parts[i] = s
		}
		return strings.Join(parts, arg.List[0].Str), nil
	case "Fn::Select":
		if arg.Kind != serverless.KindList || len(arg.List) != 2 {
			return nil, e.errf(arg.Pos, "Fn::Select takes [index, [values]]")
		}
		is, err := e.str(arg.List[0], depth, "Fn::Select")
		if err != nil {
			return nil, err
		}
		i, err := strconv.Atoi(is)
		if err != nil {
			return nil, e.errf(arg.List[0].Pos, "Fn::Select: index %q is not a number", is)
		}
		items, err := e.list(arg.List[1], depth, "Fn::Select")
		if err != nil {
			return nil, err
		}
		if i < 0 || i >= len(items) {
			return nil, e.errf(arg.Pos, "Fn::Select: index %d is out of range for %d values", i, len(items))
		}
		return items[i], nil
	case "Fn::Split":
		if arg.Kind != serverless.KindList || len(arg.List) != 2 || arg.List[0].Kind != serverless.KindString || arg.List[0].Str == "" {
			return nil, e.errf(arg.Pos, "Fn::Split takes [delimiter, string]")
		}
		s, err := e.str(arg.List[1], depth, "Fn::Split")
		if err != nil {
			return nil, err
		}
		var out []any
		for _, part := range strings.Split(s, arg.List[0].Str) {
			out = append(out, part)
		}
		return out, nil
	case "Fn::Base64":
		s, err := e.str(arg, depth, "Fn::Base64")
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "Fn::ToJsonString":
		x, err := e.value(arg, depth+1)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(x)
		if err != nil {
			return nil, e.errf(arg.Pos, "Fn::ToJsonString: %v", err)
		}
		return string(b), nil
	case "Fn::Length":
		items, err := e.list(arg, depth, "Fn::Length")
		if err != nil {
			return nil, err
		}
		return int64(len(items)), nil
	case "Fn::GetAZs":
		r := e.t.Region
		return []any{r + "a", r + "b", r + "c"}, nil
	case "Fn::FindInMap":
		return e.findInMap(arg, depth)
	case "Fn::If":
		if arg.Kind != serverless.KindList || len(arg.List) != 3 || arg.List[0].Kind != serverless.KindString {
			return nil, e.errf(arg.Pos, "Fn::If takes [condition name, value if true, value if false]")
		}
		on, ok := e.t.conditions[arg.List[0].Str]
		if !ok {
			return nil, e.errf(arg.List[0].Pos, "Fn::If: no condition %s in resources.Conditions", arg.List[0].Str)
		}
		if on {
			return e.value(arg.List[1], depth+1)
		}
		return e.value(arg.List[2], depth+1)
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
		return e.condition(serverless.Value{Kind: serverless.KindMap, Map: []serverless.Field{{Key: name, Value: arg}}, Pos: p}, depth, map[string]bool{})
	}
	return nil, e.errf(p, "%s is not supported by Gatehouse", name)
}

func (e *env) list(v serverless.Value, depth int, fn string) ([]any, error) {
	x, err := e.value(v, depth+1)
	if err != nil {
		return nil, err
	}
	items, ok := x.([]any)
	if !ok {
		return nil, e.errf(v.Pos, "%s needs a list here, not %s", fn, describe(x))
	}
	return items, nil
}

// sub is Fn::Sub: ${Name} is Ref Name, ${Name.Attr} is Fn::GetAtt, ${!Literal} is ${Literal}.
func (e *env) sub(arg serverless.Value, depth int) (any, error) {
	tmpl, vars := arg, serverless.Value{}
	if arg.Kind == serverless.KindList {
		if len(arg.List) != 2 || arg.List[0].Kind != serverless.KindString || arg.List[1].Kind != serverless.KindMap {
			return nil, e.errf(arg.Pos, "Fn::Sub takes a string, or a list of a string and a map of variables")
		}
		tmpl, vars = arg.List[0], arg.List[1]
	} else if arg.Kind != serverless.KindString {
		return nil, e.errf(arg.Pos, "Fn::Sub takes a string, or a list of a string and a map of variables")
	}
	var failed error
	out := subVar.ReplaceAllStringFunc(tmpl.Str, func(m string) string {
		ref := m[2 : len(m)-1]
		if strings.HasPrefix(ref, "!") {
			return "${" + ref[1:] + "}"
		}
		var x any
		var err error
		if v, ok := vars.Get(ref); ok {
			x, err = e.value(v, depth+1)
		} else {
			res, attr, _ := strings.Cut(ref, ".")
			x, err = e.ref(res, attr, tmpl.Pos)
		}
		if err != nil {
			if failed == nil {
				failed = err
			}
			return ""
		}
		s, ok := scalarText(x)
		if !ok && failed == nil {
			failed = e.errf(tmpl.Pos, "Fn::Sub: ${%s} is %s, not a string", ref, describe(x))
		}
		return s
	})
	if failed != nil {
		return nil, failed
	}
	return out, nil
}

func (e *env) findInMap(arg serverless.Value, depth int) (any, error) {
	if arg.Kind != serverless.KindList || len(arg.List) != 3 {
		return nil, e.errf(arg.Pos, "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]")
	}
	cur := e.t.mappings
	for i, k := range arg.List {
		key, err := e.str(k, depth, "Fn::FindInMap")
		if err != nil {
			return nil, err
		}
		next, ok := cur.Get(key)
		if !ok {
			return nil, e.errf(k.Pos, "Fn::FindInMap: no key %q at level %d of resources.Mappings", key, i+1)
		}
		cur = next
	}
	return e.value(cur, depth+1)
}

// evalConditions evaluates resources.Conditions
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html).
func (t *Template) evalConditions() error {
	conds := section(t.svc.Config, "Conditions")
	if conds.Kind != serverless.KindMap {
		return nil
	}
	e := &env{t: t}
	for _, f := range conds.Map {
		if _, err := e.conditionNamed(f.Key, f.KeyPos, 0, map[string]bool{}); err != nil {
			return err
		}
	}
	return nil
}

func (e *env) conditionNamed(name string, p serverless.Pos, depth int, busy map[string]bool) (bool, error) {
	if v, ok := e.t.conditions[name]; ok {
		return v, nil
	}
	v, ok := section(e.t.svc.Config, "Conditions").Get(name)
	if !ok {
		return false, e.errf(p, "no condition %s in resources.Conditions", name)
	}
	if busy[name] {
		return false, e.errf(p, "resources.Conditions.%s refers to itself", name)
	}
	busy[name] = true
	on, err := e.condition(v, depth+1, busy)
	if err != nil {
		return false, err
	}
	e.t.conditions[name] = on
	return on, nil
}

func (e *env) condition(v serverless.Value, depth int, busy map[string]bool) (bool, error) {
	if depth > 64 {
		return false, e.errf(v.Pos, "condition nested too deeply")
	}
	name, arg, ok := v.Intrinsic()
	if !ok {
		return false, e.errf(v.Pos, "a condition is Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition")
	}
	switch name {
	case "Condition":
		if arg.Kind != serverless.KindString {
			return false, e.errf(arg.Pos, "Condition takes a condition name")
		}
		return e.conditionNamed(arg.Str, arg.Pos, depth, busy)
	case "Fn::Equals":
		if arg.Kind != serverless.KindList || len(arg.List) != 2 {
			return false, e.errf(arg.Pos, "Fn::Equals takes two values")
		}
		a, err := e.value(arg.List[0], depth+1)
		if err != nil {
			return false, err
		}
		b, err := e.value(arg.List[1], depth+1)
		if err != nil {
			return false, err
		}
		as, _ := json.Marshal(a)
		bs, _ := json.Marshal(b)
		if sa, ok := scalarText(a); ok {
			as = []byte(sa)
		}
		if sb, ok := scalarText(b); ok {
			bs = []byte(sb)
		}
		return string(as) == string(bs), nil
	case "Fn::Not", "Fn::And", "Fn::Or":
		if arg.Kind != serverless.KindList || len(arg.List) == 0 || (name == "Fn::Not" && len(arg.List) != 1) {
			return false, e.errf(arg.Pos, "%s takes a list of conditions", name)
		}
		var all, anyOn bool = true, false
		for _, c := range arg.List {
			on, err := e.condition(c, depth+1, busy)
			if err != nil {
				return false, err
			}
			all, anyOn = all && on, anyOn || on
		}
		switch name {
		case "Fn::Not":
			return !all, nil
		case "Fn::And":
			return all, nil
		}
		return anyOn, nil
	}
	return false, e.errf(v.Pos, "%s is not a condition function", name)
}

// stableID is n characters of [a-z0-9] derived from s: the same input, the same id, so a
// generated name survives restarts and matches on every node.
func stableID(s string, n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	sum := sha256.Sum256([]byte("gatehouse/stack\x00" + s))
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[int(sum[i%len(sum)])%len(alphabet)]
	}
	return string(b)
}

func stableUUID(s string) string {
	sum := sha256.Sum256([]byte("gatehouse/stack-uuid\x00" + s))
	h := fmt.Sprintf("%x", sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
