package identitypool

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/aws/smithy-go"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/token"
)

const (
	testAccount  = "000000000000"
	userPoolID   = "us-east-1_TestPoolA1"
	otherPoolID  = "us-east-1_TestPoolB2"
	clientID     = "abcdefghijklmnopqrstuvwxyz"
	otherClient  = "zyxwvutsrqponmlkjihgfedcba"
	providerName = "cognito-idp.us-east-1.amazonaws.com/" + userPoolID
	otherName    = "cognito-idp.us-east-1.amazonaws.com/" + otherPoolID
)

// testClock is a settable clock shared by every part.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is the service over HTTP on a real store, master key, token issuer and credentials
// issuer, called with the AWS SDK.
type env struct {
	ctx    context.Context
	st     *sqlstore.Store
	master *masterkey.Key
	tokens *token.Issuer
	creds  *iam.Issuer
	clock  *testClock
	svc    *Service
	srv    *httptest.Server
	client *cognitoidentity.Client
}

// backends runs fn on SQLite and, when GATEHOUSE_TEST_POSTGRES names a server, PostgreSQL
// (each test in a schema of its own).
func backends(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, filepath.Join(t.TempDir(), "gatehouse.db"))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnv(t, storetest.PostgresURL(t, "gh_idp_"))) })
}

func newEnv(t testing.TB, storeURL string) *env {
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
	clock := &testClock{t: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}
	tokens, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: "http://127.0.0.1:9229", Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := iam.New(iam.Config{Store: st, Master: mk, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Config{Store: st, Tokens: tokens, OpenID: tokens, Credentials: creds, Region: "us-east-1", Account: testAccount, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	api := awsapi.NewService("AWSCognitoIdentityService", model.CognitoIdentity())
	svc.Register(api)
	mux := http.NewServeMux()
	mux.Handle("/", awsapi.NewServer(nil, nil, api))
	mux.Handle("GET /.well-known/jwks_uri", tokens.OpenIDHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	client := cognitoidentity.New(cognitoidentity.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		RetryMaxAttempts: 1,
	})
	e := &env{ctx: ctx, st: st, master: mk, tokens: tokens, creds: creds, clock: clock, svc: svc, srv: srv, client: client}
	for _, id := range []string{userPoolID, otherPoolID} {
		// The user pools whose tokens the tests sign. (The OpenID token keys, owner
		// "cognito-identity", need no pool row: migration 0004.)
		if err := st.CreateUserPool(ctx, store.UserPool{ID: id, Name: id, CreatedAt: clock.Now(), UpdatedAt: clock.Now(), Spec: json.RawMessage(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// createPool creates an identity pool with the user pool as provider.
func (e *env) createPool(t *testing.T, allowGuests bool, providers ...types.CognitoIdentityProvider) string {
	t.Helper()
	if providers == nil {
		providers = []types.CognitoIdentityProvider{{ProviderName: aws.String(providerName), ClientId: aws.String(clientID)}}
	}
	out, err := e.client.CreateIdentityPool(e.ctx, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName:               aws.String("pool"),
		AllowUnauthenticatedIdentities: allowGuests,
		CognitoIdentityProviders:       providers,
	})
	if err != nil {
		t.Fatalf("CreateIdentityPool: %v", err)
	}
	return *out.IdentityPoolId
}

// idToken signs an ID token of the user pool, valid for an hour, with extra claims.
func (e *env) idToken(t *testing.T, pool, client, sub string, extra ...any) string {
	t.Helper()
	return e.sign(t, e.tokens, pool, token.UseID, sub, append([]any{"aud", client}, extra...)...)
}

func (e *env) sign(t *testing.T, iss *token.Issuer, pool, use, sub string, kv ...any) string {
	t.Helper()
	now := e.clock.Now()
	claims := map[string]any{
		"iss": iss.IssuerFor(pool), "sub": sub, "token_use": use,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "auth_time": now.Unix(),
		"origin_jti": "origin-" + sub,
	}
	for i := 0; i+1 < len(kv); i += 2 {
		claims[kv[i].(string)] = kv[i+1]
	}
	raw, err := iss.Sign(e.ctx, pool, use, claims)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// role creates an IAM role with a trust policy.
func (e *env) role(t *testing.T, name, trust string) string {
	t.Helper()
	arn := "arn:aws:iam::" + testAccount + ":role/" + name
	var b [8]byte
	_, _ = rand.Read(b[:])
	err := e.st.CreateRole(e.ctx, store.Role{Name: name, ID: "AROA" + strings.ToUpper(hex.EncodeToString(b[:])), ARN: arn, Path: "/",
		AssumeRolePolicy: trust, MaxSessionDuration: 3600, CreatedAt: e.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

// trustFor is the developer guide's example trust policy (role-based-access-control.html)
// for the pool and an amr value.
func trustFor(poolID, amr string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"","Effect":"Allow",
"Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":%q},
"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":%q}}}]}`, poolID, amr)
}

func (e *env) setRoles(t *testing.T, poolID string, roles map[string]string, mappings map[string]types.RoleMapping) {
	t.Helper()
	if _, err := e.client.SetIdentityPoolRoles(e.ctx, &cognitoidentity.SetIdentityPoolRolesInput{
		IdentityPoolId: aws.String(poolID), Roles: roles, RoleMappings: mappings,
	}); err != nil {
		t.Fatalf("SetIdentityPoolRoles: %v", err)
	}
}

func (e *env) getID(t *testing.T, poolID string, logins map[string]string) string {
	t.Helper()
	out, err := e.client.GetId(e.ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(poolID), Logins: logins})
	if err != nil {
		t.Fatalf("GetId: %v", err)
	}
	return *out.IdentityId
}

// wantAPIError checks an SDK error's code and, when msg is not "", its message.
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("err = %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

var idPattern = regexp.MustCompile(`^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func containsText(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }
