package serverless

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The variable syntax follows the Serverless Framework's parser
// (https://www.serverless.com/framework/docs/guides/variables):
//
//	${source:address}                  ${self:custom.table}, ${env:HOME}, ${opt:stage}
//	${source:address, fallback, …}     fallbacks tried in order; a fallback is another
//	                                   source (env:OTHER or ${env:OTHER}), a 'string', a
//	                                   "string", a number, true, false or null
//	${source(param, …):address}        sources with parameters, such as ${file(./x.yml):key}
//	${self:custom.${opt:stage}.table}  variables inside an address are resolved first
//
// A "${" that is not followed by a lower-case source name and ":" or "(" is left alone: it
// belongs to CloudFormation (!Sub "arn:${AWS::Partition}:…", "${MyBucket.Arn}").

// template is a string split into literal text and variables.
type template []segment

// segment is literal text, or a variable when v is not nil.
type segment struct {
	lit string
	v   *variable
}

// variable is one ${…} expression.
type variable struct {
	text    string // as written, for messages
	sources []varSource
}

type sourceKind uint8

const (
	sourceTyped   sourceKind = iota // type:address or type(params):address
	sourceLiteral                   // 'string', "string", number, true, false, null
	sourceNested                    // ${…}
)

type varSource struct {
	kind      sourceKind
	typ       string     // sourceTyped
	hasParams bool       // sourceTyped written with (…)
	params    []template // sourceTyped
	address   template   // sourceTyped; empty when written without an address
	literal   Value      // sourceLiteral
	nested    *variable  // sourceNested
}

func (t template) hasVars() bool {
	for _, s := range t {
		if s.v != nil {
			return true
		}
	}
	return false
}

// whole returns the variable when t is exactly one variable and nothing else: its value then
// replaces the string with its own type.
func (t template) whole() *variable {
	if len(t) == 1 && t[0].v != nil {
		return t[0].v
	}
	return nil
}

// errVarSyntax marks variable syntax errors.
var errVarSyntax = errors.New("variable syntax")

type varParser struct {
	s       string
	i       int
	depth   int
	foreign []string // "${…" openings left as text
}

// parseTemplate splits s into literal text and variables.
func parseTemplate(s string) (template, error) {
	t, _, err := parseTemplateForeign(s)
	return t, err
}

// parseTemplateForeign also returns the "${" openings that are not Serverless variables
// (CloudFormation's ${AWS::Region}, or a mistyped ${Self:…}), each with what follows it.
func parseTemplateForeign(s string) (template, []string, error) {
	if !strings.Contains(s, "${") {
		return template{{lit: s}}, nil, nil
	}
	p := &varParser{s: s}
	t, err := p.template("")
	return t, p.foreign, err
}

func (p *varParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errVarSyntax, fmt.Sprintf(format, args...))
}

// template reads literal text and variables up to (not including) the first byte of stop found
// outside a variable, or to the end of the string.
func (p *varParser) template(stop string) (template, error) {
	var t template
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t = append(t, segment{lit: lit.String()})
			lit.Reset()
		}
	}
	for p.i < len(p.s) {
		c := p.s[p.i]
		if strings.IndexByte(stop, c) >= 0 {
			break
		}
		if c == '$' && strings.HasPrefix(p.s[p.i:], "${") {
			v, err := p.variable()
			if err != nil {
				return nil, err
			}
			if v != nil {
				flush()
				t = append(t, segment{v: v})
				continue
			}
			if stop != "" {
				// Inside a variable, "${" must open another variable.
				return nil, p.errorf("\"${\" inside a variable must open another variable")
			}
			// Not ours (CloudFormation's ${AWS::Region}, ${Bucket.Arn}): keep "${" as text
			// and read on, so that a variable inside it is still found.
			end := strings.IndexByte(p.s[p.i:], '}')
			if end < 0 {
				end = len(p.s) - p.i - 1
			}
			p.foreign = append(p.foreign, p.s[p.i:p.i+end+1])
			lit.WriteString("${")
			p.i += 2
			continue
		}
		lit.WriteByte(c)
		p.i++
	}
	flush()
	return t, nil
}

