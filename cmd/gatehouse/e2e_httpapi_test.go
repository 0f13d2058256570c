package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// httpAPIEnv is a Gatehouse serving testdata/httpapi/serverless.yml, with a signed-in user's
// tokens from a Gatehouse pool and a second OpenID issuer run by the test.
type httpAPIEnv struct {
	*testServer
	url             string // the HTTP API's base URL
	idToken, access string
	issuer          *otherIssuer
}

// otherIssuer is an OpenID Connect issuer: discovery document, JWKS, and a key to sign with.
type otherIssuer struct {
	srv  *httptest.Server
	key  *rsa.PrivateKey
	hits chan string
}

func newOtherIssuer(t *testing.T) *otherIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	o := &otherIssuer{key: key, hits: make(chan string, 100)}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case o.hits <- r.URL.Path:
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": o.srv.URL, "jwks_uri": o.srv.URL + "/jwks.json"})
		case "/jwks.json":
			_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *otherIssuer) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: o.key}, (&jose.SignerOptions{}).WithHeader("kid", "k1").WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func startHTTPAPIEnv(t *testing.T) *httpAPIEnv {
	t.Helper()
	testclient.RequireNode(t)
	dir := t.TempDir()
	copyDir(t, "testdata/httpapi", dir)
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "gofn"), "./testdata/httpapi/gofn")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build gofn: %v\n%s", err, out)
	}
	data := t.TempDir()
	first := startTestServerWith(t, data, "", nil)
	ctx := context.Background()
	pool, err := first.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("tasks"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	client, err := first.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	clientID := *client.UserPoolClient.ClientId
	if _, err := first.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("ada@example.com"), Password: aws.String("Passw0rd!")}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool.UserPool.Id, Username: aws.String("ada@example.com")}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	first.server = nil

	env := &httpAPIEnv{issuer: newOtherIssuer(t)}
	vars := map[string]string{"POOL_ID": *pool.UserPool.Id, "CLIENT_ID": clientID, "OTHER_ISSUER": env.issuer.srv.URL}
	env.testServer = startTestServerWith(t, data, "", func(o *serveOptions) {
		o.config = filepath.Join(dir, "serverless.yml")
		o.apiAddr = "127.0.0.1:0"
		o.env = func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
		o.integrationTimeout = 2 * time.Second
		o.watchInterval = 50 * time.Millisecond
	})
	env.url = env.httpAPIURL
	var ready bytes.Buffer
	printAPIReady(&ready, env.server)
	if env.url == "" || strings.HasSuffix(env.url, "/dev") || ready.String() != "gatehouse: http api endpoint "+env.url+"\n" {
		t.Fatalf("http api endpoint %q, ready lines %q", env.url, ready.String())
	}
	out, err := env.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
		ClientId: aws.String(clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ada@example.com", "PASSWORD": "Passw0rd!"},
	})
	if err != nil {
		t.Fatal(err)
	}
	env.idToken, env.access = *out.AuthenticationResult.IdToken, *out.AuthenticationResult.AccessToken
	return env
}

