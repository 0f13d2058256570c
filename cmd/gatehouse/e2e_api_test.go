package main

import (
	"bytes"
	"context"
	"encoding/base64"
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

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// apiEnv is a Gatehouse serving testdata/api/serverless.yml, with a signed-in user's tokens.
type apiEnv struct {
	*testServer
	dir      string // the project: serverless.yml, src/, bin/gofn
	poolID   string
	clientID string
	idToken  string
	access   string
	backend  *httptest.Server
	backReqs chan *http.Request
}

// startAPIEnv copies testdata/api to a temp dir, builds its aws-lambda-go function, creates a
// pool, client and user on a first server, then starts the server under test on the same data
// with -c (the pool's ARN reaches serverless.yml through ${env:POOL_ARN}, as in a real project).
func startAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	testclient.RequireNode(t)
	env := &apiEnv{dir: t.TempDir(), backReqs: make(chan *http.Request, 16)}
	copyDir(t, "testdata/api", env.dir)
	build := exec.Command("go", "build", "-o", filepath.Join(env.dir, "bin", "gofn"), "./testdata/api/gofn")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build gofn: %v\n%s", err, out)
	}
	env.backend = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case env.backReqs <- r.Clone(context.Background()):
		default:
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "legacy "+r.Method+" "+r.URL.RequestURI())
	}))
	t.Cleanup(env.backend.Close)

	data := t.TempDir()
	first := startTestServerWith(t, data, "", nil)
	ctx := context.Background()
	pool, err := first.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("todo"), UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	env.poolID = *pool.UserPool.Id
	client, err := first.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: pool.UserPool.Id, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	env.clientID = *client.UserPoolClient.ClientId
	if _, err := first.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(env.clientID), Username: aws.String("ada@example.com"), Password: aws.String("Passw0rd!")}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(env.poolID), Username: aws.String("ada@example.com")}); err != nil {
		t.Fatal(err)
	}
	// A verified email makes email_verified a boolean claim, which the event must carry as the
	// string "true".
	if _, err := first.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(env.poolID), Username: aws.String("ada@example.com"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("true")}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	first.server = nil

	vars := map[string]string{
		"POOL_ARN": *pool.UserPool.Arn,
		"BACKEND":  env.backend.URL,
	}
	env.testServer = startTestServerWith(t, data, "", func(o *serveOptions) {
		o.config = filepath.Join(env.dir, "serverless.yml")
		o.apiAddr = "127.0.0.1:0"
		o.env = func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
		o.integrationTimeout = 2 * time.Second
		o.watchInterval = 50 * time.Millisecond
	})
	env.idToken, env.access = env.signIn(t)
	return env
}

