package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Run runs the conformance suite. newStore must return a new, empty store for every call
// and arrange its own clean-up (t.Cleanup); each subtest gets its own store.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s store.Store)
	}{
		{"Ping", testPing},
		{"Times", testTimes},

		{"UserPools/CreateGet", testPoolCreateGet},
		{"UserPools/List", testPoolList},
		{"UserPools/Update", testPoolUpdate},
		{"UserPools/Delete", testPoolDelete},
		{"UserPools/DeleteCascades", testPoolDeleteCascades},

		{"Clients/CreateGet", testClientCreateGet},
		{"Clients/List", testClientList},
		{"Clients/Update", testClientUpdate},
		{"Clients/Delete", testClientDelete},

		{"Users/CreateGet", testUserCreateGet},
		{"Users/Duplicates", testUserDuplicates},
		{"Users/List", testUserList},
		{"Users/FindByAttribute", testUserFindByAttribute},
		{"Users/Filters", testUserFilters},
		{"Users/FilterPaging", testUserFilterPaging},
		{"Users/Update", testUserUpdate},
		{"Users/UpdateReindexes", testUserUpdateReindexes},
		{"Users/UpdateError", testUserUpdateError},
		{"Users/UpdateConcurrent", testUserUpdateConcurrent},
		{"Users/Delete", testUserDelete},
		{"Groups", testGroups},
		{"Users/Bulk", testBulkUsers},
		{"Users/LongAttributeValues", testUserLongAttributeValues},
		{"Users/Unique", testUniqueClaims},
		{"Users/UniqueRace", testUniqueRace},
		{"Users/UniqueDeclare", testUniqueDeclare},
		{"Users/UniqueBulk", testUniqueBulk},

		{"Codes/PutGet", testCodePutGet},
		{"Codes/Attempts", testCodeAttempts},
		{"Codes/AttemptsConcurrent", testCodeAttemptsConcurrent},
		{"Codes/Delete", testCodeDelete},

		{"Outbox", testOutbox},

		{"SigningKeys", testSigningKeys},

		{"RefreshTokens/CreateGet", testRefreshTokenCreateGet},
		{"RefreshTokens/Revoke", testRefreshTokenRevoke},
		{"RefreshTokens/RevokeUser", testRefreshTokenRevokeUser},
		{"RefreshTokens/DeleteExpired", testRefreshTokenDeleteExpired},
		{"RefreshTokens/Rotate", testRefreshTokenRotate},
		{"RefreshTokens/RotateConcurrent", testRefreshTokenRotateConcurrent},
		{"RefreshTokens/RevokeFamily", testRefreshTokenRevokeFamily},

		{"AuthSessions/CreateConsume", testAuthSessionCreateConsume},
		{"AuthSessions/ConsumeConcurrent", testAuthSessionConsumeConcurrent},
		{"AuthSessions/DeleteExpired", testAuthSessionDeleteExpired},

		{"ResourceServers", testResourceServers},
		{"Domains", testDomains},

		{"IdentityPools/CRUD", testIdentityPoolCRUD},
		{"IdentityPools/List", testIdentityPoolList},
		{"Identities/GetOrCreate", testIdentityGetOrCreate},
		{"Identities/GetOrCreateConcurrent", testIdentityGetOrCreateConcurrent},
		{"Identities/ListUpdateDelete", testIdentityListUpdateDelete},
		{"Roles/CRUD", testRoleCRUD},
		{"Roles/List", testRoleList},
		{"Roles/Policies", testRolePolicies},
		{"TemporaryCredentials", testTemporaryCredentials},
		{"IAMUsers/CRUD", testIAMUserCRUD},
		{"IAMUsers/Policies", testIAMUserPolicies},
		{"Stacks/Resources", testStackResources},
		{"Stacks/Lock", testStackLock},
		{"IAMUsers/AccessKeys", testAccessKeys},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.run(t, newStore(t))
		})
	}
}

// t0 is the suite's reference time: not in UTC and with sub-millisecond digits, so that a
// backend which keeps the zone, or drops milliseconds, shows it.
func t0() time.Time {
	return time.Date(2024, time.March, 4, 5, 6, 7, 891_234_567, time.FixedZone("CET", 3600))
}

