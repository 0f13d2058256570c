package userpool

import (
	"bufio"
	"bytes"
	"container/heap"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool/srp"
)

// Export and import of a pool's users, so that no installation locks its users in
// (`gatehouse users export` / `gatehouse users import`, docs/export-import.md).
//
// The format is JSON Lines: a header object, then one record per line, groups before the
// users that belong to them. A user carries everything that lets it sign in elsewhere as it
// does here: its argon2id password hash as stored, and its SRP salt and verifier in the
// clear (at rest they are sealed with this installation's master key, which the other one
// does not have). Lockout state, codes, refresh tokens and sessions are not exported.
//
// Both directions stream: the export reads the store a page at a time, the import writes a
// batch at a time, so neither holds a pool's users in memory.

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

// registerExport adds the operations of this file's flow to api.
func (s *Service) registerExport(api *awsapi.Service) {
	api.Register("GetCSVHeader", awsapi.Op(s.GetCSVHeader))
}

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

// ExportStats counts what an export wrote.
type ExportStats struct {
	Users  int
	Groups int
}

// ExportUsers writes the pool's groups and users to w in the gatehouse-users format
// (docs/export-import.md), a page at a time. progress, when not nil, is called with the
// number of users written so far after each page.
//
// A pool being written to meanwhile exports each page as it was when read: a user created
// during the export may or may not be in it.
func (s *Service) ExportUsers(ctx context.Context, poolID string, w io.Writer, progress func(users int)) (ExportStats, error) {
	var stats ExportStats
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return stats, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err = enc.Encode(exportHeader{Format: exportFormat, Version: exportVersion, Pool: p.rec.ID, PoolName: p.rec.Name, PoolSpec: p.rec.Spec, ExportedAt: s.nowUTC()})
	if err != nil {
		return stats, err
	}

	var groupNames []string
	for after := ""; ; {
		groups, err := s.store.ListGroups(ctx, poolID, store.Page{After: after, Limit: exportPageSize})
		if err != nil {
			return stats, fmt.Errorf("list groups: %w", err)
		}
		for _, g := range groups {
			groupNames = append(groupNames, g.Name)
			rec := exportGroup{Type: "group", Name: g.Name, Description: g.Description, RoleArn: g.RoleArn,
				Precedence: g.Precedence, Created: g.CreatedAt, Updated: g.UpdatedAt}
			if err := enc.Encode(rec); err != nil {
				return stats, err
			}
			stats.Groups++
		}
		if len(groups) < exportPageSize {
			break
		}
		after = groups[len(groups)-1].Name
	}

	members, err := s.newMemberships(ctx, poolID, groupNames)
	if err != nil {
		return stats, err
	}
	for after := ""; ; {
		users, err := s.store.ListUsers(ctx, poolID, nil, store.Page{After: after, Limit: exportPageSize})
		if err != nil {
			return stats, fmt.Errorf("list users: %w", err)
		}
		for _, u := range users {
			groups, err := members.groupsOf(u.UsernameKey)
			if err != nil {
				return stats, err
			}
			rec, err := s.exportUser(u, groups)
			if err != nil {
				return stats, err
			}
			if err := enc.Encode(rec); err != nil {
				return stats, err
			}
			stats.Users++
		}
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		if progress != nil && len(users) > 0 {
			progress(stats.Users)
		}
		if len(users) < exportPageSize {
			break
		}
		after = users[len(users)-1].UsernameKey
	}
	if err := enc.Encode(exportEnd{Type: "end", UserCount: stats.Users, GroupCount: stats.Groups}); err != nil {
		return stats, err
	}
	return stats, bw.Flush()
}

// memberships yields each user's group names while the export walks the users in
// UsernameKey order: it walks every group's members in the same order alongside (a merge of
// sorted lists, one cursor per group in a heap), so that the export costs a query per page
// of members instead of one per user. Both listings are in byte order of UsernameKey, as
// the store orders them and Go compares strings.
type memberships struct {
	ctx     context.Context
	s       *Service
	poolID  string
	cursors cursorHeap
}

