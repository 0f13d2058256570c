package userpool

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
)

// usersTestClock is the injected clock of the user tests.
type usersTestClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *usersTestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *usersTestClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// usersTestEnv is a Service on the real store, master key and token issuer, with its
// messages going to the store's outbox through an Outbox.
type usersTestEnv struct {
	t     *testing.T
	ctx   context.Context
	s     *Service
	st    *sqlstore.Store
	clock *usersTestClock
	logs  *bytes.Buffer
}

func newUsersTestEnv(t *testing.T) *usersTestEnv {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
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
	outbox := mail.NewOutbox(mail.Config{Store: st, Log: slog.New(slog.NewTextHandler(logs, nil)), Now: clock.Now})
	s, err := New(Config{Store: st, Tokens: iss, Master: mk, Deliverer: outbox, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &usersTestEnv{t: t, ctx: ctx, s: s, st: st, clock: clock, logs: logs}
}

func (e *usersTestEnv) pool(in *CreateUserPoolRequest) string {
	e.t.Helper()
	if in.PoolName == "" {
		in.PoolName = "users-test"
	}
	out, err := e.s.CreateUserPool(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPool: %v", err)
	}
	return out.UserPool.Id
}

func (e *usersTestEnv) client(in *CreateUserPoolClientRequest) *UserPoolClientType {
	e.t.Helper()
	if in.ClientName == "" {
		in.ClientName = "app"
	}
	if in.ExplicitAuthFlows == nil {
		in.ExplicitAuthFlows = []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
	}
	out, err := e.s.CreateUserPoolClient(e.ctx, in)
	if err != nil {
		e.t.Fatalf("CreateUserPoolClient: %v", err)
	}
	return out.UserPoolClient
}

// messages returns the pool's outbox.
func (e *usersTestEnv) messages(poolID string) []store.Message {
	e.t.Helper()
	ms, err := e.st.ListMessages(e.ctx, poolID, 0, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return ms
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode returns the code of the pool's newest message.
func (e *usersTestEnv) lastCode(poolID string) string {
	e.t.Helper()
	ms := e.messages(poolID)
	if len(ms) == 0 {
		e.t.Fatal("no message in the outbox")
	}
	code := sixDigits.FindString(ms[len(ms)-1].Body)
	if code == "" {
		e.t.Fatalf("no code in %q", ms[len(ms)-1].Body)
	}
	return code
}

func (e *usersTestEnv) getUser(poolID, username string) *AdminGetUserResponse {
	e.t.Helper()
	out, err := e.s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: poolID, Username: username})
	if err != nil {
		e.t.Fatalf("AdminGetUser(%s): %v", username, err)
	}
	return out
}

func (e *usersTestEnv) signUp(clientID, username, password string, attrs ...AttributeType) *SignUpResponse {
	e.t.Helper()
	out, err := e.s.SignUp(e.ctx, &SignUpRequest{ClientId: clientID, Username: username, Password: password, UserAttributes: attrs})
	if err != nil {
		e.t.Fatalf("SignUp(%s): %v", username, err)
	}
	return out
}

// createConfirmed creates a CONFIRMED user with a permanent password (two hashes).
func (e *usersTestEnv) createConfirmed(poolID, username, password string, attrs ...AttributeType) {
	e.t.Helper()
	_, err := e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: username,
		UserAttributes: attrs, MessageAction: "SUPPRESS", TemporaryPassword: password})
	if err != nil {
		e.t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
	if _, err := e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID,
		Username: username, Password: password, Permanent: ptr(true)}); err != nil {
		e.t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
}

