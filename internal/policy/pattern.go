package policy

import (
	"strings"
	"unicode/utf8"
)

// segKind is the kind of one piece of a compiled pattern.
type segKind uint8

const (
	segLit  segKind = iota // literal text
	segStar                // * : any run of characters, colons and slashes included
	segOne                 // ? : exactly one character
	segVar                 // ${key} or ${key, 'default'}: a request context value, taken literally
)

type segment struct {
	kind segKind
	// text is the literal text (segLit) or the lower-cased context key (segVar; "" for a
	// variable that cannot be read, which never resolves).
	text   string
	def    string
	hasDef bool
}

// pattern is a compiled Action, Resource or condition value: literals, wildcards (when the
// element or operator supports them) and policy variables (in Version 2012-10-17 documents,
// IAM User Guide: reference_policies_variables.html).
type pattern struct {
	segs  []segment
	lit   string // the whole text when plain
	plain bool   // a single literal: compare lit directly
	all   bool   // exactly "*" with wildcards on
	vars  bool   // has at least one segVar
	min   int    // without variables: the fewest bytes a match has
}

// compilePattern compiles s. wild: * and ? are wildcards (else literal characters). vars:
// ${...} is a policy variable or one of the escapes ${*}, ${?}, ${$} (else literal text).
func compilePattern(s string, wild, vars bool) pattern {
	var p pattern
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			p.segs = append(p.segs, segment{kind: segLit, text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case wild && c == '*':
			flush()
			if n := len(p.segs); n == 0 || p.segs[n-1].kind != segStar {
				p.segs = append(p.segs, segment{kind: segStar})
			}
		case wild && c == '?':
			flush()
			p.segs = append(p.segs, segment{kind: segOne})
		case vars && c == '$' && i+1 < len(s) && s[i+1] == '{':
			end := closingBrace(s, i+2)
			if end < 0 {
				lit.WriteByte(c) // an unterminated ${ is text
				continue
			}
			inner := s[i+2 : end]
			i = end
			switch inner {
			case "*", "?", "$":
				lit.WriteString(inner)
				continue
			}
			flush()
			key, def, hasDef := parseVariable(inner)
			p.segs = append(p.segs, segment{kind: segVar, text: key, def: def, hasDef: hasDef})
			p.vars = true
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	for _, sg := range p.segs {
		switch sg.kind {
		case segLit:
			p.min += len(sg.text)
		case segOne:
			p.min++
		}
	}
	switch {
	case len(p.segs) == 0:
		p.plain = true
	case len(p.segs) == 1 && p.segs[0].kind == segLit:
		p.plain, p.lit = true, p.segs[0].text
	case len(p.segs) == 1 && p.segs[0].kind == segStar:
		p.all = true
	}
	return p
}

// closingBrace returns the index of the } closing a variable whose body starts at from,
// skipping braces inside a quoted default value, or -1.
func closingBrace(s string, from int) int {
	quoted := false
	for j := from; j < len(s); j++ {
		switch s[j] {
		case '\'':
			quoted = !quoted
		case '}':
			if !quoted {
				return j
			}
		}
	}
	return -1
}

// parseVariable reads the body of ${...}: a context key, optionally followed by a comma and
// a default value in single quotes, two quotes standing for one (IAM User Guide:
// reference_policies_variables.html, "Specifying default values"). A body it cannot read
// yields key "", a variable that never resolves.
func parseVariable(body string) (key, def string, hasDef bool) {
	name, rest, comma := strings.Cut(body, ",")
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " \t'${") {
		return "", "", false
	}
	key = strings.ToLower(name)
	if !comma {
		return key, "", false
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 2 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
		return "", "", false
	}
	inner := rest[1 : len(rest)-1]
	var b strings.Builder
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\'' {
			if i+1 < len(inner) && inner[i+1] == '\'' {
				b.WriteByte('\'')
				i++
				continue
			}
			return "", "", false
		}
		b.WriteByte(inner[i])
	}
	return key, b.String(), true
}

