package awsapi_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// JSON 1.1 timestamps are epoch seconds with up to millisecond fractions (smithy
// aws-json-1_1: timestampFormat epoch-seconds).
func TestTimeJSON(t *testing.T) {
	for _, tc := range []struct {
		time time.Time
		json string
	}{
		{time.Unix(1700000000, 0), `1700000000`},
		{time.UnixMilli(1700000000123), `1700000000.123`},
		{time.UnixMilli(1700000000100), `1700000000.100`},
		{time.UnixMilli(1700000000999), `1700000000.999`},
		{time.UnixMilli(-1500), `-1.500`},
		{time.Unix(0, 0), `0`},
	} {
		b, err := json.Marshal(awsapi.Time{Time: tc.time})
		if err != nil || string(b) != tc.json {
			t.Errorf("marshal %v: %s %v, want %s", tc.time, b, err, tc.json)
		}
		var back awsapi.Time
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tc.time) || back.Location() != time.UTC {
			t.Errorf("round trip %s: %v %v", b, back, err)
		}
	}
	// Sub-millisecond precision is dropped on the way out; fractions round on the way in.
	b, _ := json.Marshal(awsapi.Time{Time: time.Unix(5, 999_999)})
	if string(b) != `5` {
		t.Errorf("sub-millisecond: %s", b)
	}
	var in awsapi.Time
	if err := json.Unmarshal([]byte(`1.2346`), &in); err != nil || in.UnixMilli() != 1235 {
		t.Errorf("1.2346 → %v %v", in.UnixMilli(), err)
	}
	if err := json.Unmarshal([]byte(`1e3`), &in); err != nil || in.Unix() != 1000 {
		t.Errorf("1e3 → %v %v", in, err)
	}

	// The zero Time is null both ways, and a nil *Time is left out of output.
	if b, _ := json.Marshal(awsapi.Time{}); string(b) != `null` {
		t.Errorf("zero: %s", b)
	}
	if awsapi.NewTime(time.Time{}) != nil {
		t.Error("NewTime(zero) is not nil")
	}
	in = awsapi.Time{Time: time.Now()}
	if err := json.Unmarshal([]byte(`null`), &in); err != nil || !in.IsZero() {
		t.Errorf("null → %v %v", in, err)
	}
	out, _ := json.Marshal(struct {
		At *awsapi.Time `json:"At,omitempty"`
	}{})
	if string(out) != `{}` {
		t.Errorf("nil *Time: %s", out)
	}

	for _, bad := range []string{`"2024-01-01T00:00:00Z"`, `true`, `{}`} {
		if err := json.Unmarshal([]byte(bad), &in); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