// testError is an error type an update function returns: the store must hand back this
// very value.
type testError struct{ code int }

func (e *testError) Error() string { return fmt.Sprintf("test error %d", e.code) }

// wantFnError checks that err is fnErr itself, found through errors.As.
func wantFnError(t *testing.T, err error, fnErr *testError) {
	t.Helper()
	var te *testError
	if !errors.As(err, &te) {
		t.Fatalf("update returned %v (%T), want the *testError fn returned", err, err)
	}
	if te != fnErr {
		t.Fatalf("update returned a different *testError (%v), want fn's own", te)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// pageThrough lists every record by pages of limit, each page starting after the key (after)
// of the previous page's last record, until a page comes back short, and returns the
// records' names (name) in the order listed.
func pageThrough[T any](t *testing.T, limit int, list func(store.Page) ([]T, error), name, after func(T) string) []string {
	t.Helper()
	var got []string
	page := store.Page{Limit: limit}
	for {
		recs, err := list(page)
		must(t, err)
		for _, r := range recs {
			got = append(got, name(r))
		}
		if len(recs) < page.Limit {
			return got
		}
		page.After = after(recs[len(recs)-1])
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want %v", err, target)
	}
}

// msUTC is t as a backend with millisecond precision returns it.
func msUTC(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Millisecond).UTC()
}

// wantUTC fails unless every non-zero time is in UTC.
func wantUTC(t *testing.T, what string, times ...time.Time) {
	t.Helper()
	for i, tm := range times {
		if !tm.IsZero() && tm.Location() != time.UTC {
			t.Errorf("%s: time %d is in %v, want UTC", what, i, tm.Location())
		}
	}
}

// rawOrNil mirrors the store's rule that an empty document reads back as nil.
func rawOrNil(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	return m
}

// wantEqual compares after normalising both sides with norm.
func wantEqual[T any](t *testing.T, what string, got, want T, norm func(T) T) {
	t.Helper()
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, g, w)
	}
}

func normPool(p store.UserPool) store.UserPool {
	p.CreatedAt, p.UpdatedAt = msUTC(p.CreatedAt), msUTC(p.UpdatedAt)
	p.Spec = rawOrNil(p.Spec)
	return p
}

func normClient(c store.Client) store.Client {
	c.CreatedAt, c.UpdatedAt = msUTC(c.CreatedAt), msUTC(c.UpdatedAt)
	c.Spec = rawOrNil(c.Spec)
	return c
}

func normUser(u store.User) store.User {
	u.CreatedAt, u.UpdatedAt = msUTC(u.CreatedAt), msUTC(u.UpdatedAt)
	u.PasswordExpiresAt, u.LastFailureAt, u.LockedUntil = msUTC(u.PasswordExpiresAt), msUTC(u.LastFailureAt), msUTC(u.LockedUntil)
	if len(u.Attributes) == 0 {
		u.Attributes = nil
	}
	u.Extra = rawOrNil(u.Extra)
	return u
}

func normCode(c store.Code) store.Code {
	c.ExpiresAt, c.CreatedAt = msUTC(c.ExpiresAt), msUTC(c.CreatedAt)
	return c
}

func normMessage(m store.Message) store.Message {
	m.CreatedAt = msUTC(m.CreatedAt)
	return m
}

func normKey(k store.SigningKey) store.SigningKey {
	k.CreatedAt, k.RetiredAt = msUTC(k.CreatedAt), msUTC(k.RetiredAt)
	return k
}

func normToken(r store.RefreshToken) store.RefreshToken {
	r.AuthTime, r.CreatedAt, r.ExpiresAt, r.ReplacedAt = msUTC(r.AuthTime), msUTC(r.CreatedAt), msUTC(r.ExpiresAt), msUTC(r.ReplacedAt)
	return r
}

func normSession(a store.AuthSession) store.AuthSession {
	a.ExpiresAt, a.CreatedAt = msUTC(a.ExpiresAt), msUTC(a.CreatedAt)
	a.Data = rawOrNil(a.Data)
	return a
}

