package srp

import (
	"errors"
	"strings"
	"time"
)

// ErrInvalidTimestamp is returned for a TIMESTAMP that does not parse; Cognito answers it with
// InvalidParameterException and TimestampFormatMessage.
var ErrInvalidTimestamp = errors.New("srp: malformed TIMESTAMP")

// TimestampFormatMessage is Cognito's InvalidParameterException message for a TIMESTAMP
// that does not parse.
const TimestampFormatMessage = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."

// timestampLayout is Java's "EEE MMM d HH:mm:ss z yyyy" in UTC, as Go prints it.
const timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"

// maxTimestampLen bounds the input: the longest valid form is 28 bytes.
const maxTimestampLen = 40

var (
	weekdayNames = [...]string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	monthNames   = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// FormatTimestamp prints t in UTC as the clients print TIMESTAMP ("EEE MMM d HH:mm:ss z yyyy":
// day of month without zero padding, 24-hour clock), e.g. "Sun Nov 22 21:40:00 UTC 2026".
func FormatTimestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// ParseTimestamp parses a TIMESTAMP of the form "EEE MMM d HH:mm:ss z yyyy" in English:
// six fields separated by single spaces; weekday and month abbreviations (any case); day,
// hour, minute and second of one or two digits (so "Nov 02" and "3:04:05" parse, as Java's
// parser lets them); zone UTC or GMT; a four-digit year. The weekday must be a weekday name
// but is not checked against the date, and the hour is read as a 24-hour clock: a client
// that prints a 12-hour hour (alexrudd/cognito-srp formats "03:04:05") still yields a valid
// timestamp, only 12 hours off, and Cognito enforces no clock window. Anything else is
// ErrInvalidTimestamp.
func ParseTimestamp(s string) (time.Time, error) {
	if len(s) > maxTimestampLen {
		return time.Time{}, ErrInvalidTimestamp
	}
	f := strings.Split(s, " ")
	if len(f) != 6 || lookupName(weekdayNames[:], f[0]) < 0 {
		return time.Time{}, ErrInvalidTimestamp
	}
	month := lookupName(monthNames[:], f[1])
	day, okDay := smallNum(f[2], 1, 2)
	hms := strings.Split(f[3], ":")
	if month < 0 || !okDay || len(hms) != 3 || !strings.EqualFold(f[4], "UTC") && !strings.EqualFold(f[4], "GMT") {
		return time.Time{}, ErrInvalidTimestamp
	}
	hour, okH := smallNum(hms[0], 1, 2)
	minute, okM := smallNum(hms[1], 1, 2)
	sec, okS := smallNum(hms[2], 1, 2)
	year, okY := smallNum(f[5], 4, 4)
	if !okH || !okM || !okS || !okY || hour > 23 || minute > 59 || sec > 59 || day < 1 {
		return time.Time{}, ErrInvalidTimestamp
	}
	t := time.Date(year, time.Month(month+1), day, hour, minute, sec, 0, time.UTC)
	if t.Day() != day { // 31 of a 30-day month, 29 Feb of a common year
		return time.Time{}, ErrInvalidTimestamp
	}
	return t, nil
}

func lookupName(names []string, s string) int {
	for i, n := range names {
		if strings.EqualFold(n, s) {
			return i
		}
	}
	return -1
}

// smallNum parses a decimal of minLen to maxLen ASCII digits.
func smallNum(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
