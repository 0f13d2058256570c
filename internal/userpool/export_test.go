package userpool

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/argon2"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
)

// exportBackends are the stores the export tests run on: SQLite always, PostgreSQL when
// GATEHOUSE_TEST_POSTGRES names a server (each test in a schema of its own).
func exportBackends(t *testing.T, run func(t *testing.T, url string)) {
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "gatehouse.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresURL(t, "gh_export_")) })
}

// newExportEnv is newUsersTestEnv on the store at url.
func newExportEnv(t *testing.T, storeURL string) *usersTestEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	mk, err := masterkey.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clock := &usersTestClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	iss, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: "http://gatehouse.test", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	s, err := New(Config{Store: st, Tokens: iss, Master: mk, Deliverer: mail.NewOutbox(mail.Config{Store: st, Log: slog.New(slog.NewTextHandler(logs, nil)), Now: clock.Now}), Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &usersTestEnv{t: t, ctx: ctx, s: s, st: st, clock: clock, logs: logs}
}

// exportPoolRequest is the pool configuration the round trips recreate.
func exportPoolRequest() *CreateUserPoolRequest {
	return &CreateUserPoolRequest{PoolName: "export", AutoVerifiedAttributes: []string{"email"},
		Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String"}}}
}

func (e *usersTestEnv) export(poolID string) []byte {
	e.t.Helper()
	var buf bytes.Buffer
	if _, err := e.s.ExportUsers(e.ctx, poolID, &buf, nil); err != nil {
		e.t.Fatalf("ExportUsers: %v", err)
	}
	return buf.Bytes()
}

func (e *usersTestEnv) importUsers(poolID string, data []byte) ImportStats {
	e.t.Helper()
	stats, err := e.s.ImportUsers(e.ctx, poolID, bytes.NewReader(data), nil)
	if err != nil {
		e.t.Fatalf("ImportUsers: %v", err)
	}
	return stats
}

// exportLines splits an export into its header and the rest.
func exportLines(t *testing.T, data []byte) (exportHeader, []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	var h exportHeader
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatalf("header %q: %v", lines[0], err)
	}
	return h, lines[1:]
}

func (e *usersTestEnv) srpSignIn(poolID, clientID, username, password string) (*RespondToAuthChallengeResponse, error) {
	e.t.Helper()
	csrp, err := cognitosrp.NewCognitoSRP(username, password, poolID, clientID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	start, err := e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: clientID, AuthFlow: "USER_SRP_AUTH", AuthParameters: csrp.GetAuthParams()})
	if err != nil {
		return nil, err
	}
	answer, err := csrp.PasswordVerifierChallenge(start.ChallengeParameters, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return e.s.RespondToAuthChallenge(e.ctx, &RespondToAuthChallengeRequest{ClientId: clientID,
		ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: answer, Session: start.Session})
}

type roundTripUser struct {
	name, password string
	attrs          []AttributeType
	groups         []string
}

// The round trip: users made through the service, exported, their pool deleted and
// made again, imported; every user signs in with the old password and looks as before; a
// second import changes nothing.
func TestExportImportRoundTrip(t *testing.T) {
	exportBackends(t, func(t *testing.T, storeURL string) {
		e := newExportEnv(t, storeURL)
		poolID := e.pool(exportPoolRequest())
		users := []roundTripUser{
			{"alice", "Alice-Passw0rd!", []AttributeType{{Name: "email", Value: "alice@example.com"}, {Name: "email_verified", Value: "true"},
				{Name: "custom:team", Value: "red"}, {Name: "name", Value: "Alice Ünïcode ✓"}}, []string{"admins", "readers"}},
			{"Bob", "Bob-Passw0rd!", []AttributeType{{Name: "phone_number", Value: "+15555550100"}}, []string{"readers"}},
			{"carol", "Carol-Passw0rd!", nil, nil},
			{"dave@example.org", "Dave-Passw0rd!", []AttributeType{{Name: "address", Value: `{"street":"1 \"Main\" St"}`}}, nil},
		}
		for _, g := range []CreateGroupRequest{
			{UserPoolId: poolID, GroupName: "admins", Description: "Full access", RoleArn: "arn:aws:iam::000000000000:role/admins", Precedence: ptr(int64(1))},
			{UserPoolId: poolID, GroupName: "readers"},
		} {
			if _, err := e.s.CreateGroup(e.ctx, &g); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range users {
			e.createConfirmed(poolID, u.name, u.password, u.attrs...)
			for _, g := range u.groups {
				if _, err := e.s.AdminAddUserToGroup(e.ctx, &AdminAddUserToGroupRequest{UserPoolId: poolID, Username: u.name, GroupName: g}); err != nil {
					t.Fatal(err)
				}
			}
			e.clock.Advance(time.Minute)
		}
		// A disabled user, and one still on its temporary password.
		e.createConfirmed(poolID, "erin", "Erin-Passw0rd!")
		if _, err := e.s.AdminDisableUser(e.ctx, &AdminDisableUserRequest{UserPoolId: poolID, Username: "erin"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "frank",
			TemporaryPassword: "Frank-Temp0rary!", MessageAction: "SUPPRESS"}); err != nil {
			t.Fatal(err)
		}
		before := map[string]*AdminGetUserResponse{}
		for _, name := range []string{"alice", "Bob", "carol", "dave@example.org", "erin", "frank"} {
			before[name] = e.getUser(poolID, name)
		}

		progressed := 0
		var buf bytes.Buffer
		stats, err := e.s.ExportUsers(e.ctx, poolID, &buf, func(n int) { progressed = n })
		if err != nil {
			t.Fatal(err)
		}
		data := buf.Bytes()
		if stats != (ExportStats{Users: 6, Groups: 2}) || progressed != 6 {
			t.Fatalf("export stats %+v, progress %d", stats, progressed)
		}
		h, lines := exportLines(t, data)
		if h.Format != "gatehouse-users" || h.Version != 1 || h.Pool != poolID || h.PoolName != "export" || len(lines) != 9 ||
			lines[8] != `{"type":"end","userCount":6,"groupCount":2}` {
			t.Fatalf("export: header %+v, %d lines:\n%s", h, len(lines), data)
		}
		// Groups by name, then users by username in byte order ("Bob" before "alice").
		var alice exportUser
		if err := json.Unmarshal([]byte(lines[3]), &alice); err != nil {
			t.Fatal(err)
		}
		if alice.Type != "user" || alice.Username != "alice" || !strings.HasPrefix(alice.PasswordHash, "$argon2id$v=19$") ||
			alice.SRP == nil || len(alice.SRP.Verifier) == 0 || !slices.Equal(alice.Groups, []string{"admins", "readers"}) ||
			alice.Attributes[0].Name != "sub" || len(alice.Extra) != 0 {
			t.Fatalf("alice's line: %s", lines[3])
		}

		// Delete the pool, make it again (a new id), import.
		if _, err := e.s.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: poolID}); err != nil {
			t.Fatal(err)
		}
		newID := e.pool(exportPoolRequest())
		c := e.client(&CreateUserPoolClientRequest{UserPoolId: newID,
			ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
		got := e.importUsers(newID, data)
		if want := (ImportStats{Users: 6, Created: 6, Groups: 2, GroupsCreated: 2, SRPDropped: 6}); got != want {
			t.Fatalf("import stats %+v, want %+v", got, want)
		}
		for _, u := range append(users, roundTripUser{name: "frank", password: "Frank-Temp0rary!"}) {
			out, err := e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
				AuthParameters: map[string]string{"USERNAME": u.name, "PASSWORD": u.password}})
			switch {
			case err != nil:
				t.Fatalf("%s signs in with the old password: %v", u.name, err)
			case u.name == "frank" && out.ChallengeName != "NEW_PASSWORD_REQUIRED":
				t.Fatalf("frank: want NEW_PASSWORD_REQUIRED, got %+v", out)
			case u.name != "frank" && out.AuthenticationResult == nil:
				t.Fatalf("%s: no tokens: %+v", u.name, out)
			}
			if u.name == "frank" {
				continue
			}
			after := e.getUser(newID, u.name)
			if b := before[u.name]; after.Username != b.Username || after.UserStatus != b.UserStatus || *after.Enabled != *b.Enabled ||
				!slices.Equal(after.UserAttributes, b.UserAttributes) || !after.UserCreateDate.Time.Equal(b.UserCreateDate.Time) ||
				!after.UserLastModifiedDate.Time.Equal(b.UserLastModifiedDate.Time) {
				t.Fatalf("%s after the round trip:\n got  %+v\n want %+v", u.name, after, b)
			}
			gs, err := e.s.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: newID, Username: u.name})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, g := range gs.Groups {
				names = append(names, g.GroupName)
			}
			if !slices.Equal(names, u.groups) {
				t.Fatalf("%s's groups after the round trip: %v, want %v", u.name, names, u.groups)
			}
		}
		_, err = e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": "erin", "PASSWORD": "Erin-Passw0rd!"}})
		wantUserErr(t, err, "NotAuthorizedException", "User is disabled.")
		_, err = e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Wrong-Passw0rd!"}})
		wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
		g, err := e.s.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: newID, GroupName: "admins"})
		if err != nil || g.Group.Description != "Full access" || g.Group.RoleArn != "arn:aws:iam::000000000000:role/admins" || *g.Group.Precedence != 1 {
			t.Fatalf("admins after the round trip: %+v, %v", g, err)
		}

		// The pool's export is the original one but for the header; a second import changes
		// nothing, so the export after it is the same again.
		data2 := e.export(newID)
		_, lines2 := exportLines(t, data2)
		for i := range lines {
			if lines[i] != lines2[i] && !strings.Contains(lines[i], `"srp":`) {
				t.Fatalf("line %d after the round trip:\n got  %s\n want %s", i+2, lines2[i], lines[i])
			}
		}
		got = e.importUsers(newID, data)
		if want := (ImportStats{Users: 6, Skipped: 6, Groups: 2, SRPDropped: 6}); got != want {
			t.Fatalf("second import stats %+v, want %+v", got, want)
		}
		if data3 := e.export(newID); !bytes.Equal(data3[bytes.IndexByte(data3, '\n'):], data2[bytes.IndexByte(data2, '\n'):]) {
			t.Fatalf("the second import changed the pool:\n%s\nvs\n%s", data3, data2)
		}
		if n, _ := e.st.CountUsers(e.ctx, newID); n != 6 {
			t.Fatalf("%d users after two imports, want 6", n)
		}
	})
}

