package userexport

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// Hashes are taken as they are: argon2id with other costs than ours verifies.
func TestImportForeignArgon2Hash(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(&userpool.CreateUserPoolRequest{})
	c := e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: poolID})
	hash := argon2Hash("Legacy-Passw0rd!", []byte("0123456789abcdef"), 8*1024, 3, 2)
	data := `{"format":"gatehouse-users","version":1}` + "\n" +
		`{"type":"user","username":"legacy","passwordHash":"` + hash + `","attributes":[{"name":"email","value":"legacy@example.com"}]}` + "\n" +
		`{"type":"end","userCount":1,"groupCount":0}` + "\n"
	got := e.importUsers(poolID, []byte(data))
	if got.Created != 1 {
		t.Fatalf("stats %+v", got)
	}
	e.signIn(poolID, c.ClientId, "legacy", "Legacy-Passw0rd!")
	u := e.getUser(poolID, "legacy")
	if u.UserStatus != "CONFIRMED" || !*u.Enabled || attrMap(u.UserAttributes)["sub"] == "" || u.UserAttributes[0].Name != "sub" {
		t.Fatalf("a minimal record: %+v", u)
	}
}

// A user the pool already has is left alone, whatever the file says about it.
func TestImportLeavesExistingUsersAlone(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(&userpool.CreateUserPoolRequest{})
	c := e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "alice", "Current-Passw0rd!", userpool.AttributeType{Name: "email", Value: "now@example.com"})
	before := e.getUser(poolID, "alice")
	data := `{"format":"gatehouse-users","version":1,"pool":"us-east-1_other"}` + "\n" +
		`{"type":"group","name":"admins"}` + "\n" +
		`{"type":"user","username":"alice","status":"RESET_REQUIRED","attributes":[{"name":"email","value":"then@example.com"}],"groups":["admins"]}` + "\n" +
		`{"type":"user","username":"bob","groups":["admins"]}` + "\n" +
		`{"type":"end","userCount":2,"groupCount":1}` + "\n"
	if got := e.importUsers(poolID, []byte(data)); got != (ImportStats{Users: 2, Created: 1, Skipped: 1, Groups: 1, GroupsCreated: 1}) {
		t.Fatalf("stats %+v", got)
	}
	if after := e.getUser(poolID, "alice"); !slices.Equal(after.UserAttributes, before.UserAttributes) || after.UserStatus != "CONFIRMED" {
		t.Fatalf("alice changed: %+v", after)
	}
	e.signIn(poolID, c.ClientId, "alice", "Current-Passw0rd!")
	gs, err := e.st.ListGroupsForUser(e.ctx, poolID, "alice", store.Page{})
	if err != nil || len(gs) != 0 {
		t.Fatalf("alice's groups: %v, %v", gs, err)
	}
	gs, err = e.st.ListGroupsForUser(e.ctx, poolID, "bob", store.Page{})
	if err != nil || len(gs) != 1 {
		t.Fatalf("bob's groups: %v, %v", gs, err)
	}
}

// Pools whose usernames are email addresses: the username is the sub, and an email another
// user has is refused, in the pool or earlier in the file.
func TestImportEmailUsernamePool(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(&userpool.CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "alice@example.com", "Alice-Passw0rd!")
	data := e.export(poolID)
	if _, err := e.s.DeleteUserPool(e.ctx, &userpool.DeleteUserPoolRequest{UserPoolId: poolID}); err != nil {
		t.Fatal(err)
	}
	newID := e.pool(&userpool.CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	c := e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: newID})
	if got := e.importUsers(newID, data); got.Created != 1 {
		t.Fatalf("stats %+v", got)
	}
	e.signIn(newID, c.ClientId, "alice@example.com", "Alice-Passw0rd!")
	if got := e.importUsers(newID, data); got.Skipped != 1 {
		t.Fatalf("second import: %+v", got)
	}
	dup := `{"format":"gatehouse-users","version":1}` + "\n" +
		`{"type":"user","username":"b0b0b0b0-0000-4000-8000-000000000001","attributes":[{"name":"email","value":"alice@example.com"}]}` + "\n"
	_, err := e.x.Import(e.ctx, newID, strings.NewReader(dup), nil)
	wantImportError(t, err, 2, "An account with the given email already exists.")
	dup = `{"format":"gatehouse-users","version":1}` + "\n" +
		`{"type":"user","username":"b0b0b0b0-0000-4000-8000-000000000002","attributes":[{"name":"email","value":"bob@example.com"}]}` + "\n" +
		`{"type":"user","username":"b0b0b0b0-0000-4000-8000-000000000003","attributes":[{"name":"email","value":"bob@example.com"}]}` + "\n"
	_, err = e.x.Import(e.ctx, newID, strings.NewReader(dup), nil)
	wantImportError(t, err, 3, "An account with the given email already exists.")
}