// memberCursor is one group's members, a page at a time.
type memberCursor struct {
	group string
	keys  []string // the current page; keys[0] is the current member
	last  bool     // the page is the group's last
}

// cursorHeap orders cursors by their current member (container/heap).
type cursorHeap []*memberCursor

func (h cursorHeap) Len() int           { return len(h) }
func (h cursorHeap) Less(i, j int) bool { return h[i].keys[0] < h[j].keys[0] }
func (h cursorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursorHeap) Push(x any)        { *h = append(*h, x.(*memberCursor)) }
func (h *cursorHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

func (s *Service) newMemberships(ctx context.Context, poolID string, groups []string) (*memberships, error) {
	m := &memberships{ctx: ctx, s: s, poolID: poolID}
	for _, g := range groups {
		c := &memberCursor{group: g}
		if err := m.fill(c, ""); err != nil {
			return nil, err
		}
		if len(c.keys) > 0 {
			m.cursors = append(m.cursors, c)
		}
	}
	heap.Init(&m.cursors)
	return m, nil
}

// fill loads the page of c's members after the key after.
func (m *memberships) fill(c *memberCursor, after string) error {
	users, err := m.s.store.ListUsersInGroup(m.ctx, m.poolID, c.group, store.Page{After: after, Limit: exportPageSize})
	if err != nil {
		return fmt.Errorf("list members of group %q: %w", c.group, err)
	}
	c.keys = c.keys[:0]
	for _, u := range users {
		c.keys = append(c.keys, u.UsernameKey)
	}
	c.last = len(users) < exportPageSize
	return nil
}

// groupsOf returns the names of the groups of the user with key k, sorted. Keys must come
// in ascending order.
func (m *memberships) groupsOf(k string) ([]string, error) {
	var names []string
	for len(m.cursors) > 0 && m.cursors[0].keys[0] <= k {
		c := m.cursors[0]
		cur := c.keys[0]
		if cur == k {
			names = append(names, c.group)
		}
		// Step past cur (a member below k is one the user listing no longer has).
		if c.keys = c.keys[1:]; len(c.keys) == 0 && !c.last {
			if err := m.fill(c, cur); err != nil {
				return nil, err
			}
		}
		if len(c.keys) == 0 {
			heap.Pop(&m.cursors)
		} else {
			heap.Fix(&m.cursors, 0)
		}
	}
	slices.Sort(names)
	return names, nil
}

// exportUser turns a stored user into its export record: the SRP verifier opened, the rest
// of Extra carried as it is.
func (s *Service) exportUser(u store.User, groups []string) (exportUser, error) {
	rec := exportUser{
		Type: "user", Username: u.Username, Sub: u.Sub, Status: u.Status, Enabled: u.Enabled,
		Created: u.CreatedAt, Updated: u.UpdatedAt,
		Attributes:   make([]exportAttribute, len(u.Attributes)),
		PasswordHash: u.PasswordHash, PasswordExpires: u.PasswordExpiresAt, Groups: groups,
	}
	for i, a := range u.Attributes {
		rec.Attributes[i] = exportAttribute(a)
	}
	salt, verifier, ok, err := s.srpVerifier(u)
	if err != nil {
		return rec, fmt.Errorf("user %q: %w (is the master key the one the server uses?)", u.Username, err)
	}
	if ok {
		rec.SRP = &exportSRP{Salt: salt, Verifier: verifier}
	}
	if len(u.Extra) > 0 {
		extra, err := withExtraField(u.Extra, srpExtraKey, nil)
		if err != nil {
			return rec, fmt.Errorf("user %q: %w", u.Username, err)
		}
		rec.Extra = extra
	}
	return rec, nil
}

// ImportStats counts what an import read and did.
type ImportStats struct {
	Users   int // user records (CSV rows) read
	Created int // users created
	Skipped int // users the pool already had: left as they were
	// Groups counts group records; GroupsCreated those created, the rest the pool had.
	Groups        int
	GroupsCreated int
	// SRPDropped counts SRP verifiers left out because the file comes from a pool with
	// another name (the part of its id after "_"), to which SRP binds them: those users sign
	// in with USER_PASSWORD_AUTH (their password hash is kept) until they set a new password.
	SRPDropped int
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

// ImportUsers reads a gatehouse-users export from r into the pool, which must exist. Users
// the pool does not have are created; a user it has (the same username, as the pool compares
// usernames) is left as it is, and so is a group of an existing name: running an import
// again changes nothing. Password hashes are taken as they are, so users sign in with their
// old passwords.
//
// The first malformed line stops the import with an *ImportError naming it; users of the
// batches before it are imported (a re-run after fixing the line completes the import),
// none of its own batch is. So does a file that ends without its end line (cut short), or
// whose end line counts other numbers of records. A user is written with its group
// memberships in one transaction, never in part. progress, when not nil, is called with the
// number of user records read so far after each batch.
func (s *Service) ImportUsers(ctx context.Context, poolID string, r io.Reader, progress func(users int)) (ImportStats, error) {
	im, err := s.newImporter(ctx, poolID, progress)
	if err != nil {
		return ImportStats{}, err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxImportLine)
	line, header, ended := 0, false, false
	for sc.Scan() {
		line++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		if ended {
			return im.stats, lineError(line, "a record after the end line")
		}
		if !header {
			h, err := checkHeader(line, raw)
			if err != nil {
				return im.stats, err
			}
			if err := im.ensurePool(ctx, h); err != nil {
				return im.stats, err
			}
			// SRP verifiers are bound to the pool's name (its id after "_"): one made for
			// another pool could never verify here.
			im.keepSRP = h.Pool == "" || srp.PoolName(h.Pool) == srp.PoolName(im.p.rec.ID)
			header = true
			continue
		}
		var rec importRecord
		if err := decodeStrict(raw, &rec); err != nil {
			return im.stats, lineError(line, "%v", err)
		}
		switch rec.Type {
		case "group":
			err = im.importGroup(ctx, line, &rec)
		case "user":
			err = im.importUser(ctx, line, &rec)
		case "end":
			err = im.checkEnd(line, &rec)
			ended = true
		case "":
			err = lineError(line, `record has no "type" ("group", "user" or "end")`)
		default:
			err = lineError(line, `unknown record type %q (want "group", "user" or "end")`, rec.Type)
		}
		if err != nil {
			return im.stats, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return im.stats, lineError(line+1, "line longer than %d bytes", MaxImportLine)
		}
		return im.stats, err
	}
	if !header {
		return im.stats, errors.New("empty input: want a gatehouse-users export")
	}
	if !ended {
		return im.stats, lineError(line+1, `the file ends without the end line {"type":"end",…} that closes every export: `+
			`it was cut short (the last %s read were not imported)`, plural(len(im.batch), "user"))
	}
	return im.stats, im.flush(ctx)
}

// checkEnd checks the end line against what the file held.
func (im *importer) checkEnd(line int, rec *importRecord) error {
	if f := rec.foreignField(); f != "" {
		return lineError(line, "the end line has no field %q", f)
	}
	if rec.UserCount == nil || rec.GroupCount == nil {
		return lineError(line, "the end line needs userCount and groupCount")
	}
	if *rec.UserCount != im.stats.Users || *rec.GroupCount != im.stats.Groups {
		return lineError(line, "the end line counts %s and %s, but the file holds %d and %d",
			plural(*rec.UserCount, "user"), plural(*rec.GroupCount, "group"), im.stats.Users, im.stats.Groups)
	}
	return nil
}

// plural is n things: "1 user", "2 users".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
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

// importer writes users in batches and keeps what an import must know across lines.
type importer struct {
	s        *Service
	poolID   string
	p        *pool           // nil until ensurePool when the pool did not exist
	missing  error           // why p is nil
	bulk     store.BulkUsers // nil: one user at a time
	progress func(int)
	stats    ImportStats

	groups map[string]bool // the pool's group names, and those the file created
	batch  []pendingUser
	// contacts maps "attribute\x00value" to the UsernameKey that holds it in the batch, in
	// pools where an email or phone number must belong to one user only.
	contacts      map[string]string
	checkContacts bool
	// keepSRP is false when the file's SRP verifiers were made for a pool of another name.
	keepSRP bool
}

type pendingUser struct {
	line int
	nu   store.NewUser
}

func (s *Service) newImporter(ctx context.Context, poolID string, progress func(int)) (*importer, error) {
	im := &importer{s: s, poolID: poolID, progress: progress, groups: map[string]bool{}, contacts: map[string]string{}}
	p, err := s.loadPool(ctx, poolID)
	var ae *awsapi.Error
	if errors.As(err, &ae) && ae.Type == "ResourceNotFoundException" {
		// The header may carry the pool to recreate (ensurePool).
		im.missing = err
		return im, nil
	}
	if err != nil {
		return nil, err
	}
	im.setPool(p)
	return im, im.loadGroups(ctx)
}

// setPool sets the pool the import writes to.
func (im *importer) setPool(p *pool) {
	im.p = p
	im.bulk, _ = im.s.store.(store.BulkUsers)
	im.checkContacts = len(p.spec.UsernameAttributes) > 0 || p.hasAliasAttribute("email") || p.hasAliasAttribute("phone_number")
}

// ensurePool recreates a missing target pool from the file's header when the header names
// the same pool id, so that "export, delete the pool, import" restores it whole.
func (im *importer) ensurePool(ctx context.Context, h exportHeader) error {
	if im.p != nil {
		return nil
	}
	if h.Pool != im.poolID || len(h.PoolSpec) == 0 {
		return fmt.Errorf("%w (the file does not carry this pool's configuration; create the pool first)", im.missing)
	}
	p, err := im.s.restorePool(ctx, h.Pool, h.PoolName, h.PoolSpec)
	if err != nil {
		return err
	}
	im.setPool(p)
	return nil
}

func (im *importer) loadGroups(ctx context.Context) error {
	s, poolID := im.s, im.poolID
	// A pool has at most a few thousand groups (Cognito's quota is 10,000): their names fit.
	for after := ""; ; {
		gs, err := s.store.ListGroups(ctx, poolID, store.Page{After: after, Limit: exportPageSize})
		if err != nil {
			return fmt.Errorf("list groups: %w", err)
		}
		for _, g := range gs {
			im.groups[g.Name] = true
		}
		if len(gs) < exportPageSize {
			return nil
		}
		after = gs[len(gs)-1].Name
	}
}

// importGroup creates a group record's group unless the pool has one of that name.
func (im *importer) importGroup(ctx context.Context, line int, rec *importRecord) error {
	if f := rec.foreignField(); f != "" {
		return lineError(line, "group %q: a group has no field %q", rec.Name, f)
	}
	im.stats.Groups++
	switch {
	case rec.Name == "":
		return lineError(line, "group without a name")
	case !validName(rec.Name, 128):
		return lineError(line, "group name %q: 1 to 128 letters, marks, symbols, numbers or punctuation", rec.Name)
	case utf8.RuneCountInString(rec.Description) > 2048:
		return lineError(line, "group %q: description longer than 2048 characters", rec.Name)
	case rec.RoleArn != "" && (!strings.HasPrefix(rec.RoleArn, "arn:") || len(rec.RoleArn) < 20 || len(rec.RoleArn) > 2048):
		return lineError(line, "group %q: roleArn %q is not an IAM role ARN", rec.Name, rec.RoleArn)
	}
	if err := checkPrecedence(rec.Precedence); err != nil {
		return lineError(line, "group %q: precedence %d: must be 0 to %d", rec.Name, *rec.Precedence, maxPrecedence)
	}
	if im.groups[rec.Name] {
		return nil
	}
	now := im.s.nowUTC()
	g := store.Group{PoolID: im.p.rec.ID, Name: rec.Name, Description: rec.Description, RoleArn: rec.RoleArn,
		Precedence: rec.Precedence, CreatedAt: orNow(rec.Created, now), UpdatedAt: orNow(rec.Updated, now)}
	err := im.s.store.CreateGroup(ctx, g)
	switch {
	case err == nil:
		im.stats.GroupsCreated++
	case errors.Is(err, store.ErrAlreadyExists): // created meanwhile
	default:
		return fmt.Errorf("line %d: create group %q: %w", line, rec.Name, err)
	}
	im.groups[rec.Name] = true
	return nil
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return t.UTC()
}

// importableStatuses are the statuses an imported user may have: those Gatehouse's sign-in
// flows know.
var importableStatuses = map[string]bool{
	statusUnconfirmed: true, statusConfirmed: true, statusForceChangePassword: true, statusResetRequired: true,
}

// importUser validates a user record and queues it.
func (im *importer) importUser(ctx context.Context, line int, rec *importRecord) error {
	im.stats.Users++
	u, groups, err := im.userFromRecord(line, rec)
	if err != nil {
		return err
	}
	return im.add(ctx, line, store.NewUser{User: u, Groups: groups})
}

func (im *importer) userFromRecord(line int, rec *importRecord) (store.User, []string, error) {
	name := rec.Username
	if f := rec.foreignField(); f != "" {
		return store.User{}, nil, lineError(line, "user %q: a user has no field %q", name, f)
	}
	if name == "" {
		return store.User{}, nil, lineError(line, "user without a username")
	}
	if !validName(name, 128) {
		return store.User{}, nil, lineError(line, "username %q: 1 to 128 letters, marks, symbols, numbers or punctuation", name)
	}
	s, p := im.s, im.p
	now := s.nowUTC()
	u := store.User{
		PoolID: p.rec.ID, Username: name, UsernameKey: p.usernameKey(name), Sub: rec.Sub,
		Status: rec.Status, Enabled: rec.Enabled == nil || *rec.Enabled,
		CreatedAt: orNow(rec.Created, now), UpdatedAt: orNow(rec.Updated, now),
		PasswordHash: rec.PasswordHash,
	}
	if !rec.PasswordExpires.IsZero() {
		u.PasswordExpiresAt = rec.PasswordExpires.UTC()
	}
	if u.Status == "" {
		u.Status = statusConfirmed
	}
	if !importableStatuses[u.Status] {
		return u, nil, lineError(line, "user %q: status %q: want UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD or RESET_REQUIRED", name, u.Status)
	}
	if u.PasswordHash != "" {
		if err := checkPasswordHash(u.PasswordHash); err != nil {
			return u, nil, lineError(line, "user %q: %v", name, err)
		}
	}

	// Attributes: sub where the file put it (first when absent), the rest checked against
	// the pool's schema as AdminCreateUser checks them.
	subAt := -1
	in := make([]AttributeType, 0, len(rec.Attributes))
	seen := make(map[string]bool, len(rec.Attributes))
	for i, a := range rec.Attributes {
		if seen[a.Name] {
			return u, nil, lineError(line, "user %q: attribute %q appears twice", name, a.Name)
		}
		seen[a.Name] = true
		switch {
		case a.Name == "sub":
			subAt = i
			if u.Sub == "" {
				u.Sub = a.Value
			} else if a.Value != u.Sub {
				return u, nil, lineError(line, "user %q: attribute sub %q differs from sub %q", name, a.Value, u.Sub)
			}
		case a.Value == "":
			return u, nil, lineError(line, "user %q: attribute %q has no value (leave it out instead)", name, a.Name)
		default:
			in = append(in, AttributeType(a))
		}
	}
	if u.Sub == "" {
		sub, err := s.newSub()
		if err != nil {
			return u, nil, err
		}
		u.Sub = sub
	}
	if len(u.Sub) > 128 || !utf8.ValidString(u.Sub) {
		return u, nil, lineError(line, "user %q: sub %q is not a valid sub", name, u.Sub)
	}
	attrs, err := p.checkAttributes(in, nil, true)
	if err != nil {
		return u, nil, lineError(line, "user %q: %v", name, err)
	}
	if problems := p.missingRequired(attrs); len(problems) > 0 {
		return u, nil, lineError(line, "user %q: %v", name, errSchema(problems))
	}
	subAttr := store.Attribute{Name: "sub", Value: u.Sub}
	if subAt < 0 {
		u.Attributes = append([]store.Attribute{subAttr}, attrs...)
	} else {
		u.Attributes = make([]store.Attribute, 0, len(attrs)+1)
		u.Attributes = append(u.Attributes, attrs[:subAt]...)
		u.Attributes = append(u.Attributes, subAttr)
		u.Attributes = append(u.Attributes, attrs[subAt:]...)
	}

	if len(rec.Extra) > 0 && !bytes.Equal(rec.Extra, []byte("null")) {
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(rec.Extra, &doc); err != nil {
			return u, nil, lineError(line, "user %q: extra must be a JSON object", name)
		}
		if _, ok := doc[srpExtraKey]; ok {
			return u, nil, lineError(line, "user %q: extra must not hold %q (use the srp field)", name, srpExtraKey)
		}
		if len(doc) > 0 {
			u.Extra = append(json.RawMessage(nil), rec.Extra...)
		}
	}
	if rec.SRP != nil && !im.keepSRP {
		im.stats.SRPDropped++
	} else if rec.SRP != nil {
		if n := len(rec.SRP.Salt); n == 0 || n > 128 {
			return u, nil, lineError(line, "user %q: srp.salt must be 1 to 128 bytes", name)
		}
		if n := len(rec.SRP.Verifier); n == 0 || n > 512 {
			return u, nil, lineError(line, "user %q: srp.verifier must be 1 to 512 bytes", name)
		}
		if err := s.setSRPVerifier(&u, rec.SRP.Salt, rec.SRP.Verifier); err != nil {
			return u, nil, err
		}
	}

	var groups []string
	for _, g := range rec.Groups {
		if !im.groups[g] {
			return u, nil, lineError(line, "user %q: group %q is neither in the pool nor on an earlier line", name, g)
		}
		if !contains(groups, g) {
			groups = append(groups, g)
		}
	}
	return u, groups, nil
}

// validName checks a username or group name as Cognito's UsernameType and GroupNameType
// patterns do ([\p{L}\p{M}\p{S}\p{N}\p{P}]+, at most max characters).
func validName(name string, max int) bool {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > max {
		return false
	}
	for _, r := range name {
		if !unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) {
			return false
		}
	}
	return true
}

// checkPasswordHash accepts the hashes verifyPassword can verify: PHC-format argon2id with
// parameters within its bounds. It does not run argon2, so it costs nothing per user.
func checkPasswordHash(hash string) error {
	parts := strings.Split(hash, "$")
	if len(parts) < 2 || parts[0] != "" {
		return errors.New("passwordHash is not a PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)")
	}
	if parts[1] != "argon2id" {
		scheme := parts[1]
		switch scheme {
		case "2a", "2b", "2y":
			scheme += " (bcrypt)"
		}
		return fmt.Errorf("password hash scheme %s is not supported: Gatehouse verifies argon2id only "+
			"(import such users without passwordHash and status RESET_REQUIRED, so that they reset their password)", scheme)
	}
	bad := func(what string) error {
		return fmt.Errorf("passwordHash: %s (want $argon2id$v=19$m=…,t=…,p=…$salt$hash)", what)
	}
	if len(parts) != 6 {
		return bad("wrong number of fields")
	}
	if parts[2] != "v=19" {
		return bad("argon2 version " + parts[2] + " (want v=19)")
	}
	var m, t uint32
	var par uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &par); err != nil {
		return bad("parameters " + parts[3])
	}
	if m < 1024 || m > 1024*1024 || t < 1 || t > 16 || par < 1 || par > 16 {
		return bad("parameters " + parts[3] + " out of bounds (m 1024–1048576 KiB, t 1–16, p 1–16)")
	}
	b64 := base64.RawStdEncoding
	if salt, err := b64.DecodeString(parts[4]); err != nil || len(salt) < 8 || len(salt) > 64 {
		return bad("salt must be 8 to 64 bytes of unpadded base64")
	}
	if key, err := b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return bad("hash must be 16 to 64 bytes of unpadded base64")
	}
	return nil
}