// variable returns the value of a variable segment: the key's single value in ctx (at most
// MaxRequestLength bytes), else its default. A key that is absent or has several values (multivalued keys cannot be
// variables, IAM User Guide: reference_policies_condition-single-vs-multi-valued-context-keys.html)
// does not resolve.
func (sg *segment) variable(ctx *Context) (string, bool) {
	if sg.text != "" {
		if vs := ctx.values(sg.text); len(vs) == 1 && len(vs[0]) <= MaxRequestLength {
			return vs[0], true
		}
	}
	return sg.def, sg.hasDef
}

// resolve replaces the variables of p by their values, appending to buf. ok is false when
// a variable does not resolve.
func (p *pattern) resolve(ctx *Context, buf []segment) (segs []segment, ok bool) {
	for i := range p.segs {
		sg := &p.segs[i]
		if sg.kind != segVar {
			buf = append(buf, *sg)
			continue
		}
		v, ok := sg.variable(ctx)
		if !ok {
			return nil, false
		}
		if v != "" {
			buf = append(buf, segment{kind: segLit, text: v})
		}
	}
	return buf, true
}

// text returns p's text with its variables resolved; for patterns without wildcards.
func (p *pattern) text(ctx *Context) (string, bool) {
	if !p.vars {
		return p.lit, true
	}
	var b strings.Builder
	for i := range p.segs {
		sg := &p.segs[i]
		if sg.kind != segVar {
			b.WriteString(sg.text)
			continue
		}
		v, ok := sg.variable(ctx)
		if !ok {
			return "", false
		}
		b.WriteString(v)
	}
	return b.String(), true
}

// match reports whether s matches p. ok is false when a variable of p does not resolve: the
// pattern then matches nothing (IAM User Guide: reference_policies_variables.html, "Policy
// variables with no value").
func (p *pattern) match(ctx *Context, s string) (matched, ok bool) {
	switch {
	case p.all:
		return true, true
	case p.plain:
		return p.lit == s, true
	case !p.vars:
		return len(s) >= p.min && glob(p.segs, s, false), true
	}
	var buf [16]segment
	segs, ok := p.resolve(ctx, buf[:0])
	if !ok {
		return false, false
	}
	return glob(segs, s, false), true
}

// matchFold is match for a pattern without variables whose literals are lower case,
// against an ASCII subject compared case-insensitively: actions, without lower-casing the
// request's action into a new string.
func (p *pattern) matchFold(s string) bool {
	if p.all {
		return true
	}
	return len(s) >= p.min && glob(p.segs, s, true)
}

// glob matches s against literal and wildcard segments. * matches any run of characters,
// colons and slashes included, as in IAM's Resource element (IAM User Guide:
// reference_policies_elements_resource.html, "Using wildcards in resource ARNs"); ? matches
// one character. It runs in O(len(segs)·len(s)): on a mismatch it only retries the last *.
// fold: s is ASCII and the literals are lower case; letters compare case-insensitively.
func glob(segs []segment, s string, fold bool) bool {
	pi, si := 0, 0
	star, starSi := -1, 0
	for {
		if pi < len(segs) {
			sg := &segs[pi]
			switch sg.kind {
			case segStar:
				if pi == len(segs)-1 {
					return true
				}
				star, starSi = pi, si
				pi++
				continue
			case segOne:
				if si < len(s) {
					_, n := utf8.DecodeRuneInString(s[si:])
					si += n
					pi++
					continue
				}
			case segLit:
				if hasPrefix(s[si:], sg.text, fold) {
					si += len(sg.text)
					pi++
					continue
				}
			}
		} else if si == len(s) {
			return true
		}
		if star < 0 || starSi >= len(s) {
			return false
		}
		// Extend the last * by one character; when a literal follows it, straight to the
		// next place that literal occurs. A literal starting with an ASCII byte can only
		// occur at a character boundary, so the jump skips nothing the stepping would try.
		if next := &segs[star+1]; !fold && next.kind == segLit && next.text[0] < utf8.RuneSelf {
			i := strings.Index(s[starSi+1:], next.text)
			if i < 0 {
				return false
			}
			starSi += 1 + i
		} else {
			_, n := utf8.DecodeRuneInString(s[starSi:])
			starSi += n
		}
		pi, si = star+1, starSi
	}
}

// hasPrefix is strings.HasPrefix, or with fold an ASCII case-insensitive one against a
// lower-case prefix.
func hasPrefix(s, prefix string, fold bool) bool {
	if !fold {
		return strings.HasPrefix(s, prefix)
	}
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
