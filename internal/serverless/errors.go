package serverless

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors; every *Error wraps one of them, so callers can tell the kinds apart with
// errors.Is.
var (
	// ErrSyntax: the file is not well-formed YAML (or not one YAML document).
	ErrSyntax = errors.New("yaml syntax error")
	// ErrLimit: the file exceeds a size, nesting or expansion bound (MaxFileSize, MaxNesting,
	// MaxResolvedSize, MaxVariableDepth).
	ErrLimit = errors.New("limit exceeded")
	// ErrVariable: a ${…} variable cannot be resolved.
	ErrVariable = errors.New("unresolvable variable")
	// ErrCycle: variables refer to each other in a loop.
	ErrCycle = errors.New("variable cycle")
	// ErrInvalid: the file is valid YAML but not a valid serverless.yml for Gatehouse.
	ErrInvalid = errors.New("invalid configuration")
)

// Pos is a position in the serverless.yml, 1-based; the zero Pos means "unknown".
type Pos struct {
	Line int
	Col  int
}

// Error is one problem found in a serverless.yml, with the position it concerns.
type Error struct {
	File    string
	Line    int
	Col     int
	Message string
	Err     error // one of the sentinels above
}

// Error returns "file:line:col: message".
func (e *Error) Error() string {
	return location(e.File, e.Line, e.Col) + e.Message
}

// Unwrap returns the sentinel the error belongs to.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one file, in file order. Parse and Load return it as their
// error; errors.As(err, &target) with a *Error target finds the first one.
type Errors []*Error

// Error returns one line per problem.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives errors.Is and errors.As access to every problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Severity ranks a Diagnostic: Info for settings Gatehouse accepts but does not use (deployment
// settings, plugins), Warning for settings it cannot honour or that look like mistakes.
type Severity int

const (
	Info Severity = iota
	Warning
)

// String returns "info" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "info"
}

// Diagnostic is a note about the file that does not stop it from loading.
type Diagnostic struct {
	Severity Severity
	File     string
	Line     int
	Col      int
	Message  string
}

// String returns "file:line:col: severity: message".
func (d Diagnostic) String() string {
	return location(d.File, d.Line, d.Col) + d.Severity.String() + ": " + d.Message
}

func location(file string, line, col int) string {
	switch {
	case line <= 0:
		return file + ": "
	case col <= 0:
		return fmt.Sprintf("%s:%d: ", file, line)
	default:
		return fmt.Sprintf("%s:%d:%d: ", file, line, col)
	}
}

// maxErrors bounds how many problems one load reports; past it the rest are dropped.
const maxErrors = 50

// report collects the errors and diagnostics of one load.
type report struct {
	file  string
	errs  Errors
	diags []Diagnostic
	seen  map[*Error]bool
}

func newReport(file string) *report {
	return &report{file: file, seen: map[*Error]bool{}}
}

// errorf records an error at pos wrapping kind.
func (r *report) errorf(pos Pos, kind error, format string, args ...any) {
	r.add(&Error{File: r.file, Line: pos.Line, Col: pos.Col, Message: fmt.Sprintf(format, args...), Err: kind})
}

// add records e once, however many paths lead to it.
func (r *report) add(e *Error) {
	if r.seen[e] || len(r.errs) >= maxErrors {
		return
	}
	r.seen[e] = true
	r.errs = append(r.errs, e)
}

func (r *report) warnf(pos Pos, format string, args ...any) {
	r.diag(Warning, pos, format, args...)
}

func (r *report) infof(pos Pos, format string, args ...any) {
	r.diag(Info, pos, format, args...)
}

func (r *report) diag(s Severity, pos Pos, format string, args ...any) {
	r.diags = append(r.diags, Diagnostic{Severity: s, File: r.file, Line: pos.Line, Col: pos.Col, Message: fmt.Sprintf(format, args...)})
}

func (r *report) failed() bool { return len(r.errs) > 0 }

// err returns the collected errors in file order, or nil.
func (r *report) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	es := append(Errors(nil), r.errs...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Col < es[j].Col
	})
	return es
}

// diagnostics returns the collected diagnostics in file order.
func (r *report) diagnostics() []Diagnostic {
	ds := append([]Diagnostic(nil), r.diags...)
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Line != ds[j].Line {
			return ds[i].Line < ds[j].Line
		}
		return ds[i].Col < ds[j].Col
	})
	return ds
}