func (e *usersTestEnv) signIn(poolID, clientID, username, password string) *AuthenticationResultType {
	e.t.Helper()
	out, err := e.s.AdminInitiateAuth(e.ctx, &AdminInitiateAuthRequest{UserPoolId: poolID, ClientId: clientID,
		AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	if err != nil {
		e.t.Fatalf("sign in %s: %v", username, err)
	}
	if out.AuthenticationResult == nil {
		e.t.Fatalf("sign in %s: challenge %s", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

func wantUserErr(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ae *awsapi.Error
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want %s %q", err, typ, msg)
	}
	if ae.Type != typ || ae.Message != msg {
		t.Fatalf("error = %s %q, want %s %q", ae.Type, ae.Message, typ, msg)
	}
}

func attrMap(attrs []AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		m[a.Name] = a.Value
	}
	return m
}

const goodPassword = "Correct-Horse-9"

func TestSignUpConfirmFlow(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{AutoVerifiedAttributes: []string{"email"}})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})

	out := e.signUp(c.ClientId, "alice", goodPassword, AttributeType{Name: "email", Value: "alice@example.com"})
	if out.UserConfirmed == nil || *out.UserConfirmed {
		t.Errorf("UserConfirmed = %v, want false", out.UserConfirmed)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(out.UserSub) {
		t.Errorf("UserSub = %q, want a UUID v4", out.UserSub)
	}
	want := CodeDeliveryDetailsType{Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email"}
	if out.CodeDeliveryDetails == nil || *out.CodeDeliveryDetails != want {
		t.Errorf("CodeDeliveryDetails = %+v, want %+v", out.CodeDeliveryDetails, want)
	}
	ms := e.messages(poolID)
	if len(ms) != 1 || ms[0].Medium != "EMAIL" || ms[0].Destination != "alice@example.com" ||
		ms[0].Subject != "Your verification code" || !regexp.MustCompile(`^Your verification code is \d{6}\. $`).MatchString(ms[0].Body) {
		t.Fatalf("outbox = %+v", ms)
	}
	if !strings.Contains(e.logs.String(), "body=\"Your verification code is ") {
		t.Errorf("the outbox did not log the message body: %s", e.logs)
	}
	u := e.getUser(poolID, "alice")
	if u.UserStatus != "UNCONFIRMED" || attrMap(u.UserAttributes)["sub"] != out.UserSub || u.UserAttributes[0].Name != "sub" {
		t.Fatalf("user = %+v", u)
	}

	_, err := e.s.ConfirmSignUp(e.ctx, &ConfirmSignUpRequest{ClientId: c.ClientId, Username: "alice", ConfirmationCode: "000000x"})
	wantUserErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if _, err := e.s.ConfirmSignUp(e.ctx, &ConfirmSignUpRequest{ClientId: c.ClientId, Username: "alice", ConfirmationCode: e.lastCode(poolID)}); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
	u = e.getUser(poolID, "alice")
	if u.UserStatus != "CONFIRMED" || attrMap(u.UserAttributes)["email_verified"] != "true" {
		t.Fatalf("confirmed user = %+v", u)
	}
	_, err = e.s.ConfirmSignUp(e.ctx, &ConfirmSignUpRequest{ClientId: c.ClientId, Username: "alice", ConfirmationCode: "123456"})
	wantUserErr(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	_, err = e.s.ResendConfirmationCode(e.ctx, &ResendConfirmationCodeRequest{ClientId: c.ClientId, Username: "alice"})
	wantUserErr(t, err, "InvalidParameterException", "User is already confirmed.")
	e.signIn(poolID, c.ClientId, "alice", goodPassword)
}

func TestSignUpErrors(t *testing.T) {
	e := newUsersTestEnv(t)
	plain := e.pool(&CreateUserPoolRequest{})
	plainClient := e.client(&CreateUserPoolClientRequest{UserPoolId: plain})
	byEmail := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email"}})
	byEmailClient := e.client(&CreateUserPoolClientRequest{UserPoolId: byEmail})
	byEither := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email", "phone_number"}})
	byEitherClient := e.client(&CreateUserPoolClientRequest{UserPoolId: byEither})
	alias := e.pool(&CreateUserPoolRequest{AliasAttributes: []string{"email"}})
	aliasClient := e.client(&CreateUserPoolClientRequest{UserPoolId: alias})
	adminOnly := e.pool(&CreateUserPoolRequest{AdminCreateUserConfig: &AdminCreateUserConfigType{AllowAdminCreateUserOnly: ptr(true)}})
	adminOnlyClient := e.client(&CreateUserPoolClientRequest{UserPoolId: adminOnly})
	limited := e.client(&CreateUserPoolClientRequest{UserPoolId: plain, WriteAttributes: []string{"name"}})

	e.signUp(plainClient.ClientId, "taken", goodPassword)
	e.signUp(byEmailClient.ClientId, "first@example.com", goodPassword)

	tests := []struct {
		name     string
		in       SignUpRequest
		typ, msg string
	}{
		{"unknown client", SignUpRequest{ClientId: "nosuchclient", Username: "x", Password: goodPassword},
			"ResourceNotFoundException", "User pool client nosuchclient does not exist."},
		{"duplicate", SignUpRequest{ClientId: plainClient.ClientId, Username: "taken", Password: goodPassword},
			"UsernameExistsException", "User already exists"},
		{"short password", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: "Ab1!"},
			"InvalidPasswordException", "Password did not conform with policy: Password not long enough"},
		{"no symbol", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: "Abcdefgh1"},
			"InvalidPasswordException", "Password did not conform with policy: Password must have symbol characters"},
		{"unknown attributes", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: goodPassword,
			UserAttributes: []AttributeType{{Name: "phone", Value: "1"}, {Name: "custom:team", Value: "x"}}},
			"InvalidParameterException", "Attributes did not conform to the schema: phone: Attribute does not exist in the schema.\ncustom:team: Attribute does not exist in the schema.\n"},
		{"bad email", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: goodPassword,
			UserAttributes: []AttributeType{{Name: "email", Value: "not-an-email"}}},
			"InvalidParameterException", "Invalid email address format."},
		{"bad phone", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: goodPassword,
			UserAttributes: []AttributeType{{Name: "phone_number", Value: "555-1234"}}},
			"InvalidParameterException", "Invalid phone number format."},
		{"write sub", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: goodPassword,
			UserAttributes: []AttributeType{{Name: "sub", Value: "x"}}},
			"NotAuthorizedException", "A client attempted to write unauthorized attribute"},
		{"write verified flag", SignUpRequest{ClientId: plainClient.ClientId, Username: "bob", Password: goodPassword,
			UserAttributes: []AttributeType{{Name: "email", Value: "b@example.com"}, {Name: "email_verified", Value: "true"}}},
			"NotAuthorizedException", "A client attempted to write unauthorized attribute"},
		{"not in WriteAttributes", SignUpRequest{ClientId: limited.ClientId, Username: "bob", Password: goodPassword,
			UserAttributes: []AttributeType{{Name: "family_name", Value: "B"}}},
			"NotAuthorizedException", "A client attempted to write unauthorized attribute"},
		{"email pool, plain name", SignUpRequest{ClientId: byEmailClient.ClientId, Username: "bob", Password: goodPassword},
			"InvalidParameterException", "Username should be an email."},
		{"email or phone pool, plain name", SignUpRequest{ClientId: byEitherClient.ClientId, Username: "bob", Password: goodPassword},
			"InvalidParameterException", "Username should be either an email or a phone number."},
		{"email pool, email taken", SignUpRequest{ClientId: byEmailClient.ClientId, Username: "first@example.com", Password: goodPassword},
			"UsernameExistsException", "An account with the given email already exists."},
		{"alias pool, email as name", SignUpRequest{ClientId: aliasClient.ClientId, Username: "bob@example.com", Password: goodPassword},
			"InvalidParameterException", "Username cannot be of email format, since user pool is configured for email alias."},
		{"admin-only pool", SignUpRequest{ClientId: adminOnlyClient.ClientId, Username: "bob", Password: goodPassword},
			"NotAuthorizedException", "SignUp is not permitted for this user pool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.SignUp(e.ctx, &tt.in)
			wantUserErr(t, err, tt.typ, tt.msg)
		})
	}
}

