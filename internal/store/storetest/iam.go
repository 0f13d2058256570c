package storetest

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func normIdentityPool(p store.IdentityPool) store.IdentityPool {
	p.CreatedAt, p.UpdatedAt = msUTC(p.CreatedAt), msUTC(p.UpdatedAt)
	p.Spec = rawOrNil(p.Spec)
	return p
}

func normIdentity(i store.Identity) store.Identity {
	i.CreatedAt, i.UpdatedAt = msUTC(i.CreatedAt), msUTC(i.UpdatedAt)
	if len(i.Logins) == 0 {
		i.Logins = nil
	}
	return i
}

func normRole(r store.Role) store.Role {
	r.CreatedAt = msUTC(r.CreatedAt)
	return r
}

func normCredentials(c store.Credentials) store.Credentials {
	c.CreatedAt, c.ExpiresAt = msUTC(c.CreatedAt), msUTC(c.ExpiresAt)
	c.Session = rawOrNil(c.Session)
	if len(c.SecretSealed) == 0 {
		c.SecretSealed = nil
	}
	if len(c.SessionTokenHash) == 0 {
		c.SessionTokenHash = nil
	}
	return c
}

func normIAMUser(u store.IAMUser) store.IAMUser {
	u.CreatedAt = msUTC(u.CreatedAt)
	return u
}

func normAccessKey(k store.AccessKey) store.AccessKey {
	k.CreatedAt = msUTC(k.CreatedAt)
	return k
}

func mkIdentityPool(t *testing.T, s store.Store, id string) store.IdentityPool {
	t.Helper()
	p := store.IdentityPool{
		ID: id, Name: "idp " + id, CreatedAt: t0(), UpdatedAt: t0(),
		Spec: json.RawMessage(`{"AllowUnauthenticatedIdentities":true,"Roles":{"authenticated":"arn:aws:iam::000000000000:role/auth"}}`),
	}
	must(t, s.CreateIdentityPool(t.Context(), p))
	return p
}

func newIdentity(poolID, id string, logins ...string) store.Identity {
	return store.Identity{PoolID: poolID, ID: id, Logins: logins, CreatedAt: t0(), UpdatedAt: t0()}
}

func testIdentityPoolCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	p := mkIdentityPool(t, s, "us-east-1:0a1b2c3d-0000-4000-8000-000000000001")
	got, err := s.GetIdentityPool(ctx, p.ID)
	must(t, err)
	wantEqual(t, "GetIdentityPool", got, p, normIdentityPool)
	wantUTC(t, "GetIdentityPool", got.CreatedAt, got.UpdatedAt)

	wantErr(t, s.CreateIdentityPool(ctx, p), store.ErrAlreadyExists)
	_, err = s.GetIdentityPool(ctx, "us-east-1:missing")
	wantErr(t, err, store.ErrNotFound)

	must(t, s.UpdateIdentityPool(ctx, p.ID, func(old store.IdentityPool) (store.IdentityPool, error) {
		old.ID = "ignored"
		old.Name = "renamed"
		old.UpdatedAt = t0().Add(time.Hour)
		old.Spec = json.RawMessage(`{"AllowUnauthenticatedIdentities":false}`)
		return old, nil
	}))
	want := p
	want.Name, want.UpdatedAt = "renamed", t0().Add(time.Hour)
	want.Spec = json.RawMessage(`{"AllowUnauthenticatedIdentities":false}`)
	got, err = s.GetIdentityPool(ctx, p.ID)
	must(t, err)
	wantEqual(t, "after update", got, want, normIdentityPool)

	fnErr := &testError{1}
	wantFnError(t, s.UpdateIdentityPool(ctx, p.ID, func(store.IdentityPool) (store.IdentityPool, error) {
		return store.IdentityPool{}, fnErr
	}), fnErr)
	wantErr(t, s.UpdateIdentityPool(ctx, "us-east-1:missing", func(o store.IdentityPool) (store.IdentityPool, error) {
		return o, nil
	}), store.ErrNotFound)

	// Deleting the pool takes its identities and login keys with it.
	_, _, err = s.GetOrCreateIdentity(ctx, "prov:sub", newIdentity(p.ID, "us-east-1:id-1", "prov"))
	must(t, err)
	must(t, s.DeleteIdentityPool(ctx, p.ID))
	wantErr(t, s.DeleteIdentityPool(ctx, p.ID), store.ErrNotFound)
	_, err = s.GetIdentityPool(ctx, p.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetIdentity(ctx, "us-east-1:id-1")
	wantErr(t, err, store.ErrNotFound)
	// A pool of the same ID starts afresh.
	mkIdentityPool(t, s, p.ID)
	i, created, err := s.GetOrCreateIdentity(ctx, "prov:sub", newIdentity(p.ID, "us-east-1:id-2", "prov"))
	must(t, err)
	if !created || i.ID != "us-east-1:id-2" {
		t.Fatalf("after re-creating the pool: got %+v, created=%v; want a new identity", i, created)
	}
}

