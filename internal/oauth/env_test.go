package oauth_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/oauth"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// The tests run the real stack: SQLite, the token issuer, the user-pool service and the OAuth
// server behind an HTTP listener, wired as cmd/gatehouse wires them; the clients are
// golang.org/x/oauth2, coreos/go-oidc and plain net/http.

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t       testing.TB
	ctx     context.Context
	url     string // the AWS endpoint (issuer host)
	domain  string // http://{domain}.localhost:port
	port    string
	svc     *userpool.Service
	issuer  *token.Issuer
	store   store.Store
	clock   *clock
	poolID  string
	web     *userpool.CreateUserPoolClientResponse // code flow, with a secret
	spa     *userpool.CreateUserPoolClientResponse // code flow, no secret (PKCE)
	service *userpool.CreateUserPoolClientResponse // client_credentials
	implct  *userpool.CreateUserPoolClientResponse // implicit
}

const (
	callback = "http://localhost:8080/cb"
	password = "Passw0rd!x"
)

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvOn(t, filepath.Join(t.TempDir(), "db"))
}

// newEnvOn runs the stack on the store at storeURL (a SQLite path or a postgres:// URL).
func newEnvOn(t testing.TB, storeURL string) *env {
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
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	iss, err := token.NewIssuer(token.Config{Keys: st, Master: mk, IssuerURL: base, Now: clk.Now, Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	outbox := mail.NewOutbox(mail.Config{Store: st, Now: clk.Now})
	t.Cleanup(func() { _ = outbox.Close() })
	svc, err := userpool.New(userpool.Config{Store: st, Tokens: iss, Master: mk, Deliverer: outbox, Region: "us-east-1", Account: "000000000000", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := oauth.New(oauth.Config{Pools: svc, Codes: st, IssuerFor: iss.IssuerFor, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /{poolId}/.well-known/", iss.Handler(func(ctx context.Context, id string) (bool, error) {
		_, err := st.GetUserPool(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}))
	mux.Handle("GET /{poolId}/.well-known/openid-configuration", srv.Discovery())
	hs := &httptest.Server{Listener: ln, Config: &http.Server{Handler: srv.Wrap(mux)}}
	hs.Start()
	t.Cleanup(hs.Close)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	e := &env{t: t, ctx: ctx, url: base, port: port, domain: "http://webapp.localhost:" + port, svc: svc, issuer: iss, store: st, clock: clk}
	e.setUp()
	return e
}

// must returns v, or stops the test (by panicking: it is called where a *testing.T is not
// at hand in the expression) when err is set.
func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("unexpected error: %v", err))
	}
	return v
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) setUp() {
	ctx := e.ctx
	p := must(e.svc.CreateUserPool(ctx, &userpool.CreateUserPoolRequest{PoolName: "Acme Staff", AutoVerifiedAttributes: []string{"email"},
		Schema: []userpool.SchemaAttributeType{{Name: "email", AttributeDataType: "String", Mutable: ptr(true)}}}))
	e.poolID = p.UserPool.Id
	must(e.svc.CreateResourceServer(ctx, &userpool.CreateResourceServerRequest{UserPoolId: e.poolID, Identifier: "user_management_lambdas",
		Name: "User management", Scopes: []userpool.ResourceServerScopeType{{ScopeName: "api", ScopeDescription: "Call the API"}}}))
	must(e.svc.CreateUserPoolDomain(ctx, &userpool.CreateUserPoolDomainRequest{UserPoolId: e.poolID, Domain: "webapp"}))
	browser := func(name string, secret bool, flows ...string) *userpool.CreateUserPoolClientResponse {
		return must(e.svc.CreateUserPoolClient(ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: e.poolID, ClientName: name,
			GenerateSecret: ptr(secret), AllowedOAuthFlowsUserPoolClient: ptr(true), AllowedOAuthFlows: flows,
			AllowedOAuthScopes:         []string{"openid", "email", "profile", "user_management_lambdas/api"},
			CallbackURLs:               []string{callback, "https://app.example.com/cb"},
			LogoutURLs:                 []string{"http://localhost:8080/bye"},
			SupportedIdentityProviders: []string{"COGNITO"}}))
	}
	e.web = browser("Acme Web", true, "code")
	e.spa = browser("Acme SPA", false, "code")
	e.implct = browser("Acme Legacy", false, "implicit")
	e.service = must(e.svc.CreateUserPoolClient(ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: e.poolID, ClientName: "billing-service",
		GenerateSecret: ptr(true), AllowedOAuthFlowsUserPoolClient: ptr(true), AllowedOAuthFlows: []string{"client_credentials"},
		AllowedOAuthScopes: []string{"user_management_lambdas/api"}}))
	e.createUser("alice", "alice@example.com", true)
}

// createUser creates a confirmed user with the test password, or (permanent false) an
// admin-created user holding a temporary password.
func (e *env) createUser(name, email string, permanent bool) {
	must(e.svc.AdminCreateUser(e.ctx, &userpool.AdminCreateUserRequest{UserPoolId: e.poolID, Username: name, MessageAction: "SUPPRESS",
		TemporaryPassword: "Temp0rary!x", UserAttributes: []userpool.AttributeType{{Name: "email", Value: email}, {Name: "email_verified", Value: "true"}}}))
	if permanent {
		must(e.svc.AdminSetUserPassword(e.ctx, &userpool.AdminSetUserPasswordRequest{UserPoolId: e.poolID, Username: name, Password: password, Permanent: ptr(true)}))
	}
}

func ptr[T any](v T) *T { return &v }

// browserClient is a cookie-keeping HTTP client that resolves *.localhost to the loopback
// address (as browsers do) and does not follow redirects, so each step can be inspected.
func (e *env) browserClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: localhostTransport(), Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func localhostTransport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err == nil && strings.HasSuffix(host, ".localhost") {
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return d.DialContext(ctx, network, addr)
	}}
}

var hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// formFields reads the hidden fields of a page's form.
func formFields(t testing.TB, body string) url.Values {
	t.Helper()
	v := url.Values{}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	if v.Get("_csrf") == "" {
		t.Fatalf("no CSRF field in the page:\n%s", body)
	}
	return v
}

func readBody(t testing.TB, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// signIn drives the hosted page from an authorization URL: follows /oauth2/authorize to
// /login, fills in the form (and the new-password step when newPassword is set), and returns
// the final redirect to the client.
func (e *env) signIn(t testing.TB, hc *http.Client, authURL, username, pw, newPassword string) *url.URL {
	t.Helper()
	res := must(hc.Get(authURL))
	readBody(t, res)
	if res.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d", res.StatusCode)
	}
	loginURL := must(res.Location())
	res = must(hc.Get(loginURL.String()))
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login page: %d\n%s", res.StatusCode, body)
	}
	form := formFields(t, body)
	form.Set("username", username)
	form.Set("password", pw)
	res = must(hc.PostForm(e.domain+"/login", form))
	body = readBody(t, res)
	if newPassword != "" {
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Choose a new password") {
			t.Fatalf("want the new-password step, got %d\n%s", res.StatusCode, body)
		}
		form = formFields(t, body)
		form.Set("new_password", newPassword)
		form.Set("confirm_password", newPassword)
		res = must(hc.PostForm(e.domain+"/login", form))
		body = readBody(t, res)
	}
	if res.StatusCode != http.StatusFound {
		t.Fatalf("sign-in: %d\n%s", res.StatusCode, body)
	}
	return must(res.Location())
}
