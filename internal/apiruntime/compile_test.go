package apiruntime

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/token"
)

// TestCompileErrors: a file that loads but cannot be served is refused whole, with the file
// and line of the setting at fault.
func TestCompileErrors(t *testing.T) {
	const head = "service: s\nprovider: {name: aws, runtime: nodejs20.x}\n"
	for _, tc := range []struct {
		name, body string
		want       string // after "serverless.yml:"
	}{
		{
			name: "environment expression",
			body: `functions:
  f:
    handler: f.h
    environment:
      TABLE: {Ref: Table}
`,
			want: "7: function f: environment variable TABLE is a CloudFormation expression",
		},
		{
			name: "pool resource",
			body: `functions:
  f:
    handler: f.h
    events:
      - http:
          path: x
          method: get
          authorizer:
            name: pool
            type: COGNITO_USER_POOLS
            arn: {Fn::GetAtt: [Pool, Arn]}
resources:
  Resources:
    Pool:
      Type: AWS::Cognito::UserPool
`,
			want: "8: GET /x: authorizer \"pool\": names the user pool resource Pool of this file",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, _, err := serverless.Parse("serverless.yml", []byte(head+tc.body), serverless.Options{})
			if err != nil {
				t.Fatalf("the serverless package refuses it: %v", err)
			}
			_, err = Compile(context.Background(), svc, Deps{Master: testKey(t)})
			if err == nil || !strings.HasPrefix(err.Error(), "serverless.yml:"+tc.want) {
				t.Fatalf("Compile error %v\nwant serverless.yml:%s…", err, tc.want)
			}
		})
	}
}

func testKey(t *testing.T) *masterkey.Key {
	t.Helper()
	k, err := masterkey.Parse(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSnapshotStats: one statistics entry per cached authorizer, named and typed as the file
// names it, sorted; endpoints naming the same authorizer share it; AWS_IAM has no cache.
func TestSnapshotStats(t *testing.T) {
	const file = `service: s
provider: {name: aws, runtime: nodejs20.x, region: us-east-1}
functions:
  auth:
    handler: auth.h
  f:
    handler: f.h
    events:
      - http: {path: a, method: get, authorizer: {name: auth, type: token}}
      - http: {path: b, method: get, authorizer: {name: auth, type: token}}
      - http: {path: c, method: get, authorizer: {name: pool, arn: "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_AbCdEf123"}}
      - http: {path: d, method: get, authorizer: aws_iam}
`
	svc, _, err := serverless.Parse("serverless.yml", []byte(file), serverless.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lambdas := lambda.NewManager(slog.New(slog.DiscardHandler))
	defer lambdas.Close()
	st := openStore(t)
	issuer, err := token.NewIssuer(token.Config{Keys: st, Master: testKey(t), IssuerURL: "http://127.0.0.1:9229"})
	if err != nil {
		t.Fatal(err)
	}
	creds, err := iam.New(iam.Config{Store: st, Master: testKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	principals, err := iam.NewPrincipals(iam.PrincipalsConfig{Store: st, Master: testKey(t), Issuer: creds, AccountID: "000000000000"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(context.Background(), svc, Deps{Principals: principals,
		Master: testKey(t), Invoker: NewInvoker(lambdas), Verifier: issuer, Clients: NewClientLookup(st, nil), Pools: st,
		Region: "eu-west-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(s.Stats())
	want := "[{pool COGNITO_USER_POOLS 0 0 0} {auth TOKEN 0 0 0}]"
	if got != want {
		t.Fatalf("Stats = %s, want %s", got, want)
	}
	if len(s.Functions) != 2 {
		t.Errorf("functions %v, want auth and f", s.Functions)
	}
	// Problems that do not stop the API are warnings with file:line: the file's region is
	// not this Gatehouse's, and the authorizer's pool does not exist (yet).
	wantWarnings := []string{
		"serverless.yml:2: provider.region us-east-1 is served as eu-west-1",
		"serverless.yml:11: authorizer \"pool\": user pool us-east-1_AbCdEf123 does not exist on this Gatehouse",
	}
	if len(s.Warnings) != len(wantWarnings) {
		t.Fatalf("warnings %q, want %q", s.Warnings, wantWarnings)
	}
	for i, w := range wantWarnings {
		if !strings.HasPrefix(s.Warnings[i], w) {
			t.Errorf("warning %q, want %q…", s.Warnings[i], w)
		}
	}
	var nilSnap *Snapshot
	if nilSnap.Stats() != nil {
		t.Error("a nil snapshot has stats")
	}
}

// TestHTTPIntegrationResponses: the typed statusCodes of an http integration reach the
// gateway: the backend's status selects the response by pattern, else the default one.
func TestHTTPIntegrationResponses(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/teapot" {
			w.WriteHeader(http.StatusTeapot)
		}
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	defer backend.Close()
	file := `service: s
provider: {name: aws}
functions:
  web:
    events:
      - http:
          path: "{what}"
          method: get
          integration: http
          request: {uri: "` + backend.URL + `/{what}"}
          response:
            statusCodes:
              201:
              400: {pattern: '4\d\d'}
`
	svc, _, err := serverless.Parse("serverless.yml", []byte(file), serverless.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(context.Background(), svc, Deps{Master: testKey(t)})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(gateway.New(s.Table, gateway.Options{}))
	defer api.Close()
	for path, want := range map[string]int{"fine": 201, "teapot": 400} {
		res, err := http.Get(api.URL + "/dev/" + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET /dev/%s = %d, want %d", path, res.StatusCode, want)
		}
	}
}
