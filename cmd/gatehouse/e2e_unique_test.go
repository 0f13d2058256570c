package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// Cognito keeps one user per email in a pool whose username attribute is email, and one
// holder per verified alias. These tests race the operations that could make a second one,
// over HTTP with the Go SDK: on one server on SQLite, and on two servers sharing one
// PostgreSQL database (two nodes behind a balancer).

func TestUniqueUnderRaceSQLite(t *testing.T) {
	ts := startTestServer(t, "")
	raceUniqueness(t, ts, ts)
}

func TestUniqueUnderRaceTwoNodesPostgres(t *testing.T) {
	url := storetest.PostgresURL(t, "gh_uniq_")
	key := strings.Repeat("5a", 32) // one master key for both nodes
	node := func() *testServer {
		return startTestServerWith(t, t.TempDir(), url, func(o *serveOptions) { o.masterKey = key })
	}
	raceUniqueness(t, node(), node())
}

// racePairs runs fn(i) for i < n, at most par at a time.
func racePairs(n, par int, fn func(i int)) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fn(i)
		}()
	}
	wg.Wait()
}

// both runs a and b at once and returns their errors.
func both(a, b func() error) [2]error {
	var errs [2]error
	var wg sync.WaitGroup
	start := make(chan struct{})
	wg.Add(2)
	go func() { defer wg.Done(); <-start; errs[0] = a() }()
	go func() { defer wg.Done(); <-start; errs[1] = b() }()
	close(start)
	wg.Wait()
	return errs
}

// oneWinner checks that exactly one of two racing calls succeeded and the other got code
// with msg.
func oneWinner(errs [2]error, code, msg string) error {
	errA, errB := errs[0], errs[1]
	if (errA == nil) == (errB == nil) {
		return fmt.Errorf("both or neither won: %v / %v", errA, errB)
	}
	lost := errA
	if lost == nil {
		lost = errB
	}
	var ae smithy.APIError
	if !errors.As(lost, &ae) || ae.ErrorCode() != code || ae.ErrorMessage() != msg {
		return fmt.Errorf("loser got %v, want %s %q", lost, code, msg)
	}
	return nil
}

func raceUniqueness(t *testing.T, a, b *testServer) {
	ctx := context.Background()
	pool, client := a.emailPool(t, false)
	const taken = "An account with the given email already exists."
	var mu sync.Mutex
	var failures []string
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	check := func() {
		t.Helper()
		if len(failures) > 0 {
			t.Fatalf("%d failures, first: %s", len(failures), failures[0])
		}
	}
	signUp := func(ts *testServer, email string) func() error {
		return func() error {
			_, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: &client, Username: aws.String(email), Password: aws.String("Passw0rd!")})
			return err
		}
	}

	// 100 double-submitted sign-up forms.
	racePairs(100, 8, func(i int) {
		email := fmt.Sprintf("pair%d@example.com", i)
		if err := oneWinner(both(signUp(a, email), signUp(b, email)), "UsernameExistsException", taken); err != nil {
			fail("SignUp %s: %v", email, err)
		}
	})
	check()

	// An administrator creating the user while they sign up.
	racePairs(20, 4, func(i int) {
		email := fmt.Sprintf("admin%d@example.com", i)
		create := func() error {
			_, err := a.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String(email),
				MessageAction: types.MessageActionTypeSuppress})
			return err
		}
		if err := oneWinner(both(create, signUp(b, email)), "UsernameExistsException", taken); err != nil {
			fail("AdminCreateUser/SignUp %s: %v", email, err)
		}
	})
	check()

	// Two signed-in users changing their email to the same new one.
	racePairs(10, 2, func(i int) {
		target := fmt.Sprintf("moved%d@example.com", i)
		var tokens [2]string
		for j, ts := range []*testServer{a, b} {
			email := fmt.Sprintf("mover%d-%d@example.com", i, j)
			ts.confirmedUser(t, pool, client, email, "Passw0rd!")
			out, err := ts.passwordSignIn(client, email, "Passw0rd!")
			if err != nil {
				fail("sign in %s: %v", email, err)
				return
			}
			tokens[j] = *out.AuthenticationResult.AccessToken
		}
		update := func(ts *testServer, tok string) func() error {
			return func() error {
				_, err := ts.idp.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: aws.String(tok),
					UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(target)}}})
				return err
			}
		}
		if err := oneWinner(both(update(a, tokens[0]), update(b, tokens[1])), "AliasExistsException", taken); err != nil {
			fail("UpdateUserAttributes to %s: %v", target, err)
		}
	})
	check()

	// Exactly one user per email, whichever node is asked.
	perEmail := map[string]int{}
	var token *string
	for {
		out, err := b.idp.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: &pool, PaginationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range out.Users {
			for _, at := range u.Attributes {
				if aws.ToString(at.Name) == "email" {
					perEmail[aws.ToString(at.Value)]++
				}
			}
		}
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	for email, n := range perEmail {
		if n != 1 {
			t.Errorf("%d users have email %s", n, email)
		}
	}
	if want := 100 + 20 + 10*2; len(perEmail) != want {
		t.Errorf("%d distinct emails, want %d", len(perEmail), want)
	}
	// The winner signs in with the email on either node.
	for _, ts := range []*testServer{a, b} {
		if _, err := ts.passwordSignIn(client, "PAIR7@example.com", "Passw0rd!"); err == nil {
			// Usernames of this pool are case-sensitive (the API's default): another case
			// is another email, which nobody has.
			t.Errorf("signed in with another case of a case-sensitive email")
		}
		if _, err := ts.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &pool, Username: aws.String("pair7@example.com")}); err != nil {
			t.Errorf("AdminGetUser by email: %v", err)
		}
	}

	raceVerifiedAlias(t, a, b)
}

