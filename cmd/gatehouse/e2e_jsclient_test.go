package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// jsSignIn signs in with amazon-cognito-identity-js run by node (testdata/js; `npm ci` there
// installs it, as .ci/run does).
func (ts *testServer) jsSignIn(t *testing.T, pool, client, user, pass string) map[string]any {
	t.Helper()
	dir, _ := filepath.Abs("testdata/js")
	node := testclient.RequireNodeModules(t, dir, "amazon-cognito-identity-js")
	cmd := exec.Command(node, "srp-signin.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GH_ENDPOINT="+ts.awsURL, "GH_POOL="+pool, "GH_CLIENT="+client, "GH_USER="+user, "GH_PASS="+pass)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	res := map[string]any{}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("node printed %q: %v", out, err)
	}
	return res
}

// amazon-cognito-identity-js, the library behind Amplify, signs in with SRP unmodified.
func TestJSClientSRPSignIn(t *testing.T) {
	ts := startTestServer(t, "")
	pool, client := ts.srpPool(t, types.PreventUserExistenceErrorTypesEnabled)
	ts.confirmedUser(t, pool, client, "js@example.com", "Passw0rd!")

	ok := ts.jsSignIn(t, pool, client, "js@example.com", "Passw0rd!")
	if ok["ok"] != true {
		t.Fatalf("sign-in failed: %v", ok)
	}
	claims := ts.verifyToken(t, pool, ok["idToken"].(string))
	if claims["email"] != "js@example.com" || claims["token_use"] != "id" {
		t.Fatalf("claims %v", claims)
	}
	bad := ts.jsSignIn(t, pool, client, "js@example.com", "Wrong0ne!")
	if bad["ok"] != false || bad["code"] != "NotAuthorizedException" || bad["message"] != "Incorrect username or password." {
		t.Fatalf("wrong password: %v", bad)
	}
}