// SRP verifiers survive an import into a pool of the same name (the id's part after "_",
// which SRP binds them to), e.g. the same pool on another installation.
func TestImportKeepsSRPVerifierForSamePoolName(t *testing.T) {
	src := newUsersTestEnv(t)
	poolID := src.pool(exportPoolRequest())
	src.createConfirmed(poolID, "alice", "Alice-Passw0rd!")
	data := src.export(poolID)

	// Another installation (another master key) with a pool of the same name.
	dst := newUsersTestEnv(t)
	rec, err := src.st.GetUserPool(src.ctx, poolID)
	if err != nil {
		t.Fatal(err)
	}
	rec.ID = "eu-west-1_" + strings.SplitN(poolID, "_", 2)[1]
	if err := dst.st.CreateUserPool(dst.ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := dst.s.tokens.EnsureKeys(dst.ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	c := dst.client(&CreateUserPoolClientRequest{UserPoolId: rec.ID, ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if got := dst.importUsers(rec.ID, data); got.Created != 1 || got.SRPDropped != 0 {
		t.Fatalf("import stats %+v", got)
	}
	out, err := dst.srpSignIn(rec.ID, c.ClientId, "alice", "Alice-Passw0rd!")
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("SRP sign-in after the import: %+v, %v", out, err)
	}
	_, err = dst.srpSignIn(rec.ID, c.ClientId, "alice", "Wrong-Passw0rd!")
	wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
}

// Hashes are taken as they are: argon2id with other costs than ours verifies.
func TestImportForeignArgon2Hash(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("Legacy-Passw0rd!"), salt, 3, 8*1024, 2, 32)
	b64 := base64.RawStdEncoding
	hash := fmt.Sprintf("$argon2id$v=19$m=8192,t=3,p=2$%s$%s", b64.EncodeToString(salt), b64.EncodeToString(key))
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
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "alice", "Current-Passw0rd!", AttributeType{Name: "email", Value: "now@example.com"})
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
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "alice@example.com", "Alice-Passw0rd!")
	data := e.export(poolID)
	if _, err := e.s.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: poolID}); err != nil {
		t.Fatal(err)
	}
	newID := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: newID})
	if got := e.importUsers(newID, data); got.Created != 1 {
		t.Fatalf("stats %+v", got)
	}
	e.signIn(newID, c.ClientId, "alice@example.com", "Alice-Passw0rd!")
	if got := e.importUsers(newID, data); got.Skipped != 1 {
		t.Fatalf("second import: %+v", got)
	}
	dup := `{"format":"gatehouse-users","version":1}` + "\n" +
		`{"type":"user","username":"b0b0b0b0-0000-4000-8000-000000000001","attributes":[{"name":"email","value":"alice@example.com"}]}` + "\n"
	_, err := e.s.ImportUsers(e.ctx, newID, strings.NewReader(dup), nil)
	wantImportError(t, err, 2, "An account with the given email already exists.")
	dup = `{"format":"gatehouse-users","version":1}` + "\n" +
		`{"type":"user","username":"b0b0b0b0-0000-4000-8000-000000000002","attributes":[{"name":"email","value":"bob@example.com"}]}` + "\n" +
		`{"type":"user","username":"b0b0b0b0-0000-4000-8000-000000000003","attributes":[{"name":"email","value":"bob@example.com"}]}` + "\n"
	_, err = e.s.ImportUsers(e.ctx, newID, strings.NewReader(dup), nil)
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
	e := newUsersTestEnv(t)
	poolID := e.pool(exportPoolRequest())
	if _, err := e.s.CreateGroup(e.ctx, &CreateGroupRequest{UserPoolId: poolID, GroupName: "existing"}); err != nil {
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
			stats, err := e.s.ImportUsers(e.ctx, poolID, strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), nil)
			wantImportError(t, err, tt.line, tt.text)
			if stats.Created != 0 {
				t.Fatalf("stats %+v: a user of the failed batch was written", stats)
			}
			if n, _ := e.st.CountUsers(e.ctx, poolID); n != 0 {
				t.Fatalf("%d users written", n)
			}
		})
	}
	if _, err := e.s.ImportUsers(e.ctx, poolID, strings.NewReader("\n\n"), nil); err == nil || !strings.Contains(err.Error(), "empty input") {
		t.Fatalf("empty input: %v", err)
	}
	_, err := e.s.ImportUsers(e.ctx, "us-east-1_nosuchpol", strings.NewReader(header+"\n"), nil)
	wantUserErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")
}