// add queues a user, writing the batch when it is full.
func (im *importer) add(ctx context.Context, line int, nu store.NewUser) error {
	if im.checkContacts {
		if err := im.contactFree(ctx, nu.User); err != nil {
			return lineError(line, "user %q: %v", nu.User.Username, err)
		}
	}
	im.batch = append(im.batch, pendingUser{line: line, nu: nu})
	if len(im.batch) >= importBatchSize {
		return im.flush(ctx)
	}
	return nil
}

// contactFree refuses, in pools where they must be unique, an email or phone number that
// another user has (in the pool or earlier in the batch), as AdminCreateUser does.
func (im *importer) contactFree(ctx context.Context, u store.User) error {
	p := im.p
	for _, name := range []string{"email", "phone_number"} {
		v := attr(u.Attributes, name)
		if v == "" {
			continue
		}
		if !p.hasUsernameAttribute(name) && !(p.hasAliasAttribute(name) && attr(u.Attributes, name+"_verified") == "true") {
			continue
		}
		k := name + "\x00" + v
		if other, ok := im.contacts[k]; ok && other != u.UsernameKey {
			return errAliasExists(name)
		}
		im.contacts[k] = u.UsernameKey
	}
	if err := im.s.uniqueContact(ctx, p, u.UsernameKey, u.Attributes); err != nil {
		return err
	}
	return im.s.checkAliases(ctx, p, u.UsernameKey, u.Attributes, false)
}