// isLower reports whether c may start a source name.
func isLower(c byte) bool { return c >= 'a' && c <= 'z' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// variable reads "${…}" at p.i. It returns nil, and leaves p.i alone, when the text is not a
// Serverless variable.
func (p *varParser) variable() (*variable, error) {
	start := p.i
	j := p.i + 2
	if j >= len(p.s) || !isLower(p.s[j]) {
		return nil, nil
	}
	k := j
	for k < len(p.s) && (isAlnum(p.s[k]) || p.s[k] == '.') {
		k++
	}
	if k >= len(p.s) || !(p.s[k] == '(' || p.s[k] == ':' && (k+1 >= len(p.s) || p.s[k+1] != ':')) {
		return nil, nil
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > MaxVariableDepth {
		return nil, p.errorf("variables nested more than %d deep", MaxVariableDepth)
	}
	p.i = j
	v := &variable{}
	first := true
	for {
		src, err := p.source(first)
		if err != nil {
			return nil, err
		}
		first = false
		v.sources = append(v.sources, src)
		p.skipSpaces()
		if p.i >= len(p.s) {
			return nil, p.errorf("missing closing }")
		}
		switch p.s[p.i] {
		case '}':
			p.i++
			v.text = p.s[start:p.i]
			return v, nil
		case ',':
			p.i++
		default:
			return nil, p.errorf("unexpected %q after a source (want , or })", p.s[p.i])
		}
	}
}

func (p *varParser) skipSpaces() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// source reads one source of a variable: the first must be typed (source:address).
func (p *varParser) source(first bool) (varSource, error) {
	p.skipSpaces()
	if p.i >= len(p.s) {
		return varSource{}, p.errorf("missing closing }")
	}
	c := p.s[p.i]
	if !first {
		switch {
		case c == '\'' || c == '"':
			s, err := p.quoted()
			if err != nil {
				return varSource{}, err
			}
			return varSource{kind: sourceLiteral, literal: stringValue(s, Pos{})}, nil
		case c == '$' && strings.HasPrefix(p.s[p.i:], "${"):
			at := p.i
			v, err := p.variable()
			if err != nil {
				return varSource{}, err
			}
			if v == nil {
				return varSource{}, p.errorf("fallback %s is not a variable", clip(p.s[at:]))
			}
			return varSource{kind: sourceNested, nested: v}, nil
		}
	}
	start := p.i
	for p.i < len(p.s) && (isAlnum(p.s[p.i]) || strings.IndexByte("._+-", p.s[p.i]) >= 0) {
		p.i++
	}
	word := p.s[start:p.i]
	if p.i < len(p.s) && (p.s[p.i] == ':' || p.s[p.i] == '(') && isSourceName(word) {
		return p.typed(word)
	}
	if first {
		return varSource{}, p.errorf("invalid variable source %q", word)
	}
	lit, ok := literalValue(strings.TrimSpace(word))
	if !ok {
		return varSource{}, p.errorf("invalid fallback %q: want a source (env:NAME), a quoted string, a number, true, false or null", p.s[start:min(len(p.s), p.i+1)])
	}
	return varSource{kind: sourceLiteral, literal: lit}, nil
}

func isSourceName(w string) bool {
	if w == "" || !isLower(w[0]) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isAlnum(w[i]) {
			return false
		}
	}
	return true
}

// typed reads "(params):address" or ":address" after a source name.
func (p *varParser) typed(typ string) (varSource, error) {
	src := varSource{kind: sourceTyped, typ: typ}
	if p.s[p.i] == '(' {
		src.hasParams = true
		p.i++
		for {
			p.skipSpaces()
			if p.i >= len(p.s) {
				return src, p.errorf("%s( has no closing )", typ)
			}
			if p.s[p.i] == ')' {
				p.i++
				break
			}
			var param template
			if c := p.s[p.i]; c == '\'' || c == '"' {
				s, err := p.quoted()
				if err != nil {
					return src, err
				}
				param = template{{lit: s}}
			} else {
				t, err := p.template(",)}")
				if err != nil {
					return src, err
				}
				param = trimTemplate(t)
			}
			src.params = append(src.params, param)
			p.skipSpaces()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
			} else if p.i < len(p.s) && p.s[p.i] != ')' {
				return src, p.errorf("unexpected %q in the parameters of %s", p.s[p.i], typ)
			}
		}
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return src, nil
		}
	}
	p.i++ // ':'
	p.skipSpaces()
	if p.i < len(p.s) && (p.s[p.i] == '\'' || p.s[p.i] == '"') {
		s, err := p.quoted()
		if err != nil {
			return src, err
		}
		src.address = template{{lit: s}}
		return src, nil
	}
	t, err := p.template(",}")
	if err != nil {
		return src, err
	}
	src.address = trimTemplate(t)
	return src, nil
}

// trimTemplate drops the spaces around a template, as the Framework trims addresses.
func trimTemplate(t template) template {
	if len(t) == 0 {
		return t
	}
	out := append(template(nil), t...)
	if out[0].v == nil {
		out[0].lit = strings.TrimLeft(out[0].lit, " \t")
	}
	if last := len(out) - 1; out[last].v == nil {
		out[last].lit = strings.TrimRight(out[last].lit, " \t")
	}
	kept := out[:0]
	for _, s := range out {
		if s.v != nil || s.lit != "" {
			kept = append(kept, s)
		}
	}
	return kept
}

// quoted reads a 'single-quoted' (no escapes) or "double-quoted" (JSON escapes) string.
func (p *varParser) quoted() (string, error) {
	q := p.s[p.i]
	start := p.i
	p.i++
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '\\' && q == '"' {
			p.i += 2
			continue
		}
		if c == q {
			p.i++
			raw := p.s[start:p.i]
			if q == '\'' {
				return raw[1 : len(raw)-1], nil
			}
			var s string
			if err := json.Unmarshal([]byte(raw), &s); err != nil {
				return "", p.errorf("invalid string %s", raw)
			}
			return s, nil
		}
		p.i++
	}
	return "", p.errorf("unterminated quoted string")
}

// literalValue reads an unquoted fallback: true, false, null or a number.
func literalValue(s string) (Value, bool) {
	switch s {
	case "true", "false":
		return scalar(KindBool, s, Pos{}), true
	case "null":
		return nullValue(Pos{}), true
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return scalar(KindInt, strconv.FormatInt(i, 10), Pos{}), true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && s != "" && (s[0] == '-' || s[0] == '+' || s[0] == '.' || s[0] >= '0' && s[0] <= '9') {
		return scalar(KindFloat, strconv.FormatFloat(f, 'g', -1, 64), Pos{}), true
	}
	return Value{}, false
}
