package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// testGroups runs the Groups cases on one store; each case works in pools of its own.
func testGroups(t *testing.T, s store.Store) {
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"CreateGet", testGroupCreateGet},
		{"List", testGroupList},
		{"Update", testGroupUpdate},
		{"Delete", testGroupDelete},
		{"Members", testGroupMembers},
		{"MembersPaging", testGroupMembersPaging},
		{"DeleteUserLeavesGroups", testGroupDeleteUser},
		{"DeletePoolCascades", testGroupDeletePool},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, s) })
	}
}

func normGroup(g store.Group) store.Group {
	g.CreatedAt, g.UpdatedAt = msUTC(g.CreatedAt), msUTC(g.UpdatedAt)
	return g
}

func groupNames(gs []store.Group) []string {
	names := make([]string, 0, len(gs))
	for _, g := range gs {
		names = append(names, g.Name)
	}
	return names
}

func wantGroupNames(t *testing.T, what string, got []store.Group, want ...string) {
	t.Helper()
	if g := groupNames(got); !slices.Equal(g, want) {
		t.Fatalf("%s: got groups [%s], want [%s]", what, strings.Join(g, " "), strings.Join(want, " "))
	}
}

func mkGroup(t *testing.T, s store.Store, poolID, name string, precedence *int64, roleArn string) store.Group {
	t.Helper()
	g := store.Group{
		PoolID: poolID, Name: name, Description: "group " + name, RoleArn: roleArn, Precedence: precedence,
		CreatedAt: t0(), UpdatedAt: t0(),
	}
	must(t, s.CreateGroup(t.Context(), g))
	return g
}

func i64(v int64) *int64 { return &v }

func testGroupCreateGet(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "cg-a")
	mkPool(t, s, "cg-b")
	full := store.Group{
		PoolID: "cg-a", Name: "Admins", Description: "Full access, ünïcode ✓",
		RoleArn: "arn:aws:iam::000000000000:role/admins", Precedence: i64(2147483647),
		CreatedAt: t0(), UpdatedAt: t0().Add(time.Minute),
	}
	must(t, s.CreateGroup(ctx, full))
	got, err := s.GetGroup(ctx, "cg-a", "Admins")
	must(t, err)
	wantEqual(t, "GetGroup", got, full, normGroup)
	wantUTC(t, "GetGroup", got.CreatedAt, got.UpdatedAt)

	// Precedence 0 is a precedence, not its absence; no precedence reads back as nil.
	zero := mkGroup(t, s, "cg-a", "zero", i64(0), "")
	got, err = s.GetGroup(ctx, "cg-a", "zero")
	must(t, err)
	wantEqual(t, "group with precedence 0", got, zero, normGroup)
	bare := store.Group{PoolID: "cg-a", Name: "bare"}
	must(t, s.CreateGroup(ctx, bare))
	got, err = s.GetGroup(ctx, "cg-a", "bare")
	must(t, err)
	wantEqual(t, "bare group", got, bare, normGroup)
	if got.Precedence != nil {
		t.Fatalf("no precedence read back as %d", *got.Precedence)
	}

	// Names are unique per pool and compared byte for byte.
	dup := full
	dup.Description = "another"
	wantErr(t, s.CreateGroup(ctx, dup), store.ErrAlreadyExists)
	got, err = s.GetGroup(ctx, "cg-a", "Admins")
	must(t, err)
	wantEqual(t, "group after a rejected duplicate", got, full, normGroup)
	mkGroup(t, s, "cg-a", "admins", nil, "")
	inB := full
	inB.PoolID = "cg-b"
	must(t, s.CreateGroup(ctx, inB))

	_, err = s.GetGroup(ctx, "cg-a", "ADMINS")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetGroup(ctx, "cg-b", "zero")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetGroup(ctx, "no-such-pool", "Admins")
	wantErr(t, err, store.ErrNotFound)

	orphan := store.Group{PoolID: "no-such-pool", Name: "g"}
	wantErr(t, s.CreateGroup(ctx, orphan), store.ErrNotFound)
}