func wantImportError(t *testing.T, err error, line int, text string) {
	t.Helper()
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T), want an *ImportError for line %d", err, err, line)
	}
	if ie.Line != line || !strings.Contains(err.Error(), text) || !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", line)) {
		t.Fatalf("error %q, want line %d and %q", err, line, text)
	}
}

// Malformed input is refused with the line it is on, and no user of its batch is written.
func TestImportMalformed(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(exportPoolRequest())
	if _, err := e.s.CreateGroup(e.ctx, &userpool.CreateGroupRequest{UserPoolId: poolID, GroupName: "existing"}); err != nil {
		t.Fatal(err)
	}
	const header = `{"format":"gatehouse-users","version":1}`
	good := `{"type":"user","username":"ok1","sub":"00000000-0000-4000-8000-000000000001"}`
	tests := []struct {
		name  string
		lines []string // after the header unless it is the first one
		line  int
		text  string
	}{
		{"no header", []string{good}, 1, "not a gatehouse-users export"},
		{"csv", []string{"cognito:username,email"}, 1, "import it with --csv"},
		{"newer version", []string{`{"format":"gatehouse-users","version":2}`}, 1, "format version 2 was written by a newer Gatehouse"},
		{"not json", []string{header, good, `{"type":"user",`}, 3, "unexpected EOF"},
		{"trailing data", []string{header, good + ` {}`}, 2, "unexpected data after the JSON object"},
		{"unknown field", []string{header, `{"type":"user","username":"x","passwordDigest":"y"}`}, 2, `unknown field "passwordDigest"`},
		{"wrong json type", []string{header, `{"type":"user","username":"x","enabled":"yes"}`}, 2, "cannot unmarshal string"},
		{"no type", []string{header, `{"username":"x"}`}, 2, `record has no "type"`},
		{"unknown type", []string{header, `{"type":"client","name":"x"}`}, 2, `unknown record type "client"`},
		{"foreign field", []string{header, `{"type":"group","name":"g","username":"x"}`}, 2, `a group has no field "username"`},
		{"no username", []string{header, good, `{"type":"user","sub":"x"}`}, 3, "user without a username"},
		{"bad username", []string{header, `{"type":"user","username":"two words"}`}, 2, `username "two words"`},
		{"bad status", []string{header, `{"type":"user","username":"x","status":"ARCHIVED"}`}, 2, `status "ARCHIVED"`},
		{"bcrypt", []string{header, `{"type":"user","username":"x","passwordHash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}`}, 2,
			"password hash scheme 2b (bcrypt) is not supported"},
		{"plain digest", []string{header, `{"type":"user","username":"x","passwordHash":"5f4dcc3b5aa765d61d8327deb882cf99"}`}, 2, "not a PHC string"},
		{"argon2 out of bounds", []string{header, `{"type":"user","username":"x","passwordHash":"$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"}`}, 2,
			"out of bounds"},
		{"argon2 short salt", []string{header, `{"type":"user","username":"x","passwordHash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"}`}, 2,
			"salt must be"},
		{"schema", []string{header, `{"type":"user","username":"x","attributes":[{"name":"custom:nope","value":"1"}]}`}, 2,
			"custom:nope: Attribute does not exist in the schema."},
		{"email", []string{header, `{"type":"user","username":"x","attributes":[{"name":"email","value":"not-an-email"}]}`}, 2, "Invalid email address format."},
		{"twice", []string{header, `{"type":"user","username":"x","attributes":[{"name":"name","value":"a"},{"name":"name","value":"b"}]}`}, 2,
			`attribute "name" appears twice`},
		{"sub mismatch", []string{header, `{"type":"user","username":"x","sub":"a","attributes":[{"name":"sub","value":"b"}]}`}, 2, "differs from sub"},
		{"unknown group", []string{header, `{"type":"user","username":"x","groups":["existing","later"]}`, `{"type":"group","name":"later"}`}, 2,
			`group "later" is neither in the pool nor on an earlier line`},
		{"bad group", []string{header, `{"type":"group","name":"g","precedence":-1}`}, 2, "precedence -1"},
		{"srp", []string{header, `{"type":"user","username":"x","srp":{"salt":"","verifier":"AAAA"}}`}, 2, "srp.salt"},
		{"srp in extra", []string{header, `{"type":"user","username":"x","extra":{"SRP":{}}}`}, 2, `extra must not hold "SRP"`},
		{"sub taken", []string{header, good, `{"type":"user","username":"ok2","sub":"00000000-0000-4000-8000-000000000001"}`, `{"type":"end","userCount":2,"groupCount":0}`}, 3,
			"sub 00000000-0000-4000-8000-000000000001 belongs to another user"},
		{"no end line", []string{header, good, good}, 4, "the file ends without the end line"},
		{"end count", []string{header, good, `{"type":"end","userCount":2,"groupCount":0}`}, 3, "the end line counts 2 users and 0 groups, but the file holds 1 and 0"},
		{"end without counts", []string{header, good, `{"type":"end"}`}, 3, "the end line needs userCount and groupCount"},
		{"end with a user field", []string{header, good, `{"type":"end","userCount":1,"groupCount":0,"username":"x"}`}, 3, `the end line has no field "username"`},
		{"after the end", []string{header, good, `{"type":"end","userCount":1,"groupCount":0}`, good}, 4, "a record after the end line"},
		{"too long", []string{header, good, `{"type":"user","username":"x","attributes":[{"name":"name","value":"` + strings.Repeat("a", MaxImportLine) + `"}]}`}, 3,
			"line longer than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stats, err := e.x.Import(e.ctx, poolID, strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), nil)
			wantImportError(t, err, tt.line, tt.text)
			if stats.Created != 0 {
				t.Fatalf("stats %+v: a user of the failed batch was written", stats)
			}
			if n, _ := e.st.CountUsers(e.ctx, poolID); n != 0 {
				t.Fatalf("%d users written", n)
			}
		})
	}
	if _, err := e.x.Import(e.ctx, poolID, strings.NewReader("\n\n"), nil); err == nil || !strings.Contains(err.Error(), "empty input") {
		t.Fatalf("empty input: %v", err)
	}
	_, err := e.x.Import(e.ctx, "us-east-1_nosuchpol", strings.NewReader(header+"\n"), nil)
	wantUserErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")
}

