package model

import (
	"fmt"
	"regexp"
	"strings"
)

// Patterns in AWS's models are java.util.regex patterns that the whole value must match
// (Coral calls Matcher.matches(): a value with a leading space fails "[\w-]+_[0-9a-zA-Z]+", as
// in aws/aws-sdk-js#3344). Go's RE2 syntax agrees with Java's on everything these models use
// except the points compileJava translates:
//
//   - Java's \s is [ \t\n\x0B\f\r]; RE2's lacks \x0B (vertical tab). \s and the class [\S]
//     are spelled out.
//   - Java's . excludes every line terminator (\n, \r, \u0085, \u2028, \u2029) unless (?s);
//     RE2's only \n. Outside (?s), . is spelled out.
//   - Lookaround, atomic groups, possessive quantifiers, back references and class
//     intersections (&&) have no RE2 form. A pattern using them is rewritten by hand
//     (rewrittenPattern) or, failing that, not checked: Model.SkippedPatterns lists those.
//
//   - Java's \uhhhh escapes are spelled \x{hhhh}.
//
// Java's \w, \d and \b are ASCII-only like RE2's, and RE2 knows \p{L}, \p{Z}, … and \xhh.

// compileJava compiles a Java regular expression for whole-value matching.
func compileJava(pat string) (*regexp.Regexp, error) {
	src := pat
	if r, ok := rewrittenPattern(pat); ok {
		src = r
	}
	re2, err := translateJava(src)
	if err != nil {
		return nil, err
	}
	re, err := regexp.Compile(`^(?:` + re2 + `)$`)
	if err != nil {
		return nil, fmt.Errorf("compile %q: %w", pat, err)
	}
	return re, nil
}

// rewrittenPattern returns a hand-made RE2 equivalent of a model pattern RE2 cannot express.
func rewrittenPattern(pat string) (string, bool) {
	switch pat {
	case `^[0-9A-Za-z\.\-_]*(?<!\.)$`:
		// cognito-idp S3BucketType: bucket-name characters, not ending in a dot (the empty
		// string matches too: the lookbehind has nothing to look at).
		return `^(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?$`, true
	case `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`:
		// iam accountAliasType: lowercase letters, digits and single hyphens, a letter or
		// digit at each end. The rewrite does not bound the length (RE2 cannot count the
		// groups and forbid "--" at once); the shape's min 3 / max 63 still fail such values.
		return `^[a-z0-9](?:-?[a-z0-9])+$`, true
	}
	return "", false
}

const (
	javaSpace    = `\t\n\x0B\f\r `
	javaDotClass = `[^\n\r\x{85}\x{2028}\x{2029}]`
)

// translateJava rewrites the Java-only parts of pat into RE2 syntax, or fails for constructs
// RE2 lacks.
func translateJava(pat string) (string, error) {
	var b strings.Builder
	dotAll := strings.HasPrefix(pat, "(?s)")
	inClass := false
	classStart := 0 // index in pat just after the class's '[' (and '^')
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch {
		case c == '\\' && i+1 < len(pat):
			n := pat[i+1]
			i++
			switch {
			case n == 's' && inClass:
				b.WriteString(javaSpace)
			case n == 's':
				b.WriteString("[" + javaSpace + "]")
			case n == 'S' && inClass && i-1 == classStart && strings.HasPrefix(pat[i+1:], "]") && pat[classStart-1] == '[':
				// The class is exactly [\S]: its complement is expressible.
				b.WriteString("^" + javaSpace)
			case n == 'S' && !inClass:
				b.WriteString("[^" + javaSpace + "]")
			case n == 'u' && i+4 < len(pat) && isHex4(pat[i+1:i+5]):
				// Java's \uhhhh (exactly four hex digits, as IAM's patterns write
				// "[\u0009\u000A\u000D\u0020-\u00FF]+") is RE2's \x{hhhh}.
				b.WriteString(`\x{` + pat[i+1:i+5] + `}`)
				i += 4
			case n >= '1' && n <= '9' && !inClass:
				return "", fmt.Errorf("pattern %q: back references are not supported", pat)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
		case inClass && c == '[' && !strings.HasPrefix(pat[i:], "[:"):
			return "", fmt.Errorf("pattern %q: nested character classes are not supported", pat)
		case inClass && c == '&' && strings.HasPrefix(pat[i:], "&&"):
			return "", fmt.Errorf("pattern %q: class intersections are not supported", pat)
		case inClass && c == ']' && i > classStart:
			inClass = false
			b.WriteByte(c)
		case inClass:
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			if strings.HasPrefix(pat[i+1:], "^") {
				b.WriteByte('^')
				i++
			}
			classStart = i + 1
		case c == '(' && (strings.HasPrefix(pat[i:], "(?=") || strings.HasPrefix(pat[i:], "(?!") ||
			strings.HasPrefix(pat[i:], "(?<=") || strings.HasPrefix(pat[i:], "(?<!") || strings.HasPrefix(pat[i:], "(?>")):
			return "", fmt.Errorf("pattern %q: lookaround and atomic groups are not supported", pat)
		case c == '.' && !dotAll:
			b.WriteString(javaDotClass)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