func TestSignUpUsernameAttributes(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{UsernameAttributes: []string{"email"}, AutoVerifiedAttributes: []string{"email"}})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	out := e.signUp(c.ClientId, "carol@example.org", goodPassword)
	u := e.getUser(poolID, "carol@example.org") // found through the email
	if u.Username != out.UserSub || attrMap(u.UserAttributes)["email"] != "carol@example.org" {
		t.Fatalf("user = %+v, want username = sub %s and the email as attribute", u, out.UserSub)
	}
	if _, err := e.s.ConfirmSignUp(e.ctx, &ConfirmSignUpRequest{ClientId: c.ClientId, Username: "carol@example.org",
		ConfirmationCode: e.lastCode(poolID)}); err != nil {
		t.Fatal(err)
	}
}

func TestUsersSecretHash(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID, GenerateSecret: ptr(true)})
	_, err := e.s.SignUp(e.ctx, &SignUpRequest{ClientId: c.ClientId, Username: "dave", Password: goodPassword})
	wantUserErr(t, err, "NotAuthorizedException", "Client "+c.ClientId+" is configured with secret but SECRET_HASH was not received")
	_, err = e.s.SignUp(e.ctx, &SignUpRequest{ClientId: c.ClientId, Username: "dave", Password: goodPassword, SecretHash: "AAAA"})
	wantUserErr(t, err, "NotAuthorizedException", "Unable to verify secret hash for client "+c.ClientId)
	cl, _, err := e.s.loadClient(e.ctx, c.ClientId)
	if err != nil {
		t.Fatal(err)
	}
	if cl.secret != c.ClientSecret || cl.secret == "" {
		t.Fatalf("client secret not returned or not stored")
	}
	// Known answer, computed with Python:
	// base64(hmac.new(secret, username + client_id, sha256).digest())
	known := &client{rec: store.Client{ID: "1example23456789abcdefghij"}, secret: "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmn"}
	if err := e.s.checkSecretHash(known, "alice@example.com", "5Nz8oh3jzDfw38tPr0s/O4c7pRfBdycvjCm2MuRiylA="); err != nil {
		t.Fatalf("known-answer SECRET_HASH refused: %v", err)
	}
	if err := e.s.checkSecretHash(known, "alice@example.co", "5Nz8oh3jzDfw38tPr0s/O4c7pRfBdycvjCm2MuRiylA="); err == nil {
		t.Fatal("SECRET_HASH for another username accepted")
	}
	public := &client{rec: store.Client{ID: "x"}}
	if err := e.s.checkSecretHash(public, "anyone", ""); err != nil {
		t.Fatalf("client without secret: %v", err)
	}
}

