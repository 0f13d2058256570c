package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/testclient"
)

// authzEnv is a Gatehouse serving testdata/authz/serverless.yml: Node authorizer functions
// that count their invocations in countFile, and the admin / owner / guest example.
type authzEnv struct {
	*apiEnv
	countFile string
	pool      string
	client    string
}

const authzAccount = "000000000000"

// The example's roles: admins may DELETE /tasks/* (and read and write), owners GET and POST
// /tasks, guests only GET /tasks (docs/authorizers.md).
var authzRoles = map[string]string{
	"tasks-admin": `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":[
			"arn:aws:execute-api:us-east-1:000000000000:*/dev/DELETE/tasks/*",
			"arn:aws:execute-api:us-east-1:000000000000:*/dev/GET/tasks",
			"arn:aws:execute-api:us-east-1:000000000000:*/dev/POST/tasks"]}]}`,
	"tasks-owner": `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":[
			"arn:aws:execute-api:us-east-1:000000000000:*/dev/GET/tasks",
			"arn:aws:execute-api:us-east-1:000000000000:*/dev/POST/tasks"]}]}`,
	"tasks-guest": `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:000000000000:*/dev/GET/tasks"}]}`,
}

func roleARN(name string) string { return "arn:aws:iam::" + authzAccount + ":role/" + name }

// startAuthzEnv creates, on a first server, a pool with SRP and password sign-in, the groups
// admins, owners and guests carrying the roles above (written to the store directly, a
// fixture; TestIAMChain creates roles through the IAM API), and three users; then serves
// testdata/authz on the same data.
func startAuthzEnv(t *testing.T) *authzEnv {
	t.Helper()
	testclient.RequireNode(t)
	env := &authzEnv{apiEnv: &apiEnv{dir: t.TempDir()}}
	copyDir(t, "testdata/authz", env.dir)
	env.countFile = filepath.Join(env.dir, "invocations.log")
	if err := os.WriteFile(env.countFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	first := startTestServerWith(t, data, "", nil)
	ctx := context.Background()
	env.pool, env.client = first.srpPool(t, types.PreventUserExistenceErrorTypesEnabled)
	now := time.Now()
	for name, doc := range authzRoles {
		if err := first.server.store.CreateRole(ctx, store.Role{Name: name, ID: "AROA" + strings.ToUpper(strings.ReplaceAll(name, "-", "")) + "00000", ARN: roleARN(name),
			Path: "/", AssumeRolePolicy: `{"Version":"2012-10-17","Statement":[]}`, MaxSessionDuration: 3600, CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		if err := first.server.store.PutRolePolicy(ctx, name, store.InlinePolicy{Name: "api", Document: doc}); err != nil {
			t.Fatal(err)
		}
	}
	for i, g := range []string{"admins", "owners", "guests"} {
		if _, err := first.idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: &env.pool, GroupName: aws.String(g),
			RoleArn: aws.String(roleARN("tasks-" + strings.TrimSuffix(g, "s"))), Precedence: aws.Int32(int32(i))}); err != nil {
			t.Fatal(err)
		}
	}
	for user, group := range map[string]string{"ada@example.com": "admins", "olu@example.com": "owners", "gus@example.com": "guests"} {
		if _, err := first.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &env.pool, Username: aws.String(user),
			MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatal(err)
		}
		if _, err := first.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &env.pool, Username: aws.String(user),
			Password: aws.String("Passw0rd!"), Permanent: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := first.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &env.pool, Username: aws.String(user),
			GroupName: aws.String(group)}); err != nil {
			t.Fatal(err)
		}
	}
	poolARN := "arn:aws:cognito-idp:us-east-1:" + authzAccount + ":userpool/" + env.pool
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	first.server = nil

	vars := map[string]string{"POOL_ARN": poolARN, "COUNT_FILE": env.countFile}
	env.testServer = startTestServerWith(t, data, "", func(o *serveOptions) {
		o.config = filepath.Join(env.dir, "serverless.yml")
		o.apiAddr = "127.0.0.1:0"
		o.env = func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
		o.integrationTimeout = 5 * time.Second
		o.watchInterval = time.Hour
	})
	return env
}

// invocations returns the authorizer invocations so far, one "TYPE token" line each.
func (env *authzEnv) invocations(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(env.countFile)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(strings.ReplaceAll(string(b), " ", "_"))
}

// expect calls the API and checks the status and, when want is not "", the body.
func (env *authzEnv) expect(t *testing.T, method, path string, header map[string]string, status int, want string) []byte {
	t.Helper()
	code, h, body := env.call(t, method, path, header, nil)
	if code != status || (want != "" && string(body) != want) {
		t.Fatalf("%s %s: %d %s (x-amzn-ErrorType %q), want %d %s", method, path, code, body, h.Get("x-amzn-ErrorType"), status, want)
	}
	return body
}

const (
	bodyUnauthorized = `{"message":"Unauthorized"}`
	bodyImplicitDeny = `{"Message":"User is not authorized to access this resource"}`
	bodyExplicitDeny = `{"Message":"User is not authorized to access this resource with an explicit deny"}`
	bodyAuthorizer   = `{"message":null}`
)

