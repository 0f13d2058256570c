package userpool

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

const (
	groupsTestRoleA = "arn:aws:iam::000000000000:role/role-a"
	groupsTestRoleB = "arn:aws:iam::000000000000:role/role-b"
	groupsTestRoleC = "arn:aws:iam::000000000000:role/role-c"
)

func (e *poolTestEnv) createGroup(t *testing.T, in *CreateGroupRequest) *GroupType {
	t.Helper()
	out, err := e.svc.CreateGroup(e.ctx, in)
	if err != nil {
		t.Fatalf("CreateGroup(%s): %v", in.GroupName, err)
	}
	return out.Group
}

// createGroupUser creates a user with AdminCreateUser (no invitation) and returns its
// username as Cognito shows it.
func (e *poolTestEnv) createGroupUser(t *testing.T, poolID, username string, attrs ...AttributeType) string {
	t.Helper()
	out, err := e.svc.AdminCreateUser(e.ctx, &AdminCreateUserRequest{
		UserPoolId: poolID, Username: username, UserAttributes: attrs, MessageAction: "SUPPRESS",
	})
	if err != nil {
		t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
	return out.User.Username
}

func (e *poolTestEnv) addToGroup(t *testing.T, poolID, username, group string) {
	t.Helper()
	if _, err := e.svc.AdminAddUserToGroup(e.ctx, &AdminAddUserToGroupRequest{UserPoolId: poolID, Username: username, GroupName: group}); err != nil {
		t.Fatalf("AdminAddUserToGroup(%s, %s): %v", username, group, err)
	}
}

func (e *poolTestEnv) groupsOf(t *testing.T, poolID, username string) []string {
	t.Helper()
	out, err := e.svc.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: poolID, Username: username})
	if err != nil {
		t.Fatalf("AdminListGroupsForUser(%s): %v", username, err)
	}
	var names []string
	for _, g := range out.Groups {
		names = append(names, g.GroupName)
	}
	return names
}

func (e *poolTestEnv) membersOf(t *testing.T, poolID, group string) []string {
	t.Helper()
	out, err := e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: poolID, GroupName: group})
	if err != nil {
		t.Fatalf("ListUsersInGroup(%s): %v", group, err)
	}
	var names []string
	for _, u := range out.Users {
		names = append(names, u.Username)
	}
	return names
}

func wantStrings(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("%s = %q, want %q", what, got, want)
	}
}