// flush writes the queued users: in one transaction when the store can, else one by one.
func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 {
		return nil
	}
	batch := im.batch
	im.batch = im.batch[:0]
	clear(im.contacts)
	if im.bulk != nil {
		users := make([]store.NewUser, len(batch))
		for i, pu := range batch {
			users[i] = pu.nu
		}
		created, err := im.bulk.CreateUsers(ctx, users)
		if err != nil {
			var be *store.UserBatchError
			if errors.As(err, &be) && be.Index >= 0 && be.Index < len(batch) {
				return im.storeError(batch[be.Index], be.Err)
			}
			return fmt.Errorf("lines %d–%d: %w", batch[0].line, batch[len(batch)-1].line, err)
		}
		for _, c := range created {
			if c {
				im.stats.Created++
			} else {
				im.stats.Skipped++
			}
		}
	} else {
		for _, pu := range batch {
			if err := im.createOne(ctx, pu); err != nil {
				return err
			}
		}
	}
	if im.progress != nil {
		im.progress(im.stats.Users)
	}
	return ctx.Err()
}

// createOne writes one user and its memberships without BulkUsers. The memberships follow
// the user in transactions of their own.
func (im *importer) createOne(ctx context.Context, pu pendingUser) error {
	u := pu.nu.User
	err := im.s.store.CreateUser(ctx, u)
	if errors.Is(err, store.ErrAlreadyExists) {
		if _, gerr := im.s.store.GetUser(ctx, u.PoolID, u.UsernameKey); gerr == nil {
			im.stats.Skipped++
			return nil
		}
	}
	if err != nil {
		return im.storeError(pu, err)
	}
	for _, g := range pu.nu.Groups {
		if err := im.s.store.AddUserToGroup(ctx, u.PoolID, u.UsernameKey, g); err != nil {
			return im.storeError(pu, err)
		}
	}
	im.stats.Created++
	return nil
}

// storeError explains a store's refusal of one user.
func (im *importer) storeError(pu pendingUser, err error) error {
	name := pu.nu.User.Username
	switch {
	case errors.Is(err, store.ErrAlreadyExists):
		return lineError(pu.line, "user %q: sub %s belongs to another user of the pool", name, pu.nu.User.Sub)
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("line %d: user %q: the pool or one of its groups no longer exists: %w", pu.line, name, err)
	}
	return fmt.Errorf("line %d: user %q: %w", pu.line, name, err)
}
