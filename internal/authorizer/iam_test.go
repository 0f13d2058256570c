package authorizer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// iamEnv is an AWS_IAM authorizer over real parts: a SQLite store, the IAM API creating
// roles, users and keys, the temporary-credentials issuer, the principal resolver.
type iamEnv struct {
	authz *IAM
	api   *iam.API
	creds *iam.Issuer
	st    *sqlstore.Store
	clock *clock
	gwAPI *gateway.API
}

const testRoleTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`

func newIAMEnv(t testing.TB) *iamEnv {
	t.Helper()
	st, master := openStore(t)
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	issuer, err := iam.New(iam.Config{Store: st, Master: master, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	principals, err := iam.NewPrincipals(iam.PrincipalsConfig{Store: st, Master: master, Issuer: issuer, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	api, err := iam.NewAPI(iam.APIConfig{Store: st, Master: master, Principals: principals, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	az, err := NewIAM(IAMConfig{Region: "us-east-1", Principals: principals, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &iamEnv{authz: az, api: api, creds: issuer, st: st, clock: clk,
		gwAPI: &gateway.API{ID: "a1b2c3d4e5", Stage: "dev", Region: "us-east-1", AccountID: "000000000000"}}
}

// role creates a role with one inline policy and mints identity-pool credentials for it.
func (e *iamEnv) role(t testing.TB, name, policyDoc string) aws.Credentials {
	t.Helper()
	ctx := context.Background()
	r, err := e.api.CreateRole(ctx, iam.CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: testRoleTrust})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.api.PutRolePolicy(ctx, name, "invoke", policyDoc); err != nil {
		t.Fatal(err)
	}
	c, err := e.creds.Mint(ctx, iam.Session{
		RoleARN: r.Arn, SessionName: iam.CognitoSessionName,
		IdentityID: "us-east-1:11111111-2222-3333-4444-555555555555", IdentityPoolID: "us-east-1:66666666-7777-8888-9999-000000000000",
		AuthenticationType:     "authenticated",
		AuthenticationProvider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI,cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI:CognitoSignIn:sub-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
}

// request is a call signed by the AWS SDK's signer at the env's clock, as the gateway
// hands it to the authorizer.
func (e *iamEnv) request(t testing.TB, creds aws.Credentials, method, path string, body []byte, tamper func(*http.Request)) *gateway.Request {
	t.Helper()
	req, err := http.NewRequest(method, "http://127.0.0.1:3000/dev"+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		tamper(req)
	}
	h := req.Header.Clone()
	h.Set("Host", req.Host)
	p, q, _ := strings.Cut(strings.TrimPrefix(req.URL.RequestURI(), "/dev"), "?")
	return &gateway.Request{
		API: e.gwAPI, Method: req.Method, Path: p, StagePath: "/dev" + p, RawQuery: q,
		Headers: h, Body: body, SourceIP: "127.0.0.1",
	}
}

func TestIAMAuthorizer(t *testing.T) {
	e := newIAMEnv(t)
	creds := e.role(t, "Cognito_todoAuth_Role", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/dev/*/tasks*"},
		{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:*/*/DELETE/*"},
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:*/dev/GET/own/${cognito-identity.amazonaws.com:sub}"}]}`)
	user := "User: arn:aws:sts::000000000000:assumed-role/Cognito_todoAuth_Role/CognitoIdentityCredentials"
	resource := "arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/dev/"
	for _, tc := range []struct {
		name        string
		method      string
		path        string
		tamper      func(*http.Request)
		wantType    gateway.ResponseType // "" = allowed
		wantMessage string
	}{
		{name: "allowed", method: "GET", path: "/tasks"},
		{name: "allowed with a query", method: "POST", path: "/tasks/1?x=y"},
		{name: "policy variable", method: "GET", path: "/own/us-east-1:11111111-2222-3333-4444-555555555555"},
		{name: "policy variable, another identity", method: "GET", path: "/own/us-east-1:other", wantType: gateway.AccessDenied,
			wantMessage: user + " is not authorized to perform: execute-api:Invoke on resource: " + resource + "GET/own/us-east-1:other"},
		{name: "implicit deny", method: "GET", path: "/admin", wantType: gateway.AccessDenied,
			wantMessage: user + " is not authorized to perform: execute-api:Invoke on resource: " + resource + "GET/admin"},
		{name: "explicit deny", method: "DELETE", path: "/tasks/1", wantType: gateway.AccessDenied,
			wantMessage: user + " is not authorized to perform: execute-api:Invoke on resource: " + resource + "DELETE/tasks/1 with an explicit deny"},
		{name: "unsigned", method: "GET", path: "/tasks", tamper: func(r *http.Request) { r.Header.Del("Authorization") },
			wantType: gateway.MissingAuthenticationToken, wantMessage: "Missing Authentication Token"},
		{name: "tampered path", method: "GET", path: "/tasks", tamper: func(r *http.Request) { r.URL.Path = "/dev/tasks2" },
			wantType: gateway.InvalidSignature, wantMessage: "The request signature we calculated does not match"},
		{name: "wrong token", method: "GET", path: "/tasks", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "x") },
			wantType: gateway.InvalidSignature, wantMessage: "The security token included in the request is invalid."},
		{name: "malformed", method: "GET", path: "/tasks", tamper: func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential") },
			wantType: gateway.InvalidSignature, wantMessage: "'Credential' not a valid key=value pair"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := e.authz.Authorize(context.Background(), e.request(t, creds, tc.method, tc.path, nil, tc.tamper))
			if tc.wantType == "" {
				if err != nil || p == nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			resp, ok := err.(*gateway.Response)
			if !ok || p != nil {
				t.Fatalf("got %v, %v; want %s", p, err, tc.wantType)
			}
			if resp.Type != tc.wantType || resp.Status != 403 || !strings.HasPrefix(resp.Message, tc.wantMessage) {
				t.Fatalf("got %s %d %q\nwant %s 403 %q", resp.Type, resp.Status, resp.Message, tc.wantType, tc.wantMessage)
			}
		})
	}
}