func testGroupList(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "gl-a")
	mkPool(t, s, "gl-b")
	// Byte order: upper case before lower case, "a" before "a-b" before "ab".
	for _, name := range []string{"ab", "a-b", "Zed", "a", "é"} {
		mkGroup(t, s, "gl-a", name, nil, "")
	}
	mkGroup(t, s, "gl-b", "other", nil, "")
	for _, tc := range []struct {
		pool string
		page store.Page
		want []string
	}{
		{"gl-a", store.Page{}, []string{"Zed", "a", "a-b", "ab", "é"}},
		{"gl-a", store.Page{Limit: 2}, []string{"Zed", "a"}},
		{"gl-a", store.Page{After: "a", Limit: 2}, []string{"a-b", "ab"}},
		{"gl-a", store.Page{After: "ab"}, []string{"é"}},
		{"gl-a", store.Page{After: "é"}, nil},
		{"gl-b", store.Page{}, []string{"other"}},
		{"missing", store.Page{}, nil},
	} {
		got, err := s.ListGroups(ctx, tc.pool, tc.page)
		must(t, err)
		if g := groupNames(got); !slices.Equal(g, tc.want) {
			t.Errorf("ListGroups(%q, %+v) = %v, want %v", tc.pool, tc.page, g, tc.want)
		}
	}
	got, err := s.ListGroups(ctx, "gl-b", store.Page{})
	must(t, err)
	wantEqual(t, "listed group", got[0], store.Group{
		PoolID: "gl-b", Name: "other", Description: "group other", CreatedAt: t0(), UpdatedAt: t0(),
	}, normGroup)
}

func testGroupUpdate(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "gu-a")
	mkPool(t, s, "gu-b")
	g := mkGroup(t, s, "gu-a", "editors", i64(5), "arn:aws:iam::000000000000:role/editors")
	later := t0().Add(time.Hour)
	must(t, s.UpdateGroup(ctx, "gu-a", "editors", func(old store.Group) (store.Group, error) {
		wantEqual(t, "fn's argument", old, g, normGroup)
		old.PoolID, old.Name = "gu-b", "renamed" // keys cannot change: must be ignored
		old.Description, old.RoleArn, old.Precedence, old.UpdatedAt = "", "arn:aws:iam::000000000000:role/other", nil, later
		return old, nil
	}))
	want := g
	want.Description, want.RoleArn, want.Precedence, want.UpdatedAt = "", "arn:aws:iam::000000000000:role/other", nil, later
	got, err := s.GetGroup(ctx, "gu-a", "editors")
	must(t, err)
	wantEqual(t, "updated group", got, want, normGroup)
	_, err = s.GetGroup(ctx, "gu-b", "renamed")
	wantErr(t, err, store.ErrNotFound)

	must(t, s.UpdateGroup(ctx, "gu-a", "editors", func(old store.Group) (store.Group, error) {
		old.Precedence = i64(0)
		return old, nil
	}))
	want.Precedence = i64(0)
	got, err = s.GetGroup(ctx, "gu-a", "editors")
	must(t, err)
	wantEqual(t, "group with precedence set again", got, want, normGroup)

	fnErr := &testError{code: 11}
	err = s.UpdateGroup(ctx, "gu-a", "editors", func(old store.Group) (store.Group, error) {
		old.Description = "half-done"
		return old, fnErr
	})
	wantFnError(t, err, fnErr)
	got, err = s.GetGroup(ctx, "gu-a", "editors")
	must(t, err)
	wantEqual(t, "group after failed update", got, want, normGroup)

	for _, key := range [][2]string{{"gu-a", "missing"}, {"gu-b", "editors"}} {
		called := false
		err = s.UpdateGroup(ctx, key[0], key[1], func(old store.Group) (store.Group, error) {
			called = true
			return old, nil
		})
		wantErr(t, err, store.ErrNotFound)
		if called {
			t.Fatalf("fn was called for missing group %v", key)
		}
	}
}

func testGroupDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "gd-a")
	mkPool(t, s, "gd-b")
	mkGroup(t, s, "gd-a", "g1", nil, "")
	mkGroup(t, s, "gd-a", "g2", nil, "")
	mkGroup(t, s, "gd-b", "g1", nil, "")
	mkUser(t, s, "gd-a", "alice")
	mkUser(t, s, "gd-b", "alice")
	must(t, s.AddUserToGroup(ctx, "gd-a", "alice", "g1"))
	must(t, s.AddUserToGroup(ctx, "gd-a", "alice", "g2"))
	must(t, s.AddUserToGroup(ctx, "gd-b", "alice", "g1"))

	wantErr(t, s.DeleteGroup(ctx, "gd-a", "missing"), store.ErrNotFound)
	must(t, s.DeleteGroup(ctx, "gd-a", "g1"))
	_, err := s.GetGroup(ctx, "gd-a", "g1")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteGroup(ctx, "gd-a", "g1"), store.ErrNotFound)

	// The memberships went with the group; other groups and pools keep theirs.
	gs, err := s.ListGroupsForUser(ctx, "gd-a", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "alice's groups after delete", gs, "g2")
	gs, err = s.ListGroupsForUser(ctx, "gd-b", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "alice's groups in the other pool", gs, "g1")

	// A group created again under the same name starts without members.
	mkGroup(t, s, "gd-a", "g1", nil, "")
	us, err := s.ListUsersInGroup(ctx, "gd-a", "g1", store.Page{})
	must(t, err)
	wantKeys(t, "members of a re-created group", us)
	groups, err := s.ListGroups(ctx, "gd-a", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups after delete", groups, "g1", "g2")
}

