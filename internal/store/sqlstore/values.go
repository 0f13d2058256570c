package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Times are stored as Unix milliseconds in an integer column, the same in both dialects;
// NULL stands for the zero time.Time, which would otherwise become a large negative
// number that does not read back as IsZero.

func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// msTime scans a millisecond column into a time.Time in UTC (zero for NULL).
type msTime struct{ t *time.Time }

func (m msTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*m.t = time.Time{}
	case int64:
		*m.t = time.UnixMilli(v).UTC()
	case int32:
		*m.t = time.UnixMilli(int64(v)).UTC()
	case []byte:
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return fmt.Errorf("scan time: %w", err)
		}
		*m.t = time.UnixMilli(n).UTC()
	default:
		return fmt.Errorf("scan time: unexpected %T", src)
	}
	return nil
}

// JSON documents are stored verbatim as text; a nil or empty document is NULL and reads
// back as nil.

func jsonValue(m json.RawMessage) any {
	if len(m) == 0 {
		return nil
	}
	return string(m)
}

// rawJSON scans a JSON text column into a json.RawMessage (nil for NULL).
type rawJSON struct{ m *json.RawMessage }

func (r rawJSON) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*r.m = nil
	case string:
		*r.m = json.RawMessage(v)
	case []byte:
		*r.m = append(json.RawMessage(nil), v...)
	default:
		return fmt.Errorf("scan json: unexpected %T", src)
	}
	if len(*r.m) == 0 {
		*r.m = nil
	}
	return nil
}

var (
	_ sql.Scanner = msTime{}
	_ sql.Scanner = rawJSON{}
)

// prefixEnd returns the smallest string greater than every string that starts with p, so
// that "starts with p" is the index range [p, end). It works on code points, whose order
// is the byte order of UTF-8 that both dialects compare by (BINARY, COLLATE "C"), and it
// yields valid UTF-8 because PostgreSQL rejects anything else. ok is false when no such
// string exists (p is empty or all U+10FFFF) and the range has no upper end.
//
// A range rather than LIKE means no character of the caller's value can act as a
// wildcard, and case sensitivity does not depend on SQLite's LIKE settings.
func prefixEnd(p string) (end string, ok bool) {
	r := []rune(p)
	for i := len(r) - 1; i >= 0; i-- {
		next := r[i] + 1
		if next == 0xD800 { // skip the surrogate block, which UTF-8 cannot encode
			next = 0xE000
		}
		if next <= utf8.MaxRune {
			r[i] = next
			return string(r[:i+1]), true
		}
	}
	return "", false
}
