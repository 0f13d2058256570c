package serverless

import (
	"fmt"
	"io"
	"os"
)

// Load reads the serverless.yml at path; see Parse. Errors about the file's content are
// Errors (one *Error per problem, each naming path:line:col); an error reading the file is
// returned as is, wrapped.
func Load(path string, opts Options) (*Service, []Diagnostic, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("serverless: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("serverless: %w", err)
	}
	if info.IsDir() {
		return nil, nil, fmt.Errorf("serverless: %s is a directory; name the serverless.yml itself", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("serverless: read %s: %w", path, err)
	}
	return Parse(path, data, opts)
}

// Parse reads a serverless.yml held in memory; name is the file name messages give. It
// resolves the variables, checks every setting Gatehouse uses, and returns the Service with
// the diagnostics (settings accepted but not used, settings Gatehouse cannot honour). On error
// the Service is nil and the error is Errors, every problem found with its position.
//
// Parse reads nothing but data and opts: no file, no network, no process environment.
func Parse(name string, data []byte, opts Options) (*Service, []Diagnostic, error) {
	rep := newReport(name)
	raw, ok := parseYAML(rep, data)
	if !ok {
		return nil, rep.diagnostics(), rep.err()
	}
	resolved := resolveAll(rep, raw, opts)
	if rep.failed() {
		return nil, rep.diagnostics(), rep.err()
	}
	svc := decodeService(rep, name, resolved, opts)
	if rep.failed() {
		return nil, rep.diagnostics(), rep.err()
	}
	return svc, rep.diagnostics(), nil
}
