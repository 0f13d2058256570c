package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// signedInTokens signs a new user in on a fresh email pool and returns pool, client and
// the authentication result.
func (ts *testServer) signedInTokens(t *testing.T, user string) (pool, client string, id, access string) {
	t.Helper()
	pool, client = ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, user, "Passw0rd!")
	out, err := ts.passwordSignIn(client, user, "Passw0rd!")
	if err != nil {
		t.Fatal(err)
	}
	return pool, client, *out.AuthenticationResult.IdToken, *out.AuthenticationResult.AccessToken
}

func (ts *testServer) jwks(t *testing.T, pool string) string {
	t.Helper()
	resp, err := http.Get(ts.awsURL + "/" + pool + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// aws-jwt-verify, unmodified, accepts Gatehouse's tokens: with the default issuer through
// JwtRsaVerifier, with --issuer-url https://cognito-idp.us-east-1.amazonaws.com through
// CognitoJwtVerifier.
func TestAWSJwtVerify(t *testing.T) {
	dir := jsDir(t, "aws-jwt-verify")
	own := startTestServer(t, "")
	awsLike := startTestServerWith(t, t.TempDir(), "", func(o *serveOptions) { o.issuerURL = "https://cognito-idp.us-east-1.amazonaws.com" })
	pool, client, id, access := own.signedInTokens(t, "jv@example.com")
	awsPool, awsClient, awsID, _ := awsLike.signedInTokens(t, "jv@example.com")

	cmd := exec.Command("node", "jwt-verify.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GH_ENDPOINT="+own.awsURL, "GH_POOL="+pool, "GH_CLIENT="+client,
		"GH_ID_TOKEN="+id, "GH_ACCESS_TOKEN="+access, "GH_JWKS="+own.jwks(t, pool), "GH_AWS_POOL="+awsPool, "GH_AWS_CLIENT="+awsClient,
		"GH_AWS_ID_TOKEN="+awsID, "GH_AWS_JWKS="+awsLike.jwks(t, awsPool))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got map[string]struct {
		OK   bool
		Name string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node printed %s", out)
	}
	for key, ok := range map[string]bool{"ownId": true, "ownAccess": true, "ownTampered": false, "ownAccessAsId": false,
		"cognitoId": true, "cognitoWrongIssuer": false} {
		if got[key].OK != ok {
			t.Errorf("%s: ok %v (%s), want %v", key, got[key].OK, got[key].Name, ok)
		}
	}
}

// python runs testdata/py/clients.py with the first interpreter that imports module,
// skipping when none does (internal/testclient names the package to install).
func python(t *testing.T, module, pkg string, env ...string) map[string]any {
	t.Helper()
	py := testclient.RequirePythonModule(t, module, pkg)
	script, _ := filepath.Abs("testdata/py/clients.py")
	cmd := exec.Command(py, script)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", py, err, out)
	}
	res := map[string]any{}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s printed %s", py, out)
	}
	return res
}

// PyJWT verifies Gatehouse's ID tokens against its JWKS (default issuer).
func TestPyJWT(t *testing.T) {
	ts := startTestServer(t, "")
	pool, client, id, _ := ts.signedInTokens(t, "py@example.com")
	res := python(t, "jwt", "python3-jwt", "GH_PART=pyjwt", "GH_ENDPOINT="+ts.awsURL, "GH_POOL="+pool, "GH_CLIENT="+client, "GH_ID_TOKEN="+id)
	if res["token_use"] != "id" || res["sub"] == nil || res["wrongAudience"] != "refused" {
		t.Fatalf("PyJWT: %v", res)
	}
}

// boto3 signs in and refreshes: REFRESH_TOKEN_AUTH on an ordinary client, and, where its
// boto3 knows the operation (1.38 or later; Debian's python3-boto3 is older),
// GetTokensFromRefreshToken on a rotating client.
func TestBoto3Refresh(t *testing.T) {
	ts := startTestServer(t, "")
	pool, client := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, client, "b3@example.com", "Passw0rd!")
	rot := ts.rotatingClient(t, pool, 0, false, nil, 0)
	res := python(t, "boto3", "python3-boto3", "GH_PART=boto3", "GH_ENDPOINT="+ts.awsURL, "GH_CLIENT="+client,
		"GH_ROTATING_CLIENT="+aws.ToString(rot.ClientId), "GH_USER=b3@example.com", "GH_PASS=Passw0rd!")
	if res["refreshed"] != true {
		t.Fatalf("boto3 REFRESH_TOKEN_AUTH: %v", res)
	}
	ts.verifyToken(t, pool, res["idToken"].(string))
	if res["canRotate"] != true {
		t.Logf("boto3 %v has no get_tokens_from_refresh_token; rotation checked through the other clients", res["version"])
		return
	}
	if res["rotated"] != true {
		t.Fatalf("boto3 GetTokensFromRefreshToken: %v", res)
	}
	ts.verifyToken(t, pool, res["rotatedIdToken"].(string))
}