// raceVerifiedAlias: in a pool with email as an alias, an email may be shared while
// unverified, but only one user may hold it verified; two administrators verifying it for
// two users at once leave exactly one holder.
func raceVerifiedAlias(t *testing.T, a, b *testServer) {
	ctx := context.Background()
	p, err := a.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("alias-pool"),
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername}})
	if err != nil {
		t.Fatal(err)
	}
	pool := p.UserPool.Id
	for i := range 10 {
		email := fmt.Sprintf("shared%d@example.com", i)
		for j := range 2 {
			// Shared while unverified: both creations succeed.
			if _, err := a.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(fmt.Sprintf("u%d-%d", i, j)),
				MessageAction:  types.MessageActionTypeSuppress,
				UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}}}); err != nil {
				t.Fatal(err)
			}
		}
		verify := func(ts *testServer, j int) func() error {
			return func() error {
				_, err := ts.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String(fmt.Sprintf("u%d-%d", i, j)),
					UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("true")}}})
				return err
			}
		}
		if err := oneWinner(both(verify(a, 0), verify(b, 1)), "AliasExistsException", "An account with the given email already exists."); err != nil {
			t.Fatalf("verifying %s twice: %v", email, err)
		}
		out, err := b.idp.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String(email)})
		if err != nil {
			t.Fatalf("AdminGetUser by verified alias %s: %v", email, err)
		}
		if !strings.HasPrefix(aws.ToString(out.Username), fmt.Sprintf("u%d-", i)) {
			t.Fatalf("alias %s resolves to %s", email, aws.ToString(out.Username))
		}
	}
	// preferred_username is unique as soon as it is set.
	create := func(ts *testServer, name string) func() error {
		return func() error {
			_, err := ts.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
				MessageAction:  types.MessageActionTypeSuppress,
				UserAttributes: []types.AttributeType{{Name: aws.String("preferred_username"), Value: aws.String("captain")}}})
			return err
		}
	}
	if err := oneWinner(both(create(a, "p1"), create(b, "p2")), "AliasExistsException", "An account with the given preferred_username already exists."); err != nil {
		t.Fatalf("preferred_username: %v", err)
	}
}