// Batches before a bad line stay imported; a re-run after the fix completes the import.
func TestImportResumesAfterFix(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	var buf bytes.Buffer
	buf.WriteString(`{"format":"gatehouse-users","version":1}` + "\n")
	n := importBatchSize + 10
	for i := range n {
		fmt.Fprintf(&buf, `{"type":"user","username":"u%05d"}`+"\n", i)
	}
	bad := append(bytes.Clone(buf.Bytes()), []byte(`{"type":"user"}`+"\n")...)
	fmt.Fprintf(&buf, `{"type":"end","userCount":%d,"groupCount":0}`+"\n", n)
	good := buf.Bytes()
	stats, err := e.s.ImportUsers(e.ctx, poolID, bytes.NewReader(bad), nil)
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
	e := newUsersTestEnv(t)
	s, err := New(Config{Store: noBulkStore{e.st}, Tokens: e.s.tokens, Master: e.s.master, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	poolID := e.pool(exportPoolRequest())
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "alice", "Alice-Passw0rd!")
	if _, err := e.s.CreateGroup(e.ctx, &CreateGroupRequest{UserPoolId: poolID, GroupName: "g"}); err != nil {
		t.Fatal(err)
	}
	_, lines := exportLines(t, e.export(poolID)) // group g, alice, the end line
	data := `{"format":"gatehouse-users","version":1}` + "\n" + lines[0] + "\n" + lines[1] + "\n" +
		`{"type":"user","username":"bob","groups":["g"]}` + "\n" +
		`{"type":"user","username":"carol","sub":"` + e.getUserSub(poolID, "alice") + `"}` + "\n" +
		`{"type":"end","userCount":3,"groupCount":1}` + "\n"
	stats, err := s.ImportUsers(e.ctx, poolID, strings.NewReader(data), nil)
	wantImportError(t, err, 5, "belongs to another user")
	if stats.Created != 1 || stats.Skipped != 1 {
		t.Fatalf("stats %+v", stats)
	}
	e.signIn(poolID, c.ClientId, "alice", "Alice-Passw0rd!")
	if gs, _ := e.st.ListGroupsForUser(e.ctx, poolID, "bob", store.Page{}); len(gs) != 1 {
		t.Fatalf("bob's groups: %v", gs)
	}
}

func (e *usersTestEnv) getUserSub(poolID, username string) string {
	e.t.Helper()
	return attrMap(e.getUser(poolID, username).UserAttributes)["sub"]
}

func TestGetCSVHeader(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(exportPoolRequest())
	if _, err := e.s.AddCustomAttributes(e.ctx, &AddCustomAttributesRequest{UserPoolId: poolID,
		CustomAttributes: []SchemaAttributeType{{Name: "joinedOn", AttributeDataType: "String"}}}); err != nil {
		t.Fatal(err)
	}
	out, err := e.s.GetCSVHeader(e.ctx, &GetCSVHeaderRequest{UserPoolId: poolID})
	if err != nil {
		t.Fatal(err)
	}
	// The developer guide's sample, with the custom attributes after updated_at as in a
	// captured get-csv-header output.
	want := []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
		"website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified",
		"address", "updated_at", "custom:team", "custom:joinedOn", "cognito:mfa_enabled", "cognito:username"}
	if out.UserPoolId != poolID || !slices.Equal(out.CSVHeader, want) {
		t.Fatalf("GetCSVHeader = %+v", out)
	}
	_, err = e.s.GetCSVHeader(e.ctx, &GetCSVHeaderRequest{UserPoolId: "us-east-1_nosuchpol"})
	wantUserErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")
}