func TestUsersConfirmationCodeLimits(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{AutoVerifiedAttributes: []string{"email"}})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	e.signUp(c.ClientId, "erin", goodPassword, AttributeType{Name: "email", Value: "erin@example.com"})
	confirm := func(code string) error {
		_, err := e.s.ConfirmSignUp(e.ctx, &ConfirmSignUpRequest{ClientId: c.ClientId, Username: "erin", ConfirmationCode: code})
		return err
	}

	// Expiry: 24 hours.
	code := e.lastCode(poolID)
	e.clock.Advance(24 * time.Hour)
	wantUserErr(t, confirm(code), "ExpiredCodeException", "Invalid code provided, please request a code again.")

	// A new code replaces the old one; five wrong attempts kill it.
	res, err := e.s.ResendConfirmationCode(e.ctx, &ResendConfirmationCodeRequest{ClientId: c.ClientId, Username: "erin"})
	if err != nil {
		t.Fatal(err)
	}
	if res.CodeDeliveryDetails == nil || res.CodeDeliveryDetails.Destination != "e***@e***" {
		t.Fatalf("resend details = %+v", res.CodeDeliveryDetails)
	}
	code = e.lastCode(poolID)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 0; i < maxCodeAttempts; i++ {
		wantUserErr(t, confirm(wrong), "CodeMismatchException", "Invalid verification code provided, please try again.")
	}
	wantUserErr(t, confirm(code), "LimitExceededException", "Attempt limit exceeded, please try after some time.")

	// A fresh code works once.
	if _, err := e.s.ResendConfirmationCode(e.ctx, &ResendConfirmationCodeRequest{ClientId: c.ClientId, Username: "erin"}); err != nil {
		t.Fatal(err)
	}
	code = e.lastCode(poolID)
	if err := confirm(code); err != nil {
		t.Fatalf("confirm with a fresh code: %v", err)
	}
	if _, err := e.st.GetCode(e.ctx, poolID, "erin", purposeSignUp); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("used code still stored: %v", err)
	}
}

func TestUsersAdminCreateUser(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{AdminCreateUserConfig: &AdminCreateUserConfigType{
		InviteMessageTemplate: &MessageTemplateType{EmailSubject: "Welcome", EmailMessage: "Hi {username}, use {####} to sign in."}}})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})

	out, err := e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "frank",
		UserAttributes:         []AttributeType{{Name: "email", Value: "frank@example.com"}, {Name: "email_verified", Value: "true"}},
		DesiredDeliveryMediums: []string{"EMAIL"}})
	if err != nil {
		t.Fatal(err)
	}
	u := out.User
	now := e.clock.Now()
	if u.Username != "frank" || u.UserStatus != "FORCE_CHANGE_PASSWORD" || u.Enabled == nil || !*u.Enabled ||
		!u.UserCreateDate.Time.Equal(now) || attrMap(u.Attributes)["email_verified"] != "true" || attrMap(u.Attributes)["sub"] == "" {
		t.Fatalf("created user = %+v", u)
	}
	ms := e.messages(poolID)
	if len(ms) != 1 || ms[0].Subject != "Welcome" || ms[0].Destination != "frank@example.com" {
		t.Fatalf("invitation = %+v", ms)
	}
	temp := strings.TrimSuffix(strings.TrimPrefix(ms[0].Body, "Hi frank, use "), " to sign in.")
	if temp == ms[0].Body || (&pool{}).checkPassword(temp) != nil {
		t.Fatalf("invitation %q does not carry a policy-conforming temporary password", ms[0].Body)
	}
	stored, err := e.st.GetUser(e.ctx, poolID, "frank")
	if err != nil {
		t.Fatal(err)
	}
	if want := now.Add(7 * 24 * time.Hour); !stored.PasswordExpiresAt.Equal(want) {
		t.Errorf("PasswordExpiresAt = %v, want %v", stored.PasswordExpiresAt, want)
	}
	auth, err := e.s.AdminInitiateAuth(e.ctx, &AdminInitiateAuthRequest{UserPoolId: poolID, ClientId: c.ClientId,
		AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": temp}})
	if err != nil || auth.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("sign in with the temporary password: %+v, %v", auth, err)
	}

	// RESEND resets the temporary password and sends a new invitation.
	if _, err := e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "frank",
		MessageAction: "RESEND", DesiredDeliveryMediums: []string{"EMAIL"}}); err != nil {
		t.Fatal(err)
	}
	if ms := e.messages(poolID); len(ms) != 2 || ms[1].Body == ms[0].Body {
		t.Fatalf("RESEND: outbox = %+v", ms)
	}

	tests := []struct {
		name     string
		in       AdminCreateUserRequest
		typ, msg string
	}{
		{"unknown pool", AdminCreateUserRequest{UserPoolId: "us-east-1_nosuchpol", Username: "x"},
			"ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist."},
		{"exists", AdminCreateUserRequest{UserPoolId: poolID, Username: "frank", MessageAction: "SUPPRESS"},
			"UsernameExistsException", "User account already exists"},
		{"weak temporary password", AdminCreateUserRequest{UserPoolId: poolID, Username: "gina", TemporaryPassword: "password"},
			"InvalidPasswordException", "Password did not conform with policy: Password must have uppercase characters"},
		{"email medium without email", AdminCreateUserRequest{UserPoolId: poolID, Username: "gina", DesiredDeliveryMediums: []string{"EMAIL"}},
			"InvalidParameterException", "No email provided but desired delivery medium was Email"},
		{"unknown attribute", AdminCreateUserRequest{UserPoolId: poolID, Username: "gina", UserAttributes: []AttributeType{{Name: "custom:x", Value: "1"}}},
			"InvalidParameterException", "Attributes did not conform to the schema: custom:x: Attribute does not exist in the schema.\n"},
		{"resend unknown", AdminCreateUserRequest{UserPoolId: poolID, Username: "nobody", MessageAction: "RESEND"},
			"UserNotFoundException", "User does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.s.AdminCreateUser(e.ctx, &tt.in)
			wantUserErr(t, err, tt.typ, tt.msg)
		})
	}

	// SUPPRESS sends nothing; RESEND of a confirmed user is refused.
	e.createConfirmed(poolID, "hank", goodPassword, AttributeType{Name: "email", Value: "hank@example.com"})
	if n := len(e.messages(poolID)); n != 2 {
		t.Fatalf("SUPPRESS sent a message: %d in the outbox", n)
	}
	_, err = e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "hank", MessageAction: "RESEND"})
	wantUserErr(t, err, "UnsupportedUserStateException", "Resend not possible. hank status is not FORCE_CHANGE_PASSWORD")

	// Without DesiredDeliveryMediums and without a phone number the invitation goes by email.
	if _, err := e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: "ivy",
		UserAttributes: []AttributeType{{Name: "email", Value: "ivy@example.com"}}}); err != nil {
		t.Fatal(err)
	}
	if ms := e.messages(poolID); len(ms) != 3 || ms[2].Medium != "EMAIL" || ms[2].Destination != "ivy@example.com" {
		t.Fatalf("default medium: outbox = %+v", ms)
	}
}

