package serverless

import (
	"sort"
	"strconv"
	"strings"
)

// decoder turns the resolved document into a Service, reporting every problem with its line.
type decoder struct {
	rep     *report
	opts    Options
	svc     *Service
	root    Value
	funcs   map[string]*Function
	events  map[string]Value // functions' events, by function key
	fnOrder []string
	res     map[string]*Resource
	// message paths of resources and endpoints, for messages about them
	resPaths map[string]string
	epPaths  map[*Endpoint]string
	badAuth  map[*Endpoint]bool

	httpAPI         *HTTPAPI // provider.httpApi and the httpApi events, nil when neither is written
	fillCORSMethods bool     // httpApi cors without allowedMethods: add the routes' methods
}

// keySet says what a decoder does with each key of a map.
type keySet struct {
	used   []string          // read by the decoder
	silent []string          // accepted without comment: cosmetic, or only for CloudFormation
	info   map[string]string // accepted, not used: one info line with this reason
	warn   map[string]string // not honoured by Gatehouse: one warning with this reason
}

// unknownPolicy is what an unknown key is.
type unknownPolicy int

const (
	unknownWarns unknownPolicy = iota
	unknownFails               // inside security settings: an ignored key could open a door
)

const deployOnly = "deployment setting, not used by Gatehouse"

// checkKeys reports the keys of m that are not plainly used.
func (d *decoder) checkKeys(m Value, path string, ks keySet, unknown unknownPolicy) {
	used := map[string]bool{}
	for _, k := range ks.used {
		used[k] = true
	}
	for _, k := range ks.silent {
		used[k] = true
	}
	for _, f := range m.Map {
		switch {
		case used[f.Key]:
		case ks.info[f.Key] != "":
			d.rep.infof(f.KeyPos, "%s: %s", join(path, f.Key), ks.info[f.Key])
		case ks.warn[f.Key] != "":
			d.rep.warnf(f.KeyPos, "%s: %s", join(path, f.Key), ks.warn[f.Key])
		case unknown == unknownFails:
			d.rep.errorf(f.KeyPos, ErrInvalid, "%s: unknown key %q; an authorizer setting Gatehouse does not understand could weaken authorization, so it is refused (known: %s)", path, f.Key, strings.Join(ks.all(), ", "))
		default:
			d.rep.warnf(f.KeyPos, "%s: unknown key %q, ignored", path, f.Key)
		}
	}
}

func (ks keySet) all() []string {
	out := append(append([]string(nil), ks.used...), ks.silent...)
	for k := range ks.info {
		out = append(out, k)
	}
	for k := range ks.warn {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// join appends a key to a message path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// wantMap reports an error unless v is a map; null counts as an empty map.
func (d *decoder) wantMap(v Value, path string) bool {
	switch v.Kind {
	case KindMap:
		return true
	case KindNull:
		return false
	}
	d.rep.errorf(v.Pos, ErrInvalid, "%s must be a map, not %s", path, v.describe())
	return false
}

// str reads a string setting. Numbers and booleans are refused: the Framework's schema wants
// strings, and a handler or runtime that is a number is a mistake.
func (d *decoder) str(v Value, path string) (string, bool) {
	if v.Kind != KindString {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a string, not %s", path, v.describe())
		return "", false
	}
	return v.Str, true
}

// nonEmpty reads a string setting that may not be empty.
func (d *decoder) nonEmpty(v Value, path string) (string, bool) {
	s, ok := d.str(v, path)
	if ok && strings.TrimSpace(s) == "" {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must not be empty", path)
		return "", false
	}
	return s, ok
}

// integer reads an integer setting; a string of digits counts (values from ${env:…} are
// strings).
func (d *decoder) integer(v Value, path string) (int, bool) {
	s := strings.TrimSpace(v.Str)
	if v.Kind == KindInt || v.Kind == KindString {
		if n, err := strconv.Atoi(s); err == nil {
			return n, true
		}
	}
	if v.Kind == KindFloat {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
			return int(f), true
		}
	}
	d.rep.errorf(v.Pos, ErrInvalid, "%s must be a whole number, not %s", path, v.describe())
	return 0, false
}

// intRange reads an integer setting within [lo, hi].
func (d *decoder) intRange(v Value, path string, lo, hi int, unit string) (int, bool) {
	n, ok := d.integer(v, path)
	if !ok {
		return 0, false
	}
	if n < lo || n > hi {
		d.rep.errorf(v.Pos, ErrInvalid, "%s is %d; it must be from %d to %d%s", path, n, lo, hi, unit)
		return 0, false
	}
	return n, true
}

// boolean reads a boolean setting; "true" and "false" strings count.
func (d *decoder) boolean(v Value, path string) (bool, bool) {
	if v.Kind == KindBool || v.Kind == KindString {
		switch v.Str {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	d.rep.errorf(v.Pos, ErrInvalid, "%s must be true or false, not %s", path, v.describe())
	return false, false
}

// strings reads a list of strings; a single string counts as a list of one when one is true.
func (d *decoder) strList(v Value, path string, one bool) ([]string, bool) {
	if one && v.Kind == KindString {
		return []string{v.Str}, true
	}
	if v.Kind == KindNull {
		return nil, true
	}
	if v.Kind != KindList {
		d.rep.errorf(v.Pos, ErrInvalid, "%s must be a list of strings, not %s", path, v.describe())
		return nil, false
	}
	out := make([]string, 0, len(v.List))
	ok := true
	for i, item := range v.List {
		s, good := d.str(item, index(path, i))
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}