func TestImportCSV(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(exportPoolRequest())
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	// Columns in another order, a subset, a byte-order mark, CRLF line ends and a quoted value.
	csvData := "\ufeffcognito:username,email,email_verified,custom:team,name,phone_number,phone_number_verified,cognito:mfa_enabled\r\n" +
		"alice,alice@example.com,TRUE,red,\"Alice, the first\",,,false\r\n" +
		"bob,,,,,+15555550100,true,true\r\n" +
		"\r\n"
	progressed := 0
	stats, err := e.s.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), func(n int) { progressed = n })
	if err != nil {
		t.Fatal(err)
	}
	if stats != (ImportStats{Users: 2, Created: 2}) || progressed != 2 {
		t.Fatalf("stats %+v, progress %d", stats, progressed)
	}
	a := e.getUser(poolID, "alice")
	if m := attrMap(a.UserAttributes); a.UserStatus != "RESET_REQUIRED" || !*a.Enabled || m["email"] != "alice@example.com" ||
		m["email_verified"] != "true" || m["custom:team"] != "red" || m["name"] != "Alice, the first" || m["sub"] == "" {
		t.Fatalf("alice: %+v", a)
	}
	if b := e.getUser(poolID, "bob"); len(b.MFAOptions) != 1 || b.MFAOptions[0].AttributeName != "phone_number" ||
		!slices.Equal(b.UserMFASettingList, []string{"SMS_MFA"}) {
		t.Fatalf("bob's MFA: %+v", b)
	}

	// As after Cognito's import: sign-in asks for a reset; ForgotPassword sets the password.
	_, err = e.s.InitiateAuth(e.ctx, &InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Anything-1234!"}})
	// Cognito answers an imported user PasswordResetRequiredException whatever the password;
	// the sign-in path here checks the (absent) password first. Either way, no tokens.
	var ae *awsapi.Error
	if !errors.As(err, &ae) || (ae.Type != "PasswordResetRequiredException" && ae.Type != "NotAuthorizedException") {
		t.Fatalf("sign-in before the reset: %v", err)
	}
	if _, err := e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: c.ClientId, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.ConfirmForgotPassword(e.ctx, &ConfirmForgotPasswordRequest{ClientId: c.ClientId, Username: "alice",
		ConfirmationCode: e.lastCode(poolID), Password: "Alice-New-Passw0rd!"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(poolID, c.ClientId, "alice", "Alice-New-Passw0rd!")

	// Again: nothing changes (alice keeps her new password).
	stats, err = e.s.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), nil)
	if err != nil || stats != (ImportStats{Users: 2, Skipped: 2}) {
		t.Fatalf("second import: %+v, %v", stats, err)
	}
	e.signIn(poolID, c.ClientId, "alice", "Alice-New-Passw0rd!")

	hdr := "cognito:username,email,email_verified,phone_number,phone_number_verified\n"
	for _, tt := range []struct {
		name, data string
		line       int
		text       string
	}{
		{"unknown column", "cognito:username,email,favourite_colour,custom:nope\n", 1, `unknown header column(s) "favourite_colour", "custom:nope"`},
		{"no username column", "email,email_verified\nx@example.com,true\n", 1, "no cognito:username column"},
		{"column twice", "cognito:username,email,email\n", 1, `column "email" twice`},
		{"no username", hdr + "carl,carl@example.com,true,,\n,x@example.com,true,,\n", 3, "no cognito:username"},
		{"bad boolean", hdr + "carl,carl@example.com,yes,,\n", 2, `email_verified "yes": want true or false`},
		{"no verified contact", hdr + "carl,carl@example.com,false,,\n", 2, "needs a verified email or phone number"},
		{"verified nothing", hdr + "carl,,true,,\n", 2, "email_verified is true but email is empty"},
		{"bad email", hdr + "carl,carl,true,,\n", 2, "Invalid email address format."},
		{"field count", hdr + "carl,carl@example.com,true\n", 2, "wrong number of fields"},
		{"bad quote", hdr + "carl,\"carl@example.com,true,,\n", 2, "extraneous or missing"},
		{"mfa without phone", "cognito:username,email,email_verified,cognito:mfa_enabled\ncarl,carl@example.com,true,true\n", 2,
			"cognito:mfa_enabled is true but phone_number is empty"},
		{"too long", hdr + "carl," + strings.Repeat("a", MaxImportLine) + "@example.com,true,,\n", 2, "line longer than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.ImportCSV(e.ctx, poolID, strings.NewReader(tt.data), nil)
			if tt.line == 2 && tt.name == "bad quote" {
				// encoding/csv reports a quote error at the line where it gives up.
				var ie *ImportError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.text) {
					t.Fatalf("error %v", err)
				}
				return
			}
			wantImportError(t, err, tt.line, tt.text)
			if _, err := e.st.GetUser(e.ctx, poolID, "carl"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("carl was written: %v", err)
			}
		})
	}
}