func testIdentityPoolList(t *testing.T, s store.Store) {
	ctx := t.Context()
	ids := []string{"us-east-1:c", "us-east-1:a", "us-east-1:b", "eu-west-1:z"}
	for _, id := range ids {
		mkIdentityPool(t, s, "list-"+id)
	}
	got := pageThrough(t, 3, func(page store.Page) ([]store.IdentityPool, error) { return s.ListIdentityPools(ctx, page) },
		func(r store.IdentityPool) string { return r.ID }, func(r store.IdentityPool) string { return r.ID })
	want := []string{"list-eu-west-1:z", "list-us-east-1:a", "list-us-east-1:b", "list-us-east-1:c"}
	if !slices.Equal(got, want) {
		t.Fatalf("paged listing: got %v, want %v", got, want)
	}
	all, err := s.ListIdentityPools(ctx, store.Page{})
	must(t, err)
	if len(all) != 4 {
		t.Fatalf("unlimited listing: got %d pools, want 4", len(all))
	}
}

func testIdentityGetOrCreate(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkIdentityPool(t, s, "goc-a")
	mkIdentityPool(t, s, "goc-b")

	cand := newIdentity("goc-a", "us-east-1:1", "cognito-idp.us-east-1.amazonaws.com/us-east-1_x", "accounts.google.com")
	got, created, err := s.GetOrCreateIdentity(ctx, "google:123", cand)
	must(t, err)
	if !created {
		t.Fatal("first GetOrCreateIdentity: created = false")
	}
	wantEqual(t, "created identity", got, cand, normIdentity)
	wantUTC(t, "created identity", got.CreatedAt, got.UpdatedAt)

	// The same key finds the same identity; the second candidate is not stored.
	got, created, err = s.GetOrCreateIdentity(ctx, "google:123", newIdentity("goc-a", "us-east-1:2"))
	must(t, err)
	if created || got.ID != "us-east-1:1" {
		t.Fatalf("second GetOrCreateIdentity: got %q created=%v, want us-east-1:1 found", got.ID, created)
	}
	wantEqual(t, "found identity", got, cand, normIdentity)
	_, err = s.GetIdentity(ctx, "us-east-1:2")
	wantErr(t, err, store.ErrNotFound)

	// The key is per pool.
	got, created, err = s.GetOrCreateIdentity(ctx, "google:123", newIdentity("goc-b", "us-east-1:3"))
	must(t, err)
	if !created || got.ID != "us-east-1:3" {
		t.Fatalf("other pool: got %q created=%v, want us-east-1:3 created", got.ID, created)
	}

	// No key: always a new identity.
	for _, id := range []string{"us-east-1:u1", "us-east-1:u2"} {
		got, created, err = s.GetOrCreateIdentity(ctx, "", newIdentity("goc-a", id))
		must(t, err)
		if !created || got.ID != id || got.Logins != nil {
			t.Fatalf("unauthenticated: got %+v created=%v, want %s created without logins", got, created, id)
		}
	}

	// A taken identity ID, and a pool that does not exist.
	_, _, err = s.GetOrCreateIdentity(ctx, "google:456", newIdentity("goc-a", "us-east-1:1"))
	wantErr(t, err, store.ErrAlreadyExists)
	_, _, err = s.GetOrCreateIdentity(ctx, "google:456", newIdentity("goc-missing", "us-east-1:9"))
	wantErr(t, err, store.ErrNotFound)
	// Neither failure left the key behind.
	got, created, err = s.GetOrCreateIdentity(ctx, "google:456", newIdentity("goc-a", "us-east-1:4"))
	must(t, err)
	if !created || got.ID != "us-east-1:4" {
		t.Fatalf("after failures: got %q created=%v, want us-east-1:4 created", got.ID, created)
	}
}

