package token

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math"
	"time"
)

// Claims is a verified token's payload. Verify decodes it with json.Decoder.UseNumber, so
// numbers (exp, iat, auth_time) are json.Number and keep their exact integer value; the
// helpers also accept float64 and Go integers, so a Claims built by hand works the same.
type Claims map[string]any

// String returns the claim as a string, or "" when it is absent or not a string.
func (c Claims) String(name string) string {
	s, _ := c[name].(string)
	return s
}

// Strings returns a claim that is a string or an array of strings (aud, cognito:groups) as a
// slice; nil when absent or of another type.
func (c Claims) Strings(name string) []string {
	switch v := c[name].(type) {
	case string:
		return []string{v}
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// Int64 returns an integral numeric claim; ok is false when it is absent, not a number, not
// integral or out of range.
func (c Claims) Int64(name string) (v int64, ok bool) {
	switch n := c[name].(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		if err != nil {
			return 0, false
		}
		return floatToInt64(f)
	case float64:
		return floatToInt64(n)
	case int64:
		return n, true
	case int:
		return int64(n), true
	}
	return 0, false
}

// Time returns a NumericDate claim (exp, iat, auth_time) as a time.
func (c Claims) Time(name string) (time.Time, bool) {
	v, ok := c.Int64(name)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(v, 0), true
}

func floatToInt64(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, false
	}
	return int64(f), true
}

// AccessTokenHash is an ID token's at_hash for an access token signed with RS256: the
// base64url encoding of the left half of the token's SHA-256 (OpenID Connect Core 1.0
// §3.1.3.6).
func AccessTokenHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}
