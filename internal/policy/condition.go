package policy

import (
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// opKind is the family of a condition operator (IAM User Guide:
// reference_policies_elements_condition_operators.html).
type opKind uint8

const (
	kindString     opKind = iota // StringEquals, StringNotEquals
	kindStringFold               // StringEqualsIgnoreCase, StringNotEqualsIgnoreCase
	kindStringLike               // StringLike, StringNotLike
	kindNumeric                  // Numeric*
	kindDate                     // Date*
	kindBool                     // Bool
	kindBinary                   // BinaryEquals
	kindIP                       // IpAddress, NotIpAddress
	kindARN                      // ArnEquals, ArnLike, ArnNotEquals, ArnNotLike
	kindNull                     // Null
)

// cmpOp is the comparison of the Numeric and Date operators: request value OP policy value.
type cmpOp uint8

const (
	cmpEq cmpOp = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type opSpec struct {
	kind opKind
	cmp  cmpOp
	// negated operators (StringNotEquals, NotIpAddress, ...) hold when no policy value
	// matches, and when the key is absent.
	negated bool
}

// lookupOperator finds a base operator by its lower-cased name.
func lookupOperator(name string) (opSpec, bool) {
	switch name {
	case "stringequals":
		return opSpec{kind: kindString}, true
	case "stringnotequals":
		return opSpec{kind: kindString, negated: true}, true
	case "stringequalsignorecase":
		return opSpec{kind: kindStringFold}, true
	case "stringnotequalsignorecase":
		return opSpec{kind: kindStringFold, negated: true}, true
	case "stringlike":
		return opSpec{kind: kindStringLike}, true
	case "stringnotlike":
		return opSpec{kind: kindStringLike, negated: true}, true
	case "numericequals":
		return opSpec{kind: kindNumeric}, true
	case "numericnotequals":
		return opSpec{kind: kindNumeric, negated: true}, true
	case "numericlessthan":
		return opSpec{kind: kindNumeric, cmp: cmpLt}, true
	case "numericlessthanequals":
		return opSpec{kind: kindNumeric, cmp: cmpLe}, true
	case "numericgreaterthan":
		return opSpec{kind: kindNumeric, cmp: cmpGt}, true
	case "numericgreaterthanequals":
		return opSpec{kind: kindNumeric, cmp: cmpGe}, true
	case "dateequals":
		return opSpec{kind: kindDate}, true
	case "datenotequals":
		return opSpec{kind: kindDate, negated: true}, true
	case "datelessthan":
		return opSpec{kind: kindDate, cmp: cmpLt}, true
	case "datelessthanequals":
		return opSpec{kind: kindDate, cmp: cmpLe}, true
	case "dategreaterthan":
		return opSpec{kind: kindDate, cmp: cmpGt}, true
	case "dategreaterthanequals":
		return opSpec{kind: kindDate, cmp: cmpGe}, true
	case "bool":
		return opSpec{kind: kindBool}, true
	case "binaryequals":
		return opSpec{kind: kindBinary}, true
	case "ipaddress":
		return opSpec{kind: kindIP}, true
	case "notipaddress":
		return opSpec{kind: kindIP, negated: true}, true
	case "arnequals", "arnlike":
		return opSpec{kind: kindARN}, true
	case "arnnotequals", "arnnotlike":
		return opSpec{kind: kindARN, negated: true}, true
	case "null":
		return opSpec{kind: kindNull}, true
	}
	return opSpec{}, false
}

// setOp is a condition set operator for multivalued keys (IAM User Guide:
// reference_policies_condition-single-vs-multi-valued-context-keys.html).
type setOp uint8

const (
	setNone setOp = iota
	setAnyValue
	setAllValues
)

// condition is one compiled operator/key pair of a Condition element.
type condition struct {
	operator string // as written, for reasons
	key      string // as written, for reasons
	lkey     string // lower-cased: condition keys are case-insensitive
	spec     opSpec
	set      setOp
	ifExists bool
	values   []cvalue
}

// cvalue is one compiled policy value of a condition; which field is used depends on the
// operator's kind.
type cvalue struct {
	pat  pattern      // string kinds, Bool
	arn  []pattern    // ARN: the six components, or nil when the value is not an ARN
	num  float64      // Numeric
	t    time.Time    // Date
	pfx  netip.Prefix // IpAddress
	bin  string       // BinaryEquals: the decoded bytes
	null bool         // Null: true means the key must be absent
}

// compileCondition compiles one operator/key pair. vars: the document is Version 2012-10-17.
func compileCondition(c *Condition, vars bool) (condition, error) {
	out := condition{operator: c.Operator, key: c.Key, lkey: strings.ToLower(c.Key)}
	name := strings.ToLower(c.Operator)
	if rest, ok := strings.CutPrefix(name, "foranyvalue:"); ok {
		out.set, name = setAnyValue, rest
	} else if rest, ok := strings.CutPrefix(name, "forallvalues:"); ok {
		out.set, name = setAllValues, rest
	}
	if rest, ok := strings.CutSuffix(name, "ifexists"); ok {
		out.ifExists, name = true, rest
	}
	spec, ok := lookupOperator(name)
	if !ok {
		return out, problem("invalid condition type: %s", c.Operator)
	}
	if spec.kind == kindNull && (out.ifExists || out.set != setNone) {
		return out, problem("invalid condition type: %s: Null takes no IfExists or set operator", c.Operator)
	}
	out.spec = spec
	if vendor, _, ok := strings.Cut(c.Key, ":"); !ok || vendor == "" {
		return out, problem("condition key %q: actions/conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.", c.Key)
	}
	out.values = make([]cvalue, len(c.Values))
	for i, v := range c.Values {
		cv := &out.values[i]
		bad := func(what string) error {
			return problem("condition %s key %s: %q is not %s", c.Operator, c.Key, v, what)
		}
		switch spec.kind {
		case kindString, kindStringFold, kindBool:
			cv.pat = compilePattern(v, false, vars)
		case kindStringLike:
			cv.pat = compilePattern(v, true, vars)
		case kindARN:
			if parts, ok := splitARN(v, vars); ok {
				cv.arn = make([]pattern, len(parts))
				for j, part := range parts {
					cv.arn[j] = compilePattern(part, true, vars)
				}
			}
		case kindNumeric:
			n, ok := parseNumber(v)
			if !ok {
				return out, bad("a number")
			}
			cv.num = n
		case kindDate:
			t, ok := parseDate(v)
			if !ok {
				return out, bad("a date (ISO 8601 or epoch seconds)")
			}
			cv.t = t
		case kindIP:
			p, ok := parsePrefix(v)
			if !ok {
				return out, bad("an IP address or CIDR block")
			}
			cv.pfx = p
		case kindBinary:
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return out, bad("base64")
			}
			cv.bin = string(b)
		case kindNull:
			switch strings.ToLower(v) {
			case "true":
				cv.null = true
			case "false":
			default:
				return out, bad("true or false")
			}
		}
	}
	return out, nil
}

// eval reports whether the condition holds for ctx (IAM User Guide:
// reference_policies_elements_condition_operators.html and
// reference_policies_condition-single-vs-multi-valued-context-keys.html):
//   - Null: the key's absence is compared with each value, OR'ed;
//   - an absent key (or one with no values): true for …IfExists, true for ForAllValues,
//     false for ForAnyValue, otherwise true for negated operators and false for the rest;
//   - ForAnyValue: some request value satisfies the operator; ForAllValues: every one does;
//   - without a set operator: some request value matches for a positive operator, none
//     does for a negated one.
func (c *condition) eval(ctx *Context) bool {
	vals := ctx.values(c.lkey)
	if c.spec.kind == kindNull {
		absent := len(vals) == 0
		for i := range c.values {
			if c.values[i].null == absent {
				return true
			}
		}
		return false
	}
	if len(vals) == 0 {
		switch {
		case c.ifExists:
			return true
		case c.set == setAllValues:
			return true
		case c.set == setAnyValue:
			return false
		}
		return c.spec.negated
	}
	switch c.set {
	case setAnyValue:
		for _, v := range vals {
			if c.satisfies(ctx, v) {
				return true
			}
		}
		return false
	case setAllValues:
		for _, v := range vals {
			if !c.satisfies(ctx, v) {
				return false
			}
		}
		return true
	}
	if c.spec.negated {
		for _, v := range vals {
			if !c.satisfies(ctx, v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if c.satisfies(ctx, v) {
			return true
		}
	}
	return false
}

// satisfies reports whether one request value satisfies the operator against the policy
// values, which are OR'ed: a positive operator holds when one value matches, a negated one
// when none does. A comparison that cannot be made (a variable without a value, a request
// value that is not a number, date, address or ARN) matches nothing and makes no negation
// hold; so does a request value longer than MaxRequestLength.
func (c *condition) satisfies(ctx *Context, v string) bool {
	var rv requestValue
	if len(v) > MaxRequestLength || !rv.parse(c.spec.kind, v) {
		return false
	}
	for i := range c.values {
		matched, ok := c.compare(ctx, &c.values[i], &rv)
		if !ok {
			if c.spec.negated {
				return false
			}
			continue
		}
		if matched {
			return !c.spec.negated
		}
	}
	return c.spec.negated
}

// requestValue is a request context value read as the operator's kind requires.
type requestValue struct {
	s    string
	n    float64
	t    time.Time
	addr netip.Addr
	arn  [6]string
}

func (rv *requestValue) parse(kind opKind, v string) bool {
	rv.s = v
	var ok bool
	switch kind {
	case kindNumeric:
		rv.n, ok = parseNumber(v)
	case kindDate:
		rv.t, ok = parseDate(v)
	case kindIP:
		a, err := netip.ParseAddr(v)
		rv.addr, ok = a.WithZone("").Unmap(), err == nil
	case kindARN:
		ok = splitRequestARN(v, &rv.arn)
	default:
		ok = true
	}
	return ok
}

// compare applies the positive form of the operator to one policy value.
func (c *condition) compare(ctx *Context, cv *cvalue, rv *requestValue) (matched, ok bool) {
	switch c.spec.kind {
	case kindString:
		s, ok := cv.pat.text(ctx)
		return ok && s == rv.s, ok
	case kindStringFold, kindBool:
		s, ok := cv.pat.text(ctx)
		return ok && strings.EqualFold(s, rv.s), ok
	case kindStringLike:
		return cv.pat.match(ctx, rv.s)
	case kindNumeric:
		return compareOrdered(c.spec.cmp, rv.n, cv.num), true
	case kindDate:
		return compareOrdered(c.spec.cmp, rv.t.UnixNano(), cv.t.UnixNano()), true
	case kindIP:
		return cv.pfx.Contains(rv.addr), true
	case kindBinary:
		return rv.s == cv.bin, true
	case kindARN:
		if cv.arn == nil {
			return false, false
		}
		for i := range cv.arn {
			m, ok := cv.arn[i].match(ctx, rv.arn[i])
			if !ok {
				return false, false
			}
			if !m {
				return false, true
			}
		}
		return true, true
	}
	return false, false
}

func compareOrdered[T int64 | float64](op cmpOp, req, pol T) bool {
	switch op {
	case cmpLt:
		return req < pol
	case cmpLe:
		return req <= pol
	case cmpGt:
		return req > pol
	case cmpGe:
		return req >= pol
	}
	return req == pol
}

// parseNumber reads an integer or decimal number, as the Numeric operators take them.
func parseNumber(s string) (float64, bool) {
	if s == "" || len(s) > 64 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			return 0, false
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, false
	}
	return n, true
}

// parseDate reads epoch seconds (digits only) or an ISO 8601 date or date-time; a time
// without a zone is UTC.
func parseDate(s string) (time.Time, bool) {
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	digits := strings.TrimPrefix(s, "-")
	if digits != "" && strings.Trim(digits, "0123456789") == "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(n, 0), true
	}
	// ISO 8601 as the W3C profiles it; RFC 3339 also reads fractional seconds.
	layouts := [...]string{
		time.RFC3339,
		"2006-01-02T15:04Z07:00",
		"2006-01-02T15:04:05",
		"2006-01-02T15:04",
		"2006-01-02",
		"2006-01",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parsePrefix reads a CIDR block or a single address (a /32 or /128), IPv4 or IPv6.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// splitARN splits a policy ARN into its six colon-separated components (the last keeps
// any further colons); colons inside ${...} do not split. The ARN operators match each
// component separately (IAM User Guide: reference_policies_elements_condition_operators.html,
// "Amazon Resource Name (ARN) condition operators").
func splitARN(s string, vars bool) ([]string, bool) {
	parts := make([]string, 0, 6)
	start := 0
	for i := 0; i < len(s) && len(parts) < 5; i++ {
		switch {
		case vars && s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			if end := closingBrace(s, i+2); end >= 0 {
				i = end
			}
		case s[i] == ':':
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if len(parts) < 5 {
		return nil, false
	}
	return append(parts, s[start:]), true
}

// splitRequestARN splits a request ARN into its six components without allocating.
func splitRequestARN(s string, out *[6]string) bool {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return false
		}
		out[i], s = s[:j], s[j+1:]
	}
	out[5] = s
	return true
}
