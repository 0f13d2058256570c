package iam

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// Member constraints, from the IAM service model (botocore data/iam/2010-05-08): the shapes
// roleNameType, userNameType, existingUserNameType, policyNameType, pathType,
// pathPrefixType, policyDocumentType, roleDescriptionType, roleMaxSessionDurationType,
// markerType, maxItemsType, accessKeyIdType and statusType.
const (
	patName          = `[\w+=,.@-]+`
	patPath          = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
	patPathPrefix    = `\u002F[\u0021-\u007F]*`
	patDocument      = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	patDescription   = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`
	patMarker        = `[\u0020-\u00FF]+`
	patAccessKeyID   = `[\w]+`
	maxDocumentChars = 131072

	// MinSessionDuration and MaxSessionDuration bound a role's MaxSessionDuration, in
	// seconds (roleMaxSessionDurationType); DefaultSessionDuration is what CreateRole sets
	// when it is not given ("the default value of one hour", API_CreateRole).
	MinSessionDuration     = 3600
	MaxSessionDuration     = 43200
	DefaultSessionDuration = 3600
)

// checker collects constraint failures in Coral's words, as package awsapi/model does for
// the JSON services: "1 validation error detected: Value 'a b' at 'roleName' failed to
// satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"; a value
// failing several constraints is reported once per constraint, the pattern first; a missing
// required member is "Value null at 'roleName' failed to satisfy constraint: Member must not
// be null". Member names are the query parameter's with a lowercase first letter.
type checker struct {
	msgs []string
}

const maxReported = 10

func (c *checker) fail(member, value string, null bool, constraint string) {
	if len(c.msgs) >= maxReported {
		c.msgs = append(c.msgs, "") // counted, not listed
		return
	}
	v := "Value null"
	if !null {
		v = "Value '" + value + "'"
	}
	c.msgs = append(c.msgs, fmt.Sprintf("%s at '%s' failed to satisfy constraint: %s", v, lowerFirst(member), constraint))
}

func (c *checker) err() *awsapi.Error {
	if len(c.msgs) == 0 {
		return nil
	}
	listed := make([]string, 0, len(c.msgs))
	for _, m := range c.msgs {
		if m != "" {
			listed = append(listed, m)
		}
	}
	s := "s"
	if len(c.msgs) == 1 {
		s = ""
	}
	return validationError("%d validation error%s detected: %s", len(c.msgs), s, strings.Join(listed, "; "))
}

func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

// str checks a string member: required (absent is null), length in characters, and a
// pattern given as its model text and a matcher.
func (c *checker) str(member string, v *string, required bool, minLen, maxLen int, pattern string, match func(string) bool) {
	if v == nil {
		if required {
			c.fail(member, "", true, "Member must not be null")
		}
		return
	}
	if pattern != "" && *v != "" && !match(*v) {
		c.fail(member, *v, false, "Member must satisfy regular expression pattern: "+pattern)
	}
	n := utf8.RuneCountInString(*v)
	if n < minLen {
		c.fail(member, *v, false, "Member must have length greater than or equal to "+strconv.Itoa(minLen))
	}
	if maxLen > 0 && n > maxLen {
		c.fail(member, *v, false, "Member must have length less than or equal to "+strconv.Itoa(maxLen))
	}
}

// intRange checks an integer member.
func (c *checker) intRange(member string, v *int, minV, maxV int) {
	if v == nil {
		return
	}
	if *v < minV {
		c.fail(member, strconv.Itoa(*v), false, "Member must have value greater than or equal to "+strconv.Itoa(minV))
	}
	if *v > maxV {
		c.fail(member, strconv.Itoa(*v), false, "Member must have value less than or equal to "+strconv.Itoa(maxV))
	}
}

func (c *checker) enum(member string, v *string, required bool, values ...string) {
	if v == nil {
		if required {
			c.fail(member, "", true, "Member must not be null")
		}
		return
	}
	for _, ok := range values {
		if *v == ok {
			return
		}
	}
	c.fail(member, *v, false, "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

// The common members.

func (c *checker) roleName(v *string)   { c.str("RoleName", v, true, 1, 64, patName, isName) }
func (c *checker) userName(v *string)   { c.str("UserName", v, true, 1, 64, patName, isName) }
func (c *checker) policyName(v *string) { c.str("PolicyName", v, true, 1, 128, patName, isName) }

// existingUser is existingUserNameType: up to 128 characters (names of users created
// elsewhere), optional where the caller's own user is the default.
func (c *checker) existingUser(v *string, required bool) {
	c.str("UserName", v, required, 1, 128, patName, isName)
}

func (c *checker) document(member string, v *string) {
	c.str(member, v, true, 1, maxDocumentChars, patDocument, isDocumentText)
}

func (c *checker) path(v *string) { c.str("Path", v, false, 1, 512, patPath, isPath) }

func (c *checker) paging(marker *string, maxItems *int) {
	c.str("Marker", marker, false, 1, 320, patMarker, func(s string) bool { return allRunes(s, 0x20, 0xFF) })
	c.intRange("MaxItems", maxItems, 1, 1000)
}

func (c *checker) accessKeyID(v *string) {
	c.str("AccessKeyId", v, true, 16, 128, patAccessKeyID, isWord)
}

// isName matches [\w+=,.@-]+ (\w is ASCII letters, digits and '_', as in Java).
func isName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !isWordByte(ch) && !strings.ContainsRune("+=,.@-", rune(ch)) {
			return false
		}
	}
	return true
}

func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isWordByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isWordByte(ch byte) bool {
	return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'
}

// isPath matches pathType: "/" alone, or "/" + one or more of U+0021–U+007E + "/".
func isPath(s string) bool {
	if s == "/" {
		return true
	}
	return len(s) >= 3 && s[0] == '/' && s[len(s)-1] == '/' && allRunes(s, 0x21, 0x7E)
}

// isPathPrefix matches pathPrefixType: "/" then U+0021–U+007F.
func isPathPrefix(s string) bool {
	return strings.HasPrefix(s, "/") && allRunes(s, 0x21, 0x7F)
}

func isDocumentText(s string) bool {
	for _, r := range s {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xFF) {
			return false
		}
	}
	return true
}

func isDescription(s string) bool {
	for _, r := range s {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0x7E && r < 0xA1 || r > 0xFF) {
			return false
		}
	}
	return true
}

func allRunes(s string, lo, hi rune) bool {
	for _, r := range s {
		if r < lo || r > hi {
			return false
		}
	}
	return true
}