func TestImportCSVEmailUsernames(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email"}, AutoVerifiedAttributes: []string{"email"}})
	csvData := "cognito:username,email_verified\nalice@example.com,true\nalice@example.com,true\nbob@example.com,true\n"
	stats, err := e.s.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), nil)
	if err != nil || stats != (ImportStats{Users: 3, Created: 2, Skipped: 1}) {
		t.Fatalf("import: %+v, %v", stats, err)
	}
	u := e.getUser(poolID, "alice@example.com")
	if m := attrMap(u.UserAttributes); u.Username != m["sub"] || m["email"] != "alice@example.com" || u.UserStatus != "RESET_REQUIRED" {
		t.Fatalf("alice: %+v", u)
	}
	stats, err = e.s.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), nil)
	if err != nil || stats != (ImportStats{Users: 3, Skipped: 3}) {
		t.Fatalf("second import: %+v, %v", stats, err)
	}
	if n, _ := e.st.CountUsers(e.ctx, poolID); n != 2 {
		t.Fatalf("%d users", n)
	}
	_, err = e.s.ImportCSV(e.ctx, poolID, strings.NewReader("cognito:username,email,email_verified\ncarl@example.com,other@example.com,true\n"), nil)
	wantImportError(t, err, 2, `email "other@example.com" differs from cognito:username`)
}