func (env *apiEnv) signIn(t *testing.T) (id, access string) {
	t.Helper()
	out, err := env.idp.InitiateAuth(context.Background(), &cip.InitiateAuthInput{
		ClientId: aws.String(env.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ada@example.com", "PASSWORD": "Passw0rd!"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return *out.AuthenticationResult.IdToken, *out.AuthenticationResult.AccessToken
}

// call sends one request to the API endpoint and returns the status, headers and body.
func (env *apiEnv) call(t *testing.T, method, path string, header map[string]string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	url := env.apiURL + path
	if strings.HasPrefix(path, "/../") {
		// A path outside the stage: another stage of the same API.
		url = strings.TrimSuffix(env.apiURL, "/dev") + strings.TrimPrefix(path, "/..")
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
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
	return res.StatusCode, res.Header, b
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAPIGatewayStatuses walks every answer the issue lists, through a real HTTP client.
func TestAPIGatewayStatuses(t *testing.T) {
	env := startAPIEnv(t)
	if !strings.HasSuffix(env.apiURL, "/dev") {
		t.Fatalf("api endpoint %s does not end in the stage", env.apiURL)
	}
	cases := []struct {
		name, method, path string
		header             map[string]string
		status             int
		body               string // exact, when set
		contains           string
	}{
		{"no token", "GET", "/tasks", nil, 401, `{"message":"Unauthorized"}`, ""},
		{"garbage token", "GET", "/tasks", map[string]string{"Authorization": "garbage"}, 401, `{"message":"Unauthorized"}`, ""},
		{"id token", "GET", "/tasks", map[string]string{"Authorization": env.idToken}, 200, "", `"tasks":["write tests"]`},
		{"access token where an id token is required", "GET", "/tasks", map[string]string{"Authorization": env.access}, 401, `{"message":"Unauthorized"}`, ""},
		{"access token with the method's scope", "GET", "/tasks/42", map[string]string{"Authorization": env.access}, 200, "", `"id":"42"`},
		{"id token where scopes ask for an access token", "GET", "/tasks/42", map[string]string{"Authorization": env.idToken}, 401, `{"message":"Unauthorized"}`, ""},
		{"no route", "GET", "/nope", nil, 403, `{"message":"Missing Authentication Token"}`, ""},
		{"no method", "DELETE", "/health", nil, 403, `{"message":"Missing Authentication Token"}`, ""},
		{"other stage", "GET", "/../prod/health", nil, 403, `{"message":"Missing Authentication Token"}`, ""},
		{"open route", "GET", "/health", nil, 200, "ok", ""},
		{"handler throws", "GET", "/broken/throw", nil, 502, `{"message": "Internal server error"}`, ""},
		{"handler times out", "GET", "/broken/timeout", nil, 502, `{"message": "Internal server error"}`, ""},
		{"malformed response", "GET", "/broken/malformed", nil, 502, `{"message": "Internal server error"}`, ""},
		{"integration timeout", "GET", "/slow", nil, 504, `{"message": "Endpoint request timed out"}`, ""},
		{"private without key", "GET", "/partner", nil, 403, `{"message":"Forbidden"}`, ""},
		{"private with wrong key", "GET", "/partner", map[string]string{"X-Api-Key": "partner-key-0123456789abcdeX"}, 403, `{"message":"Forbidden"}`, ""},
		{"private with key", "GET", "/partner", map[string]string{"X-Api-Key": "partner-key-0123456789abcdef"}, 200, "ok", ""},
		{"http proxy", "PUT", "/legacy/a/b?x=1", nil, 200, "legacy PUT /a/b?x=1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, h, body := env.call(t, c.method, c.path, c.header, nil)
			if status != c.status {
				t.Fatalf("status %d, want %d; body %s", status, c.status, body)
			}
			if c.body != "" && string(body) != c.body {
				t.Errorf("body %s, want %s", body, c.body)
			}
			if c.contains != "" && !bytes.Contains(body, []byte(c.contains)) {
				t.Errorf("body %s lacks %s", body, c.contains)
			}
			if h.Get("X-Amzn-Requestid") == "" {
				t.Errorf("no x-amzn-RequestId")
			}
		})
	}
}

// TestAPIGatewayEvent checks what handlers receive: claims as strings, path parameters of a
// {proxy+} resource, query strings, binary bodies, and aws-lambda-go's typed event.
func TestAPIGatewayEvent(t *testing.T) {
	env := startAPIEnv(t)

	t.Run("claims", func(t *testing.T) {
		status, _, body := env.call(t, "GET", "/tasks", map[string]string{"Authorization": env.idToken}, nil)
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		var got struct{ Claims map[string]any }
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]string{
			"email": "ada@example.com", "email_verified": "true", "token_use": "id", "aud": env.clientID,
			"iss": env.awsURL + "/" + env.poolID,
		} {
			if got.Claims[k] != want {
				t.Errorf("claim %s = %#v, want %q", k, got.Claims[k], want)
			}
		}
		for _, k := range []string{"auth_time", "exp", "iat", "sub", "cognito:username"} {
			if _, ok := got.Claims[k].(string); !ok {
				t.Errorf("claim %s = %#v, want a string", k, got.Claims[k])
			}
		}
		// REST APIs render exp and iat as dates: "Mon Jul 15 05:58:22 UTC 2019".
		if _, err := time.Parse("Mon Jan 2 15:04:05 MST 2006", got.Claims["exp"].(string)); err != nil {
			t.Errorf("exp %q: %v", got.Claims["exp"], err)
		}
	})

	t.Run("proxy path and query", func(t *testing.T) {
		status, _, body := env.call(t, "POST", "/echo/a/b%20c?x=1&x=2&y=z", map[string]string{"Content-Type": "application/json"}, []byte(`{"k":1}`))
		if status != 200 {
			t.Fatalf("status %d: %s", status, body)
		}
		var got struct {
			Event struct {
				Resource                        string
				Path                            string
				HTTPMethod                      string `json:"httpMethod"`
				PathParameters                  map[string]string
				QueryStringParameters           map[string]string
				MultiValueQueryStringParameters map[string][]string
				Body                            string
				IsBase64Encoded                 bool
				RequestContext                  struct {
					ResourcePath string
					Stage        string
					HTTPMethod   string `json:"httpMethod"`
					Identity     struct{ SourceIP, UserAgent string }
				}
			}
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		e := got.Event
		// REST APIs pass the path as sent (still percent-encoded) and the path parameters
		// decoded.
		if e.Resource != "/echo/{proxy+}" || e.Path != "/echo/a/b%20c" || e.HTTPMethod != "POST" ||
			e.PathParameters["proxy"] != "a/b c" || e.QueryStringParameters["x"] != "2" ||
			strings.Join(e.MultiValueQueryStringParameters["x"], ",") != "1,2" || e.Body != `{"k":1}` || e.IsBase64Encoded ||
			e.RequestContext.ResourcePath != "/echo/{proxy+}" || e.RequestContext.Stage != "dev" ||
			e.RequestContext.Identity.SourceIP != "127.0.0.1" || e.RequestContext.Identity.UserAgent == "" {
			t.Errorf("event: %+v", e)
		}
	})

	t.Run("binary body", func(t *testing.T) {
		png := []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff}
		status, h, body := env.call(t, "POST", "/echo/img?binary=1", map[string]string{"Content-Type": "image/png", "Accept": "image/png"}, png)
		if status != 200 || !bytes.Equal(body, png) || h.Get("Content-Type") != "image/png" {
			t.Fatalf("status %d, type %s, body %x", status, h.Get("Content-Type"), body)
		}
		_, _, body = env.call(t, "POST", "/echo/img", map[string]string{"Content-Type": "image/png"}, png)
		var got struct {
			Event struct {
				Body            string
				IsBase64Encoded bool
			}
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if !got.Event.IsBase64Encoded || got.Event.Body != base64.StdEncoding.EncodeToString(png) {
			t.Errorf("event body %q base64 %v", got.Event.Body, got.Event.IsBase64Encoded)
		}
	})

	t.Run("aws-lambda-go handler", func(t *testing.T) {
		status, _, body := env.call(t, "POST", "/go/tasks", map[string]string{"Authorization": env.idToken}, []byte("buy milk"))
		if status != 201 {
			t.Fatalf("status %d: %s", status, body)
		}
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		claims, _ := got["authorizer"].(map[string]any)["claims"].(map[string]any)
		if got["method"] != "POST" || got["resource"] != "/go/tasks" || got["stage"] != "dev" || got["body"] != "buy milk" ||
			!strings.HasPrefix(got["greeting"].(string), "hello, ") || claims["email"] != "ada@example.com" {
			t.Errorf("go handler saw %v", got)
		}
		if status, _, _ := env.call(t, "POST", "/go/tasks", nil, nil); status != 401 {
			t.Errorf("without a token: %d", status)
		}
	})

	t.Run("cors preflight", func(t *testing.T) {
		// cors: true is origin "*", which serverless compiles into a response template that
		// echoes any non-empty Origin (cors.js generateCorsResponseTemplate); without an
		// Origin the header says "*".
		status, h, _ := env.call(t, "OPTIONS", "/tasks", nil, nil)
		if status != 200 || h.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("preflight without Origin: %d %v", status, h)
		}
		status, h, _ = env.call(t, "OPTIONS", "/tasks", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}, nil)
		if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
			!strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") {
			t.Errorf("preflight %d %v", status, h)
		}
		// No cors on /health: no preflight method, so API Gateway has no OPTIONS route.
		if status, _, _ := env.call(t, "OPTIONS", "/health", nil, nil); status != 403 {
			t.Errorf("OPTIONS without cors: %d", status)
		}
	})
}

// TestAPIGatewayCrashRecovery: a process that dies mid-invocation fails that request with 502,
// and the next request is served by a new process.
func TestAPIGatewayCrashRecovery(t *testing.T) {
	env := startAPIEnv(t)
	pidOf := func() float64 {
		status, _, body := env.call(t, "GET", "/broken/ok", nil, nil)
		var got struct{ Pid float64 }
		if status != 200 || json.Unmarshal(body, &got) != nil {
			t.Fatalf("status %d: %s", status, body)
		}
		return got.Pid
	}
	before := pidOf()
	if status, _, body := env.call(t, "GET", "/broken/crash", nil, nil); status != 502 || string(body) != `{"message": "Internal server error"}` {
		t.Fatalf("crash: %d %s", status, body)
	}
	if after := pidOf(); after == before {
		t.Errorf("served by the same process %v after a crash", after)
	}
}

// TestAPIGatewayTokens: forged and expired tokens never reach the handler.
func TestAPIGatewayTokens(t *testing.T) {
	env := startAPIEnv(t)
	parts := strings.Split(env.idToken, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(bytes.Replace(payload, []byte("ada@"), []byte("eve@"), 1)) + "." + parts[2]
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	for name, tok := range map[string]string{
		"tampered payload": tampered,
		"alg none":         none,
		"access token":     env.access,
		"bearer, tampered": "Bearer " + tampered,
		"8 KB of dots":     strings.Repeat(".", 8<<10),
		"truncated":        env.idToken[:len(env.idToken)-10],
	} {
		if status, _, body := env.call(t, "GET", "/tasks", map[string]string{"Authorization": tok}, nil); status != 401 {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	// The bare token, as API Gateway's Cognito authorizer takes it, and with the "Bearer "
	// prefix Amplify's and SAM's examples send (docs/gateway.md).
	for _, tok := range []string{env.idToken, "Bearer " + env.idToken} {
		if status, _, body := env.call(t, "GET", "/tasks", map[string]string{"Authorization": tok}, nil); status != 200 {
			t.Fatalf("genuine token %.12q: %d %s", tok, status, body)
		}
	}
	env.clock.Advance(time.Hour + time.Second)
	status, _, body := env.call(t, "GET", "/tasks", map[string]string{"Authorization": env.idToken}, nil)
	if status != 401 || string(body) != `{"message":"The incoming token has expired"}` {
		t.Errorf("expired token (cached while valid): %d %s", status, body)
	}
}

// TestAPIGatewayReload: an edit to serverless.yml is served without a restart; a broken edit
// keeps the routes that run.
func TestAPIGatewayReload(t *testing.T) {
	env := startAPIEnv(t)
	file := filepath.Join(env.dir, "serverless.yml")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	added := bytes.Replace(orig, []byte("path: health,"), []byte("path: healthz,"), 1)
	if err := os.WriteFile(file, added, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("the renamed route", func() bool {
		s, _, _ := env.call(t, "GET", "/healthz", nil, nil)
		return s == 200
	})
	if s, _, _ := env.call(t, "GET", "/health", nil, nil); s != 403 {
		t.Errorf("old route still served: %d", s)
	}
	// A broken edit: the file does not parse. The running routes stay.
	if err := os.WriteFile(file, append(added, []byte("\n  oops: [\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond) // several watch intervals
	if s, _, _ := env.call(t, "GET", "/healthz", nil, nil); s != 200 {
		t.Errorf("route lost after a bad edit: %d", s)
	}
	// Fixing the file is picked up again.
	if err := os.WriteFile(file, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor("the restored route", func() bool {
		s, _, _ := env.call(t, "GET", "/health", nil, nil)
		return s == 200
	})
}

// TestAPIGatewayLambdaIntegration: integration: lambda with the Framework's default templates.
func TestAPIGatewayLambdaIntegration(t *testing.T) {
	env := startAPIEnv(t)
	auth := map[string]string{"Authorization": env.idToken, "Content-Type": "application/json"}

	status, h, body := env.call(t, "POST", "/classic/t1?q=1&q=2", auth, []byte(`{"title":"milk"}`))
	if status != 200 || h.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d %s: %s", status, h.Get("Content-Type"), body)
	}
	var got struct {
		ID    string
		Event struct {
			Body                map[string]any
			Method, Stage       string
			PrincipalID         string `json:"principalId"`
			CognitoPoolClaims   map[string]string
			EnhancedAuthContext map[string]string
			Headers, Query      map[string]string
			Path, Identity      map[string]string
			StageVariables      map[string]string
			RequestPath         string
		}
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	e := got.Event
	if got.ID != "t1" || e.Body["title"] != "milk" || e.Method != "POST" || e.Stage != "dev" ||
		e.CognitoPoolClaims["sub"] == "" || !strings.Contains(e.EnhancedAuthContext["claims"], "email=ada@example.com") ||
		e.Headers["Authorization"] != env.idToken || e.Query["q"] != "2" || e.Path["id"] != "t1" ||
		e.Identity["sourceIp"] != "127.0.0.1" || e.RequestPath != "/classic/{id}" || e.StageVariables == nil {
		t.Errorf("event: %s", body)
	}

	// integration: http sends the same document to the backend, with the integration's
	// method and without the client's query string.
	for len(env.backReqs) > 0 {
		<-env.backReqs
	}
	status, h, body = env.call(t, "PUT", "/classic-http/t5?q=1", map[string]string{"Content-Type": "application/json"}, []byte(`{"a":1}`))
	if status != 200 || h.Get("Content-Type") != "application/json" || string(body) != "legacy POST /items/t5" {
		t.Errorf("http integration: %d %s %s", status, h.Get("Content-Type"), body)
	}
	select {
	case r := <-env.backReqs:
		if r.Header.Get("Content-Type") != "application/json" || r.URL.RawQuery != "" {
			t.Errorf("backend got %s %s with %v", r.Method, r.URL, r.Header)
		}
	case <-time.After(5 * time.Second):
		t.Error("the backend was not called")
	}

	for _, c := range []struct {
		name, path, ctype, body string
		status                  int
		contains                string
	}{
		{"no token", "/classic/t1", "application/json", `{}`, 401, `"Unauthorized"`},
		{"error [404] selects 404", "/classic/missing", "application/json", ``, 404, `"errorMessage":"[404] no task missing"`},
		{"default response is the file's 201", "/classic-codes/t2", "application/json", `{}`, 201, `"id":"t2"`},
		{"a file pattern selects 409", "/classic-codes/dup", "application/json", `{}`, 409, `already exists`},
		{"form body", "/classic-codes/t3", "application/x-www-form-urlencoded", `a=1&b=x%20y`, 201, `"body":{"a":"1","b":"x y"}`},
		{"body not JSON", "/classic-codes/t4", "application/json", `{oops`, 400, `Could not parse request body into json`},
	} {
		t.Run(c.name, func(t *testing.T) {
			hdr := map[string]string{"Content-Type": c.ctype}
			if c.name != "no token" {
				hdr["Authorization"] = env.idToken
			}
			status, _, body := env.call(t, "POST", c.path, hdr, []byte(c.body))
			if status != c.status || !strings.Contains(string(body), c.contains) {
				t.Errorf("%d %s, want %d with %s", status, body, c.status, c.contains)
			}
		})
	}
}
