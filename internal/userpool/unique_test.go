package userpool

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// TestUniqueValues goes through the service API: which values a pool keeps unique, the
// errors a second holder gets, and that sign-in finds the holder in any case where names are
// case-insensitive (developer guide: user-pool-settings-attributes).
func TestUniqueValues(t *testing.T) {
	const emailTaken = "An account with the given email already exists."
	insensitive := &UsernameConfigurationType{CaseSensitive: ptr(false)}
	for _, tc := range []struct {
		name string
		pool CreateUserPoolRequest
		run  func(e *usersTestEnv, poolID, clientID string)
	}{
		{"email username: sign-up twice, any case", CreateUserPoolRequest{UsernameAttributes: []string{"email"}, UsernameConfiguration: insensitive},
			func(e *usersTestEnv, poolID, clientID string) {
				first := e.signUp(clientID, "ann@example.com", goodPassword)
				_, err := e.s.SignUp(e.ctx, &SignUpRequest{ClientId: clientID, Username: "ANN@Example.com", Password: goodPassword})
				wantUserErr(t, err, "UsernameExistsException", emailTaken)
				_, err = e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "Ann@example.COM", MessageAction: "SUPPRESS"})
				wantUserErr(t, err, "UsernameExistsException", emailTaken)
				if u := e.getUser(poolID, "ANN@EXAMPLE.COM"); u.Username != first.UserSub {
					t.Fatalf("lookup in another case found %s, want %s", u.Username, first.UserSub)
				}
			}},
		{"email username: case-sensitive pool tells cases apart", CreateUserPoolRequest{UsernameAttributes: []string{"email"}},
			func(e *usersTestEnv, poolID, clientID string) {
				e.signUp(clientID, "bo@example.com", goodPassword)
				e.signUp(clientID, "Bo@example.com", goodPassword)
			}},
		{"email username: moving onto another's email", CreateUserPoolRequest{UsernameAttributes: []string{"email"}},
			func(e *usersTestEnv, poolID, clientID string) {
				e.createConfirmed(poolID, "cy@example.com", goodPassword)
				e.createConfirmed(poolID, "di@example.com", goodPassword)
				_, err := e.s.AdminUpdateUserAttributes(e.ctx, &AdminUpdateUserAttributesRequest{UserPoolId: poolID, Username: "di@example.com",
					UserAttributes: []AttributeType{{Name: "email", Value: "cy@example.com"}}})
				wantUserErr(t, err, "AliasExistsException", emailTaken)
			}},
		{"email alias: shared while unverified, one verified holder", CreateUserPoolRequest{AliasAttributes: []string{"email"}},
			func(e *usersTestEnv, poolID, clientID string) {
				e.createConfirmed(poolID, "ed", goodPassword, AttributeType{Name: "email", Value: "shared@example.com"}, AttributeType{Name: "email_verified", Value: "True"})
				e.createConfirmed(poolID, "flo", goodPassword, AttributeType{Name: "email", Value: "shared@example.com"})
				_, err := e.s.AdminUpdateUserAttributes(e.ctx, &AdminUpdateUserAttributesRequest{UserPoolId: poolID, Username: "flo",
					UserAttributes: []AttributeType{{Name: "email_verified", Value: "true"}}})
				wantUserErr(t, err, "AliasExistsException", emailTaken)
				if u := e.getUser(poolID, "shared@example.com"); u.Username != "ed" {
					t.Fatalf("alias resolves to %s, want ed", u.Username)
				}
				// ForceAliasCreation moves it to a new user; ed keeps the value, unverified.
				_, err = e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "gus", MessageAction: "SUPPRESS",
					ForceAliasCreation: ptr(true),
					UserAttributes:     []AttributeType{{Name: "email", Value: "shared@example.com"}, {Name: "email_verified", Value: "true"}}})
				if err != nil {
					t.Fatal(err)
				}
				if u := e.getUser(poolID, "shared@example.com"); u.Username != "gus" {
					t.Fatalf("alias resolves to %s after ForceAliasCreation, want gus", u.Username)
				}
				for _, a := range e.getUser(poolID, "ed").UserAttributes {
					if a.Name == "email_verified" && isTrue(a.Value) {
						t.Fatal("ed still has the moved alias verified")
					}
				}
			}},
		{"preferred_username alias", CreateUserPoolRequest{AliasAttributes: []string{"preferred_username"}, UsernameConfiguration: insensitive},
			func(e *usersTestEnv, poolID, clientID string) {
				e.createConfirmed(poolID, "hal", goodPassword, AttributeType{Name: "preferred_username", Value: "Captain"})
				_, err := e.s.SignUp(e.ctx, &SignUpRequest{ClientId: clientID, Username: "ivy", Password: goodPassword,
					UserAttributes: []AttributeType{{Name: "preferred_username", Value: "captain"}}})
				wantUserErr(t, err, "AliasExistsException", "An account with the given preferred_username already exists.")
				e.signIn(poolID, clientID, "CAPTAIN", goodPassword)
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newUsersTestEnv(t)
			in := tc.pool
			poolID := e.pool(&in)
			c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
			tc.run(e, poolID, c.ClientId)
		})
	}
}

