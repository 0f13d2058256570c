package sqlstore

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"ab", "ac", true},
		{"a%", "a&", true},
		{"a\x7f", "a\u0080", true},
		{"é", "ê", true},
		{"a\uD7FF", "a\uE000", true},
		{"a\U0010FFFF", "b", true},
		{"\U0010FFFF\U0010FFFF", "", false},
	} {
		got, ok := prefixEnd(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && !utf8.ValidString(got) {
			t.Errorf("prefixEnd(%q) = %q is not UTF-8", tc.in, got)
		}
	}
	// Every string with the prefix sorts below the end; the end itself does not have it.
	p := "user\u00ff"
	end, _ := prefixEnd(p)
	for _, s := range []string{p, p + "\x00", p + "\U0010FFFF\U0010FFFF", p + "zzz"} {
		if !(s >= p && s < end) {
			t.Errorf("%q is outside [%q, %q)", s, p, end)
		}
	}
	if strings.HasPrefix(end, p) {
		t.Errorf("end %q has the prefix", end)
	}
}

func TestSQLitePath(t *testing.T) {
	for _, tc := range []struct {
		in, uri, query string
		memory         bool
	}{
		{"/data/gatehouse.db", "file:/data/gatehouse.db", "", false},
		{"sqlite:///data/g.db", "file:/data/g.db", "", false},
		{"sqlite://rel/g.db", "file:rel/g.db", "", false},
		{"/odd/na?me#1%.db", "file:/odd/na%3fme%231%25.db", "", false},
		{"file:/data/g.db?mode=rwc", "file:/data/g.db", "mode=rwc", false},
		{"file:mem?mode=memory&cache=shared", "file:mem", "mode=memory&cache=shared", true},
		{":memory:", "file::memory:", "", true},
	} {
		uri, query, memory, err := sqlitePath(tc.in)
		if err != nil || uri != tc.uri || query != tc.query || memory != tc.memory {
			t.Errorf("sqlitePath(%q) = %q, %q, %v, %v; want %q, %q, %v", tc.in, uri, query, memory, err, tc.uri, tc.query, tc.memory)
		}
	}
	if _, _, _, err := sqlitePath(""); err == nil {
		t.Error("empty path accepted")
	}
}
