package stack

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
	"github.com/gatehouse/gatehouse/internal/userpool/userexport"
)

// env is a real Gatehouse behind a Deployer: SQLite, the user-pool, identity-pool and IAM
// services wired as serve wires them.
type testEnv struct {
	st    *sqlstore.Store
	pools *userpool.Service
	ids   *identitypool.Service
	iam   *iam.API
	d     *Deployer
	data  string
	logs  *bytes.Buffer
}

func newEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	st, err := sqlstore.Open(ctx, filepath.Join(data, "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newEnvOn(t, st, data)
}

func newEnvOn(t *testing.T, st *sqlstore.Store, data string) *testEnv {
	t.Helper()
	key, err := masterkey.New(bytes.Repeat([]byte{7}, masterkey.Size))
	if err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	issuer, err := token.NewIssuer(token.Config{Keys: st, Master: key, IssuerURL: "http://127.0.0.1:9", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	outbox := mail.NewOutbox(mail.Config{Store: st, Log: log})
	t.Cleanup(func() { _ = outbox.Close() })
	pools, err := userpool.New(userpool.Config{Store: st, Tokens: issuer, Master: key, Deliverer: outbox, Region: "us-east-1", Account: "000000000000", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := iam.New(iam.Config{Store: st, Master: key})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := identitypool.New(identitypool.Config{Store: st, Tokens: issuer, OpenID: issuer, Credentials: creds, Region: "us-east-1", Account: "000000000000", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	principals, err := iam.NewPrincipals(iam.PrincipalsConfig{Store: st, Master: key, Issuer: creds, AccountID: "000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	auth, err := iam.NewAuthenticator(iam.AuthenticatorConfig{Principals: principals, AccountID: "000000000000", Region: "us-east-1", Open: true, Identities: st, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	api, err := iam.NewAPI(iam.APIConfig{Store: st, Master: key, Principals: principals, Authenticator: auth, AccountID: "000000000000", Region: "us-east-1", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	exp := userexport.New(userexport.Config{Pools: pools, Store: st})
	d := New(Config{
		Store: st, Pools: pools, Identities: ids, IAM: api, Region: "us-east-1", AccountID: "000000000000",
		DataDir: data, Log: log,
		Export: func(ctx context.Context, poolID string, w io.Writer) error {
			_, err := exp.Export(ctx, poolID, w, nil)
			return err
		},
		Now: func() time.Time { return time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC) },
	})
	return &testEnv{st: st, pools: pools, ids: ids, iam: api, d: d, data: data, logs: logs}
}

// load parses a serverless.yml given as text (tabs in the test source become spaces).
func load(t *testing.T, yml string) *serverless.Service {
	t.Helper()
	svc, err := parse(t, yml)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func parse(t *testing.T, yml string) (*serverless.Service, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "serverless.yml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(yml, "\t", "  ")), 0o600); err != nil {
		t.Fatal(err)
	}
	svc, _, err := serverless.Load(path, serverless.Options{Env: func(string) (string, bool) { return "", false }})
	return svc, err
}

// header is the start of every test file: one function behind AWS_IAM.
const header = `service: reservation
provider: { name: aws, runtime: nodejs20.x, stage: dev, region: us-east-1 }
functions:
	hello:
		handler: hello.handler
		events:
			- http: { path: /, method: get, authorizer: aws_iam }
`

type identityPoolRolesInput = identitypool.GetIdentityPoolRolesInput
type listGroupsForUser = userpool.AdminListGroupsForUserRequest

func storePage() store.Page { return store.Page{Limit: 100} }