func testGroupMembers(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "gm-a")
	mkPool(t, s, "gm-b")
	mkGroup(t, s, "gm-a", "readers", i64(3), "")
	mkGroup(t, s, "gm-a", "Writers", i64(1), "arn:aws:iam::000000000000:role/writers")
	mkGroup(t, s, "gm-a", "empty", nil, "")
	mkGroup(t, s, "gm-b", "readers", nil, "")
	alice := mkUser(t, s, "gm-a", "alice", "email", "alice@example.com")
	mkUser(t, s, "gm-a", "bob")
	mkUser(t, s, "gm-b", "alice")

	must(t, s.AddUserToGroup(ctx, "gm-a", "alice", "readers"))
	must(t, s.AddUserToGroup(ctx, "gm-a", "alice", "readers")) // again: no error, one membership
	must(t, s.AddUserToGroup(ctx, "gm-a", "alice", "Writers"))
	must(t, s.AddUserToGroup(ctx, "gm-a", "bob", "readers"))

	wantErr(t, s.AddUserToGroup(ctx, "gm-a", "alice", "missing"), store.ErrNotFound)
	wantErr(t, s.AddUserToGroup(ctx, "gm-a", "nobody", "readers"), store.ErrNotFound)
	wantErr(t, s.AddUserToGroup(ctx, "gm-b", "bob", "readers"), store.ErrNotFound) // bob is in gm-a only
	wantErr(t, s.AddUserToGroup(ctx, "no-such-pool", "alice", "readers"), store.ErrNotFound)

	gs, err := s.ListGroupsForUser(ctx, "gm-a", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "alice's groups", gs, "Writers", "readers")
	wantEqual(t, "listed group", gs[0], store.Group{
		PoolID: "gm-a", Name: "Writers", Description: "group Writers", RoleArn: "arn:aws:iam::000000000000:role/writers",
		Precedence: i64(1), CreatedAt: t0(), UpdatedAt: t0(),
	}, normGroup)
	gs, err = s.ListGroupsForUser(ctx, "gm-b", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "alice's groups in the other pool", gs)
	gs, err = s.ListGroupsForUser(ctx, "gm-a", "nobody", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups of a missing user", gs)

	us, err := s.ListUsersInGroup(ctx, "gm-a", "readers", store.Page{})
	must(t, err)
	wantKeys(t, "readers", us, "alice", "bob")
	wantEqual(t, "listed member", us[0], alice, normUser)
	us, err = s.ListUsersInGroup(ctx, "gm-a", "empty", store.Page{})
	must(t, err)
	wantKeys(t, "members of an empty group", us)
	us, err = s.ListUsersInGroup(ctx, "gm-a", "missing", store.Page{})
	must(t, err)
	wantKeys(t, "members of a missing group", us)
	us, err = s.ListUsersInGroup(ctx, "gm-b", "readers", store.Page{})
	must(t, err)
	wantKeys(t, "readers of the other pool", us)

	must(t, s.RemoveUserFromGroup(ctx, "gm-a", "alice", "readers"))
	wantErr(t, s.RemoveUserFromGroup(ctx, "gm-a", "alice", "readers"), store.ErrNotFound)
	wantErr(t, s.RemoveUserFromGroup(ctx, "gm-a", "alice", "missing"), store.ErrNotFound)
	wantErr(t, s.RemoveUserFromGroup(ctx, "gm-b", "bob", "readers"), store.ErrNotFound)
	us, err = s.ListUsersInGroup(ctx, "gm-a", "readers", store.Page{})
	must(t, err)
	wantKeys(t, "readers after removing alice", us, "bob")
	gs, err = s.ListGroupsForUser(ctx, "gm-a", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "alice's groups after removal", gs, "Writers")

	// A membership is not part of the group or the user: updating either keeps it.
	must(t, s.UpdateGroup(ctx, "gm-a", "Writers", func(old store.Group) (store.Group, error) {
		old.Description = "changed"
		return old, nil
	}))
	must(t, s.UpdateUser(ctx, "gm-a", "alice", func(old store.User) (store.User, error) {
		old.Status = "RESET_REQUIRED"
		return old, nil
	}))
	gs, err = s.ListGroupsForUser(ctx, "gm-a", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "alice's groups after updates", gs, "Writers")
}

