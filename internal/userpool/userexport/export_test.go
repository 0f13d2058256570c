package userexport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// exportPoolRequest is the pool configuration the round trips recreate.
func exportPoolRequest() *userpool.CreateUserPoolRequest {
	return &userpool.CreateUserPoolRequest{PoolName: "export", AutoVerifiedAttributes: []string{"email"},
		Schema: []userpool.SchemaAttributeType{{Name: "team", AttributeDataType: "String"}}}
}

func (e *testEnv) export(poolID string) []byte {
	e.t.Helper()
	var buf bytes.Buffer
	if _, err := e.x.Export(e.ctx, poolID, &buf, nil); err != nil {
		e.t.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

func (e *testEnv) importUsers(poolID string, data []byte) ImportStats {
	e.t.Helper()
	stats, err := e.x.Import(e.ctx, poolID, bytes.NewReader(data), nil)
	if err != nil {
		e.t.Fatalf("Import: %v", err)
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

func (e *testEnv) srpSignIn(poolID, clientID, username, password string) (*userpool.RespondToAuthChallengeResponse, error) {
	e.t.Helper()
	csrp, err := cognitosrp.NewCognitoSRP(username, password, poolID, clientID, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	start, err := e.s.InitiateAuth(e.ctx, &userpool.InitiateAuthRequest{ClientId: clientID, AuthFlow: "USER_SRP_AUTH", AuthParameters: csrp.GetAuthParams()})
	if err != nil {
		return nil, err
	}
	answer, err := csrp.PasswordVerifierChallenge(start.ChallengeParameters, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return e.s.RespondToAuthChallenge(e.ctx, &userpool.RespondToAuthChallengeRequest{ClientId: clientID,
		ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: answer, Session: start.Session})
}

type roundTripUser struct {
	name, password string
	attrs          []userpool.AttributeType
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
			{"alice", "Alice-Passw0rd!", []userpool.AttributeType{{Name: "email", Value: "alice@example.com"}, {Name: "email_verified", Value: "true"},
				{Name: "custom:team", Value: "red"}, {Name: "name", Value: "Alice Ünïcode ✓"}}, []string{"admins", "readers"}},
			{"Bob", "Bob-Passw0rd!", []userpool.AttributeType{{Name: "phone_number", Value: "+15555550100"}}, []string{"readers"}},
			{"carol", "Carol-Passw0rd!", nil, nil},
			{"dave@example.org", "Dave-Passw0rd!", []userpool.AttributeType{{Name: "address", Value: `{"street":"1 \"Main\" St"}`}}, nil},
		}
		for _, g := range []userpool.CreateGroupRequest{
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
				if _, err := e.s.AdminAddUserToGroup(e.ctx, &userpool.AdminAddUserToGroupRequest{UserPoolId: poolID, Username: u.name, GroupName: g}); err != nil {
					t.Fatal(err)
				}
			}
			e.clock.Advance(time.Minute)
		}
		// A disabled user, and one still on its temporary password.
		e.createConfirmed(poolID, "erin", "Erin-Passw0rd!")
		if _, err := e.s.AdminDisableUser(e.ctx, &userpool.AdminDisableUserRequest{UserPoolId: poolID, Username: "erin"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.AdminCreateUser(e.ctx, &userpool.AdminCreateUserRequest{UserPoolId: poolID, Username: "frank",
			TemporaryPassword: "Frank-Temp0rary!", MessageAction: "SUPPRESS"}); err != nil {
			t.Fatal(err)
		}
		before := map[string]*userpool.AdminGetUserResponse{}
		for _, name := range []string{"alice", "Bob", "carol", "dave@example.org", "erin", "frank"} {
			before[name] = e.getUser(poolID, name)
		}

		progressed := 0
		var buf bytes.Buffer
		stats, err := e.x.Export(e.ctx, poolID, &buf, func(n int) { progressed = n })
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
		if _, err := e.s.DeleteUserPool(e.ctx, &userpool.DeleteUserPoolRequest{UserPoolId: poolID}); err != nil {
			t.Fatal(err)
		}
		newID := e.pool(exportPoolRequest())
		c := e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: newID,
			ExplicitAuthFlows: []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
		got := e.importUsers(newID, data)
		if want := (ImportStats{Users: 6, Created: 6, Groups: 2, GroupsCreated: 2, SRPDropped: 6}); got != want {
			t.Fatalf("import stats %+v, want %+v", got, want)
		}
		for _, u := range append(users, roundTripUser{name: "frank", password: "Frank-Temp0rary!"}) {
			out, err := e.s.InitiateAuth(e.ctx, &userpool.InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
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
			gs, err := e.s.AdminListGroupsForUser(e.ctx, &userpool.AdminListGroupsForUserRequest{UserPoolId: newID, Username: u.name})
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
		_, err = e.s.InitiateAuth(e.ctx, &userpool.InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": "erin", "PASSWORD": "Erin-Passw0rd!"}})
		wantUserErr(t, err, "NotAuthorizedException", "User is disabled.")
		_, err = e.s.InitiateAuth(e.ctx, &userpool.InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
			AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Wrong-Passw0rd!"}})
		wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
		g, err := e.s.GetGroup(e.ctx, &userpool.GetGroupRequest{UserPoolId: newID, GroupName: "admins"})
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
	src := newTestEnv(t)
	poolID := src.pool(exportPoolRequest())
	src.createConfirmed(poolID, "alice", "Alice-Passw0rd!")
	data := src.export(poolID)

	// Another installation (another master key) with a pool of the same name.
	dst := newTestEnv(t)
	rec, err := src.st.GetUserPool(src.ctx, poolID)
	if err != nil {
		t.Fatal(err)
	}
	rec.ID = "eu-west-1_" + strings.SplitN(poolID, "_", 2)[1]
	if err := dst.st.CreateUserPool(dst.ctx, rec); err != nil {
		t.Fatal(err)
	}
	if err := dst.iss.EnsureKeys(dst.ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	c := dst.client(&userpool.CreateUserPoolClientRequest{UserPoolId: rec.ID, ExplicitAuthFlows: []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
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

// The export's memberships (a merge of every group's member listing with the user listing)
// match the store's answer for each user, across pages of both.
func TestExportMembershipsAcrossPages(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(&userpool.CreateUserPoolRequest{})
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