// testIdentityGetOrCreateConcurrent races callers with one login key and fresh candidate
// IDs: exactly one creates, and everyone gets its identity.
func testIdentityGetOrCreateConcurrent(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkIdentityPool(t, s, "race")
	const n = 16
	for round := range 3 {
		key := fmt.Sprintf("prov:sub-%d", round)
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			ids     []string
			nCreate int
			errList []error
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, created, err := s.GetOrCreateIdentity(ctx, key,
					newIdentity("race", fmt.Sprintf("us-east-1:r%d-%02d", round, i), "prov"))
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errList = append(errList, err)
					return
				}
				ids = append(ids, got.ID)
				if created {
					nCreate++
				}
			}()
		}
		wg.Wait()
		if len(errList) > 0 {
			t.Fatalf("round %d: concurrent GetOrCreateIdentity: %v", round, errList)
		}
		if nCreate != 1 {
			t.Fatalf("round %d: %d callers created, want 1", round, nCreate)
		}
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("round %d: callers got different identities: %v", round, ids)
			}
		}
	}
	all, err := s.ListIdentities(ctx, "race", store.Page{})
	must(t, err)
	if len(all) != 3 {
		t.Fatalf("pool has %d identities after 3 rounds, want 3", len(all))
	}
}

func testIdentityListUpdateDelete(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkIdentityPool(t, s, "lud-a")
	mkIdentityPool(t, s, "lud-b")
	for i, id := range []string{"us-east-1:c", "us-east-1:a", "us-east-1:e", "us-east-1:b", "us-east-1:d"} {
		_, _, err := s.GetOrCreateIdentity(ctx, fmt.Sprintf("k%d", i), newIdentity("lud-a", id, "p"))
		must(t, err)
	}
	_, _, err := s.GetOrCreateIdentity(ctx, "k0", newIdentity("lud-b", "us-east-1:other", "p"))
	must(t, err)

	got := pageThrough(t, 2, func(page store.Page) ([]store.Identity, error) { return s.ListIdentities(ctx, "lud-a", page) },
		func(r store.Identity) string { return r.ID }, func(r store.Identity) string { return r.ID })
	if want := []string{"us-east-1:a", "us-east-1:b", "us-east-1:c", "us-east-1:d", "us-east-1:e"}; !slices.Equal(got, want) {
		t.Fatalf("paged identities: got %v, want %v", got, want)
	}

	must(t, s.UpdateIdentity(ctx, "us-east-1:a", func(old store.Identity) (store.Identity, error) {
		old.PoolID, old.ID = "ignored", "ignored"
		old.Logins = append(old.Logins, "q")
		old.UpdatedAt = t0().Add(time.Minute)
		return old, nil
	}))
	i, err := s.GetIdentity(ctx, "us-east-1:a")
	must(t, err)
	want := newIdentity("lud-a", "us-east-1:a", "p", "q")
	want.UpdatedAt = t0().Add(time.Minute)
	wantEqual(t, "after update", i, want, normIdentity)
	fnErr := &testError{2}
	wantFnError(t, s.UpdateIdentity(ctx, "us-east-1:a", func(store.Identity) (store.Identity, error) {
		return store.Identity{}, fnErr
	}), fnErr)
	wantErr(t, s.UpdateIdentity(ctx, "us-east-1:zz", func(o store.Identity) (store.Identity, error) { return o, nil }),
		store.ErrNotFound)

	missing, err := s.DeleteIdentities(ctx, []string{"us-east-1:a", "us-east-1:nope", "us-east-1:c"})
	must(t, err)
	if !slices.Equal(missing, []string{"us-east-1:nope"}) {
		t.Fatalf("DeleteIdentities missing = %v, want [us-east-1:nope]", missing)
	}
	_, err = s.GetIdentity(ctx, "us-east-1:a")
	wantErr(t, err, store.ErrNotFound)
	// The deleted identity's login key is free again.
	got1, created, err := s.GetOrCreateIdentity(ctx, "k1", newIdentity("lud-a", "us-east-1:a2"))
	must(t, err)
	if !created || got1.ID != "us-east-1:a2" {
		t.Fatalf("after delete: got %q created=%v, want us-east-1:a2 created", got1.ID, created)
	}
	is, err := s.ListIdentities(ctx, "lud-b", store.Page{})
	must(t, err)
	if len(is) != 1 || is[0].ID != "us-east-1:other" {
		t.Fatalf("other pool's identities: %+v", is)
	}
}

