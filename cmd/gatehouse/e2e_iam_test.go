package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// iamEnv is the tutorial chain of issue 5 on a real server: a user pool and its user, an
// identity pool whose authenticated role may invoke /whoami, and the API of testdata/iam.
type iamEnv struct {
	*testServer
	poolID, clientID, identityPoolID string
	idToken                          string
	ci                               *ci.Client
	iam                              *awsiam.Client
}

const authRole = "Cognito_todoAuth_Role"

// trustPolicy is the trust policy the Cognito console gives an identity pool's authenticated
// role (Cognito developer guide: iam-roles.html, "Role trust and permissions").
func trustPolicy(identityPoolID string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + identityPoolID + `"},` +
		`"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`
}

// invokePolicy allows /whoami with any method and explicitly denies DELETE on it; /admin/* is
// left to the implicit deny.
const invokePolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:*/dev/*/whoami"},
 {"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:*/dev/DELETE/whoami"},
 {"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:*:*/$default/GET/v2/allowed"}]}`

func startIAMEnv(t *testing.T) *iamEnv {
	t.Helper()
	testclient.RequireNode(t)
	dir := t.TempDir()
	copyDir(t, "testdata/iam", dir)
	ts := startTestServerWith(t, t.TempDir(), "", func(o *serveOptions) {
		o.config = filepath.Join(dir, "serverless.yml")
		o.apiAddr = "127.0.0.1:0"
		o.integrationTimeout = 5 * time.Second
	})
	env := &iamEnv{testServer: ts}
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		RetryMaxAttempts: 1,
	}
	env.ci = ci.NewFromConfig(cfg, func(o *ci.Options) { o.BaseEndpoint = aws.String(ts.awsURL) })
	env.iam = awsiam.NewFromConfig(cfg, func(o *awsiam.Options) { o.BaseEndpoint = aws.String(ts.awsURL) })

	ctx := context.Background()
	env.poolID, env.clientID = ts.emailPool(t, false)
	ts.confirmedUser(t, env.poolID, env.clientID, "ada@example.com", "Passw0rd!")
	auth, err := ts.passwordSignIn(env.clientID, "ada@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	env.idToken = *auth.AuthenticationResult.IdToken

	ip, err := env.ci.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
		IdentityPoolName: aws.String("todo_identities"), AllowUnauthenticatedIdentities: false,
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{
			ProviderName: aws.String("cognito-idp.us-east-1.amazonaws.com/" + env.poolID), ClientId: aws.String(env.clientID),
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	env.identityPoolID = *ip.IdentityPoolId
	role, err := env.iam.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String(authRole), AssumeRolePolicyDocument: aws.String(trustPolicy(env.identityPoolID))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.iam.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String(authRole), PolicyName: aws.String("invoke"), PolicyDocument: aws.String(invokePolicy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ci.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{
		IdentityPoolId: aws.String(env.identityPoolID), Roles: map[string]string{"authenticated": *role.Role.Arn},
	}); err != nil {
		t.Fatal(err)
	}
	return env
}

func (env *iamEnv) logins() map[string]string {
	return map[string]string{"cognito-idp.us-east-1.amazonaws.com/" + env.poolID: env.idToken}
}

// credentials runs GetId and GetCredentialsForIdentity as the AWS SDK does.
func (env *iamEnv) credentials(t *testing.T) (identityID string, creds aws.Credentials) {
	t.Helper()
	ctx := context.Background()
	id, err := env.ci.GetId(ctx, &ci.GetIdInput{IdentityPoolId: aws.String(env.identityPoolID), Logins: env.logins()})
	if err != nil {
		t.Fatal(err)
	}
	out, err := env.ci.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: env.logins()})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	return *id.IdentityId, aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretKey, SessionToken: *c.SessionToken, CanExpire: true, Expires: *c.Expiration}
}

// signed is a request signed by the AWS SDK's own signer at `at`, then changed by tamper.
func (env *iamEnv) signed(t *testing.T, creds aws.Credentials, method, path string, body []byte, at time.Time, tamper func(*http.Request)) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, env.apiURL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Trace", "signed")
	return sendSigned(t, req, body, creds, "execute-api", at, tamper)
}

// sendSigned signs req (whose body is body) with the AWS SDK's own signer for service at
// `at`, lets tamper change it, sends it and returns the status and body of the answer.
func sendSigned(t *testing.T, req *http.Request, body []byte, creds aws.Credentials, service string, at time.Time, tamper func(*http.Request)) (int, []byte) {
	t.Helper()
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		tamper(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func message(t *testing.T, b []byte) string {
	t.Helper()
	var m struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return m.Message
}

// TestIAMChain is issue 5's acceptance: sign in → GetId → GetCredentialsForIdentity → a
// request signed by the SDK's signer reaches an aws_iam method with the identity in the
// event; what the role's policy does not allow, and every tampered or stale request, is
// refused with AWS's message.
func TestIAMChain(t *testing.T) {
	env := startIAMEnv(t)
	identityID, creds := env.credentials(t)
	now := env.clock.Now()

	status, body := env.signed(t, creds, "POST", "/whoami?x=1", []byte(`{"hello":"world"}`), now, nil)
	if status != 200 {
		t.Fatalf("signed call: %d %s", status, body)
	}
	var got struct {
		Path     string            `json:"path"`
		Body     string            `json:"body"`
		Identity map[string]any    `json:"identity"`
		APIID    string            `json:"apiId"`
		Extra    map[string]string `json:"-"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	idn := got.Identity
	wantIdentity := map[string]any{
		"cognitoIdentityId":             identityID,
		"cognitoIdentityPoolId":         env.identityPoolID,
		"cognitoAuthenticationType":     "authenticated",
		"accountId":                     "000000000000",
		"accessKey":                     creds.AccessKeyID,
		"userArn":                       "arn:aws:sts::000000000000:assumed-role/" + authRole + "/CognitoIdentityCredentials",
		"cognitoAuthenticationProvider": "cognito-idp.us-east-1.amazonaws.com/" + env.poolID + ",cognito-idp.us-east-1.amazonaws.com/" + env.poolID + ":CognitoSignIn:" + env.sub(t),
	}
	for k, v := range wantIdentity {
		if idn[k] != v {
			t.Errorf("identity.%s = %v, want %v", k, idn[k], v)
		}
	}
	if c, _ := idn["caller"].(string); !strings.HasPrefix(c, "AROA") || !strings.HasSuffix(c, ":CognitoIdentityCredentials") || idn["user"] != c {
		t.Errorf("caller %v user %v", idn["caller"], idn["user"])
	}
	if got.Body != `{"hello":"world"}` {
		t.Errorf("body %q", got.Body)
	}

	arn := func(method, path string) string {
		return "arn:aws:execute-api:us-east-1:000000000000:" + got.APIID + "/dev/" + method + path
	}
	user := "User: arn:aws:sts::000000000000:assumed-role/" + authRole + "/CognitoIdentityCredentials"
	const mismatch = "The request signature we calculated does not match the signature you provided."
	for _, tc := range []struct {
		name       string
		method     string
		path       string
		body       string
		at         time.Duration
		tamper     func(*http.Request)
		wantStatus int
		wantPrefix string
	}{
		{name: "not allowed by the policy", method: "GET", path: "/admin/users", wantStatus: 403,
			wantPrefix: user + " is not authorized to perform: execute-api:Invoke on resource: " + arn("GET", "/admin/users")},
		{name: "explicit deny", method: "DELETE", path: "/whoami", wantStatus: 403,
			wantPrefix: user + " is not authorized to perform: execute-api:Invoke on resource: " + arn("DELETE", "/whoami") + " with an explicit deny"},
		{name: "unsigned", method: "GET", path: "/whoami", tamper: func(r *http.Request) { r.Header.Del("Authorization") }, wantStatus: 403, wantPrefix: "Missing Authentication Token"},
		{name: "tampered path", method: "GET", path: "/whoami", tamper: func(r *http.Request) { r.URL.Path = "/dev/admin/users" }, wantStatus: 403, wantPrefix: mismatch},
		{name: "tampered query", method: "GET", path: "/whoami?x=1", tamper: func(r *http.Request) { r.URL.RawQuery = "x=2" }, wantStatus: 403, wantPrefix: mismatch},
		{name: "tampered signed header", method: "GET", path: "/whoami", tamper: func(r *http.Request) { r.Header.Set("X-Trace", "changed") }, wantStatus: 403, wantPrefix: mismatch},
		{name: "tampered body", method: "POST", path: "/whoami", body: `{"a":1}`, tamper: func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(`{"a":2}`))
		}, wantStatus: 403, wantPrefix: mismatch},
		{name: "date 5:01 behind", method: "GET", path: "/whoami", at: -(5*time.Minute + time.Second), wantStatus: 403, wantPrefix: "Signature expired: "},
		{name: "date 5:01 ahead", method: "GET", path: "/whoami", at: 5*time.Minute + time.Second, wantStatus: 403, wantPrefix: "Signature not yet current: "},
		{name: "date 4:59 behind passes", method: "GET", path: "/whoami", at: -(4*time.Minute + 59*time.Second), wantStatus: 200},
		{name: "wrong session token", method: "GET", path: "/whoami", tamper: func(r *http.Request) {
			r.Header.Set("X-Amz-Security-Token", strings.Repeat("A", len(creds.SessionToken)))
		}, wantStatus: 403, wantPrefix: "The security token included in the request is invalid."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b []byte
			if tc.body != "" {
				b = []byte(tc.body)
			}
			status, body := env.signed(t, creds, tc.method, tc.path, b, now.Add(tc.at), tc.tamper)
			if status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tc.wantStatus, body)
			}
			if tc.wantPrefix != "" && !strings.HasPrefix(message(t, body), tc.wantPrefix) {
				t.Fatalf("message %q, want prefix %q", message(t, body), tc.wantPrefix)
			}
		})
	}

	// Requests signed by the npm aws4 package pass too.
	t.Run("aws4", func(t *testing.T) {
		out := env.aws4(t, creds, "POST", "/whoami", `{"from":"aws4"}`)
		if out.Status != 200 || !strings.Contains(out.Body, identityID) {
			t.Fatalf("aws4: %d %s", out.Status, out.Body)
		}
		out = env.aws4(t, creds, "GET", "/admin/x", "")
		if out.Status != 403 {
			t.Fatalf("aws4 on a denied path: %d %s", out.Status, out.Body)
		}
	})

	// The same user always gets the same identity.
	if again, _ := env.credentials(t); again != identityID {
		t.Errorf("second GetId: %s, want %s", again, identityID)
	}

	// An hour later the credentials have expired.
	env.clock.Advance(time.Hour + time.Second)
	status, body = env.signed(t, creds, "GET", "/whoami", nil, env.clock.Now(), nil)
	if status != 403 || message(t, body) != "The security token included in the request is expired" {
		t.Fatalf("expired credentials: %d %s", status, body)
	}
}

// sub is the signed-in user's sub.
func (env *iamEnv) sub(t *testing.T) string {
	t.Helper()
	u, err := env.idp.AdminGetUser(context.Background(), &cip.AdminGetUserInput{UserPoolId: aws.String(env.poolID), Username: aws.String("ada@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range u.UserAttributes {
		if *a.Name == "sub" {
			return *a.Value
		}
	}
	t.Fatal("no sub")
	return ""
}

type aws4Result struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// aws4 signs and sends a request with the npm aws4 package run by node (testdata/js).
func (env *iamEnv) aws4(t *testing.T, creds aws.Credentials, method, path, body string) aws4Result {
	t.Helper()
	dir, _ := filepath.Abs("testdata/js")
	node := testclient.RequireNodeModules(t, dir, "aws4")
	cmd := exec.Command(node, "aws4-call.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GH_URL="+env.apiURL+path, "GH_METHOD="+method, "GH_BODY="+body,
		"GH_AK="+creds.AccessKeyID, "GH_SK="+creds.SecretAccessKey, "GH_ST="+creds.SessionToken)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var res aws4Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	return res
}
