package userexport

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/argon2"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// testClock is the injected clock of the tests.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testEnv is the user-pool service (s) and an export/import Service (x) on one real store,
// master key and token issuer, with the pools' messages going to the store's outbox.
type testEnv struct {
	t     *testing.T
	ctx   context.Context
	s     *userpool.Service
	x     *Service
	st    *sqlstore.Store
	iss   *token.Issuer
	clock *testClock
}

// exportBackends are the stores the export tests run on: SQLite always, PostgreSQL when
// GATEHOUSE_TEST_POSTGRES names a server (each test in a schema of its own).
func exportBackends(t *testing.T, run func(t *testing.T, url string)) {
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "gatehouse.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresURL(t, "gh_export_")) })
}

// newTestEnv is newExportEnv on a SQLite store of its own.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newExportEnv(t, filepath.Join(t.TempDir(), "db"))
}

// newExportEnv is a testEnv on the store at storeURL.
func newExportEnv(t *testing.T, storeURL string) *testEnv {
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
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	iss, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: "http://gatehouse.test", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	outbox := mail.NewOutbox(mail.Config{Store: st, Log: slog.New(slog.DiscardHandler), Now: clock.Now})
	s, err := userpool.New(userpool.Config{Store: st, Tokens: iss, Master: mk, Deliverer: outbox, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	x := New(Config{Pools: s, Store: st, Now: clock.Now})
	return &testEnv{t: t, ctx: ctx, s: s, x: x, st: st, iss: iss, clock: clock}
}

func (e *testEnv) pool(in *userpool.CreateUserPoolRequest) string {
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

func (e *testEnv) client(in *userpool.CreateUserPoolClientRequest) *userpool.UserPoolClientType {
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

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode returns the code of the pool's newest message.
func (e *testEnv) lastCode(poolID string) string {
	e.t.Helper()
	ms, err := e.st.ListMessages(e.ctx, poolID, 0, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(ms) == 0 {
		e.t.Fatal("no message in the outbox")
	}
	code := sixDigits.FindString(ms[len(ms)-1].Body)
	if code == "" {
		e.t.Fatalf("no code in %q", ms[len(ms)-1].Body)
	}
	return code
}

func (e *testEnv) getUser(poolID, username string) *userpool.AdminGetUserResponse {
	e.t.Helper()
	out, err := e.s.AdminGetUser(e.ctx, &userpool.AdminGetUserRequest{UserPoolId: poolID, Username: username})
	if err != nil {
		e.t.Fatalf("AdminGetUser(%s): %v", username, err)
	}
	return out
}

// createConfirmed creates a CONFIRMED user with a permanent password.
func (e *testEnv) createConfirmed(poolID, username, password string, attrs ...userpool.AttributeType) {
	e.t.Helper()
	_, err := e.s.AdminCreateUser(e.ctx, &userpool.AdminCreateUserRequest{UserPoolId: poolID, Username: username,
		UserAttributes: attrs, MessageAction: "SUPPRESS", TemporaryPassword: password})
	if err != nil {
		e.t.Fatalf("AdminCreateUser(%s): %v", username, err)
	}
	if _, err := e.s.AdminSetUserPassword(e.ctx, &userpool.AdminSetUserPasswordRequest{UserPoolId: poolID,
		Username: username, Password: password, Permanent: ptr(true)}); err != nil {
		e.t.Fatalf("AdminSetUserPassword(%s): %v", username, err)
	}
}

func (e *testEnv) signIn(poolID, clientID, username, password string) *userpool.AuthenticationResultType {
	e.t.Helper()
	out, err := e.s.AdminInitiateAuth(e.ctx, &userpool.AdminInitiateAuthRequest{UserPoolId: poolID, ClientId: clientID,
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

func attrMap(attrs []userpool.AttributeType) map[string]string {
	m := map[string]string{}
	for _, a := range attrs {
		m[a.Name] = a.Value
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// argon2Hash is a PHC-format argon2id hash of password with the given costs, as another
// system (or Gatehouse itself, at m=19456,t=2,p=1) writes it.
func argon2Hash(password string, salt []byte, m, t uint32, p uint8) string {
	key := argon2.IDKey([]byte(password), salt, t, m, p, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", m, t, p, b64.EncodeToString(salt), b64.EncodeToString(key))
}