func TestUsersGeneratePassword(t *testing.T) {
	e := newUsersTestEnv(t)
	for _, pol := range []*PasswordPolicyType{nil, {MinimumLength: ptr(int64(30)), RequireSymbols: ptr(true)}} {
		p := &pool{spec: UserPoolType{Policies: &UserPoolPolicyType{PasswordPolicy: pol}}}
		for i := 0; i < 50; i++ {
			pw, err := generatePassword(e.s.rand, p.passwordPolicy())
			if err != nil {
				t.Fatal(err)
			}
			if err := p.checkPassword(pw); err != nil {
				t.Fatalf("generated %q: %v", pw, err)
			}
		}
	}
}

func TestUsersAdminLifecycle(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "jack", goodPassword)
	res := e.signIn(poolID, c.ClientId, "jack", goodPassword)

	_, err := e.s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: poolID, Username: "nobody"})
	wantUserErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: "us-east-1_nosuchpol", Username: "jack"})
	wantUserErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")

	if _, err := e.s.AdminDisableUser(e.ctx, &AdminDisableUserRequest{UserPoolId: poolID, Username: "jack"}); err != nil {
		t.Fatal(err)
	}
	if u := e.getUser(poolID, "jack"); u.Enabled == nil || *u.Enabled {
		t.Fatalf("disabled user Enabled = %v", u.Enabled)
	}
	_, err = e.s.AdminInitiateAuth(e.ctx, &AdminInitiateAuthRequest{UserPoolId: poolID, ClientId: c.ClientId,
		AuthFlow: "ADMIN_USER_PASSWORD_AUTH", AuthParameters: map[string]string{"USERNAME": "jack", "PASSWORD": goodPassword}})
	wantUserErr(t, err, "NotAuthorizedException", "User is disabled.")
	_, err = e.s.GetUser(e.ctx, &GetUserRequest{AccessToken: res.AccessToken})
	if err == nil {
		t.Fatal("GetUser with the token of a disabled user succeeded")
	}
	if _, err := e.s.AdminEnableUser(e.ctx, &AdminEnableUserRequest{UserPoolId: poolID, Username: "jack"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(poolID, c.ClientId, "jack", goodPassword)

	if _, err := e.s.AdminConfirmSignUp(e.ctx, &AdminConfirmSignUpRequest{UserPoolId: poolID, Username: "jack"}); err == nil {
		t.Fatal("AdminConfirmSignUp of a confirmed user succeeded")
	} else {
		wantUserErr(t, err, "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")
	}

	if _, err := e.s.AdminDeleteUser(e.ctx, &AdminDeleteUserRequest{UserPoolId: poolID, Username: "jack"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: poolID, Username: "jack"})
	wantUserErr(t, err, "UserNotFoundException", "User does not exist.")
	_, err = e.s.AdminDeleteUser(e.ctx, &AdminDeleteUserRequest{UserPoolId: poolID, Username: "jack"})
	wantUserErr(t, err, "UserNotFoundException", "User does not exist.")
}

func TestUsersList(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	for _, u := range []struct{ name, email, given string }{
		{"amy", "amy@example.com", "Amy"}, {"ben", "ben@example.com", "Benjamin"}, {"bea", "bea@example.org", "Beatrice"},
	} {
		if _, err := e.s.AdminCreateUser(e.ctx, &AdminCreateUserRequest{UserPoolId: poolID, Username: u.name, MessageAction: "SUPPRESS",
			TemporaryPassword: goodPassword, UserAttributes: []AttributeType{{Name: "email", Value: u.email}, {Name: "given_name", Value: u.given}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.s.AdminDisableUser(e.ctx, &AdminDisableUserRequest{UserPoolId: poolID, Username: "bea"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID, Username: "ben", Password: goodPassword, Permanent: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	names := func(out *ListUsersResponse) string {
		var n []string
		for _, u := range out.Users {
			n = append(n, u.Username)
		}
		return strings.Join(n, ",")
	}
	list := func(in ListUsersRequest) (*ListUsersResponse, error) {
		in.UserPoolId = poolID
		return e.s.ListUsers(e.ctx, &in)
	}
	tests := []struct {
		filter, want string
	}{
		{"", "amy,bea,ben"},
		{`email = "ben@example.com"`, "ben"},
		{`email ^= "b"`, "bea,ben"},
		{`given_name^="Be"`, "bea,ben"},
		{`username = "amy"`, "amy"},
		{`status = "Disabled"`, "bea"},
		{`status = "Enabled"`, "amy,ben"},
		{`cognito:user_status = "confirmed"`, "ben"},
		{`cognito:user_status = "FORCE_CHANGE_PASSWORD"`, "amy,bea"},
		{`email = "nobody@example.com"`, ""},
	}
	for _, tt := range tests {
		out, err := list(ListUsersRequest{Filter: tt.filter})
		if err != nil {
			t.Fatalf("filter %q: %v", tt.filter, err)
		}
		if got := names(out); got != tt.want || out.PaginationToken != "" {
			t.Errorf("filter %q = %q (token %q), want %q", tt.filter, got, out.PaginationToken, tt.want)
		}
	}

	// Paging.
	page1, err := list(ListUsersRequest{Limit: ptr(int64(2))})
	if err != nil || names(page1) != "amy,bea" || page1.PaginationToken == "" {
		t.Fatalf("page 1 = %+v, %v", page1, err)
	}
	page2, err := list(ListUsersRequest{Limit: ptr(int64(2)), PaginationToken: page1.PaginationToken})
	if err != nil || names(page2) != "ben" || page2.PaginationToken != "" {
		t.Fatalf("page 2 = %+v, %v", page2, err)
	}
	for _, forged := range []string{"bm90IGEgdG9rZW4", "!!!", strings.Repeat("A", 5000), page1.PaginationToken + "A"} {
		_, err := list(ListUsersRequest{PaginationToken: forged})
		wantUserErr(t, err, "InvalidParameterException", "Invalid pagination token.")
	}
	other := e.pool(&CreateUserPoolRequest{PoolName: "other"})
	_, err = e.s.ListUsers(e.ctx, &ListUsersRequest{UserPoolId: other, PaginationToken: page1.PaginationToken})
	wantUserErr(t, err, "InvalidParameterException", "Invalid pagination token.")

	// AttributesToGet, and the full UserType otherwise.
	out, err := list(ListUsersRequest{Filter: `username = "amy"`, AttributesToGet: []string{"email"}})
	if err != nil || len(out.Users) != 1 || len(out.Users[0].Attributes) != 1 || out.Users[0].Attributes[0].Name != "email" {
		t.Fatalf("AttributesToGet: %+v, %v", out, err)
	}
	out, err = list(ListUsersRequest{Filter: `username = "amy"`})
	if err != nil || out.Users[0].UserStatus != "FORCE_CHANGE_PASSWORD" || out.Users[0].Enabled == nil || out.Users[0].UserCreateDate == nil ||
		len(out.Users[0].Attributes) != 3 {
		t.Fatalf("ListUsers user = %+v, %v", out.Users, err)
	}

	_, err = list(ListUsersRequest{Filter: `email = ben@example.com`})
	wantUserErr(t, err, "InvalidParameterException", "Error while parsing filter.")
	_, err = e.s.ListUsers(e.ctx, &ListUsersRequest{UserPoolId: "us-east-1_nosuchpol"})
	wantUserErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")
}

func TestUsersForgotPassword(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	legacy := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	hidden := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID, PreventUserExistenceErrors: "ENABLED"})
	e.createConfirmed(poolID, "kate", goodPassword, AttributeType{Name: "email", Value: "kate@example.com"}, AttributeType{Name: "email_verified", Value: "true"})
	e.createConfirmed(poolID, "liam", goodPassword, AttributeType{Name: "email", Value: "liam@example.com"})

	_, err := e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: legacy.ClientId, Username: "nobody"})
	wantUserErr(t, err, "UserNotFoundException", "Username/client id combination not found.")
	sim, err := e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: hidden.ClientId, Username: "nobody"})
	if err != nil || sim.CodeDeliveryDetails == nil || sim.CodeDeliveryDetails.DeliveryMedium != "EMAIL" {
		t.Fatalf("hidden unknown user: %+v, %v", sim, err)
	}
	again, _ := e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: hidden.ClientId, Username: "nobody"})
	if *again.CodeDeliveryDetails != *sim.CodeDeliveryDetails {
		t.Errorf("simulated details not stable: %+v vs %+v", again.CodeDeliveryDetails, sim.CodeDeliveryDetails)
	}
	_, err = e.s.ConfirmForgotPassword(e.ctx, &ConfirmForgotPasswordRequest{ClientId: hidden.ClientId, Username: "nobody", ConfirmationCode: "123456", Password: goodPassword})
	wantUserErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	_, err = e.s.ConfirmForgotPassword(e.ctx, &ConfirmForgotPasswordRequest{ClientId: legacy.ClientId, Username: "nobody", ConfirmationCode: "123456", Password: goodPassword})
	wantUserErr(t, err, "UserNotFoundException", "Username/client id combination not found.")
	_, err = e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: legacy.ClientId, Username: "liam"})
	wantUserErr(t, err, "InvalidParameterException", "Cannot reset password for the user as there is no registered/verified email or phone_number")

	out, err := e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: legacy.ClientId, Username: "kate"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (CodeDeliveryDetailsType{Destination: "k***@e***", DeliveryMedium: "EMAIL", AttributeName: "email"}); *out.CodeDeliveryDetails != want {
		t.Fatalf("details = %+v", out.CodeDeliveryDetails)
	}
	code := e.lastCode(poolID)
	const newPassword = "Brand-New-Pass-7"
	cfp := func(code, pw string) error {
		_, err := e.s.ConfirmForgotPassword(e.ctx, &ConfirmForgotPasswordRequest{ClientId: legacy.ClientId, Username: "kate", ConfirmationCode: code, Password: pw})
		return err
	}
	wantUserErr(t, cfp(code, "weak"), "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	wantUserErr(t, cfp("999999x", newPassword), "CodeMismatchException", "Invalid verification code provided, please try again.")
	if err := cfp(code, newPassword); err != nil { // the weak password did not spend the code
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	e.signIn(poolID, legacy.ClientId, "kate", newPassword)

	// A forgot-password code lives one hour.
	if _, err := e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: legacy.ClientId, Username: "kate"}); err != nil {
		t.Fatal(err)
	}
	code = e.lastCode(poolID)
	e.clock.Advance(time.Hour)
	wantUserErr(t, cfp(code, goodPassword), "ExpiredCodeException", "Invalid code provided, please request a code again.")
}

