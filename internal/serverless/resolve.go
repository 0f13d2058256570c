package serverless

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// resolver replaces the ${…} variables of a raw tree, the way the Serverless Framework's
// variables resolver does (https://www.serverless.com/framework/docs/guides/variables):
//
//   - a string that is exactly one variable takes the referenced value with its own type
//     (a map, a number…); variables inside a longer string are spliced in as text, and must
//     then be strings, numbers or booleans;
//   - ${self:a.b} reads the file's own (resolved) value at a.b; list items are addressed by
//     index (${self:custom.list.0});
//   - values that come from the environment or options are taken literally: they are never
//     parsed for further variables.
//
// Every property is resolved once (memoised by path). A property that needs itself, directly
// or through others, is a cycle and names the chain. Work is bounded by MaxVariableDepth and
// MaxResolvedSize.
//
// A property that cannot be resolved is an error when Gatehouse uses it (see hardPaths), and a
// warning otherwise: `custom` blocks of plugins and deployment settings often name sources that
// only exist on AWS (${ssm:…}, ${cf:…}), and the Framework would only need them to deploy.
type resolver struct {
	rep      *report
	root     Value
	opts     Options
	memo     map[string]Value  // resolved values by path key
	failed   map[string]*Error // failures by path key
	busy     map[string]int    // path key → index in stack, while being resolved
	stack    []frame
	depth    int // variables being evaluated inside one another
	produced int // bytes added by variables so far
	fatal    *Error
	hard     [][]string
	// Failures of settings Gatehouse does not use become warnings at the end, unless the
	// same failure was already reported as the error of a setting it does use.
	pending []pendingWarning
	causes  map[*Error]bool

	stageDone  bool
	stageVal   string
	stageErr   *Error
	regionDone bool
	regionVal  string
	regionErr  *Error
}

type pendingWarning struct {
	path []string
	err  *Error
}

type frame struct {
	path []string
	pos  Pos
}

func newResolver(rep *report, root Value, opts Options) *resolver {
	return &resolver{
		rep:    rep,
		root:   root,
		opts:   opts,
		memo:   map[string]Value{},
		failed: map[string]*Error{},
		busy:   map[string]int{},
		hard:   hardPaths(),
		causes: map[*Error]bool{},
	}
}

// resolveAll returns the document with every variable resolved.
func resolveAll(rep *report, root Value, opts Options) Value {
	r := newResolver(rep, root, opts)
	out := r.walk(nil, root)
	warned := map[*Error]bool{}
	for _, p := range r.pending {
		if r.causes[p.err] || warned[p.err] {
			continue
		}
		warned[p.err] = true
		rep.warnf(Pos{Line: p.err.Line, Col: p.err.Col}, "%s (left unresolved: Gatehouse does not use %s)", p.err.Message, humanPath(p.path))
	}
	return out
}

