package awsapi

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Time is a timestamp on the wire: JSON 1.1 sends timestamps as epoch seconds, a JSON number
// with up to millisecond fractions (smithy: "epoch-seconds" is the default timestamp format of
// awsJson1_1). The zero Time encodes as null.
type Time struct{ time.Time }

// NewTime wraps t.
func NewTime(t time.Time) *Time {
	if t.IsZero() {
		return nil
	}
	return &Time{t}
}

// MarshalJSON writes epoch seconds with millisecond precision.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(nil, ms/1000, 10), nil
	}
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', 3, 64), nil
}

// UnmarshalJSON reads epoch seconds (integer or fractional).
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Serialization("invalid timestamp")
	}
	sec, frac := math.Modf(f)
	t.Time = time.Unix(int64(sec), int64(math.Round(frac*1e3))*int64(time.Millisecond)).UTC()
	return nil
}