// Batches before a bad line stay imported; a re-run after the fix completes the import.
func TestImportResumesAfterFix(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(&userpool.CreateUserPoolRequest{})
	var buf bytes.Buffer
	buf.WriteString(`{"format":"gatehouse-users","version":1}` + "\n")
	n := importBatchSize + 10
	for i := range n {
		fmt.Fprintf(&buf, `{"type":"user","username":"u%05d"}`+"\n", i)
	}
	bad := append(bytes.Clone(buf.Bytes()), []byte(`{"type":"user"}`+"\n")...)
	fmt.Fprintf(&buf, `{"type":"end","userCount":%d,"groupCount":0}`+"\n", n)
	good := buf.Bytes()
	stats, err := e.x.Import(e.ctx, poolID, bytes.NewReader(bad), nil)
	wantImportError(t, err, n+2, "user without a username")
	if stats.Created != importBatchSize {
		t.Fatalf("stats after the bad line: %+v", stats)
	}
	if got := e.importUsers(poolID, good); got.Created != 10 || got.Skipped != importBatchSize {
		t.Fatalf("re-run: %+v", got)
	}
}

// noBulkStore is a Store without store.BulkUsers: the import writes one user at a time.
type noBulkStore struct{ Store }

func TestImportWithoutBulkUsers(t *testing.T) {
	e := newTestEnv(t)
	x := New(Config{Pools: e.s, Store: noBulkStore{e.st}, Now: e.clock.Now})
	poolID := e.pool(exportPoolRequest())
	c := e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "alice", "Alice-Passw0rd!")
	if _, err := e.s.CreateGroup(e.ctx, &userpool.CreateGroupRequest{UserPoolId: poolID, GroupName: "g"}); err != nil {
		t.Fatal(err)
	}
	_, lines := exportLines(t, e.export(poolID)) // group g, alice, the end line
	data := `{"format":"gatehouse-users","version":1}` + "\n" + lines[0] + "\n" + lines[1] + "\n" +
		`{"type":"user","username":"bob","groups":["g"]}` + "\n" +
		`{"type":"user","username":"carol","sub":"` + e.getUserSub(poolID, "alice") + `"}` + "\n" +
		`{"type":"end","userCount":3,"groupCount":1}` + "\n"
	stats, err := x.Import(e.ctx, poolID, strings.NewReader(data), nil)
	wantImportError(t, err, 5, "belongs to another user")
	if stats.Created != 1 || stats.Skipped != 1 {
		t.Fatalf("stats %+v", stats)
	}
	e.signIn(poolID, c.ClientId, "alice", "Alice-Passw0rd!")
	if gs, _ := e.st.ListGroupsForUser(e.ctx, poolID, "bob", store.Page{}); len(gs) != 1 {
		t.Fatalf("bob's groups: %v", gs)
	}
}

func (e *testEnv) getUserSub(poolID, username string) string {
	e.t.Helper()
	return attrMap(e.getUser(poolID, username).UserAttributes)["sub"]
}
