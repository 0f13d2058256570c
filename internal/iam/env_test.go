package iam

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// adminPolicy allows everything: the bootstrap admin's inline policy.
const adminPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// trustPolicy is an identity-pool role's trust policy.
const trustPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`

// apiEnv is the whole IAM API on a real store: Issuer, Principals, API, the SigV4
// Authenticator, an HTTP server, and a bootstrapped admin user with a key.
type apiEnv struct {
	ctx        context.Context
	store      *sqlstore.Store
	clock      *clock
	issuer     *Issuer
	principals *Principals
	api        *API
	url        string
	adminKey   *AccessKey
}

// backends runs fn on SQLite, and on PostgreSQL when GATEHOUSE_TEST_POSTGRES names a
// server (a schema of its own per test).
func backends(t *testing.T, fn func(t *testing.T, storeURL string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "gatehouse.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, storetest.PostgresURL(t, "gh_iam_")) })
}

func newAPIEnv(t testing.TB, storeURL string) *apiEnv {
	t.Helper()
	ctx := context.Background()
	if storeURL == "" {
		storeURL = filepath.Join(t.TempDir(), "gatehouse.db")
	}
	st, err := sqlstore.Open(ctx, storeURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	master, err := masterkey.New(bytes.Repeat([]byte{7}, masterkey.Size))
	if err != nil {
		t.Fatal(err)
	}
	// The SDK and the CLI sign with the real time: the clock starts now and is moved by
	// hand only by tests that do not sign afterwards beyond the 5-minute window.
	clk := &clock{t: time.Now().UTC()}
	iss, err := New(Config{Store: st, Master: master, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := NewPrincipals(PrincipalsConfig{Store: st, Master: master, Issuer: iss, AccountID: "123456789012", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := NewAuthenticator(AuthenticatorConfig{Principals: pr, AccountID: "123456789012", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	api, err := NewAPI(APIConfig{Store: st, Master: master, Principals: pr, Authenticator: auth, AccountID: "123456789012", Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	e := &apiEnv{ctx: ctx, store: st, clock: clk, issuer: iss, principals: pr, api: api, url: srv.URL}
	if _, err := api.CreateUser(ctx, "admin", ""); err != nil {
		t.Fatal(err)
	}
	if err := api.PutUserPolicy(ctx, "admin", "all", adminPolicy); err != nil {
		t.Fatal(err)
	}
	if e.adminKey, err = api.CreateAccessKey(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	return e
}