// TestDeclareUniquenessOnOldPool: a pool stored before uniqueness was enforced, whose users
// already share an email, gets its rule at start; the older user keeps the email, the
// duplicate is logged by username, and both users stay as they were.
func TestDeclareUniquenessOnOldPool(t *testing.T) {
	e := newUsersTestEnv(t)
	modern := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	rec, err := e.st.GetUserPool(e.ctx, modern)
	if err != nil {
		t.Fatal(err)
	}
	// A pool created now carries its rule as stored, so loading it declares nothing again.
	for _, id := range []string{modern, e.pool(&CreateUserPoolRequest{}), e.pool(&CreateUserPoolRequest{AliasAttributes: []string{"email", "preferred_username"}})} {
		r, err := e.st.GetUserPool(e.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p, err := decodePool(r)
		if err != nil {
			t.Fatal(err)
		}
		if !sameUniqueness(r.Uniqueness, p.uniqueness()) {
			t.Fatalf("pool %s: stored rule %+v, settings make %+v", id, r.Uniqueness, p.uniqueness())
		}
	}
	// The same configuration as an old pool: no rule, and users that share an email.
	old := rec
	old.ID, old.Uniqueness = "us-east-1_OldPool01", nil
	if err := e.st.CreateUserPool(e.ctx, old); err != nil {
		t.Fatal(err)
	}
	for i, key := range []string{"sub-older", "sub-newer"} {
		u := store.User{PoolID: old.ID, Username: key, UsernameKey: key, Sub: key, Status: "CONFIRMED", Enabled: true,
			Attributes: []store.Attribute{{Name: "sub", Value: key}, {Name: "email", Value: "dup@example.com"}},
			CreatedAt:  e.clock.Now().Add(-time.Duration(2-i) * time.Hour), UpdatedAt: e.clock.Now()}
		if err := e.st.CreateUser(e.ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	s, err := New(Config{Store: e.st, Tokens: e.s.tokens, Master: e.s.master, Now: e.clock.Now,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeclareUniqueness(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := logs.String(); !strings.Contains(got, "kept_by=sub-older") || !strings.Contains(got, "not_claimed_by=sub-newer") ||
		strings.Contains(got, "dup@example.com") {
		t.Fatalf("log %q: want the two users named, and not the email", got)
	}
	u, err := s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: old.ID, Username: "dup@example.com"})
	if err != nil || u.Username != "sub-older" {
		t.Fatalf("the email resolves to %v (%v), want the older user", u, err)
	}
	if _, err := s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: old.ID, Username: "sub-newer"}); err != nil {
		t.Fatalf("the duplicate user: %v", err)
	}
	_, err = s.SignUp(e.ctx, &SignUpRequest{ClientId: e.client(&CreateUserPoolClientRequest{UserPoolId: old.ID}).ClientId,
		Username: "DUP@example.com", Password: goodPassword})
	if err != nil {
		// Case-sensitive pool (the API's default): another case is another email.
		t.Fatalf("SignUp with another case: %v", err)
	}
	_, err = s.SignUp(e.ctx, &SignUpRequest{ClientId: e.client(&CreateUserPoolClientRequest{UserPoolId: old.ID}).ClientId,
		Username: "dup@example.com", Password: goodPassword})
	wantUserErr(t, err, "UsernameExistsException", "An account with the given email already exists.")
	// Declaring again is a no-op.
	logs.Reset()
	if err := s.DeclareUniqueness(e.ctx); err != nil || logs.Len() != 0 {
		t.Fatalf("second declaration: %v, log %q", err, logs.String())
	}
}