// benchUsers writes an export of n users that share one real password hash (hashing 100,000
// passwords would take an hour), in three groups.
func benchUsers(b *testing.B, n int, path string) {
	b.Helper()
	hash, err := hashPassword(rand.Reader, "Bench-Passw0rd!")
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(enc.Encode(exportHeader{Format: exportFormat, Version: exportVersion, Pool: "us-east-1_benchpool"}))
	for _, g := range []string{"admins", "editors", "readers"} {
		must(enc.Encode(exportGroup{Type: "group", Name: g, Description: "the " + g}))
	}
	created := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := range n {
		sub := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		rec := exportUser{Type: "user", Username: fmt.Sprintf("user%06d", i), Sub: sub, Status: "CONFIRMED", Enabled: true,
			Created: created, Updated: created, PasswordHash: hash,
			Attributes: []exportAttribute{{"sub", sub}, {"email", fmt.Sprintf("user%06d@example.com", i)}, {"email_verified", "true"},
				{"name", fmt.Sprintf("User Number %d", i)}, {"custom:team", []string{"red", "green", "blue"}[i%3]}},
			SRP: &exportSRP{Salt: bytes.Repeat([]byte{byte(i)}, 16), Verifier: bytes.Repeat([]byte{0x5a}, 384)},
		}
		switch i % 4 {
		case 1:
			rec.Groups = []string{"readers"}
		case 2:
			rec.Groups = []string{"editors", "readers"}
		}
		must(enc.Encode(rec))
	}
	must(enc.Encode(exportEnd{Type: "end", UserCount: n, GroupCount: 3}))
	must(w.Flush())
}

