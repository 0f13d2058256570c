package iam

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// Bounds of a query-protocol request. The largest legitimate IAM request (a policy
// document of 131,072 characters, each URL-encoded as up to 9 bytes) stays under
// MaxBodyBytes; no IAM action takes more than a few dozen parameters.
const (
	MaxBodyBytes = 1 << 20
	MaxParams    = 256
)

var (
	errTooManyParams = errors.New("too many parameters")
	errBadEncoding   = errors.New("malformed query string")
)

// params are a query-protocol request's parameters (IAM API reference, "Making query
// requests": Action, Version and the action's members, lists as Name.member.N). A name
// given twice keeps its first value.
type params struct {
	m map[string]string
}

// parseParams decodes application/x-www-form-urlencoded text (and a URL's query string):
// '&'-separated name=value pairs, '+' as space, percent escapes. Unlike url.ParseQuery it
// counts the pairs before decoding more than MaxParams of them.
func parseParams(dst *params, s string) error {
	if dst.m == nil {
		dst.m = map[string]string{}
	}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" {
			continue
		}
		if len(dst.m) >= MaxParams {
			return errTooManyParams
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			return errBadEncoding
		}
		v, err = url.QueryUnescape(v)
		if err != nil {
			return errBadEncoding
		}
		if _, dup := dst.m[k]; !dup {
			dst.m[k] = v
		}
	}
	return nil
}

func (p *params) get(name string) string { return p.m[name] }

// optional returns a pointer to the parameter's value, nil when it was not sent.
func (p *params) optional(name string) *string {
	v, ok := p.m[name]
	if !ok {
		return nil
	}
	return &v
}

// integer reads an integer parameter; 0 when absent. A value that is not an integer is a
// ValidationError (Gatehouse's own words: IAM's are not known).
func (p *params) integer(name string, minV int) (int, error) {
	v, ok := p.m[name]
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n == 0 {
		// 0 would read as "absent" in the Go inputs; it is out of every range IAM has.
		var c checker
		if err != nil {
			c.fail(name, v, false, "Member must be an integer")
		} else {
			c.fail(name, v, false, "Member must have value greater than or equal to "+strconv.Itoa(minV))
		}
		return 0, c.err()
	}
	return n, nil
}
