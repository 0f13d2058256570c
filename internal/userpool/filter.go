package userpool

import (
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// The ListUsers Filter language (API reference: API_ListUsers.html, "Filter"; developer guide:
// how-to-manage-user-accounts, "Searching for users"):
//
//	filter = ws* attribute ws* ( "=" | "^=" ) ws* '"' value '"' ws*
//
// "=" is an exact match and "^=" a prefix ("starts with") match. Inside the quotes a backslash
// escapes the next character, so `\"` is a quotation mark and `\\` a backslash. Only one
// attribute can be searched, and only these ("Custom attributes aren't searchable"):
// username (case-sensitive), email, phone_number, name, given_name, family_name,
// preferred_username, cognito:user_status (the console's Status; case-insensitive), status
// (the console's Enabled: "Enabled"/"Disabled"; case-sensitive) and sub.
func isFilterAttribute(name string) bool {
	switch name {
	case "username", "email", "phone_number", "name", "given_name", "family_name",
		"preferred_username", "cognito:user_status", "status", "sub":
		return true
	}
	return false
}

// maxFilterLength bounds the parser's input. The model limits Filter to 256 characters; the
// validator enforces that, and this bound keeps the parser safe when called without it.
const maxFilterLength = 1024

// errFilterSyntax is Cognito's answer to a filter it cannot parse (captured in
// aws/aws-sdk-php#1088 and aws/aws-aspnet-cognito-identity-provider#235).
func errFilterSyntax() *awsapi.Error {
	return awsapi.InvalidParameter("Error while parsing filter.")
}

// errFilterAttribute answers a well-formed filter on an attribute that is not searchable.
// The text is the one moto uses (getmoto/moto#4407); we could not confirm it against Cognito.
func errFilterAttribute(name string) *awsapi.Error {
	return awsapi.InvalidParameter("Invalid search attribute: %s", name)
}

// parseFilter parses a ListUsers filter. An empty (or all-blank) filter returns nil: list
// everyone. Errors are the *awsapi.Error Cognito answers with. parseFilter never panics and
// runs in time linear in len(s).
func parseFilter(s string) (*store.UserFilter, error) {
	if len(s) > maxFilterLength {
		return nil, errFilterSyntax()
	}
	i, n := 0, len(s)
	skipSpace := func() {
		for i < n && isFilterSpace(s[i]) {
			i++
		}
	}
	skipSpace()
	if i == n {
		return nil, nil
	}
	start := i
	for i < n && isFilterNameByte(s[i]) {
		i++
	}
	name := s[start:i]
	if name == "" {
		return nil, errFilterSyntax()
	}
	skipSpace()
	f := &store.UserFilter{Attribute: name}
	switch {
	case strings.HasPrefix(s[i:], "^="):
		f.Prefix = true
		i += 2
	case strings.HasPrefix(s[i:], "="):
		i++
	default:
		return nil, errFilterSyntax()
	}
	skipSpace()
	if i == n || s[i] != '"' {
		return nil, errFilterSyntax()
	}
	i++
	var b strings.Builder
	closed := false
	for i < n {
		c := s[i]
		switch c {
		case '\\':
			if i+1 == n {
				return nil, errFilterSyntax()
			}
			b.WriteByte(s[i+1])
			i += 2
			continue
		case '"':
			closed = true
		}
		if closed {
			i++
			break
		}
		b.WriteByte(c)
		i++
	}
	if !closed {
		return nil, errFilterSyntax()
	}
	skipSpace()
	if i != n {
		return nil, errFilterSyntax()
	}
	if !isFilterAttribute(name) {
		return nil, errFilterAttribute(name)
	}
	f.Value = b.String()
	if name == "cognito:user_status" {
		// Case-insensitive: statuses are stored upper-case (UNCONFIRMED, CONFIRMED, …). Only
		// ASCII letters change, so invalid UTF-8 is left as it is (and matches nothing).
		f.Value = asciiUpper(f.Value)
	}
	return f, nil
}

func isFilterSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isFilterNameByte accepts the characters of attribute names (letters, digits, '_', ':'
// and '-'), so that "custom:team" parses and is then refused as not searchable rather than as
// a syntax error.
func isFilterNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '-'
}

func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