func TestUsersAdminPasswords(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
	e.createConfirmed(poolID, "mia", goodPassword, AttributeType{Name: "email", Value: "mia@example.com"}, AttributeType{Name: "email_verified", Value: "true"})
	if u := e.getUser(poolID, "mia"); u.UserStatus != "CONFIRMED" {
		t.Fatalf("permanent password: status %s", u.UserStatus)
	}
	if _, err := e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID, Username: "mia", Password: "Temp-Pass-1234"}); err != nil {
		t.Fatal(err)
	}
	if u := e.getUser(poolID, "mia"); u.UserStatus != "FORCE_CHANGE_PASSWORD" {
		t.Fatalf("temporary password: status %s", u.UserStatus)
	}
	_, err := e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID, Username: "mia", Password: "short"})
	wantUserErr(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	_, err = e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID, Username: "nobody", Password: goodPassword})
	wantUserErr(t, err, "UserNotFoundException", "User does not exist.")

	// A temporary password cannot be reset (resettable; more cases in TestResetRules).
	_, err = e.s.AdminResetUserPassword(e.ctx, &AdminResetUserPasswordRequest{UserPoolId: poolID, Username: "mia"})
	wantUserErr(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")
	if _, err := e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID, Username: "mia", Password: goodPassword, Permanent: ptr(true)}); err != nil {
		t.Fatal(err)
	}

	before := len(e.messages(poolID))
	if _, err := e.s.AdminResetUserPassword(e.ctx, &AdminResetUserPasswordRequest{UserPoolId: poolID, Username: "mia"}); err != nil {
		t.Fatal(err)
	}
	if u := e.getUser(poolID, "mia"); u.UserStatus != "RESET_REQUIRED" {
		t.Fatalf("reset: status %s", u.UserStatus)
	}
	if len(e.messages(poolID)) != before+1 {
		t.Fatal("reset sent no code")
	}
	if _, err := e.s.ConfirmForgotPassword(e.ctx, &ConfirmForgotPasswordRequest{ClientId: c.ClientId, Username: "mia",
		ConfirmationCode: e.lastCode(poolID), Password: goodPassword}); err != nil {
		t.Fatal(err)
	}
	if u := e.getUser(poolID, "mia"); u.UserStatus != "CONFIRMED" {
		t.Fatalf("after ConfirmForgotPassword: status %s", u.UserStatus)
	}
}

