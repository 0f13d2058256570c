package sigv4

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The credentials of AWS's test suite.
const (
	suiteKeyID  = "AKIDEXAMPLE"
	suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// memCredentials is a Credentials over a map; it counts lookups.
type memCredentials struct {
	m     map[string]Secret
	calls atomic.Int64
	err   error // returned for every lookup when set
}

func (c *memCredentials) Lookup(_ context.Context, id string) (Secret, error) {
	c.calls.Add(1)
	if c.err != nil {
		return Secret{}, c.err
	}
	s, ok := c.m[id]
	if !ok {
		return Secret{}, ErrUnknownKey
	}
	return s, nil
}

func newCreds(pairs ...any) *memCredentials {
	c := &memCredentials{m: map[string]Secret{}}
	for i := 0; i < len(pairs); i += 2 {
		c.m[pairs[i].(string)] = pairs[i+1].(Secret)
	}
	return c
}

// fixedClock returns a clock frozen at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(amzDateLayout, s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func newVerifier(tb testing.TB, cfg Config) *Verifier {
	tb.Helper()
	v, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// wantRefusal fails unless err is an *Error of kind k whose message is msg (or, when msg
// ends with "…", starts with it).
func wantRefusal(tb testing.TB, err error, k Kind, msg string) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v, want a refusal %v %q", err, k, msg)
	}
	if e.Kind != k {
		tb.Errorf("kind = %v, want %v (message %q)", e.Kind, k, e.Message)
	}
	if prefix, ok := strings.CutSuffix(msg, "…"); ok {
		if !strings.HasPrefix(e.Message, prefix) {
			tb.Errorf("message = %q\nwant prefix %q", e.Message, prefix)
		}
	} else if e.Message != msg {
		tb.Errorf("message = %q\nwant        %q", e.Message, msg)
	}
}