func normSlice[T any](norm func(T) T) func([]T) []T {
	return func(in []T) []T {
		if len(in) == 0 {
			return nil
		}
		out := make([]T, len(in))
		for i, v := range in {
			out[i] = norm(v)
		}
		return out
	}
}

// Fixtures.

func mkPool(t *testing.T, s store.Store, id string) store.UserPool {
	t.Helper()
	p := store.UserPool{
		ID: id, Name: "pool " + id, CreatedAt: t0(), UpdatedAt: t0(),
		Spec: json.RawMessage(`{"Policies":{"PasswordPolicy":{"MinimumLength":8}}}`),
	}
	must(t, s.CreateUserPool(t.Context(), p))
	return p
}

func mkClient(t *testing.T, s store.Store, poolID, id string) store.Client {
	t.Helper()
	c := store.Client{
		PoolID: poolID, ID: id, Name: "client " + id, CreatedAt: t0(), UpdatedAt: t0(),
		Spec: json.RawMessage(`{"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH"]}`),
	}
	must(t, s.CreateClient(t.Context(), c))
	return c
}

// newUser returns a user of the pool whose sub is derived from its key; attrs are name,
// value pairs. sub is prepended to the attributes, as Cognito keeps it.
func newUser(poolID, key string, attrs ...string) store.User {
	u := store.User{
		PoolID: poolID, Username: key, UsernameKey: key, Sub: "sub-" + poolID + "-" + key,
		Status: "CONFIRMED", Enabled: true, CreatedAt: t0(), UpdatedAt: t0(),
	}
	u.Attributes = append(u.Attributes, store.Attribute{Name: "sub", Value: u.Sub})
	for i := 0; i+1 < len(attrs); i += 2 {
		u.Attributes = append(u.Attributes, store.Attribute{Name: attrs[i], Value: attrs[i+1]})
	}
	return u
}

func mkUser(t *testing.T, s store.Store, poolID, key string, attrs ...string) store.User {
	t.Helper()
	u := newUser(poolID, key, attrs...)
	must(t, s.CreateUser(t.Context(), u))
	return u
}

func userKeys(us []store.User) []string {
	keys := make([]string, 0, len(us))
	for _, u := range us {
		keys = append(keys, u.UsernameKey)
	}
	return keys
}

func wantKeys(t *testing.T, what string, got []store.User, want ...string) {
	t.Helper()
	if g := userKeys(got); !slices.Equal(g, want) {
		t.Fatalf("%s: got users [%s], want [%s]", what, strings.Join(g, " "), strings.Join(want, " "))
	}
}

func testPing(t *testing.T, s store.Store) {
	must(t, s.Ping(t.Context()))
}

// testTimes checks precision, zone and the zero time on one entity; the other tests
// compare every time field after the same normalisation.
func testTimes(t *testing.T, s store.Store) {
	ctx := t.Context()
	mkPool(t, s, "p")
	cases := map[string]time.Time{
		"reference":   t0(),
		"zero":        {},
		"before 1970": time.Date(1969, time.July, 20, 20, 17, 40, 5_000_000, time.UTC),
		"far future":  time.Date(9999, time.December, 31, 23, 59, 59, 999_000_000, time.UTC),
	}
	for name, tm := range cases {
		u := newUser("p", strings.ReplaceAll(name, " ", "-"))
		u.CreatedAt, u.LockedUntil = tm, tm
		must(t, s.CreateUser(ctx, u))
		got, err := s.GetUser(ctx, "p", u.UsernameKey)
		must(t, err)
		for _, g := range []time.Time{got.CreatedAt, got.LockedUntil} {
			if tm.IsZero() {
				if !g.IsZero() {
					t.Errorf("%s: got %v, want the zero time", name, g)
				}
				continue
			}
			if d := g.Sub(tm).Abs(); d >= time.Millisecond {
				t.Errorf("%s: got %v, want %v to the millisecond", name, g, tm)
			}
			if g.Location() != time.UTC {
				t.Errorf("%s: got zone %v, want UTC", name, g.Location())
			}
		}
	}
}
