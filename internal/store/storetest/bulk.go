package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/internal/store"
)

// testBulkUsers checks store.BulkUsers, an optional capability: a backend without it skips.
func testBulkUsers(t *testing.T, s store.Store) {
	b, ok := s.(store.BulkUsers)
	if !ok {
		t.Skip("the store does not implement store.BulkUsers")
	}
	ctx := t.Context()
	mkPool(t, s, "bu")
	mkPool(t, s, "bu-other")
	mkGroup(t, s, "bu", "admins", i64(1), "arn:aws:iam::000000000000:role/admins")
	mkGroup(t, s, "bu", "readers", nil, "")

	created, err := b.CreateUsers(ctx, nil)
	must(t, err)
	if len(created) != 0 {
		t.Fatalf("empty batch: created = %v", created)
	}

	full := fullUser()
	full.PoolID = "bu"
	batch := []store.NewUser{
		{User: full, Groups: []string{"admins", "readers"}},
		{User: newUser("bu", "bob", "email", "bob@example.com")},
		{User: newUser("bu", "carol"), Groups: []string{"readers"}},
		// The same key again in one batch: the first one wins.
		{User: func() store.User { u := newUser("bu", "bob"); u.Sub = "another-sub"; return u }()},
		// The same key in another pool is another user.
		{User: newUser("bu-other", "bob")},
	}
	created, err = b.CreateUsers(ctx, batch)
	must(t, err)
	if want := []bool{true, true, true, false, true}; !slices.Equal(created, want) {
		t.Fatalf("created = %v, want %v", created, want)
	}
	got, err := s.GetUser(ctx, "bu", "alice")
	must(t, err)
	wantEqual(t, "bulk-created user", got, full, normUser)
	got, err = s.GetUser(ctx, "bu", "bob")
	must(t, err)
	wantEqual(t, "bob, first of two", got, batch[1].User, normUser)
	found, err := s.FindUsersByAttribute(ctx, "bu", "email", "bob@example.com")
	must(t, err)
	wantKeys(t, "attribute index of bulk-created users", found, "bob")
	found, err = s.FindUsersByAttribute(ctx, "bu", "custom:team", "red")
	must(t, err)
	wantKeys(t, "attribute index of bulk-created users", found, "alice")
	members, err := s.ListUsersInGroup(ctx, "bu", "readers", store.Page{})
	must(t, err)
	wantKeys(t, "members of readers", members, "alice", "carol")
	groups, err := s.ListGroupsForUser(ctx, "bu", "alice", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups of alice", groups, "admins", "readers")
	n, err := s.CountUsers(ctx, "bu")
	must(t, err)
	if n != 3 {
		t.Fatalf("CountUsers = %d, want 3", n)
	}

	// Again, with changes: existing users are skipped and left exactly as they are,
	// memberships included; only the new one is created.
	again := slices.Clone(batch[:3])
	again[0].User.Status, again[0].Groups = "CONFIRMED", nil
	again[2].Groups = []string{"admins"}
	again = append(again, store.NewUser{User: newUser("bu", "dave"), Groups: []string{"admins"}})
	created, err = b.CreateUsers(ctx, again)
	must(t, err)
	if want := []bool{false, false, false, true}; !slices.Equal(created, want) {
		t.Fatalf("second batch: created = %v, want %v", created, want)
	}
	got, err = s.GetUser(ctx, "bu", "alice")
	must(t, err)
	wantEqual(t, "skipped user", got, full, normUser)
	groups, err = s.ListGroupsForUser(ctx, "bu", "carol", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups of a skipped user", groups, "readers")
	groups, err = s.ListGroupsForUser(ctx, "bu", "dave", store.Page{})
	must(t, err)
	wantGroupNames(t, "groups of dave", groups, "admins")

	// A failure writes nothing of the batch and names the user.
	for _, tc := range []struct {
		name  string
		batch []store.NewUser
		index int
		want  error
	}{
		{"sub taken", []store.NewUser{
			{User: newUser("bu", "erin")},
			{User: func() store.User { u := newUser("bu", "frank"); u.Sub = full.Sub; return u }()},
		}, 1, store.ErrAlreadyExists},
		{"group missing", []store.NewUser{
			{User: newUser("bu", "erin")},
			{User: newUser("bu", "frank"), Groups: []string{"readers", "no-such-group"}},
		}, 1, store.ErrNotFound},
		{"pool missing", []store.NewUser{
			{User: newUser("bu", "erin")},
			{User: newUser("no-such-pool", "frank")},
		}, 1, store.ErrNotFound},
	} {
		created, err := b.CreateUsers(ctx, tc.batch)
		wantErr(t, err, tc.want)
		var be *store.UserBatchError
		if !errors.As(err, &be) || be.Index != tc.index {
			t.Fatalf("%s: got %v (%T), want a *store.UserBatchError for user %d", tc.name, err, err, tc.index)
		}
		if created != nil {
			t.Fatalf("%s: created = %v alongside an error", tc.name, created)
		}
		_, err = s.GetUser(ctx, "bu", "erin")
		wantErr(t, err, store.ErrNotFound)
		found, err := s.FindUsersByAttribute(ctx, "bu", "sub", "sub-bu-erin")
		must(t, err)
		wantKeys(t, tc.name+": attribute rows of the rolled-back batch", found)
	}
	n, err = s.CountUsers(ctx, "bu")
	must(t, err)
	if n != 4 {
		t.Fatalf("CountUsers after failed batches = %d, want 4", n)
	}

	// A large batch (backends may split it into statements): the same answers.
	big := make([]store.NewUser, 250)
	for i := range big {
		big[i] = store.NewUser{User: newUser("bu", fmt.Sprintf("big%03d", i), "email", fmt.Sprintf("big%03d@example.com", i))}
		if i%3 == 0 {
			big[i].Groups = []string{"readers"}
		}
	}
	big[240].User = newUser("bu", "big010")    // a key earlier in the batch
	big[241].User = newUser("bu", "alice")     // a key the pool has
	big[241].User.Sub = "sub-of-another-alice" // (its sub is free)
	broken := slices.Clone(big)
	broken[230].User = newUser("bu", "big230x") // a sub the pool has
	broken[230].User.Sub = full.Sub
	created, err = b.CreateUsers(ctx, broken)
	wantErr(t, err, store.ErrAlreadyExists)
	var be *store.UserBatchError
	if !errors.As(err, &be) || be.Index != 230 {
		t.Fatalf("large batch with a taken sub: got %v, want a *store.UserBatchError for user 230", err)
	}
	n, err = s.CountUsers(ctx, "bu")
	must(t, err)
	if n != 4 || created != nil {
		t.Fatalf("after a failed large batch: %d users, created %v", n, created)
	}
	created, err = b.CreateUsers(ctx, big)
	must(t, err)
	for i, c := range created {
		if want := i != 240 && i != 241; c != want {
			t.Fatalf("large batch: created[%d] = %v, want %v", i, c, want)
		}
	}
	members, err = s.ListUsersInGroup(ctx, "bu", "readers", store.Page{})
	must(t, err)
	if len(members) != 2+83 { // alice, carol, and big000, big003, …, big249 but big240
		t.Fatalf("readers after the large batch: %d members", len(members))
	}
	found, err = s.FindUsersByAttribute(ctx, "bu", "email", "big239@example.com")
	must(t, err)
	wantKeys(t, "attribute index after the large batch", found, "big239")
}