func benchUserCount(b *testing.B) int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

// BenchmarkImport100k imports 100,000 users (3 groups, half of the users in one or two of
// them) from a file into a fresh pool of a SQLite store on disk (synchronous=FULL, as the
// server runs). Target: ≥ 5,000 users/s.
//
//	go test ./internal/userpool -run '^$' -bench 'Import100k|Export100k' -benchtime 1x
func BenchmarkImport100k(b *testing.B) {
	benchImport(b, filepath.Join(b.TempDir(), "gatehouse.db"))
}

// BenchmarkImport100kPostgres is BenchmarkImport100k on the PostgreSQL server named by
// GATEHOUSE_TEST_POSTGRES (skipped without it).
func BenchmarkImport100kPostgres(b *testing.B) {
	benchImport(b, storetest.PostgresURL(b, "gh_export_"))
}

func benchImport(b *testing.B, storeURL string) {
	n := benchUserCount(b)
	e := newBenchExportEnv(b, storeURL)
	path := filepath.Join(b.TempDir(), "users.jsonl")
	benchUsers(b, n, path)
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pr, err := e.s.CreateUserPool(e.ctx, exportPoolRequest())
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		stats, err := e.s.ImportUsers(e.ctx, pr.UserPool.Id, f, nil)
		elapsed += time.Since(start)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if stats.Created != n {
			b.Fatalf("created %d of %d", stats.Created, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "users/s")
}

// BenchmarkExport100k exports a pool of 100,000 users imported as in BenchmarkImport100k.
func BenchmarkExport100k(b *testing.B) {
	benchExport(b, filepath.Join(b.TempDir(), "gatehouse.db"))
}

// BenchmarkExport100kPostgres is BenchmarkExport100k on the PostgreSQL server named by
// GATEHOUSE_TEST_POSTGRES (skipped without it).
func BenchmarkExport100kPostgres(b *testing.B) {
	benchExport(b, storetest.PostgresURL(b, "gh_export_"))
}

func benchExport(b *testing.B, storeURL string) {
	n := benchUserCount(b)
	e := newBenchExportEnv(b, storeURL)
	path := filepath.Join(b.TempDir(), "users.jsonl")
	benchUsers(b, n, path)
	pr, err := e.s.CreateUserPool(e.ctx, exportPoolRequest())
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.s.ImportUsers(e.ctx, pr.UserPool.Id, f, nil); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		cw := &countingWriter{}
		stats, err := e.s.ExportUsers(e.ctx, pr.UserPool.Id, cw, nil)
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if stats.Users != n {
			b.Fatalf("exported %d of %d", stats.Users, n)
		}
		b.SetBytes(cw.n)
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "users/s")
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

type benchExportEnv struct {
	ctx context.Context
	s   *Service
}

func newBenchExportEnv(b *testing.B, storeURL string) *benchExportEnv {
	b.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, storeURL)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	mk, err := masterkey.Load(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	iss, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: "http://127.0.0.1:9229"})
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(Config{Store: st, Tokens: iss, Master: mk})
	if err != nil {
		b.Fatal(err)
	}
	return &benchExportEnv{ctx: ctx, s: s}
}

