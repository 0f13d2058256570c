package userexport

import (
	"bufio"
	"bytes"
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
	"github.com/gatehouse/gatehouse/internal/userpool"
	"github.com/gatehouse/gatehouse/internal/userpool/srp"
)

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

// Import reads a gatehouse-users export from r into the pool, which must exist. Users
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
func (s *Service) Import(ctx context.Context, poolID string, r io.Reader, progress func(users int)) (ImportStats, error) {
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
			im.keepSRP = h.Pool == "" || srp.PoolName(h.Pool) == srp.PoolName(im.p.ID())
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

// importer writes users in batches and keeps what an import must know across lines.
type importer struct {
	s        *Service
	poolID   string
	p        *userpool.BulkPool // nil until ensurePool when the pool did not exist
	missing  error              // why p is nil
	bulk     store.BulkUsers    // nil: one user at a time
	progress func(int)
	stats    ImportStats

	groups map[string]bool // the pool's group names, and those the file created
	batch  []pendingUser
	// contacts maps "attribute\x00value" to the UsernameKey that holds it in the batch, in
	// pools where an email or phone number must belong to one user only.
	contacts      userpool.ContactSet
	checkContacts bool
	// keepSRP is false when the file's SRP verifiers were made for a pool of another name.
	keepSRP bool
}

type pendingUser struct {
	line int
	nu   store.NewUser
}

func (s *Service) newImporter(ctx context.Context, poolID string, progress func(int)) (*importer, error) {
	im := &importer{s: s, poolID: poolID, progress: progress, groups: map[string]bool{}, contacts: userpool.ContactSet{}}
	p, err := s.pools.BulkPool(ctx, poolID)
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
func (im *importer) setPool(p *userpool.BulkPool) {
	im.p = p
	im.bulk, _ = im.s.store.(store.BulkUsers)
	im.checkContacts = p.HasUniqueContacts()
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
	p, err := im.s.pools.RestorePool(ctx, h.Pool, h.PoolName, h.PoolSpec)
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
	if p := rec.Precedence; p != nil && (*p < 0 || *p > userpool.MaxPrecedence) {
		return lineError(line, "group %q: precedence %d: must be 0 to %d", rec.Name, *p, userpool.MaxPrecedence)
	}
	if im.groups[rec.Name] {
		return nil
	}
	now := im.s.nowUTC()
	g := store.Group{PoolID: im.p.ID(), Name: rec.Name, Description: rec.Description, RoleArn: rec.RoleArn,
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

// importableStatuses are the statuses (API reference: UserType, UserStatus) an imported user
// may have: those Gatehouse's sign-in flows know.
var importableStatuses = map[string]bool{
	"UNCONFIRMED": true, "CONFIRMED": true, "FORCE_CHANGE_PASSWORD": true, "RESET_REQUIRED": true,
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
	p := im.p
	now := im.s.nowUTC()
	u := store.User{
		PoolID: p.ID(), Username: name, UsernameKey: p.UsernameKey(name), Sub: rec.Sub,
		Status: rec.Status, Enabled: rec.Enabled == nil || *rec.Enabled,
		CreatedAt: orNow(rec.Created, now), UpdatedAt: orNow(rec.Updated, now),
		PasswordHash: rec.PasswordHash,
	}
	if !rec.PasswordExpires.IsZero() {
		u.PasswordExpiresAt = rec.PasswordExpires.UTC()
	}
	if u.Status == "" {
		u.Status = "CONFIRMED"
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
	in := make([]userpool.AttributeType, 0, len(rec.Attributes))
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
			in = append(in, userpool.AttributeType(a))
		}
	}
	if u.Sub == "" {
		sub, err := p.NewSub()
		if err != nil {
			return u, nil, err
		}
		u.Sub = sub
	}
	if len(u.Sub) > 128 || !utf8.ValidString(u.Sub) {
		return u, nil, lineError(line, "user %q: sub %q is not a valid sub", name, u.Sub)
	}
	attrs, err := p.CheckAttributes(in)
	if err != nil {
		return u, nil, lineError(line, "user %q: %v", name, err)
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
		if _, ok := doc[userpool.SRPExtraKey]; ok {
			return u, nil, lineError(line, "user %q: extra must not hold %q (use the srp field)", name, userpool.SRPExtraKey)
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
		if err := p.SetSRPVerifier(&u, rec.SRP.Salt, rec.SRP.Verifier); err != nil {
			return u, nil, err
		}
	}

	var groups []string
	for _, g := range rec.Groups {
		if !im.groups[g] {
			return u, nil, lineError(line, "user %q: group %q is neither in the pool nor on an earlier line", name, g)
		}
		if !slices.Contains(groups, g) {
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

// checkPasswordHash accepts the hashes userpool's verifyPassword can verify: PHC-format
// argon2id with parameters within its bounds. It does not run argon2, so it costs nothing per user.
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
		if err := im.p.CheckContacts(ctx, nu.User, im.contacts); err != nil {
			return lineError(line, "user %q: %v", nu.User.Username, err)
		}
	}
	im.batch = append(im.batch, pendingUser{line: line, nu: nu})
	if len(im.batch) >= importBatchSize {
		return im.flush(ctx)
	}
	return nil
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