func TestLambdaAuthorizersEndToEnd(t *testing.T) {
	env := startAuthzEnv(t)
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": tok} }

	t.Run("answers", func(t *testing.T) {
		for _, tc := range []struct {
			token  string
			status int
			body   string
		}{
			{"deny", 403, bodyExplicitDeny},
			{"other", 403, bodyImplicitDeny},
			{"unauthorized", 401, bodyUnauthorized},
			{"boom", 500, bodyAuthorizer},
			{"garbage", 500, bodyAuthorizer},
			{"timeout", 500, bodyAuthorizer},
		} {
			env.expect(t, "GET", "/lambda/nocache", auth(tc.token), tc.status, tc.body)
		}
		// Missing, or failing the validation expression: 401 without invoking the function.
		before := len(env.invocations(t))
		env.expect(t, "GET", "/lambda/nocache", nil, 401, bodyUnauthorized)
		env.expect(t, "GET", "/lambda/nocache", auth("Not Valid"), 401, bodyUnauthorized)
		if n := len(env.invocations(t)); n != before {
			t.Fatalf("%d invocations for requests without a valid token", n-before)
		}
		body := env.expect(t, "GET", "/lambda/nocache", auth("allow"), 200, "")
		var got struct{ Authorizer map[string]any }
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		a := got.Authorizer
		if a["principalId"] != "user-1" || a["tenant"] != "acme" || a["level"] != "3" || a["admin"] != "false" {
			t.Fatalf("requestContext.authorizer %v", a)
		}
		if _, ok := a["integrationLatency"].(float64); !ok {
			t.Fatalf("no integrationLatency in %v", a)
		}
	})

	t.Run("TTL 0 invokes every time", func(t *testing.T) {
		before := len(env.invocations(t))
		for range 3 {
			env.expect(t, "GET", "/lambda/nocache", auth("allow"), 200, "")
		}
		if n := len(env.invocations(t)) - before; n != 3 {
			t.Fatalf("%d invocations for 3 calls with TTL 0", n)
		}
	})

	t.Run("cached within the TTL, again after it", func(t *testing.T) {
		before := len(env.invocations(t))
		for range 3 {
			env.expect(t, "GET", "/lambda/tasks", auth("allow"), 200, "")
		}
		if n := len(env.invocations(t)) - before; n != 1 {
			t.Fatalf("%d invocations for 3 calls within the TTL, want 1", n)
		}
		// The cached policy names GET /lambda/tasks only: DELETE is denied, without a call.
		env.expect(t, "DELETE", "/lambda/tasks/7", auth("allow"), 403, bodyImplicitDeny)
		if n := len(env.invocations(t)) - before; n != 1 {
			t.Fatalf("%d invocations after another method, want 1", n)
		}
		// A deny is cached too.
		env.expect(t, "GET", "/lambda/tasks", auth("deny"), 403, bodyExplicitDeny)
		env.expect(t, "GET", "/lambda/tasks", auth("deny"), 403, bodyExplicitDeny)
		if n := len(env.invocations(t)) - before; n != 2 {
			t.Fatalf("%d invocations after two denials, want 2", n)
		}
		env.clock.Advance(299 * time.Second)
		env.expect(t, "GET", "/lambda/tasks", auth("allow"), 200, "")
		if n := len(env.invocations(t)) - before; n != 2 {
			t.Fatalf("%d invocations within the TTL, want 2", n)
		}
		env.clock.Advance(2 * time.Second)
		env.expect(t, "GET", "/lambda/tasks", auth("allow"), 200, "")
		if n := len(env.invocations(t)) - before; n != 3 {
			t.Fatalf("%d invocations after the TTL, want 3", n)
		}
		// The counters /metrics will export: tokenAuth answered 5 calls from its cache.
		var found bool
		for _, st := range env.server.api.Stats() {
			if st.Name == "tokenAuth" && st.Type == "TOKEN" {
				found = true
				if st.Hits != 5 || st.Misses != 3 || st.Entries != 2 {
					t.Errorf("tokenAuth stats %+v, want 5 hits, 3 misses, 2 entries", st)
				}
			}
		}
		if !found {
			t.Errorf("no tokenAuth in %+v", env.server.api.Stats())
		}
		metrics := env.metrics(t)
		for _, want := range []string{
			`gatehouse_authorizer_cache_hits_total{authorizer="tokenAuth",type="TOKEN"} 5`,
			`gatehouse_authorizer_cache_misses_total{authorizer="tokenAuth",type="TOKEN"} 3`,
			`gatehouse_authorizer_cache_entries{authorizer="tokenAuth",type="TOKEN"} 2`,
		} {
			if !strings.Contains(metrics, want+"\n") {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})

	t.Run("REQUEST", func(t *testing.T) {
		before := len(env.invocations(t))
		env.expect(t, "GET", "/lambda/req/1", auth("allow"), 401, bodyUnauthorized) // no tenant
		env.expect(t, "GET", "/lambda/req/1?tenant=a", nil, 401, bodyUnauthorized)
		if n := len(env.invocations(t)) - before; n != 0 {
			t.Fatalf("%d invocations with an identity source missing", n)
		}
		body := env.expect(t, "GET", "/lambda/req/1?tenant=a", auth("allow"), 200, "")
		if !strings.Contains(string(body), `"tenantSeen":"a"`) {
			t.Fatalf("body %s", body)
		}
		env.expect(t, "GET", "/lambda/req/1?tenant=a", auth("allow"), 200, "")
		env.expect(t, "GET", "/lambda/req/2?tenant=a", auth("allow"), 403, bodyImplicitDeny) // cached policy, other path
		env.expect(t, "GET", "/lambda/req/1?tenant=b", auth("allow"), 200, "")               // another key
		for _, tc := range []struct {
			token  string
			status int
			body   string
		}{
			{"unauthorized", 401, bodyUnauthorized}, {"boom", 500, bodyAuthorizer}, {"garbage", 500, bodyAuthorizer},
			{"deny", 403, bodyExplicitDeny}, {"other", 403, bodyImplicitDeny}, {"timeout", 500, bodyAuthorizer},
		} {
			env.expect(t, "GET", "/lambda/req/1?tenant=x", auth(tc.token), tc.status, tc.body)
		}
		if got := env.invocations(t)[before:]; len(got) != 8 || got[0] != "REQUEST_allow" {
			t.Fatalf("invocations %v, want 8 REQUEST ones", got)
		}
	})
}

func TestGroupPolicyEndToEnd(t *testing.T) {
	env := startAuthzEnv(t)
	ctx := context.Background()
	password := func(user string) string {
		out, err := env.idp.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: &env.client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": "Passw0rd!"}})
		if err != nil {
			t.Fatal(err)
		}
		return *out.AuthenticationResult.IdToken
	}
	srp := func(user string) string {
		out, err := env.srpSignIn(t, env.pool, env.client, user, "Passw0rd!")
		if err != nil {
			t.Fatal(err)
		}
		return *out.AuthenticationResult.IdToken
	}
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	admin, owner, guest := password("ada@example.com"), srp("olu@example.com"), srp("gus@example.com")

	for _, tc := range []struct {
		who, token, method, path string
		status                   int
		body                     string
	}{
		{"guest", guest, "GET", "/tasks", 200, ""},
		{"guest", guest, "POST", "/tasks", 403, bodyImplicitDeny},
		{"guest", guest, "DELETE", "/tasks/1", 403, bodyImplicitDeny},
		{"owner", owner, "GET", "/tasks", 200, ""},
		{"owner", owner, "POST", "/tasks", 200, ""},
		{"owner", owner, "DELETE", "/tasks/1", 403, bodyImplicitDeny},
		{"admin", admin, "DELETE", "/tasks/1", 200, ""},
		{"admin", admin, "GET", "/tasks", 200, ""},
		{"nobody", "", "GET", "/tasks", 401, bodyUnauthorized},
		{"forged", guest[:len(guest)-4] + "AAAA", "GET", "/tasks", 401, bodyUnauthorized},
	} {
		env.expect(t, tc.method, tc.path, bearer(tc.token), tc.status, tc.body)
	}

	// The integration learns the claims and the role that allowed the call.
	var got struct{ Authorizer map[string]any }
	if err := json.Unmarshal(env.expect(t, "POST", "/tasks", bearer(owner), 200, ""), &got); err != nil {
		t.Fatal(err)
	}
	claims, _ := got.Authorizer["claims"].(map[string]any)
	if got.Authorizer["role"] != roleARN("tasks-owner") || claims["cognito:groups"] != "owners" || claims["email"] != "olu@example.com" {
		t.Fatalf("requestContext.authorizer %v", got.Authorizer)
	}

	// Gus moves from guests to admins: his old token still says guest; a new one lets him in.
	if _, err := env.idp.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: &env.pool, Username: aws.String("gus@example.com"), GroupName: aws.String("guests")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &env.pool, Username: aws.String("gus@example.com"), GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	env.expect(t, "DELETE", "/tasks/2", bearer(guest), 403, bodyImplicitDeny)
	env.expect(t, "DELETE", "/tasks/2", bearer(srp("gus@example.com")), 200, "")

	// A policy change reaches running authorizers within the policy TTL (10 s), no restart.
	if err := env.server.store.PutRolePolicy(ctx, "tasks-guest", store.InlinePolicy{Name: "api", Document: `{"Version":"2012-10-17","Statement":[
		{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"*"}]}`}); err != nil {
		t.Fatal(err)
	}
	env.clock.Advance(11 * time.Second)
	env.expect(t, "GET", "/tasks", bearer(guest), 403, bodyExplicitDeny)
}

// metrics scrapes the AWS endpoint's /metrics.
func (env *authzEnv) metrics(t *testing.T) string {
	t.Helper()
	res, err := http.Get(env.awsURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("/metrics: %d %v", res.StatusCode, err)
	}
	return string(b)
}