func (env *httpAPIEnv) do(t *testing.T, method, path string, header map[string]string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, env.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// event is the 2.0 event echo answered with.
func event(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var doc struct{ Event map[string]any }
	if err := json.Unmarshal(body, &doc); err != nil || doc.Event == nil {
		t.Fatalf("not an echo: %s", body)
	}
	return doc.Event
}

func TestHTTPAPI(t *testing.T) {
	env := startHTTPAPIEnv(t)
	now := time.Now()
	partner := env.issuer.sign(t, map[string]any{"iss": env.issuer.srv.URL, "aud": "partner-api", "sub": "p-1", "iat": now.Add(-time.Minute).Unix(), "exp": now.Add(time.Hour).Unix(), "scope": "read write"})

	t.Run("routes and precedence", func(t *testing.T) {
		for _, tc := range []struct{ method, path, route string }{
			{"GET", "/pets/dog/1", "GET /pets/dog/1"},
			{"GET", "/pets/dog/2", "GET /pets/dog/{id}"},
			{"GET", "/pets/cat/9", "GET /pets/{proxy+}"},
			{"PUT", "/pets/cat/9", "ANY /{proxy+}"},
			{"GET", "/", "$default"},
			{"POST", "/upload", "POST /upload"},
		} {
			res, body := env.do(t, tc.method, tc.path, nil, nil)
			if res.StatusCode != 200 {
				t.Fatalf("%s %s: %d %s", tc.method, tc.path, res.StatusCode, body)
			}
			ev := event(t, body)
			if ev["routeKey"] != tc.route || ev["version"] != "2.0" || ev["requestContext"].(map[string]any)["stage"] != "$default" {
				t.Errorf("%s %s: routeKey %v, want %s", tc.method, tc.path, ev["routeKey"], tc.route)
			}
		}
		res, body := env.do(t, "GET", "/pets/dog/2?a=1&a=2", map[string]string{"Cookie": "s=1; t=2"}, nil)
		ev := event(t, body)
		if ev["pathParameters"].(map[string]any)["id"] != "2" || ev["queryStringParameters"].(map[string]any)["a"] != "1,2" ||
			ev["rawQueryString"] != "a=1&a=2" || len(ev["cookies"].([]any)) != 2 {
			t.Errorf("event %v", ev)
		}
		if c := res.Header.Values("Set-Cookie"); len(c) != 2 || c[0] != "a=1; Path=/" {
			t.Errorf("cookies %v", c)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, tc := range []struct {
			method, path string
			header       map[string]string
			status       int
			body         string
		}{
			{"GET", "/tasks", nil, 401, `{"message":"Unauthorized"}`},
			{"GET", "/tasks", map[string]string{"Authorization": "Bearer junk"}, 401, `{"message":"Unauthorized"}`},
			{"GET", "/tasks", map[string]string{"Authorization": partner}, 401, `{"message":"Unauthorized"}`},
			{"GET", "/go/x", map[string]string{"Authorization": env.idToken}, 401, `{"message":"Unauthorized"}`},
			{"DELETE", "/tasks/1", map[string]string{"Authorization": env.idToken}, 403, `{"message":"Forbidden"}`},
			{"GET", "/slow", nil, 503, `{"message":"Service Unavailable"}`},
		} {
			res, body := env.do(t, tc.method, tc.path, tc.header, nil)
			if res.StatusCode != tc.status || string(body) != tc.body || res.Header.Get("Apigw-Requestid") == "" {
				t.Errorf("%s %s: %d %s, want %d %s", tc.method, tc.path, res.StatusCode, body, tc.status, tc.body)
			}
		}
	})

	t.Run("jwt from a Gatehouse pool", func(t *testing.T) {
		for _, tok := range []string{env.idToken, "Bearer " + env.access} {
			res, body := env.do(t, "GET", "/tasks", map[string]string{"Authorization": tok}, nil)
			if res.StatusCode != 200 {
				t.Fatalf("%d %s", res.StatusCode, body)
			}
			jwt := event(t, body)["requestContext"].(map[string]any)["authorizer"].(map[string]any)["jwt"].(map[string]any)
			claims := jwt["claims"].(map[string]any)
			if claims["sub"] == "" || claims["iss"] == "" {
				t.Errorf("claims %v", claims)
			}
			for k, v := range claims {
				if _, ok := v.(string); !ok {
					t.Errorf("claim %s is %T, want a string", k, v)
				}
			}
		}
		// The access token holds the route's scope; the ID token (403 above) does not.
		if res, body := env.do(t, "DELETE", "/tasks/7", map[string]string{"Authorization": env.access}, nil); res.StatusCode != 200 {
			t.Errorf("access token with the scope: %d %s", res.StatusCode, body)
		}
		// aws-lambda-go decodes the event unchanged (the Go handler refuses unknown fields).
		res, body := env.do(t, "POST", "/go/ada", map[string]string{"Authorization": env.idToken}, []byte(`{"x":1}`))
		if res.StatusCode != 201 || !strings.Contains(string(body), `"routeKey":"POST /go/{name}"`) || !strings.Contains(string(body), `"body":"{\"x\":1}"`) ||
			res.Header.Get("Set-Cookie") != "go=1" {
			t.Errorf("go handler: %d %s %v", res.StatusCode, body, res.Header)
		}
	})

	t.Run("jwt from another issuer over JWKS", func(t *testing.T) {
		res, body := env.do(t, "GET", "/go/bob", map[string]string{"Authorization": partner}, nil)
		if res.StatusCode != 201 || !strings.Contains(string(body), `"sub":"p-1"`) || !strings.Contains(string(body), `"scopes":["read","write"]`) {
			t.Fatalf("%d %s", res.StatusCode, body)
		}
		for _, claims := range []map[string]any{
			{"iss": env.issuer.srv.URL, "aud": "someone-else", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()},
			{"iss": env.issuer.srv.URL, "aud": "partner-api", "iat": now.Unix(), "exp": now.Add(-time.Minute).Unix()},
			{"iss": env.issuer.srv.URL, "aud": "partner-api", "nbf": now.Add(time.Hour).Unix(), "exp": now.Add(2 * time.Hour).Unix()},
			{"iss": "https://evil.example", "aud": "partner-api", "exp": now.Add(time.Hour).Unix()},
		} {
			if res, body := env.do(t, "GET", "/go/bob", map[string]string{"Authorization": env.issuer.sign(t, claims)}, nil); res.StatusCode != 401 {
				t.Errorf("%v: %d %s", claims, res.StatusCode, body)
			}
		}
		// A token signed by another key with the same kid.
		other := newOtherIssuer(t)
		forged := other.sign(t, map[string]any{"iss": env.issuer.srv.URL, "aud": "partner-api", "exp": now.Add(time.Hour).Unix()})
		if res, _ := env.do(t, "GET", "/go/bob", map[string]string{"Authorization": forged}, nil); res.StatusCode != 401 {
			t.Errorf("forged token: %d", res.StatusCode)
		}
	})

	t.Run("response rules", func(t *testing.T) {
		res, body := env.do(t, "GET", "/plain/string", nil, nil)
		if res.StatusCode != 200 || string(body) != "just text" || res.Header.Get("Content-Type") != "application/json" {
			t.Errorf("string: %d %q %v", res.StatusCode, body, res.Header)
		}
		res, body = env.do(t, "GET", "/plain/object", nil, nil)
		if res.StatusCode != 200 || string(body) != `{"hello":"world","route":"GET /plain/{kind}"}` {
			t.Errorf("object: %d %q", res.StatusCode, body)
		}
		png := []byte("\x89PNG\r\n\x1a\n\x00\x01")
		res, body = env.do(t, "POST", "/upload", map[string]string{"Content-Type": "image/png"}, png)
		if res.StatusCode != 200 || !bytes.Equal(body, png) {
			t.Errorf("binary: %d %q", res.StatusCode, body)
		}
		res, body = env.do(t, "GET", "/legacy/5", nil, nil)
		ev := event(t, body)
		if res.StatusCode != 200 || ev["version"] != "1.0" || ev["resource"] != "/legacy/{id}" || ev["httpMethod"] != "GET" {
			t.Errorf("payload 1.0: %d %v", res.StatusCode, ev)
		}
	})

	t.Run("cors", func(t *testing.T) {
		res, body := env.do(t, "OPTIONS", "/tasks", map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}, nil)
		h := res.Header
		if res.StatusCode != 204 || len(body) != 0 || h.Get("Access-Control-Allow-Origin") != "https://app.example" ||
			h.Get("Access-Control-Allow-Credentials") != "true" || h.Get("Access-Control-Max-Age") != "600" ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "DELETE") || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "authorization") {
			t.Errorf("preflight: %d %v", res.StatusCode, h)
		}
		res, _ = env.do(t, "GET", "/pets/dog/1", map[string]string{"Origin": "https://app.example"}, nil)
		if res.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || res.Header.Get("Access-Control-Expose-Headers") != "X-Kind" {
			t.Errorf("cors response headers %v", res.Header)
		}
		res, _ = env.do(t, "OPTIONS", "/tasks", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}, nil)
		if res.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("other origin: %v", res.Header)
		}
	})
}