func newRole(name string) store.Role {
	return store.Role{
		Name: name, ID: "AROA" + name, ARN: "arn:aws:iam::000000000000:role/app/" + name, Path: "/app/",
		Description: "role " + name, AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`,
		MaxSessionDuration: 3600, CreatedAt: t0(),
	}
}

func testRoleCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := newRole("Admin")
	must(t, s.CreateRole(ctx, r))
	for _, name := range []string{"Admin", "admin", "ADMIN"} {
		got, err := s.GetRole(ctx, name)
		must(t, err)
		wantEqual(t, "GetRole "+name, got, r, normRole)
		wantUTC(t, "GetRole", got.CreatedAt)
	}
	dup := newRole("ADMIN")
	dup.ID = "AROAother"
	wantErr(t, s.CreateRole(ctx, dup), store.ErrAlreadyExists)
	sameID := newRole("Other")
	sameID.ID = r.ID
	wantErr(t, s.CreateRole(ctx, sameID), store.ErrAlreadyExists)
	_, err := s.GetRole(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)

	must(t, s.UpdateRole(ctx, "admin", func(old store.Role) (store.Role, error) {
		old.Name, old.ID = "ignored", "ignored"
		old.AssumeRolePolicy = `{"Version":"2012-10-17"}`
		old.MaxSessionDuration = 7200
		return old, nil
	}))
	want := r
	want.AssumeRolePolicy, want.MaxSessionDuration = `{"Version":"2012-10-17"}`, 7200
	got, err := s.GetRole(ctx, "Admin")
	must(t, err)
	wantEqual(t, "after update", got, want, normRole)
	fnErr := &testError{3}
	wantFnError(t, s.UpdateRole(ctx, "Admin", func(store.Role) (store.Role, error) { return store.Role{}, fnErr }), fnErr)
	wantErr(t, s.UpdateRole(ctx, "missing", func(o store.Role) (store.Role, error) { return o, nil }), store.ErrNotFound)

	// A role with an inline policy cannot go; without, it can.
	must(t, s.PutRolePolicy(ctx, "Admin", store.InlinePolicy{Name: "p", Document: "{}"}))
	wantErr(t, s.DeleteRole(ctx, "Admin"), store.ErrInUse)
	must(t, s.DeleteRolePolicy(ctx, "Admin", "p"))
	must(t, s.DeleteRole(ctx, "aDmIn"))
	wantErr(t, s.DeleteRole(ctx, "Admin"), store.ErrNotFound)
	_, err = s.GetRole(ctx, "Admin")
	wantErr(t, err, store.ErrNotFound)
	must(t, s.CreateRole(ctx, r))
}

func testRoleList(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, name := range []string{"delta", "Alpha", "charlie", "Bravo", "echo"} {
		must(t, s.CreateRole(ctx, newRole(name)))
	}
	got := pageThrough(t, 2, func(page store.Page) ([]store.Role, error) { return s.ListRoles(ctx, page) },
		func(r store.Role) string { return r.Name }, func(r store.Role) string { return nameKeyOf(r.Name) })
	if want := []string{"Alpha", "Bravo", "charlie", "delta", "echo"}; !slices.Equal(got, want) {
		t.Fatalf("paged roles: got %v, want %v", got, want)
	}
}

// nameKeyOf is the key IAM names are listed by.
func nameKeyOf(name string) string {
	b := []byte(name)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func testRolePolicies(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.CreateRole(ctx, newRole("r1")))
	must(t, s.CreateRole(ctx, newRole("r2")))
	wantErr(t, s.PutRolePolicy(ctx, "missing", store.InlinePolicy{Name: "p", Document: "{}"}), store.ErrNotFound)
	for _, name := range []string{"s3", "Dynamo", "logs", "ec2"} {
		must(t, s.PutRolePolicy(ctx, "R1", store.InlinePolicy{Name: name, Document: `{"v":"` + name + `"}`}))
	}
	must(t, s.PutRolePolicy(ctx, "r2", store.InlinePolicy{Name: "s3", Document: `{"other":true}`}))
	// Put replaces.
	must(t, s.PutRolePolicy(ctx, "r1", store.InlinePolicy{Name: "s3", Document: `{"v":"s3 v2"}`}))
	p, err := s.GetRolePolicy(ctx, "r1", "s3")
	must(t, err)
	if p != (store.InlinePolicy{Name: "s3", Document: `{"v":"s3 v2"}`}) {
		t.Fatalf("GetRolePolicy: %+v", p)
	}
	_, err = s.GetRolePolicy(ctx, "r1", "S3")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetRolePolicy(ctx, "missing", "s3")
	wantErr(t, err, store.ErrNotFound)

	names := pageThrough(t, 3, func(page store.Page) ([]store.InlinePolicy, error) { return s.ListRolePolicies(ctx, "r1", page) },
		func(r store.InlinePolicy) string { return r.Name }, func(r store.InlinePolicy) string { return r.Name })
	if want := []string{"Dynamo", "ec2", "logs", "s3"}; !slices.Equal(names, want) {
		t.Fatalf("paged policies: got %v, want %v", names, want)
	}
	ps, err := s.ListRolePolicies(ctx, "missing", store.Page{})
	must(t, err)
	if len(ps) != 0 {
		t.Fatalf("policies of a missing role: %+v", ps)
	}

	must(t, s.DeleteRolePolicy(ctx, "r1", "s3"))
	wantErr(t, s.DeleteRolePolicy(ctx, "r1", "s3"), store.ErrNotFound)
	p, err = s.GetRolePolicy(ctx, "r2", "s3")
	must(t, err)
	if p.Document != `{"other":true}` {
		t.Fatalf("r2's policy changed: %+v", p)
	}
}

func testTemporaryCredentials(t *testing.T, s store.Store) {
	ctx := t.Context()
	c := store.Credentials{
		AccessKeyID: "ASIAEXAMPLE1", SecretSealed: []byte{0, 1, 2, 255}, SessionTokenHash: []byte("hash"),
		IdentityID: "us-east-1:abc", RoleARN: "arn:aws:iam::000000000000:role/auth",
		Session:   json.RawMessage(`{"RoleSessionName":"CognitoIdentityCredentials"}`),
		CreatedAt: t0(), ExpiresAt: t0().Add(time.Hour),
	}
	must(t, s.PutCredentials(ctx, c))
	got, err := s.GetCredentials(ctx, c.AccessKeyID)
	must(t, err)
	wantEqual(t, "GetCredentials", got, c, normCredentials)
	wantUTC(t, "GetCredentials", got.CreatedAt, got.ExpiresAt)
	wantErr(t, s.PutCredentials(ctx, c), store.ErrAlreadyExists)
	_, err = s.GetCredentials(ctx, "ASIAMISSING")
	wantErr(t, err, store.ErrNotFound)

	short := store.Credentials{AccessKeyID: "ASIASHORT", SecretSealed: []byte("s"), SessionTokenHash: []byte("h"),
		RoleARN: "arn:aws:iam::000000000000:role/x", CreatedAt: t0(), ExpiresAt: t0().Add(time.Minute)}
	must(t, s.PutCredentials(ctx, short))
	forever := store.Credentials{AccessKeyID: "ASIAFOREVER", SecretSealed: []byte("s"), SessionTokenHash: []byte("h")}
	must(t, s.PutCredentials(ctx, forever))

	n, err := s.DeleteExpiredCredentials(ctx, t0().Add(30*time.Minute))
	must(t, err)
	if n != 1 {
		t.Fatalf("DeleteExpiredCredentials removed %d, want 1", n)
	}
	_, err = s.GetCredentials(ctx, "ASIASHORT")
	wantErr(t, err, store.ErrNotFound)
	got, err = s.GetCredentials(ctx, "ASIAFOREVER")
	must(t, err)
	wantEqual(t, "credentials without expiry", got, forever, normCredentials)
	_, err = s.GetCredentials(ctx, c.AccessKeyID)
	must(t, err)
}

func newIAMUser(name string) store.IAMUser {
	return store.IAMUser{Name: name, ID: "AIDA" + name, ARN: "arn:aws:iam::000000000000:user/" + name, Path: "/", CreatedAt: t0()}
}

func testIAMUserCRUD(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := newIAMUser("Deployer")
	must(t, s.CreateIAMUser(ctx, u))
	for _, name := range []string{"Deployer", "deployer"} {
		got, err := s.GetIAMUser(ctx, name)
		must(t, err)
		wantEqual(t, "GetIAMUser "+name, got, u, normIAMUser)
		wantUTC(t, "GetIAMUser", got.CreatedAt)
	}
	dup := newIAMUser("DEPLOYER")
	wantErr(t, s.CreateIAMUser(ctx, dup), store.ErrAlreadyExists)
	_, err := s.GetIAMUser(ctx, "missing")
	wantErr(t, err, store.ErrNotFound)

	for _, name := range []string{"carol", "Bob", "alice"} {
		must(t, s.CreateIAMUser(ctx, newIAMUser(name)))
	}
	names := pageThrough(t, 3, func(page store.Page) ([]store.IAMUser, error) { return s.ListIAMUsers(ctx, page) },
		func(r store.IAMUser) string { return r.Name }, func(r store.IAMUser) string { return nameKeyOf(r.Name) })
	if want := []string{"alice", "Bob", "carol", "Deployer"}; !slices.Equal(names, want) {
		t.Fatalf("paged IAM users: got %v, want %v", names, want)
	}

	// Policies and keys keep a user; without them it goes.
	must(t, s.PutUserPolicy(ctx, "deployer", store.InlinePolicy{Name: "p", Document: "{}"}))
	wantErr(t, s.DeleteIAMUser(ctx, "Deployer"), store.ErrInUse)
	must(t, s.DeleteUserPolicy(ctx, "Deployer", "p"))
	must(t, s.CreateAccessKey(ctx, store.AccessKey{ID: "AKIADEPLOYER", UserName: "Deployer", SecretSealed: []byte("x"), Status: "Active"}))
	wantErr(t, s.DeleteIAMUser(ctx, "Deployer"), store.ErrInUse)
	must(t, s.DeleteAccessKey(ctx, "AKIADEPLOYER"))
	must(t, s.DeleteIAMUser(ctx, "DEPLOYER"))
	wantErr(t, s.DeleteIAMUser(ctx, "Deployer"), store.ErrNotFound)
	_, err = s.GetIAMUser(ctx, "Deployer")
	wantErr(t, err, store.ErrNotFound)
}

func testIAMUserPolicies(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.CreateIAMUser(ctx, newIAMUser("u1")))
	wantErr(t, s.PutUserPolicy(ctx, "missing", store.InlinePolicy{Name: "p", Document: "{}"}), store.ErrNotFound)
	for _, name := range []string{"b", "a", "c"} {
		must(t, s.PutUserPolicy(ctx, "U1", store.InlinePolicy{Name: name, Document: `{"n":"` + name + `"}`}))
	}
	must(t, s.PutUserPolicy(ctx, "u1", store.InlinePolicy{Name: "a", Document: `{"n":"a2"}`}))
	p, err := s.GetUserPolicy(ctx, "u1", "a")
	must(t, err)
	if p != (store.InlinePolicy{Name: "a", Document: `{"n":"a2"}`}) {
		t.Fatalf("GetUserPolicy: %+v", p)
	}
	_, err = s.GetUserPolicy(ctx, "u1", "zz")
	wantErr(t, err, store.ErrNotFound)
	ps, err := s.ListUserPolicies(ctx, "u1", store.Page{After: "a", Limit: 1})
	must(t, err)
	if len(ps) != 1 || ps[0].Name != "b" {
		t.Fatalf("ListUserPolicies after a, limit 1: %+v", ps)
	}
	ps, err = s.ListUserPolicies(ctx, "u1", store.Page{})
	must(t, err)
	if len(ps) != 3 {
		t.Fatalf("ListUserPolicies: %+v", ps)
	}
	must(t, s.DeleteUserPolicy(ctx, "u1", "b"))
	wantErr(t, s.DeleteUserPolicy(ctx, "u1", "b"), store.ErrNotFound)
}

func testAccessKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	must(t, s.CreateIAMUser(ctx, newIAMUser("Ops")))
	k1 := store.AccessKey{ID: "AKIAONE", UserName: "Ops", SecretSealed: []byte{9, 8, 7}, Status: "Active", CreatedAt: t0()}
	must(t, s.CreateAccessKey(ctx, k1))
	// The owner's name reads back as the user spells it, whatever case the key was made with.
	k2 := store.AccessKey{ID: "AKIATWO", UserName: "ops", SecretSealed: []byte{1}, Status: "Active", CreatedAt: t0().Add(time.Second)}
	must(t, s.CreateAccessKey(ctx, k2))
	k2.UserName = "Ops"

	got, err := s.GetAccessKey(ctx, "AKIAONE")
	must(t, err)
	wantEqual(t, "GetAccessKey", got, k1, normAccessKey)
	wantUTC(t, "GetAccessKey", got.CreatedAt)
	wantErr(t, s.CreateAccessKey(ctx, k1), store.ErrAlreadyExists)
	wantErr(t, s.CreateAccessKey(ctx, store.AccessKey{ID: "AKIANOUSER", UserName: "nobody", Status: "Active"}), store.ErrNotFound)
	_, err = s.GetAccessKey(ctx, "AKIAMISSING")
	wantErr(t, err, store.ErrNotFound)

	keys, err := s.ListAccessKeys(ctx, "OPS")
	must(t, err)
	wantEqual(t, "ListAccessKeys", keys, []store.AccessKey{k1, k2}, normSlice(normAccessKey))

	must(t, s.UpdateAccessKeyStatus(ctx, "AKIAONE", "Inactive"))
	got, err = s.GetAccessKey(ctx, "AKIAONE")
	must(t, err)
	if got.Status != "Inactive" {
		t.Fatalf("status after update: %q", got.Status)
	}
	wantErr(t, s.UpdateAccessKeyStatus(ctx, "AKIAMISSING", "Inactive"), store.ErrNotFound)

	must(t, s.DeleteAccessKey(ctx, "AKIAONE"))
	wantErr(t, s.DeleteAccessKey(ctx, "AKIAONE"), store.ErrNotFound)
	_, err = s.GetAccessKey(ctx, "AKIAONE")
	wantErr(t, err, store.ErrNotFound)
	keys, err = s.ListAccessKeys(ctx, "Ops")
	must(t, err)
	if len(keys) != 1 || keys[0].ID != "AKIATWO" {
		t.Fatalf("keys after delete: %+v", keys)
	}
}
