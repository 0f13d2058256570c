package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/testclient"
)

// startExample serves examples/<name> (copied to dir) with its resources deployed.
func startExample(t *testing.T, dir, data string) *testServer {
	t.Helper()
	return startTestServerWith(t, data, "", func(o *serveOptions) {
		o.config = filepath.Join(dir, "serverless.yml")
		o.apiAddr = "127.0.0.1:0"
		o.integrationTimeout = 5 * time.Second
		o.watchInterval = 50 * time.Millisecond
	})
}

func outputsOf(ts *testServer) map[string]string {
	m := map[string]string{}
	for _, o := range ts.stack.Outputs() {
		m[o.Name] = o.Value
	}
	return m
}

// TestReservationExample is issue 13's acceptance for the IAM app: `gatehouse serve -c`
// creates the pool, client, identity pool, role and attachment of examples/reservation; the
// AWS SDK signs up, confirms, restarts with the same IDs, signs in, gets identity-pool
// credentials and calls the aws_iam route signed (200) and unsigned (403); an edit while
// serving changes the client in place and removes the role attachment.
func TestReservationExample(t *testing.T) {
	testclient.RequireNode(t)
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	copyDir(t, "../../examples/reservation", dir)
	first := startExample(t, dir, data)
	out := outputsOf(first)
	for _, k := range []string{"UserPoolId", "UserPoolClientId", "IdentityPoolId"} {
		if out[k] == "" {
			t.Fatalf("output %s missing: %v", k, out)
		}
	}
	if out["ServiceEndpoint"] != first.apiURL {
		t.Errorf("ServiceEndpoint = %q, want %q", out["ServiceEndpoint"], first.apiURL)
	}
	var file map[string]string
	b, err := os.ReadFile(filepath.Join(data, "outputs.json"))
	if err != nil || json.Unmarshal(b, &file) != nil || file["UserPoolId"] != out["UserPoolId"] || file["ServiceEndpoint"] != first.apiURL {
		t.Fatalf("outputs.json = %s, %v", b, err)
	}

	// The README's first step: unsigned, the route answers as API Gateway does.
	res, err := http.Get(first.apiURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body := new(bytes.Buffer)
	_, _ = body.ReadFrom(res.Body)
	res.Body.Close()
	if res.StatusCode != 403 || message(t, body.Bytes()) != "Missing Authentication Token" {
		t.Fatalf("unsigned GET = %d %s", res.StatusCode, body)
	}

	clientID, poolID := out["UserPoolClientId"], out["UserPoolId"]
	if _, err := first.idp.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(clientID), Username: aws.String("ana@example.com"), Password: aws.String("Passw0rd!")}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.idp.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(poolID), Username: aws.String("ana@example.com")}); err != nil {
		t.Fatal(err)
	}
	// A restart between sign-up and sign-in: the same IDs, the user still there.
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	ts := startExample(t, dir, data)
	again := outputsOf(ts)
	for _, k := range []string{"UserPoolId", "UserPoolClientId", "IdentityPoolId"} {
		if again[k] != out[k] {
			t.Fatalf("restart changed %s: %s -> %s", k, out[k], again[k])
		}
	}
	auth, err := ts.passwordSignIn(clientID, "ana@example.com", "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""), RetryMaxAttempts: 1}
	cic := ci.NewFromConfig(cfg, func(o *ci.Options) { o.BaseEndpoint = aws.String(ts.awsURL) })
	logins := map[string]string{"cognito-idp.us-east-1.amazonaws.com/" + poolID: *auth.AuthenticationResult.IdToken}
	id, err := cic.GetId(ctx, &ci.GetIdInput{IdentityPoolId: aws.String(out["IdentityPoolId"]), Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	cr, err := cic.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: *cr.Credentials.AccessKeyId, SecretAccessKey: *cr.Credentials.SecretKey, SessionToken: *cr.Credentials.SessionToken}
	req, _ := http.NewRequest("GET", ts.apiURL+"/", nil)
	status, got := sendSigned(t, req, nil, creds, "execute-api", ts.clock.Now(), nil)
	if status != 200 || !strings.Contains(string(got), *id.IdentityId) || !strings.Contains(string(got), `"userPoolId":"`+poolID+`"`) {
		t.Fatalf("signed GET = %d %s", status, got)
	}

	// An edit while serving: the client loses USER_PASSWORD_AUTH (updated in place) and the
	// role attachment is removed (deleted).
	yml, _ := os.ReadFile(filepath.Join(dir, "serverless.yml"))
	edited := strings.Replace(string(yml), "[ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]", "[ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]", 1)
	i := strings.Index(edited, "    CognitoIdentityPoolRoles:")
	j := strings.Index(edited, "  Outputs:")
	edited = edited[:i] + edited[j:]
	if err := os.WriteFile(filepath.Join(dir, "serverless.yml"), []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := ts.passwordSignIn(clientID, "ana@example.com", "Passw0rd!")
		if err != nil {
			wantAPIError(t, err, "InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the edit was not applied")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := outputsOf(ts); got["UserPoolClientId"] != clientID {
		t.Errorf("in-place update replaced the client: %s -> %s", clientID, got["UserPoolClientId"])
	}
	roles, err := cic.GetIdentityPoolRoles(ctx, &ci.GetIdentityPoolRolesInput{IdentityPoolId: aws.String(out["IdentityPoolId"])})
	if err != nil || len(roles.Roles) != 0 {
		t.Fatalf("roles after removing the attachment: %+v, %v", roles, err)
	}

	// gatehouse outputs and remove, after serve stopped; a pool made with the SDK stays.
	mine, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("not-the-stacks")})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	o := stackOptions{storeFlags: storeFlags{data: data}, config: filepath.Join(dir, "serverless.yml"), region: "us-east-1", account: "000000000000"}
	var text, js bytes.Buffer
	if err := runOutputs(ctx, o, false, &text); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text.String(), "Stack Outputs:\n  UserPoolId: "+poolID+"\n") || !strings.Contains(text.String(), "  ServiceEndpoint: "+ts.apiURL+"\n") {
		t.Errorf("outputs:\n%s", text.String())
	}
	if err := runOutputs(ctx, o, true, &js); err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(js.Bytes(), &m); err != nil || m["IdentityPoolId"] != out["IdentityPoolId"] {
		t.Errorf("outputs --json = %s, %v", js.String(), err)
	}
	var removed bytes.Buffer
	if err := runRemove(ctx, o, true, os.Stdin, &removed, testWriter{t}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(removed.String(), "stack reservation-dev removed (4 resources)") {
		t.Errorf("remove said %q", removed.String())
	}
	files, _ := filepath.Glob(filepath.Join(data, "removed", "reservation-dev-CognitoUserPool-*.json"))
	if len(files) != 1 {
		t.Errorf("the pool's users were not exported before remove: %v", files)
	}
	st, _, err := o.storeFlags.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pools, _ := st.ListUserPools(ctx, store.Page{Limit: 10})
	if len(pools) != 1 || pools[0].ID != *mine.UserPool.Id {
		t.Errorf("pools after remove = %+v, want only %s", pools, *mine.UserPool.Id)
	}
	if _, err := st.GetIdentityPool(ctx, out["IdentityPoolId"]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("identity pool after remove: %v", err)
	}
}

// TestTodoExample walks examples/todo's README: a Cognito user pool authorizer on the stack's
// own pool, an admin-created user who sets a new password (NEW_PASSWORD_REQUIRED), the
// stack's group deciding who may add todos.
func TestTodoExample(t *testing.T) {
	testclient.RequireNode(t)
	ctx := context.Background()
	dir := t.TempDir()
	copyDir(t, "../../examples/todo", dir)
	ts := startExample(t, dir, t.TempDir())
	out := outputsOf(ts)
	pool, client := out["UserPoolId"], out["UserPoolClientId"]
	if out["UserPoolArn"] != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+pool {
		t.Fatalf("outputs = %v", out)
	}
	callH := func(method, token, body string) (int, http.Header, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.apiURL+"/todos", strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		return res.StatusCode, res.Header, b.String()
	}
	call := func(method, token, body string) (int, string) {
		t.Helper()
		status, _, b := callH(method, token, body)
		return status, b
	}
	// The stack's GatewayResponseDefault4XX puts CORS headers on the gateway's own 401.
	if status, h, body := callH("GET", "", ""); status != 401 || body != `{"message":"Unauthorized"}` || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Allow-Headers") != "*" {
		t.Fatalf("no token: %d %v %s", status, h, body)
	}
	if _, err := ts.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: aws.String("bea@example.com"),
		TemporaryPassword: aws.String("Temp0rary!Pass"), MessageAction: "SUPPRESS"}); err != nil {
		t.Fatal(err)
	}
	auth, err := ts.passwordSignIn(client, "bea@example.com", "Temp0rary!Pass")
	if err != nil {
		t.Fatal(err)
	}
	if auth.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("challenge = %s", auth.ChallengeName)
	}
	// The pool's PasswordPolicy from the file: 10 characters at least.
	_, err = ts.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &client, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: auth.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bea@example.com", "NEW_PASSWORD": "Sh0rtPass"}})
	wantAPIError(t, err, "InvalidPasswordException", "")
	done, err := ts.idp.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: &client, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: auth.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bea@example.com", "NEW_PASSWORD": "MyOwnPassw0rd"}})
	if err != nil {
		t.Fatal(err)
	}
	token := *done.AuthenticationResult.IdToken
	if status, body := call("POST", token, `{"title":"buy milk"}`); status != 403 || !strings.Contains(body, "only editors") {
		t.Fatalf("POST outside editors: %d %s", status, body)
	}
	if _, err := ts.idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: &pool, Username: aws.String("bea@example.com"), GroupName: aws.String("editors")}); err != nil {
		t.Fatal(err)
	}
	again, err := ts.passwordSignIn(client, "bea@example.com", "MyOwnPassw0rd")
	if err != nil {
		t.Fatal(err)
	}
	token = *again.AuthenticationResult.IdToken
	if status, body := call("POST", token, `{"title":"buy milk"}`); status != 201 {
		t.Fatalf("POST as an editor: %d %s", status, body)
	}
	if status, body := call("GET", token, ""); status != 200 || !strings.Contains(body, `"owner":"bea@example.com"`) || !strings.Contains(body, "buy milk") {
		t.Fatalf("GET: %d %s", status, body)
	}
}