// TestIAMAuthorizerIdentity: requestContext.identity as API Gateway fills it for identity-pool
// credentials and for an IAM user's key.
func TestIAMAuthorizerIdentity(t *testing.T) {
	e := newIAMEnv(t)
	creds := e.role(t, "Cognito_todoAuth_Role", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:*","Resource":"*"}]}`)
	p, err := e.authz.Authorize(context.Background(), e.request(t, creds, "GET", "/tasks", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	role, err := e.st.GetRole(context.Background(), "Cognito_todoAuth_Role")
	if err != nil {
		t.Fatal(err)
	}
	want := gateway.Identity{
		CognitoIdentityPoolID: "us-east-1:66666666-7777-8888-9999-000000000000", AccountID: "000000000000",
		CognitoIdentityID: "us-east-1:11111111-2222-3333-4444-555555555555",
		Caller:            role.ID + ":CognitoIdentityCredentials", User: role.ID + ":CognitoIdentityCredentials",
		AccessKey: creds.AccessKeyID, CognitoAuthenticationType: "authenticated",
		CognitoAuthenticationProvider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI,cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI:CognitoSignIn:sub-1",
		UserARN:                       "arn:aws:sts::000000000000:assumed-role/Cognito_todoAuth_Role/CognitoIdentityCredentials",
	}
	if p.Identity != want {
		t.Errorf("identity\n got %+v\nwant %+v", p.Identity, want)
	}

	ctx := context.Background()
	if _, err := e.api.CreateUser(ctx, "ci", "/"); err != nil {
		t.Fatal(err)
	}
	if err := e.api.PutUserPolicy(ctx, "ci", "invoke", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	k, err := e.api.CreateAccessKey(ctx, "ci")
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.st.GetIAMUser(ctx, "ci")
	if err != nil {
		t.Fatal(err)
	}
	p, err = e.authz.Authorize(ctx, e.request(t, aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}, "GET", "/tasks", nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	want = gateway.Identity{AccountID: "000000000000", Caller: u.ID, User: u.ID, UserARN: u.ARN, AccessKey: k.AccessKeyID}
	if p.Identity != want {
		t.Errorf("user identity\n got %+v\nwant %+v", p.Identity, want)
	}
}

// TestIAMAuthorizerDotSegments: a path whose signature covers only its normalized form is
// refused, since the route and the policy's resource come from the path as sent.
func TestIAMAuthorizerDotSegments(t *testing.T) {
	e := newIAMEnv(t)
	creds := e.role(t, "r", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`)
	r := e.request(t, creds, "GET", "/tasks", nil, nil)
	r.Path, r.StagePath = "/admin/../tasks", "/dev/admin/../tasks"
	_, err := e.authz.Authorize(context.Background(), r)
	if resp, ok := err.(*gateway.Response); !ok || resp.Type != gateway.InvalidSignature {
		t.Fatalf("dot segments: %v", err)
	}
}

// TestIAMAuthorizerGoneRole: credentials whose role was deleted are denied everything, and a
// lookup failure is an error (500), never a pass.
func TestIAMAuthorizerGoneRole(t *testing.T) {
	e := newIAMEnv(t)
	creds := e.role(t, "gone", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`)
	ctx := context.Background()
	if err := e.api.DeleteRolePolicy(ctx, "gone", "invoke"); err != nil {
		t.Fatal(err)
	}
	if err := e.api.DeleteRole(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(iam.CacheTTL + time.Second)
	_, err := e.authz.Authorize(ctx, e.request(t, creds, "GET", "/tasks", nil, nil))
	if resp, ok := err.(*gateway.Response); !ok || resp.Type != gateway.AccessDenied {
		t.Fatalf("deleted role: %v", err)
	}

	e.st.Close()
	e.clock.Advance(iam.CacheTTL + time.Second)
	p, err := e.authz.Authorize(ctx, e.request(t, creds, "GET", "/tasks", nil, nil))
	if _, isResp := err.(*gateway.Response); p != nil || err == nil || isResp {
		t.Fatalf("store down: %v, %v; want a plain error", p, err)
	}
}

func BenchmarkIAMAuthorize(b *testing.B) {
	e := newIAMEnv(b)
	creds := e.role(b, "Cognito_todoAuth_Role", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:a1b2c3d4e5/dev/*/tasks/*"},
		{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:*/*/DELETE/*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	req := e.request(b, creds, "GET", "/tasks/42?view=full", nil, nil)
	ctx := context.Background()
	if _, err := e.authz.Authorize(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.authz.Authorize(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

var _ store.Roles = (*sqlstore.Store)(nil)