func TestUsersSelfService(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{AutoVerifiedAttributes: []string{"email"},
		Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String", Mutable: ptr(true)}}})
	c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID,
		ReadAttributes:  []string{"email", "email_verified", "given_name"},
		WriteAttributes: []string{"email", "given_name", "custom:team"}})
	e.createConfirmed(poolID, "noah", goodPassword, AttributeType{Name: "email", Value: "noah@example.com"},
		AttributeType{Name: "email_verified", Value: "true"}, AttributeType{Name: "family_name", Value: "N"})
	tok := e.signIn(poolID, c.ClientId, "noah", goodPassword).AccessToken

	got, err := e.s.GetUser(e.ctx, &GetUserRequest{AccessToken: tok})
	if err != nil {
		t.Fatal(err)
	}
	if m := attrMap(got.UserAttributes); got.Username != "noah" || m["sub"] == "" || m["email"] != "noah@example.com" || m["family_name"] != "" {
		t.Fatalf("GetUser = %+v (family_name must be hidden by ReadAttributes)", got)
	}
	_, err = e.s.GetUser(e.ctx, &GetUserRequest{AccessToken: "not.a.token"})
	wantUserErr(t, err, "NotAuthorizedException", "Invalid Access Token")

	// Attribute updates.
	_, err = e.s.UpdateUserAttributes(e.ctx, &UpdateUserAttributesRequest{AccessToken: tok, UserAttributes: []AttributeType{{Name: "family_name", Value: "X"}}})
	wantUserErr(t, err, "NotAuthorizedException", "A client attempted to write unauthorized attribute")
	up, err := e.s.UpdateUserAttributes(e.ctx, &UpdateUserAttributesRequest{AccessToken: tok, UserAttributes: []AttributeType{
		{Name: "email", Value: "noah@example.net"}, {Name: "custom:team", Value: "blue"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(up.CodeDeliveryDetailsList) != 1 || up.CodeDeliveryDetailsList[0] != (CodeDeliveryDetailsType{Destination: "n***@e***", DeliveryMedium: "EMAIL", AttributeName: "email"}) {
		t.Fatalf("CodeDeliveryDetailsList = %+v", up.CodeDeliveryDetailsList)
	}
	m := attrMap(e.getUser(poolID, "noah").UserAttributes)
	if m["email"] != "noah@example.net" || m["email_verified"] != "false" || m["custom:team"] != "blue" {
		t.Fatalf("after update: %v", m)
	}
	_, err = e.s.VerifyUserAttribute(e.ctx, &VerifyUserAttributeRequest{AccessToken: tok, AttributeName: "email", Code: "000000x"})
	wantUserErr(t, err, "CodeMismatchException", "Invalid verification code provided, please try again.")
	if _, err := e.s.VerifyUserAttribute(e.ctx, &VerifyUserAttributeRequest{AccessToken: tok, AttributeName: "email", Code: e.lastCode(poolID)}); err != nil {
		t.Fatal(err)
	}
	if m := attrMap(e.getUser(poolID, "noah").UserAttributes); m["email_verified"] != "true" {
		t.Fatalf("after verification: %v", m)
	}
	vc, err := e.s.GetUserAttributeVerificationCode(e.ctx, &GetUserAttributeVerificationCodeRequest{AccessToken: tok, AttributeName: "email"})
	if err != nil || vc.CodeDeliveryDetails.Destination != "n***@e***" {
		t.Fatalf("GetUserAttributeVerificationCode = %+v, %v", vc, err)
	}

	if _, err := e.s.DeleteUserAttributes(e.ctx, &DeleteUserAttributesRequest{AccessToken: tok, UserAttributeNames: []string{"custom:team"}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.DeleteUserAttributes(e.ctx, &DeleteUserAttributesRequest{AccessToken: tok, UserAttributeNames: []string{"custom:nope"}})
	wantUserErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n")
	if _, err := e.s.AdminDeleteUserAttributes(e.ctx, &AdminDeleteUserAttributesRequest{UserPoolId: poolID, Username: "noah", UserAttributeNames: []string{"family_name"}}); err != nil {
		t.Fatal(err)
	}
	if m := attrMap(e.getUser(poolID, "noah").UserAttributes); m["custom:team"] != "" || m["family_name"] != "" {
		t.Fatalf("after deletes: %v", m)
	}
	if _, err := e.s.AdminUpdateUserAttributes(e.ctx, &AdminUpdateUserAttributesRequest{UserPoolId: poolID, Username: "noah",
		UserAttributes: []AttributeType{{Name: "family_name", Value: "Admin"}, {Name: "email", Value: "noah@example.com"}, {Name: "email_verified", Value: "true"}}}); err != nil {
		t.Fatal(err)
	}
	if m := attrMap(e.getUser(poolID, "noah").UserAttributes); m["family_name"] != "Admin" || m["email_verified"] != "true" {
		t.Fatalf("after admin update: %v", m)
	}
	_, err = e.s.AdminUpdateUserAttributes(e.ctx, &AdminUpdateUserAttributesRequest{UserPoolId: poolID, Username: "noah",
		UserAttributes: []AttributeType{{Name: "sub", Value: "x"}}})
	wantUserErr(t, err, "InvalidParameterException", "Attributes did not conform to the schema: sub: Attribute cannot be updated. (changing an immutable attribute)\n")

	// Password change.
	_, err = e.s.ChangePassword(e.ctx, &ChangePasswordRequest{AccessToken: tok, PreviousPassword: "Wrong-Pass-123", ProposedPassword: "Next-Pass-123"})
	wantUserErr(t, err, "NotAuthorizedException", "Incorrect username or password.")
	_, err = e.s.ChangePassword(e.ctx, &ChangePasswordRequest{AccessToken: tok, PreviousPassword: goodPassword, ProposedPassword: "weak"})
	wantUserErr(t, err, "InvalidPasswordException", "Password did not conform with policy: Password not long enough")
	if _, err := e.s.ChangePassword(e.ctx, &ChangePasswordRequest{AccessToken: tok, PreviousPassword: goodPassword, ProposedPassword: "Next-Pass-123"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(poolID, c.ClientId, "noah", "Next-Pass-123")

	if _, err := e.s.DeleteUser(e.ctx, &DeleteUserRequest{AccessToken: tok}); err != nil {
		t.Fatal(err)
	}
	_, err = e.s.AdminGetUser(e.ctx, &AdminGetUserRequest{UserPoolId: poolID, Username: "noah"})
	wantUserErr(t, err, "UserNotFoundException", "User does not exist.")
}
