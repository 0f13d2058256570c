package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// awsCLI runs the AWS CLI against the test server and decodes its JSON output.
func (ts *testServer) awsCLI(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out, err := ts.awsCLIRaw(t, args...)
	if err != nil {
		t.Fatalf("aws %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	m := map[string]any{}
	if len(strings.TrimSpace(string(out))) > 0 {
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	return m
}

func (ts *testServer) awsCLIRaw(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(testclient.RequireAWSCLI(t), append([]string{"--endpoint-url", ts.awsURL, "--output", "json"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=local", "AWS_SECRET_ACCESS_KEY=local", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	return cmd.CombinedOutput()
}

// The tutorial, typed as a user would, through the AWS CLI.
func TestAWSCLITutorial(t *testing.T) {
	testclient.RequireAWSCLI(t)
	ts := startTestServer(t, "")
	pool := ts.awsCLI(t, "cognito-idp", "create-user-pool", "--pool-name", "todo-user-pool", "--username-attributes", "email")
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	client := ts.awsCLI(t, "cognito-idp", "create-user-pool-client", "--user-pool-id", poolID, "--client-name", "todo-app-client",
		"--explicit-auth-flows", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
	clientID := client["UserPoolClient"].(map[string]any)["ClientId"].(string)
	ts.awsCLI(t, "cognito-idp", "sign-up", "--client-id", clientID, "--username", "admin@example.com", "--password", "Passw0rd!")
	ts.awsCLI(t, "cognito-idp", "admin-confirm-sign-up", "--user-pool-id", poolID, "--username", "admin@example.com")
	auth := ts.awsCLI(t, "cognito-idp", "admin-initiate-auth", "--user-pool-id", poolID, "--client-id", clientID,
		"--auth-flow", "ADMIN_NO_SRP_AUTH", "--auth-parameters", "USERNAME=admin@example.com,PASSWORD=Passw0rd!")
	res, _ := auth["AuthenticationResult"].(map[string]any)
	if res == nil || res["IdToken"] == nil {
		t.Fatalf("no tokens: %v", auth)
	}
	ts.verifyToken(t, poolID, res["IdToken"].(string))

	// The admin-created-user path, with --cli-input-json.
	ts.awsCLI(t, "cognito-idp", "admin-create-user", "--user-pool-id", poolID, "--username", "new@example.com",
		"--temporary-password", "Temp0rary!", "--message-action", "SUPPRESS")
	dir := t.TempDir()
	authJSON := filepath.Join(dir, "auth.json")
	writeJSON(t, authJSON, map[string]any{"UserPoolId": poolID, "ClientId": clientID, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
		"AuthParameters": map[string]string{"USERNAME": "new@example.com", "PASSWORD": "Temp0rary!"}})
	ch := ts.awsCLI(t, "cognito-idp", "admin-initiate-auth", "--cli-input-json", "file://"+authJSON)
	if ch["ChallengeName"] != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("want NEW_PASSWORD_REQUIRED, got %v", ch)
	}
	respJSON := filepath.Join(dir, "respond.json")
	writeJSON(t, respJSON, map[string]any{"UserPoolId": poolID, "ClientId": clientID, "ChallengeName": "NEW_PASSWORD_REQUIRED",
		"Session": ch["Session"], "ChallengeResponses": map[string]string{"USERNAME": "new@example.com", "NEW_PASSWORD": "N3wPassword!"}})
	done := ts.awsCLI(t, "cognito-idp", "admin-respond-to-auth-challenge", "--cli-input-json", "file://"+respJSON)
	if r, _ := done["AuthenticationResult"].(map[string]any); r == nil || r["AccessToken"] == nil {
		t.Fatalf("no tokens after the challenge: %v", done)
	}

	// Errors reach the CLI user as AWS's.
	out, err := ts.awsCLIRaw(t, "cognito-idp", "admin-initiate-auth", "--user-pool-id", poolID, "--client-id", clientID,
		"--auth-flow", "ADMIN_NO_SRP_AUTH", "--auth-parameters", "USERNAME=admin@example.com,PASSWORD=wrong")
	if err == nil || !strings.Contains(string(out), "(NotAuthorizedException)") || !strings.Contains(string(out), "Incorrect username or password.") {
		t.Fatalf("want NotAuthorizedException from the CLI, got %v\n%s", err, out)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
