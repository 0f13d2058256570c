package userexport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// The gatehouse-users format (docs/export-import.md): JSON Lines, a header object, then one
// record per line, groups before the users that belong to them, then an end line. A user
// carries everything that lets it sign in elsewhere as it does here: its argon2id password
// hash as stored, and its SRP salt and verifier in the clear (at rest they are sealed with
// this installation's master key, which the other one does not have). Lockout state, codes,
// refresh tokens and sessions are not exported.

const (
	exportFormat  = "gatehouse-users"
	exportVersion = 1

	// MaxImportLine bounds one line of an import file (and one physical line of a CSV).
	MaxImportLine = 1 << 20
	// importBatchSize is how many users one store transaction creates.
	importBatchSize = 1000
	// exportPageSize is how many users (or groups) one store read returns.
	exportPageSize = 1000
)

// exportHeader is the first line of an export.
type exportHeader struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	Pool     string `json:"pool,omitempty"`
	PoolName string `json:"poolName,omitempty"`
	// PoolSpec is the pool's configuration (AWS's UserPoolType settings), so that importing
	// into a pool that does not exist recreates it under the same id (SRP verifiers are bound
	// to the pool's name).
	PoolSpec   json.RawMessage `json:"poolSpec,omitempty"`
	ExportedAt time.Time       `json:"exportedAt,omitzero"`
}

// exportGroup is a group line as the export writes it.
type exportGroup struct {
	Type        string    `json:"type"` // "group"
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	RoleArn     string    `json:"roleArn,omitempty"`
	Precedence  *int64    `json:"precedence,omitempty"`
	Created     time.Time `json:"created,omitzero"`
	Updated     time.Time `json:"updated,omitzero"`
}

// exportUser is a user line as the export writes it.
type exportUser struct {
	Type            string            `json:"type"` // "user"
	Username        string            `json:"username"`
	Sub             string            `json:"sub"`
	Status          string            `json:"status"`
	Enabled         bool              `json:"enabled"`
	Created         time.Time         `json:"created,omitzero"`
	Updated         time.Time         `json:"updated,omitzero"`
	Attributes      []exportAttribute `json:"attributes"`
	PasswordHash    string            `json:"passwordHash,omitempty"`
	PasswordExpires time.Time         `json:"passwordExpires,omitzero"`
	SRP             *exportSRP        `json:"srp,omitempty"`
	Groups          []string          `json:"groups,omitempty"`
	Extra           json.RawMessage   `json:"extra,omitempty"`
}

type exportAttribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// exportSRP is a user's SRP salt and verifier, in the clear (base64 in JSON).
type exportSRP struct {
	Salt     []byte `json:"salt"`
	Verifier []byte `json:"verifier"`
}

// exportEnd is the last line of an export: an import that does not reach it knows the file
// was cut short.
type exportEnd struct {
	Type       string `json:"type"` // "end"
	UserCount  int    `json:"userCount"`
	GroupCount int    `json:"groupCount"`
}

// importRecord is any line after the header: the fields of every record type, so that one
// strict decode (unknown fields refused) reads any; foreignField then refuses a field of
// another type.
type importRecord struct {
	Type string `json:"type"`

	Name        string `json:"name"`
	Description string `json:"description"`
	RoleArn     string `json:"roleArn"`
	Precedence  *int64 `json:"precedence"`

	Username        string            `json:"username"`
	Sub             string            `json:"sub"`
	Status          string            `json:"status"`
	Enabled         *bool             `json:"enabled"`
	Attributes      []exportAttribute `json:"attributes"`
	PasswordHash    string            `json:"passwordHash"`
	PasswordExpires time.Time         `json:"passwordExpires"`
	SRP             *exportSRP        `json:"srp"`
	Groups          []string          `json:"groups"`
	Extra           json.RawMessage   `json:"extra"`

	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`

	UserCount  *int `json:"userCount"`
	GroupCount *int `json:"groupCount"`
}

// recordFields are the fields each record type has.
var recordFields = map[string]string{
	"group": " name description roleArn precedence created updated ",
	"user":  " username sub status enabled attributes passwordHash passwordExpires srp groups extra created updated ",
	"end":   " userCount groupCount ",
}

// foreignField names a field set on r that its Type does not have ("" when none).
func (r *importRecord) foreignField() string {
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"name", r.Name != ""}, {"description", r.Description != ""}, {"roleArn", r.RoleArn != ""},
		{"precedence", r.Precedence != nil},
		{"username", r.Username != ""}, {"sub", r.Sub != ""}, {"status", r.Status != ""},
		{"enabled", r.Enabled != nil}, {"attributes", r.Attributes != nil},
		{"passwordHash", r.PasswordHash != ""}, {"passwordExpires", !r.PasswordExpires.IsZero()},
		{"srp", r.SRP != nil}, {"groups", r.Groups != nil}, {"extra", len(r.Extra) > 0},
		{"created", !r.Created.IsZero()}, {"updated", !r.Updated.IsZero()},
		{"userCount", r.UserCount != nil}, {"groupCount", r.GroupCount != nil},
	} {
		if f.set && !strings.Contains(recordFields[r.Type], " "+f.name+" ") {
			return f.name
		}
	}
	return ""
}

// checkHeader reads and checks the first line of an export.
func checkHeader(line int, raw []byte) (exportHeader, error) {
	var h exportHeader
	if err := json.Unmarshal(raw, &h); err != nil || h.Format != exportFormat {
		return h, lineError(line, `not a gatehouse-users export: the first line must be a header such as {"format":"gatehouse-users","version":1} (a Cognito CSV file? import it with --csv)`)
	}
	if h.Version != exportVersion {
		if h.Version > exportVersion {
			return h, lineError(line, "format version %d was written by a newer Gatehouse; this one reads version %d", h.Version, exportVersion)
		}
		return h, lineError(line, "unknown format version %d (this Gatehouse reads version %d)", h.Version, exportVersion)
	}
	return h, nil
}

// decodeStrict decodes one JSON object, refusing unknown fields and anything after it.
func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON object")
	}
	return nil
}

// ImportError is a problem with one line of an import file.
type ImportError struct {
	Line int
	Err  error
}

func (e *ImportError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *ImportError) Unwrap() error { return e.Err }

// lineError builds an ImportError; a Cognito error shows its message only.
func lineError(line int, format string, args ...any) *ImportError {
	for i, a := range args {
		var ae *awsapi.Error
		if err, ok := a.(error); ok && errors.As(err, &ae) {
			args[i] = strings.ReplaceAll(strings.TrimSpace(ae.Message), "\n", "; ")
		}
	}
	return &ImportError{Line: line, Err: fmt.Errorf(format, args...)}
}

// plural is n things: "1 user", "2 users".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