// The export's memberships (a merge of every group's member listing with the user listing)
// match the store's answer for each user, across pages of both.
func TestExportMembershipsAcrossPages(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	var buf bytes.Buffer
	buf.WriteString(`{"format":"gatehouse-users","version":1}` + "\n")
	groups := []string{"a", "b", "c", "d", "empty"}
	for _, g := range groups {
		fmt.Fprintf(&buf, `{"type":"group","name":%q}`+"\n", g)
	}
	n := 2*exportPageSize + 345
	for i := range n {
		var gs []string
		for j, g := range groups[:4] {
			if i%(j+2) == 0 {
				gs = append(gs, g)
			}
		}
		if i == n-1 {
			gs = []string{"a"} // the last user alone in the last page of "a"
		}
		line, _ := json.Marshal(map[string]any{"type": "user", "username": fmt.Sprintf("U%05d", i*11%n), "groups": gs})
		buf.Write(append(line, '\n'))
	}
	fmt.Fprintf(&buf, `{"type":"end","userCount":%d,"groupCount":%d}`+"\n", n, len(groups))
	e.importUsers(poolID, buf.Bytes())
	_, lines := exportLines(t, e.export(poolID))
	users := 0
	for _, l := range lines {
		var rec exportUser
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Type == "end" {
			break
		}
		if rec.Type != "user" {
			continue
		}
		users++
		want, err := e.st.ListGroupsForUser(e.ctx, poolID, rec.Username, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, g := range want {
			names = append(names, g.Name)
		}
		if !slices.Equal(rec.Groups, names) {
			t.Fatalf("%s: exported groups %v, store says %v", rec.Username, rec.Groups, names)
		}
	}
	if users != n {
		t.Fatalf("exported %d users, want %d", users, n)
	}
}
