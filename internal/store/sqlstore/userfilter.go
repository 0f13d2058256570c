package sqlstore

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Pseudo attributes a ListUsers filter may name besides real attributes (Cognito API
// reference, ListUsers: "Filter"). They map to the user's own columns.
const (
	filterUsername   = "username"
	filterUserStatus = "cognito:user_status"
	filterStatus     = "status" // "Enabled" / "Disabled"
)

// userFilter returns the SQL condition (starting with " AND") and its arguments for f,
// numbering placeholders from next; the query binds the pool ID to $1. ok is false when no user can match, so the caller
// need not ask the database.
//
// Equality is exact and case-sensitive. A prefix is the index range [value, prefixEnd(value)),
// so no character of the value acts as a wildcard. Real attributes are matched through
// user_attributes (pool_id, name, value), never by scanning the pool's users.
func userFilter(f store.UserFilter, next int) (cond string, args []any, ok bool) {
	if !utf8.ValidString(f.Value) {
		// Stored values are UTF-8 (PostgreSQL enforces it), so nothing matches; and
		// PostgreSQL would reject the parameter.
		return "", nil, false
	}
	ph := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(next+len(args)-1)
	}
	// match renders "column matches the filter's value" for one column.
	match := func(column string) string {
		if !f.Prefix {
			return column + " = " + ph(f.Value)
		}
		c := column + " >= " + ph(f.Value)
		if end, bounded := prefixEnd(f.Value); bounded {
			c += " AND " + column + " < " + ph(end)
		}
		return c
	}

	switch f.Attribute {
	case filterUsername:
		// The username as given at sign-up, or the key it is looked up by (lower-cased in
		// case-insensitive pools), so that either spelling finds the user.
		// A union of two index look-ups: an OR of the two columns would scan the pool.
		return " AND username_key IN (SELECT username_key FROM users WHERE pool_id = $1 AND " + match("username") +
			" UNION SELECT username_key FROM users WHERE pool_id = $1 AND " + match("username_key") + ")", args, true
	case filterUserStatus:
		return " AND " + match("status"), args, true
	case filterStatus:
		enabled, disabled := f.Value == "Enabled", f.Value == "Disabled"
		if f.Prefix {
			enabled, disabled = strings.HasPrefix("Enabled", f.Value), strings.HasPrefix("Disabled", f.Value)
		}
		switch {
		case enabled && disabled:
			return "", nil, true
		case enabled:
			return " AND enabled = " + ph(true), args, true
		case disabled:
			return " AND enabled = " + ph(false), args, true
		}
		return "", nil, false
	}
	// user_attributes holds values in their indexValue form: equality compares that form; a
	// prefix (at most maxIndexedValue bytes, see attrindex.go) matches it as it is.
	if f.Prefix && len(f.Value) > maxIndexedValue {
		return "", nil, false
	}
	if !f.Prefix {
		f.Value = indexValue(f.Value)
	}
	return " AND username_key IN (SELECT username_key FROM user_attributes WHERE pool_id = $1 AND name = " +
		ph(f.Attribute) + " AND " + match("value") + ")", args, true
}