func TestGroupsCreateGetUpdateDelete(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	created := e.clock.Now()

	g := e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "Admins", Description: "full access",
		RoleArn: groupsTestRoleA, Precedence: ptr(int64(1))})
	if g.GroupName != "Admins" || g.UserPoolId != up.Id || g.Description != "full access" || g.RoleArn != groupsTestRoleA ||
		g.Precedence == nil || *g.Precedence != 1 || !g.CreationDate.Equal(created) || !g.LastModifiedDate.Equal(created) {
		t.Fatalf("created group = %+v", g)
	}
	got, err := e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: up.Id, GroupName: "Admins"})
	if err != nil {
		t.Fatal(err)
	}
	if b1, b2 := mustJSON(t, got.Group), mustJSON(t, g); b1 != b2 {
		t.Fatalf("GetGroup = %s, want %s", b1, b2)
	}
	// A group without precedence shows none; 0 and 2^31-1 are the bounds.
	bare := e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "bare"})
	if bare.Precedence != nil || bare.RoleArn != "" || bare.Description != "" {
		t.Fatalf("bare group = %+v", bare)
	}
	if s := mustJSON(t, bare); strings.Contains(s, "Precedence") || strings.Contains(s, "RoleArn") {
		t.Fatalf("bare group renders %s", s)
	}
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "zero", Precedence: ptr(int64(0))})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "max", Precedence: ptr(int64(maxPrecedence))})

	// Errors.
	_, err = e.svc.CreateGroup(e.ctx, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "Admins"})
	wantAWSError(t, err, "GroupExistsException", "A group with the name already exists")
	_, err = e.svc.CreateGroup(e.ctx, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "big", Precedence: ptr(int64(maxPrecedence + 1))})
	wantAWSError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '2147483648' at 'precedence' failed to satisfy constraint: Member must have value less than or equal to 2147483647")
	_, err = e.svc.CreateGroup(e.ctx, &CreateGroupRequest{UserPoolId: "us-east-1_nothere00", GroupName: "g"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: up.Id, GroupName: "admins"}) // names are case-sensitive
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: "us-east-1_nothere00", GroupName: "Admins"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "admins"})

	// UpdateGroup changes what it is given and keeps the rest.
	e.clock.Advance(time.Minute)
	upd, err := e.svc.UpdateGroup(e.ctx, &UpdateGroupRequest{UserPoolId: up.Id, GroupName: "Admins", Precedence: ptr(int64(7))})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Group.Description != "full access" || upd.Group.RoleArn != groupsTestRoleA || *upd.Group.Precedence != 7 ||
		!upd.Group.CreationDate.Equal(created) || !upd.Group.LastModifiedDate.Equal(e.clock.Now()) {
		t.Fatalf("after updating the precedence: %+v", upd.Group)
	}
	upd, err = e.svc.UpdateGroup(e.ctx, &UpdateGroupRequest{UserPoolId: up.Id, GroupName: "Admins", Description: "changed", RoleArn: groupsTestRoleB})
	if err != nil {
		t.Fatal(err)
	}
	if upd.Group.Description != "changed" || upd.Group.RoleArn != groupsTestRoleB || *upd.Group.Precedence != 7 {
		t.Fatalf("after updating description and role: %+v", upd.Group)
	}
	got, err = e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: up.Id, GroupName: "Admins"})
	if err != nil {
		t.Fatal(err)
	}
	if b1, b2 := mustJSON(t, got.Group), mustJSON(t, upd.Group); b1 != b2 {
		t.Fatalf("GetGroup after update = %s, want %s", b1, b2)
	}
	_, err = e.svc.UpdateGroup(e.ctx, &UpdateGroupRequest{UserPoolId: up.Id, GroupName: "missing", Description: "x"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.svc.UpdateGroup(e.ctx, &UpdateGroupRequest{UserPoolId: up.Id, GroupName: "Admins", Precedence: ptr(int64(-1))})
	wantAWSError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0")

	// DeleteGroup.
	if _, err := e.svc.DeleteGroup(e.ctx, &DeleteGroupRequest{UserPoolId: up.Id, GroupName: "Admins"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: up.Id, GroupName: "Admins"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.svc.DeleteGroup(e.ctx, &DeleteGroupRequest{UserPoolId: up.Id, GroupName: "Admins"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	if _, err := e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: up.Id, GroupName: "admins"}); err != nil {
		t.Fatalf("the other-case group went too: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGroupsWire calls the operations through the JSON 1.1 server: every one is registered
// as IAM-authorised, and UpdateGroup tells an omitted Description from an empty one.
func TestGroupsWire(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	api := awsapi.NewService("AWSCognitoIdentityProviderService", nil)
	e.svc.registerGroups(api)
	ops := api.Operations()
	slices.Sort(ops)
	wantStrings(t, "registered operations", ops, "AdminAddUserToGroup", "AdminListGroupsForUser", "AdminRemoveUserFromGroup",
		"CreateGroup", "DeleteGroup", "GetGroup", "ListGroups", "ListUsersInGroup", "UpdateGroup")
	for _, op := range ops {
		if api.IsPublic(op) {
			t.Errorf("%s is registered public", op)
		}
	}
	srv := awsapi.NewServer(nil, nil, api)
	call := func(op, body string) (int, string) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	pool := `"UserPoolId":"` + up.Id + `"`
	if code, body := call("CreateGroup", `{`+pool+`,"GroupName":"g","Description":"d","RoleArn":"`+groupsTestRoleA+`","Precedence":3}`); code != 200 {
		t.Fatalf("CreateGroup: %d %s", code, body)
	}
	// Description absent: kept.
	code, body := call("UpdateGroup", `{`+pool+`,"GroupName":"g","Precedence":4}`)
	if code != 200 || !strings.Contains(body, `"Description":"d"`) || !strings.Contains(body, `"Precedence":4`) || !strings.Contains(body, groupsTestRoleA) {
		t.Fatalf("UpdateGroup without Description: %d %s", code, body)
	}
	// Description null: kept too.
	if code, body = call("UpdateGroup", `{`+pool+`,"GroupName":"g","Description":null}`); code != 200 || !strings.Contains(body, `"Description":"d"`) {
		t.Fatalf("UpdateGroup with null Description: %d %s", code, body)
	}
	// Description "": cleared.
	if code, body = call("UpdateGroup", `{`+pool+`,"GroupName":"g","Description":""}`); code != 200 || strings.Contains(body, `"Description"`) {
		t.Fatalf("UpdateGroup with empty Description: %d %s", code, body)
	}
	code, body = call("GetGroup", `{`+pool+`,"GroupName":"nope"}`)
	if code != 400 || body != `{"__type":"ResourceNotFoundException","message":"Group not found."}` {
		t.Fatalf("GetGroup of a missing group: %d %s", code, body)
	}
	if code, body = call("DeleteGroup", `{`+pool+`,"GroupName":"g"}`); code != 200 || body != `{}` {
		t.Fatalf("DeleteGroup: %d %s", code, body)
	}
}

func TestGroupsListPagination(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	other := e.createPool(t, &CreateUserPoolRequest{})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: other.Id, GroupName: "elsewhere"})
	names := []string{"delta", "Alpha", "charlie", "bravo", "echo"}
	for _, n := range names {
		e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: n})
	}
	want := slices.Clone(names)
	slices.Sort(want) // byte order: "Alpha" first

	var got []string
	next, pages := "", 0
	for {
		out, err := e.svc.ListGroups(e.ctx, &ListGroupsRequest{UserPoolId: up.Id, Limit: ptr(int64(2)), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range out.Groups {
			if g.UserPoolId != up.Id {
				t.Errorf("listed %+v", g)
			}
			got = append(got, g.GroupName)
		}
		if next = out.NextToken; next == "" {
			break
		}
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}
	wantStrings(t, "listed groups", got, want...)

	for _, limit := range []*int64{nil, ptr(int64(0)), ptr(int64(60))} {
		out, err := e.svc.ListGroups(e.ctx, &ListGroupsRequest{UserPoolId: up.Id, Limit: limit})
		if err != nil || len(out.Groups) != 5 || out.NextToken != "" {
			t.Fatalf("Limit %v: %d groups, token %q, %v", limit, len(out.Groups), out.NextToken, err)
		}
	}
	_, err := e.svc.ListGroups(e.ctx, &ListGroupsRequest{UserPoolId: up.Id, Limit: ptr(int64(61))})
	wantAWSError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")

	// A token of another pool's listing, or of another listing, is refused.
	first, err := e.svc.ListGroups(e.ctx, &ListGroupsRequest{UserPoolId: up.Id, Limit: ptr(int64(1))})
	if err != nil || first.NextToken == "" {
		t.Fatalf("first page: %+v %v", first, err)
	}
	_, err = e.svc.ListGroups(e.ctx, &ListGroupsRequest{UserPoolId: other.Id, NextToken: first.NextToken})
	wantAWSError(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: up.Id, GroupName: "bravo", NextToken: first.NextToken})
	wantAWSError(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = e.svc.ListGroups(e.ctx, &ListGroupsRequest{UserPoolId: "us-east-1_nothere00"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
}

func TestGroupsMembership(t *testing.T) {
	e := newPoolTestEnv(t)
	// Email is the username: users are addressed by email or sub, and their Username is the sub.
	up := e.createPool(t, &CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	for _, n := range []string{"readers", "writers", "Admins", "empty"} {
		e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: n})
	}
	alice := e.createGroupUser(t, up.Id, "alice@example.com")
	bob := e.createGroupUser(t, up.Id, "bob@example.com")

	e.addToGroup(t, up.Id, "alice@example.com", "writers")
	e.addToGroup(t, up.Id, alice, "readers") // by sub
	e.addToGroup(t, up.Id, "alice@example.com", "readers")
	e.addToGroup(t, up.Id, "alice@example.com", "Admins")
	e.addToGroup(t, up.Id, "bob@example.com", "readers")

	wantStrings(t, "alice's groups", e.groupsOf(t, up.Id, "alice@example.com"), "Admins", "readers", "writers")
	wantStrings(t, "bob's groups", e.groupsOf(t, up.Id, bob), "readers")
	members := []string{alice, bob}
	slices.Sort(members)
	wantStrings(t, "readers", e.membersOf(t, up.Id, "readers"), members...)
	wantStrings(t, "empty group", e.membersOf(t, up.Id, "empty"))

	// Members are shown as ListUsers shows users, with every attribute.
	out, err := e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: up.Id, GroupName: "writers"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Users) != 1 {
		t.Fatalf("writers = %+v", out.Users)
	}
	u := out.Users[0]
	if u.Username != alice || attrMap(u.Attributes)["email"] != "alice@example.com" || attrMap(u.Attributes)["sub"] != alice ||
		u.UserStatus != "FORCE_CHANGE_PASSWORD" || u.Enabled == nil || !*u.Enabled || u.UserCreateDate == nil {
		t.Fatalf("listed member = %+v", u)
	}
	groups, err := e.svc.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: up.Id, Username: alice})
	if err != nil {
		t.Fatal(err)
	}
	if g := groups.Groups[0]; g.GroupName != "Admins" || g.UserPoolId != up.Id || g.CreationDate == nil {
		t.Fatalf("listed group = %+v", g)
	}

	// Unknown users and groups. The group is checked first.
	_, err = e.svc.AdminAddUserToGroup(e.ctx, &AdminAddUserToGroupRequest{UserPoolId: up.Id, Username: "nobody@example.com", GroupName: "readers"})
	wantAWSError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.AdminAddUserToGroup(e.ctx, &AdminAddUserToGroupRequest{UserPoolId: up.Id, Username: "alice@example.com", GroupName: "missing"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.svc.AdminAddUserToGroup(e.ctx, &AdminAddUserToGroupRequest{UserPoolId: up.Id, Username: "nobody@example.com", GroupName: "missing"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.svc.AdminAddUserToGroup(e.ctx, &AdminAddUserToGroupRequest{UserPoolId: "us-east-1_nothere00", Username: "alice@example.com", GroupName: "readers"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist.")
	_, err = e.svc.AdminRemoveUserFromGroup(e.ctx, &AdminRemoveUserFromGroupRequest{UserPoolId: up.Id, Username: "nobody@example.com", GroupName: "readers"})
	wantAWSError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.AdminRemoveUserFromGroup(e.ctx, &AdminRemoveUserFromGroupRequest{UserPoolId: up.Id, Username: alice, GroupName: "missing"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")
	_, err = e.svc.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: up.Id, Username: "nobody@example.com"})
	wantAWSError(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: up.Id, GroupName: "missing"})
	wantAWSError(t, err, "ResourceNotFoundException", "Group not found.")

	// Removing, and removing a non-member, succeed.
	for range 2 {
		if _, err := e.svc.AdminRemoveUserFromGroup(e.ctx, &AdminRemoveUserFromGroupRequest{UserPoolId: up.Id, Username: "alice@example.com", GroupName: "readers"}); err != nil {
			t.Fatalf("AdminRemoveUserFromGroup: %v", err)
		}
	}
	wantStrings(t, "alice's groups after removal", e.groupsOf(t, up.Id, alice), "Admins", "writers")
	wantStrings(t, "readers after removal", e.membersOf(t, up.Id, "readers"), bob)
}

func TestGroupsMembershipPagination(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	groupNames := []string{"g5", "g1", "g4", "g2", "g3"}
	for _, n := range groupNames {
		e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: n})
	}
	for _, n := range groupNames {
		e.addToGroup(t, up.Id, e.createGroupUser(t, up.Id, "user-"+n), "g1")
	}
	for _, n := range groupNames {
		e.addToGroup(t, up.Id, "user-g1", n)
	}

	var got []string
	next, pages := "", 0
	for {
		out, err := e.svc.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: up.Id, Username: "user-g1", Limit: ptr(int64(2)), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, g := range out.Groups {
			got = append(got, g.GroupName)
		}
		if next = out.NextToken; next == "" {
			break
		}
	}
	wantStrings(t, "paged groups of user-g1", got, "g1", "g2", "g3", "g4", "g5")
	if pages != 3 {
		t.Errorf("group pages = %d, want 3", pages)
	}

	got, next, pages = nil, "", 0
	for {
		out, err := e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: up.Id, GroupName: "g1", Limit: ptr(int64(3)), NextToken: next})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range out.Users {
			got = append(got, u.Username)
		}
		if next = out.NextToken; next == "" {
			break
		}
	}
	wantStrings(t, "paged members of g1", got, "user-g1", "user-g2", "user-g3", "user-g4", "user-g5")
	if pages != 2 {
		t.Errorf("member pages = %d, want 2", pages)
	}

	// A token is bound to its user or group.
	out, err := e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: up.Id, GroupName: "g1", Limit: ptr(int64(1))})
	if err != nil || out.NextToken == "" {
		t.Fatalf("first page: %+v %v", out, err)
	}
	_, err = e.svc.ListUsersInGroup(e.ctx, &ListUsersInGroupRequest{UserPoolId: up.Id, GroupName: "g2", NextToken: out.NextToken})
	wantAWSError(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = e.svc.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: up.Id, Username: "user-g2", NextToken: out.NextToken})
	wantAWSError(t, err, "InvalidParameterException", "Invalid pagination token.")
	_, err = e.svc.AdminListGroupsForUser(e.ctx, &AdminListGroupsForUserRequest{UserPoolId: up.Id, Username: "user-g1", Limit: ptr(int64(61))})
	wantAWSError(t, err, "InvalidParameterException",
		"1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
}

func TestGroupsDeletes(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "staff", RoleArn: groupsTestRoleA, Precedence: ptr(int64(1))})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "temp"})
	e.createGroupUser(t, up.Id, "alice")
	e.createGroupUser(t, up.Id, "bob")
	for _, u := range []string{"alice", "bob"} {
		e.addToGroup(t, up.Id, u, "staff")
		e.addToGroup(t, up.Id, u, "temp")
	}

	// Deleting a group ends its memberships; a group of the same name starts empty.
	if _, err := e.svc.DeleteGroup(e.ctx, &DeleteGroupRequest{UserPoolId: up.Id, GroupName: "temp"}); err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "alice's groups after the group's delete", e.groupsOf(t, up.Id, "alice"), "staff")
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "temp"})
	wantStrings(t, "members of the re-created group", e.membersOf(t, up.Id, "temp"))

	// Deleting a user ends theirs; a user of the same name starts in no group.
	if _, err := e.svc.AdminDeleteUser(e.ctx, &AdminDeleteUserRequest{UserPoolId: up.Id, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	wantStrings(t, "staff after alice's delete", e.membersOf(t, up.Id, "staff"), "bob")
	e.createGroupUser(t, up.Id, "alice")
	wantStrings(t, "groups of the re-created alice", e.groupsOf(t, up.Id, "alice"))

	// Deleting the pool takes its groups.
	if _, err := e.svc.DeleteUserPool(e.ctx, &DeleteUserPoolRequest{UserPoolId: up.Id}); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.GetGroup(e.ctx, &GetGroupRequest{UserPoolId: up.Id, GroupName: "staff"})
	wantAWSError(t, err, "ResourceNotFoundException", "User pool "+up.Id+" does not exist.")
	if gs, err := e.store.ListGroups(e.ctx, up.Id, store.Page{}); err != nil || len(gs) != 0 {
		t.Fatalf("groups after the pool's delete: %+v %v", gs, err)
	}
}

// TestGroupClaimsPrecedence is the table of how precedence picks cognito:preferred_role,
// ties included, and how the claim arrays are ordered.
func TestGroupClaimsPrecedence(t *testing.T) {
	const (
		a, b, c = groupsTestRoleA, groupsTestRoleB, groupsTestRoleC
		none    = -1 // no precedence
	)
	type grp struct {
		name string
		prec int64
		role string
	}
	for _, tc := range []struct {
		name      string
		groups    []grp
		wantNames []string
		wantRoles []string
		preferred string
	}{
		{"no groups", nil, nil, nil, ""},
		{"one group without role", []grp{{"g", 1, ""}}, []string{"g"}, nil, ""},
		{"one group with role, no precedence", []grp{{"g", none, a}}, []string{"g"}, []string{a}, a},
		{"one group with role and precedence 0", []grp{{"g", 0, a}}, []string{"g"}, []string{a}, a},
		{"lowest precedence wins", []grp{{"low", 2, b}, {"high", 1, a}}, []string{"high", "low"}, []string{a, b}, a},
		{"zero beats one", []grp{{"one", 1, b}, {"zero", 0, a}}, []string{"zero", "one"}, []string{a, b}, a},
		{"tie with different roles: none", []grp{{"x", 1, a}, {"y", 1, b}}, []string{"x", "y"}, []string{a, b}, ""},
		{"tie with the same role: that role", []grp{{"x", 1, a}, {"y", 1, a}}, []string{"x", "y"}, []string{a}, a},
		{"tie below the lowest does not matter", []grp{{"x", 1, a}, {"y", 2, b}, {"z", 2, c}}, []string{"x", "y", "z"}, []string{a, b, c}, a},
		{"tie at the lowest beats a lower third", []grp{{"x", 1, a}, {"y", 1, b}, {"z", 2, c}}, []string{"x", "y", "z"}, []string{a, b, c}, ""},
		{"tie of three, one differs", []grp{{"x", 1, a}, {"y", 1, a}, {"z", 1, b}}, []string{"x", "y", "z"}, []string{a, b}, ""},
		{"a role-less group of lower precedence is passed over", []grp{{"top", 0, ""}, {"next", 5, b}}, []string{"top", "next"}, []string{b}, b},
		{"role-less groups do not break a tie", []grp{{"top", 0, ""}, {"x", 1, a}, {"y", 1, b}}, []string{"top", "x", "y"}, []string{a, b}, ""},
		{"role-less group tied with a role group", []grp{{"x", 1, ""}, {"y", 1, a}}, []string{"x", "y"}, []string{a}, a},
		{"precedence beats none", []grp{{"unranked", none, a}, {"ranked", 10, b}}, []string{"ranked", "unranked"}, []string{b, a}, b},
		{"maximum precedence still beats none", []grp{{"unranked", none, a}, {"ranked", maxPrecedence, b}}, []string{"ranked", "unranked"}, []string{b, a}, b},
		{"none tie with different roles", []grp{{"x", none, a}, {"y", none, b}}, []string{"x", "y"}, []string{a, b}, ""},
		{"none tie with the same role", []grp{{"x", none, a}, {"y", none, a}}, []string{"x", "y"}, []string{a}, a},
		{"ranked role-less, unranked with role", []grp{{"ranked", 0, ""}, {"unranked", none, a}}, []string{"ranked", "unranked"}, []string{a}, a},
		{"equal precedence in name order", []grp{{"b", 3, ""}, {"B", 3, ""}, {"a", 3, ""}}, []string{"B", "a", "b"}, nil, ""},
		{"roles listed once, in group order", []grp{{"p3", 3, a}, {"p1", 1, b}, {"p2", 2, a}, {"pn", none, c}}, []string{"p1", "p2", "p3", "pn"}, []string{b, a, c}, b},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in []store.Group
			for _, g := range tc.groups {
				sg := store.Group{PoolID: "p", Name: g.name, RoleArn: g.role}
				if g.prec != none {
					sg.Precedence = ptr(g.prec)
				}
				in = append(in, sg)
			}
			names, roles, preferred := claimsFromGroups(in)
			if !slices.Equal(names, tc.wantNames) || !slices.Equal(roles, tc.wantRoles) || preferred != tc.preferred {
				t.Fatalf("claims = %q %q %q, want %q %q %q", names, roles, preferred, tc.wantNames, tc.wantRoles, tc.preferred)
			}
			// The input order does not matter.
			slices.Reverse(in)
			names2, roles2, preferred2 := claimsFromGroups(in)
			if !slices.Equal(names, names2) || !slices.Equal(roles, roles2) || preferred != preferred2 {
				t.Fatalf("reversed input gives %q %q %q", names2, roles2, preferred2)
			}
		})
	}
}