// hardPaths are the settings Gatehouse reads: a variable that cannot be resolved under (or
// above) one of them is an error. "*" matches any one key; the list forms of functions and
// resources (arrays of maps the Framework merges) are listed too.
func hardPaths() [][]string {
	var out [][]string
	for _, k := range []string{"name", "runtime", "stage", "region", "environment", "timeout", "memorySize", "apiGateway", "apiKeys", "apiName"} {
		out = append(out, []string{"provider", k})
	}
	for _, k := range []string{"handler", "runtime", "timeout", "memorySize", "environment", "events", "name", "image"} {
		out = append(out, []string{"functions", "*", k}, []string{"functions", "*", "*", k})
	}
	return append(out,
		[]string{"service"},
		[]string{"resources", "Resources", "*"},
		[]string{"resources", "*", "Resources", "*"},
	)
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

func appendPath(path []string, key string) []string {
	out := make([]string, len(path)+1)
	copy(out, path)
	out[len(path)] = key
	return out
}

// humanPath writes a path the way messages name settings: functions.getTasks.events[0].http.
func humanPath(path []string) string {
	if len(path) == 0 {
		return "the file"
	}
	var b strings.Builder
	for i, k := range path {
		if isIndex(k) {
			b.WriteString("[" + k + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(k)
	}
	return b.String()
}

func isIndex(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	return true
}

func (r *resolver) newErr(pos Pos, kind error, format string, args ...any) *Error {
	return &Error{File: r.rep.file, Line: pos.Line, Col: pos.Col, Message: fmt.Sprintf(format, args...), Err: kind}
}

// walk resolves every variable under raw, reporting failures; failed values stay as written.
func (r *resolver) walk(path []string, raw Value) Value {
	if !raw.vars || r.fatal != nil {
		return raw
	}
	switch raw.Kind {
	case KindString:
		v, err := r.resolveAt(path, raw)
		if err != nil {
			r.fail(path, raw, err)
			return raw
		}
		return v
	case KindList:
		items := make([]Value, len(raw.List))
		for i, c := range raw.List {
			items[i] = r.walk(appendPath(path, strconv.Itoa(i)), c)
		}
		return listValue(items, raw.Pos)
	case KindMap:
		fields := make([]Field, len(raw.Map))
		for i, f := range raw.Map {
			fields[i] = Field{Key: f.Key, KeyPos: f.KeyPos, Value: r.walk(appendPath(path, f.Key), f.Value)}
		}
		return mapValue(fields, raw.Pos)
	}
	return raw
}

// fail reports that the variable at path could not be resolved.
func (r *resolver) fail(path []string, raw Value, e *Error) {
	if errors.Is(e, ErrLimit) {
		r.rep.add(e)
		return
	}
	if r.soft(path) {
		r.pending = append(r.pending, pendingWarning{path: path, err: e})
		return
	}
	r.causes[e] = true
	if e.Line != raw.Pos.Line || e.Col != raw.Pos.Col {
		annotated := *e
		annotated.Message += fmt.Sprintf(" (needed by %s at line %d)", humanPath(path), raw.Pos.Line)
		r.rep.add(&annotated)
		return
	}
	r.rep.add(e)
}

// soft reports whether Gatehouse ignores the setting at path, so that failing to resolve it
// is only a warning.
func (r *resolver) soft(path []string) bool {
	if id, ok := resourcePathID(path); ok {
		t, _ := r.rawResourceType(path, id)
		return !supportedResourceType(t)
	}
	for _, pat := range r.hard {
		if prefixMatch(path, pat) {
			return false
		}
	}
	return true
}

// resourcePathID returns X when path is under resources.Resources.X (or its list form).
func resourcePathID(path []string) (string, bool) {
	switch {
	case len(path) >= 3 && path[0] == "resources" && path[1] == "Resources":
		return path[2], true
	case len(path) >= 4 && path[0] == "resources" && isIndex(path[1]) && path[2] == "Resources":
		return path[3], true
	}
	return "", false
}

// rawResourceType returns the Type written for the resource at path, when it is plain text.
func (r *resolver) rawResourceType(path []string, id string) (string, bool) {
	cur := r.root
	n := 3
	if isIndex(path[1]) {
		n = 4
	}
	for _, k := range path[:n] {
		var ok bool
		if cur, ok = child(cur, k); !ok {
			return "", false
		}
	}
	t, ok := cur.Get("Type")
	if !ok || t.Kind != KindString || t.vars {
		return "", false
	}
	return t.Str, true
}

func prefixMatch(path, pat []string) bool {
	n := min(len(path), len(pat))
	for i := 0; i < n; i++ {
		if pat[i] != "*" && pat[i] != path[i] {
			return false
		}
	}
	return true
}

// child returns the entry key of a map, or item key (a decimal index) of a list.
func child(v Value, key string) (Value, bool) {
	switch v.Kind {
	case KindMap:
		return v.Get(key)
	case KindList:
		if !isIndex(key) {
			return Value{}, false
		}
		i, err := strconv.Atoi(key)
		if err != nil || i >= len(v.List) {
			return Value{}, false
		}
		return v.List[i], true
	}
	return Value{}, false
}

// resolveAt returns the fully resolved value of raw, which sits at path.
func (r *resolver) resolveAt(path []string, raw Value) (Value, *Error) {
	if !raw.vars {
		return raw, nil
	}
	key := pathKey(path)
	if v, ok := r.memo[key]; ok {
		return v, nil
	}
	if e, ok := r.failed[key]; ok {
		return Value{}, e
	}
	if r.fatal != nil {
		return Value{}, r.fatal
	}
	if i, ok := r.busy[key]; ok {
		return Value{}, r.cycle(i, path)
	}
	r.busy[key] = len(r.stack)
	r.stack = append(r.stack, frame{path: path, pos: raw.Pos})
	v, err := r.resolveNode(path, raw)
	r.stack = r.stack[:len(r.stack)-1]
	delete(r.busy, key)
	if err != nil {
		r.failed[key] = err
		return Value{}, err
	}
	r.memo[key] = v
	return v, nil
}

func (r *resolver) resolveNode(path []string, raw Value) (Value, *Error) {
	switch raw.Kind {
	case KindString:
		return r.resolveString(path, raw)
	case KindList:
		items := make([]Value, len(raw.List))
		for i, c := range raw.List {
			v, err := r.resolveAt(appendPath(path, strconv.Itoa(i)), c)
			if err != nil {
				return Value{}, err
			}
			items[i] = v
		}
		return listValue(items, raw.Pos), nil
	case KindMap:
		fields := make([]Field, len(raw.Map))
		for i, f := range raw.Map {
			v, err := r.resolveAt(appendPath(path, f.Key), f.Value)
			if err != nil {
				return Value{}, err
			}
			fields[i] = Field{Key: f.Key, KeyPos: f.KeyPos, Value: v}
		}
		return mapValue(fields, raw.Pos), nil
	}
	return raw, nil
}

// cycle describes the chain of properties from stack[i] back to path.
func (r *resolver) cycle(i int, path []string) *Error {
	var parts []string
	for _, f := range r.stack[i:] {
		parts = append(parts, fmt.Sprintf("%s (line %d)", humanPath(f.path), f.pos.Line))
	}
	parts = append(parts, humanPath(path))
	return r.newErr(r.stack[i].pos, ErrCycle, "variable cycle: %s", strings.Join(parts, " → "))
}

// resolveString resolves the variables of one string.
func (r *resolver) resolveString(path []string, raw Value) (Value, *Error) {
	t, foreign, err := parseTemplateForeign(raw.Str)
	if err != nil {
		return Value{}, r.newErr(raw.Pos, ErrVariable, "invalid variable syntax in %s: %s", clip(raw.Str), strings.TrimPrefix(err.Error(), errVarSyntax.Error()+": "))
	}
	if len(foreign) > 0 && !contains(path, "Fn::Sub") && !r.soft(path) {
		// Outside Fn::Sub, "${" is only ever meant as a variable.
		r.rep.warnf(raw.Pos, "%s: %s is not a Serverless variable (sources are lower-case, as in ${self:…}) and is kept as text", humanPath(path), clip(foreign[0]))
	}
	if !t.hasVars() {
		return raw, nil
	}
	if v := t.whole(); v != nil {
		val, e := r.eval(v, raw.Pos)
		if e != nil {
			return Value{}, e
		}
		if e := r.spend(val.size, raw.Pos); e != nil {
			return Value{}, e
		}
		return val.at(raw.Pos), nil
	}
	s, e := r.text(t, raw.Pos)
	if e != nil {
		return Value{}, e
	}
	if e := r.spend(len(s), raw.Pos); e != nil {
		return Value{}, e
	}
	out := stringValue(s, raw.Pos)
	out.vars = false // text from variables is never parsed again
	return out, nil
}

// text splices the variables of t into one string.
func (r *resolver) text(t template, pos Pos) (string, *Error) {
	var b strings.Builder
	for _, seg := range t {
		if seg.v == nil {
			b.WriteString(seg.lit)
		} else {
			val, e := r.eval(seg.v, pos)
			if e != nil {
				return "", e
			}
			s, ok := val.scalarText()
			if !ok {
				return "", r.newErr(pos, ErrVariable, "%s is %s, which cannot be part of a longer string", seg.v.text, val.describe())
			}
			b.WriteString(s)
		}
		if b.Len() > MaxResolvedSize {
			return "", r.limit(pos)
		}
	}
	return b.String(), nil
}

// spend counts n more bytes of variable output against MaxResolvedSize.
func (r *resolver) spend(n int, pos Pos) *Error {
	r.produced += n
	if r.produced > MaxResolvedSize {
		return r.limit(pos)
	}
	return nil
}

func (r *resolver) limit(pos Pos) *Error {
	if r.fatal == nil {
		r.fatal = r.newErr(pos, ErrLimit, "variables expand the document beyond %d bytes", MaxResolvedSize)
	}
	return r.fatal
}

// eval returns the value of one variable: the first of its sources that has a value.
func (r *resolver) eval(v *variable, pos Pos) (Value, *Error) {
	val, found, missing, e := r.evalSources(v, pos)
	if e != nil {
		return Value{}, e
	}
	if !found {
		return Value{}, r.newErr(pos, ErrVariable, "cannot resolve %s: %s", v.text, strings.Join(missing, "; "))
	}
	return val, nil
}

// evalSources tries the sources of v in order. found is false when none had a value; missing
// then says why, source by source.
func (r *resolver) evalSources(v *variable, pos Pos) (val Value, found bool, missing []string, e *Error) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > MaxVariableDepth {
		return Value{}, false, nil, r.newErr(pos, ErrLimit, "variables nested more than %d deep at %s", MaxVariableDepth, clip(v.text))
	}
	for i, src := range v.sources {
		last := i == len(v.sources)-1
		switch src.kind {
		case sourceLiteral:
			return src.literal.at(pos), true, nil, nil
		case sourceNested:
			val, ok, miss, e := r.evalSources(src.nested, pos)
			if e != nil {
				return Value{}, false, nil, e
			}
			if ok && val.Kind != KindNull {
				return val, true, nil, nil
			}
			missing = append(missing, miss...)
		case sourceTyped:
			if why := unsupportedSource(src.typ); why != "" {
				if !last {
					r.rep.warnf(pos, "%s: %s; using the fallback", v.text, why)
					continue
				}
				return Value{}, false, nil, r.newErr(pos, ErrVariable, "cannot resolve %s: %s; write the value itself or add a fallback: %s, 'value'}", v.text, why, strings.TrimSuffix(v.text, "}"))
			}
			val, ok, why, e := r.lookup(src, pos)
			if e != nil {
				return Value{}, false, nil, e
			}
			if ok && val.Kind != KindNull {
				return val, true, nil, nil
			}
			missing = append(missing, why)
		}
	}
	return Value{}, false, missing, nil
}

// clip shortens s for a message.
func clip(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strconv.Quote(s)
}