func testGroupMembersPaging(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "gp")
	for _, name := range []string{"g3", "g1", "G2", "g4"} {
		mkGroup(t, s, "gp", name, nil, "")
	}
	mkGroup(t, s, "gp", "not-mine", nil, "")
	for _, key := range []string{"dave", "alice", "carol", "bob"} {
		mkUser(t, s, "gp", key)
		must(t, s.AddUserToGroup(ctx, "gp", key, "g1"))
	}
	mkUser(t, s, "gp", "erin") // in no group
	for _, g := range []string{"g3", "g1", "G2", "g4"} {
		must(t, s.AddUserToGroup(ctx, "gp", "alice", g))
	}

	for _, tc := range []struct {
		page store.Page
		want []string
	}{
		{store.Page{}, []string{"G2", "g1", "g3", "g4"}},
		{store.Page{Limit: 3}, []string{"G2", "g1", "g3"}},
		{store.Page{After: "g1", Limit: 1}, []string{"g3"}},
		{store.Page{After: "g3", Limit: 3}, []string{"g4"}},
		{store.Page{After: "g4"}, nil},
	} {
		got, err := s.ListGroupsForUser(ctx, "gp", "alice", tc.page)
		must(t, err)
		if g := groupNames(got); !slices.Equal(g, tc.want) {
			t.Errorf("ListGroupsForUser(alice, %+v) = %v, want %v", tc.page, g, tc.want)
		}
	}
	for _, tc := range []struct {
		page store.Page
		want []string
	}{
		{store.Page{}, []string{"alice", "bob", "carol", "dave"}},
		{store.Page{Limit: 2}, []string{"alice", "bob"}},
		{store.Page{After: "bob", Limit: 2}, []string{"carol", "dave"}},
		{store.Page{After: "dave"}, nil},
	} {
		got, err := s.ListUsersInGroup(ctx, "gp", "g1", tc.page)
		must(t, err)
		if g := userKeys(got); !slices.Equal(g, tc.want) {
			t.Errorf("ListUsersInGroup(g1, %+v) = %v, want %v", tc.page, g, tc.want)
		}
	}
}

func testGroupDeleteUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "gx")
	mkGroup(t, s, "gx", "g", nil, "")
	mkUser(t, s, "gx", "alice")
	mkUser(t, s, "gx", "bob")
	must(t, s.AddUserToGroup(ctx, "gx", "alice", "g"))
	must(t, s.AddUserToGroup(ctx, "gx", "bob", "g"))

	must(t, s.DeleteUser(ctx, "gx", "alice"))
	us, err := s.ListUsersInGroup(ctx, "gx", "g", store.Page{})
	must(t, err)
	wantKeys(t, "members after deleting alice", us, "bob")
	if _, err := s.GetGroup(ctx, "gx", "g"); err != nil {
		t.Fatalf("the group went with its member: %v", err)
	}

	// A user created again under the same username is in no group.
	mkUser(t, s, "gx", "alice")
	gs, err := s.ListGroupsForUser(ctx, "gx", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups of a re-created user", gs)
	wantErr(t, s.RemoveUserFromGroup(ctx, "gx", "alice", "g"), store.ErrNotFound)
}

func testGroupDeletePool(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, p := range []string{"gz-a", "gz-b"} {
		mkPool(t, s, p)
		mkGroup(t, s, p, "g", i64(1), "arn:aws:iam::000000000000:role/r")
		mkUser(t, s, p, "alice")
		must(t, s.AddUserToGroup(ctx, p, "alice", "g"))
	}
	must(t, s.DeleteUserPool(ctx, "gz-a"))
	_, err := s.GetGroup(ctx, "gz-a", "g")
	wantErr(t, err, store.ErrNotFound)
	gs, err := s.ListGroups(ctx, "gz-a", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups after pool delete", gs)

	// A new pool with the same ID starts empty: neither group nor membership survived.
	mkPool(t, s, "gz-a")
	mkGroup(t, s, "gz-a", "g", nil, "")
	mkUser(t, s, "gz-a", "alice")
	gs, err = s.ListGroupsForUser(ctx, "gz-a", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups of alice in the re-created pool", gs)

	// The other pool is untouched.
	gs, err = s.ListGroupsForUser(ctx, "gz-b", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "gz-b alice's groups", gs, "g")
}