// TestGroupClaimsInTokens puts a user's group claims into tokens signed and verified by the
// real issuer: arrays in the JSON, the roles only in the ID token, and nothing for a user in
// no group.
func TestGroupClaimsInTokens(t *testing.T) {
	e := newPoolTestEnv(t)
	up := e.createPool(t, &CreateUserPoolRequest{})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "editors", RoleArn: groupsTestRoleB, Precedence: ptr(int64(2))})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "admins", RoleArn: groupsTestRoleA, Precedence: ptr(int64(1))})
	e.createGroup(t, &CreateGroupRequest{UserPoolId: up.Id, GroupName: "everyone"})
	e.createGroupUser(t, up.Id, "alice")
	e.createGroupUser(t, up.Id, "loner")
	for _, g := range []string{"everyone", "editors", "admins"} {
		e.addToGroup(t, up.Id, "alice", g)
	}
	p, err := e.svc.loadPool(e.ctx, up.Id)
	if err != nil {
		t.Fatal(err)
	}

	sign := func(username string) (id, access token.Claims) {
		t.Helper()
		u, err := e.svc.findUser(e.ctx, p, username)
		if err != nil {
			t.Fatal(err)
		}
		now := e.clock.Now()
		base := func(use string) map[string]any {
			return map[string]any{
				"iss": e.tokens.IssuerFor(up.Id), "sub": u.Sub, "token_use": use,
				"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "aud": "client", "client_id": "client",
			}
		}
		idClaims, accessClaims := base("id"), base("access")
		if err := e.svc.addGroupClaims(e.ctx, p, u, idClaims, accessClaims); err != nil {
			t.Fatal(err)
		}
		verify := func(use string, claims map[string]any) token.Claims {
			raw, err := e.tokens.Sign(e.ctx, up.Id, use, claims)
			if err != nil {
				t.Fatal(err)
			}
			got, err := e.tokens.Verify(e.ctx, raw, token.VerifyOptions{PoolID: up.Id, Use: use})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		return verify("id", idClaims), verify("access", accessClaims)
	}

	id, access := sign("alice")
	if _, ok := id["cognito:groups"].([]any); !ok {
		t.Fatalf("cognito:groups is %T, want a JSON array", id["cognito:groups"])
	}
	wantStrings(t, "ID token cognito:groups", id.Strings("cognito:groups"), "admins", "editors", "everyone")
	wantStrings(t, "ID token cognito:roles", id.Strings("cognito:roles"), groupsTestRoleA, groupsTestRoleB)
	if got := id.String("cognito:preferred_role"); got != groupsTestRoleA {
		t.Fatalf("cognito:preferred_role = %q", got)
	}
	wantStrings(t, "access token cognito:groups", access.Strings("cognito:groups"), "admins", "editors", "everyone")
	for _, c := range []string{"cognito:roles", "cognito:preferred_role"} {
		if _, ok := access[c]; ok {
			t.Errorf("access token carries %s", c)
		}
	}

	// A tie at the lowest precedence with different roles drops the preferred role only.
	if _, err := e.svc.UpdateGroup(e.ctx, &UpdateGroupRequest{UserPoolId: up.Id, GroupName: "editors", Precedence: ptr(int64(1))}); err != nil {
		t.Fatal(err)
	}
	id, _ = sign("alice")
	if _, ok := id["cognito:preferred_role"]; ok {
		t.Fatalf("preferred role despite a tie: %v", id["cognito:preferred_role"])
	}
	wantStrings(t, "cognito:groups after the tie", id.Strings("cognito:groups"), "admins", "editors", "everyone")

	id, access = sign("loner")
	for _, c := range []string{"cognito:groups", "cognito:roles", "cognito:preferred_role"} {
		if _, ok := id[c]; ok {
			t.Errorf("ID token of a user in no group carries %s", c)
		}
		if _, ok := access[c]; ok {
			t.Errorf("access token of a user in no group carries %s", c)
		}
	}
}