// TestHTTPAPILambdaAuthorizers: a simple-response 2.0 authorizer, cached by its identity
// source, and a 1.0 authorizer answering with an IAM policy.
func TestHTTPAPILambdaAuthorizers(t *testing.T) {
	env := startHTTPAPIEnv(t)
	lambdaCtx := func(body []byte) map[string]any {
		return event(t, body)["requestContext"].(map[string]any)["authorizer"].(map[string]any)["lambda"].(map[string]any)
	}
	res, body := env.do(t, "GET", "/custom/a", map[string]string{"X-Key": "open-sesame"}, nil)
	if res.StatusCode != 200 {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	first := lambdaCtx(body)
	if first["user"] != "u1" || !strings.HasSuffix(first["routeArn"].(string), "/$default/GET/custom/a") {
		t.Errorf("context %v", first)
	}
	// Another path, same identity: the cached answer, not a second invocation.
	res, body = env.do(t, "GET", "/custom/b", map[string]string{"X-Key": "open-sesame"}, nil)
	if res.StatusCode != 200 || lambdaCtx(body)["calls"] != first["calls"] {
		t.Errorf("cached: %d %s (first %v)", res.StatusCode, body, first)
	}
	for _, tc := range []struct {
		path   string
		header map[string]string
		status int
		body   string
	}{
		{"/custom/a", nil, 401, `{"message":"Unauthorized"}`},
		{"/custom/a", map[string]string{"X-Key": "wrong"}, 403, `{"message":"Forbidden"}`},
		{"/policy/ok", nil, 401, `{"message":"Unauthorized"}`},
		{"/policy/ok", map[string]string{"X-Key": "wrong"}, 403, `{"message":"Forbidden"}`},
		{"/policy/other", map[string]string{"X-Key": "open-sesame"}, 403, `{"message":"Forbidden"}`},
	} {
		if res, body := env.do(t, "GET", tc.path, tc.header, nil); res.StatusCode != tc.status || string(body) != tc.body {
			t.Errorf("%s %v: %d %s", tc.path, tc.header, res.StatusCode, body)
		}
	}
	res, body = env.do(t, "GET", "/policy/ok", map[string]string{"X-Key": "open-sesame"}, nil)
	if res.StatusCode != 200 || lambdaCtx(body)["kind"] != "policy" {
		t.Errorf("policy: %d %s", res.StatusCode, body)
	}
}
