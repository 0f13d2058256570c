package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// jsDir is testdata/js once node and the npm package pkg are there (.ci/run runs npm ci);
// elsewhere the test skips saying how to install them (internal/testclient).
func jsDir(t *testing.T, pkg string) string {
	t.Helper()
	dir, _ := filepath.Abs("testdata/js")
	testclient.RequireNodeModules(t, dir, pkg)
	return dir
}

// runJS runs a node script of testdata/js with the line protocol of amplify-flows.mjs: each
// {"need":…} line is answered with answer(need) on the script's stdin; the other lines are
// the results of its steps, returned by step name. A script that fails fails the test.
func runJS(t *testing.T, dir, script string, env []string, answer func(need string) string) map[string]map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	steps := map[string]map[string]any{}
	var failure map[string]any
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := map[string]any{}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Logf("node: %s", sc.Text())
			continue
		}
		switch {
		case line["need"] != nil:
			if _, err := io.WriteString(stdin, answer(line["need"].(string))+"\n"); err != nil {
				t.Fatal(err)
			}
		case line["error"] != nil:
			failure = line
		case line["step"] != nil:
			steps[line["step"].(string)] = line
		case line["done"] != nil:
			steps["done"] = line
		}
	}
	stdin.Close()
	err = cmd.Wait()
	if failure != nil || err != nil || steps["done"] == nil {
		t.Fatalf("%s failed: %v %v\nsteps done: %d\n%s", script, failure, err, len(steps), stderr.String())
	}
	return steps
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// lastCode is the code in the newest outbox message of the pool.
func (ts *testServer) lastCode(t *testing.T, pool string) string {
	t.Helper()
	ms, err := ts.server.store.ListMessages(context.Background(), pool, 0, 0)
	if err != nil || len(ms) == 0 {
		t.Fatalf("outbox: %d messages, %v", len(ms), err)
	}
	code := sixDigits.FindString(ms[len(ms)-1].Body)
	if code == "" {
		t.Fatalf("no code in %q", ms[len(ms)-1].Body)
	}
	return code
}

// amplifyEnv is what a web app's back end would set up for Amplify: a user pool whose
// usernames are emails, an SRP client, a client with refresh token rotation, and an identity
// pool whose authenticated role trusts it as AWS requires.
type amplifyEnv struct {
	*testServer
	pool, client, rotating, identityPool string
	grace                                time.Duration
	ci                                   *ci.Client
}

func startAmplifyEnv(t *testing.T) *amplifyEnv {
	t.Helper()
	ts := startTestServer(t, "") // default settings: the issuer is the server's own URL
	ctx := context.Background()
	env := &amplifyEnv{testServer: ts, grace: 10 * time.Second}
	p, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("amplify-app"),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}})
	if err != nil {
		t.Fatal(err)
	}
	env.pool = *p.UserPool.Id
	c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &env.pool, ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	env.client = *c.UserPoolClient.ClientId
	r, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &env.pool, ClientName: aws.String("web-rotating"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled,
			RetryGracePeriodSeconds: aws.Int32(int32(env.grace / time.Second))}})
	if err != nil {
		t.Fatal(err)
	}
	env.rotating = *r.UserPoolClient.ClientId

	cfg := aws.Config{Region: "us-east-1", RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")}
	env.ci = ci.NewFromConfig(cfg, func(o *ci.Options) { o.BaseEndpoint = aws.String(ts.awsURL) })
	iamc := awsiam.NewFromConfig(cfg, func(o *awsiam.Options) { o.BaseEndpoint = aws.String(ts.awsURL) })
	ip, err := env.ci.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{IdentityPoolName: aws.String("amplify_identities"),
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{
			ProviderName: aws.String("cognito-idp.us-east-1.amazonaws.com/" + env.pool), ClientId: aws.String(env.client)}}})
	if err != nil {
		t.Fatal(err)
	}
	env.identityPool = *ip.IdentityPoolId
	role, err := iamc.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("AmplifyAuthRole"),
		AssumeRolePolicyDocument: aws.String(trustPolicy(env.identityPool))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.ci.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: &env.identityPool,
		Roles: map[string]string{"authenticated": *role.Role.Arn}}); err != nil {
		t.Fatal(err)
	}
	return env
}

// refresh calls GetTokensFromRefreshToken through the AWS SDK for Go v2.
func (env *amplifyEnv) refresh(client, rt string) (*cip.GetTokensFromRefreshTokenOutput, error) {
	return env.idp.GetTokensFromRefreshToken(context.Background(), &cip.GetTokensFromRefreshTokenInput{ClientId: &client, RefreshToken: &rt})
}

// Amplify JS v6, unmodified, against `gatehouse serve` with its default settings.
func TestAmplifyJS(t *testing.T) {
	dir := jsDir(t, "aws-amplify")
	env := startAmplifyEnv(t)
	const email = "ada@example.com"
	steps := runJS(t, dir, "amplify-flows.mjs", []string{
		"GH_ENDPOINT=" + env.awsURL, "GH_POOL=" + env.pool, "GH_CLIENT=" + env.client,
		"GH_ROTATING_CLIENT=" + env.rotating, "GH_IDENTITY_POOL=" + env.identityPool, "GH_EMAIL=" + email,
	}, func(need string) string {
		switch need {
		case "code:signup", "code:forgot":
			return env.lastCode(t, env.pool)
		}
		t.Errorf("script asked for %q", need)
		return ""
	})

	// The identity-pool credentials Amplify got are bound to the role, for the identity
	// Amplify keyed by the issuer-named provider.
	s := steps["fetchAuthSession"]
	wantIss := env.awsURL + "/" + env.pool
	if s["iss"] != wantIss {
		t.Fatalf("iss %v, want the default issuer %s", s["iss"], wantIss)
	}
	cred, err := env.server.store.GetCredentials(context.Background(), s["accessKeyId"].(string))
	if err != nil || cred.IdentityID != s["identityId"] || !strings.HasSuffix(cred.RoleARN, ":role/AmplifyAuthRole") {
		t.Fatalf("credentials %+v, %v (identity %v)", cred, err, s["identityId"])
	}
	ident, err := env.ci.DescribeIdentity(context.Background(), &ci.DescribeIdentityInput{IdentityId: aws.String(s["identityId"].(string))})
	if err != nil || len(ident.Logins) != 1 || ident.Logins[0] != "cognito-idp.us-east-1.amazonaws.com/"+env.pool {
		t.Fatalf("identity %+v, %v", ident, err)
	}
	if a := steps["attributes"]; a["name"] != "Ada Lovelace" {
		t.Fatalf("attributes %v", a)
	}

	// Global sign-out revoked the sign-in Amplify held.
	_, err = env.refresh(env.client, steps["globalSignOut"]["refreshToken"].(string))
	wantAPIError(t, err, "NotAuthorizedException", "Refresh Token has been revoked")

	// The rotating client: Amplify's first refresh token was replaced; within the grace
	// period it still serves, after it it is refused; the newest one serves.
	rot := steps["rotatingRefresh"]
	if rot["clientId"] != env.rotating {
		t.Fatalf("rotating step used client %v", rot["clientId"])
	}
	first, third := rot["first"].(string), rot["third"].(string)
	if out, err := env.refresh(env.rotating, first); err != nil || aws.ToString(out.AuthenticationResult.RefreshToken) == "" {
		t.Fatalf("replaced token within the grace period: %v", err)
	}
	env.clock.Advance(env.grace)
	_, err = env.refresh(env.rotating, first)
	wantAPIError(t, err, "RefreshTokenReuseException", "")
	if _, err := env.refresh(env.rotating, third); err != nil {
		t.Fatalf("newest token: %v", err)
	}
	_, err = env.idp.InitiateAuth(context.Background(), &cip.InitiateAuthInput{ClientId: &env.rotating,
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": third}})
	wantAPIError(t, err, "InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client")
}

// The same refresh and rotation flows through the AWS SDK for JavaScript v3.
func TestJSSDKv3Refresh(t *testing.T) {
	dir := jsDir(t, "@aws-sdk/client-cognito-identity-provider")
	ts := startTestServer(t, "")
	pool, plain := ts.emailPool(t, false)
	ts.confirmedUser(t, pool, plain, "v3@example.com", "Passw0rd!")
	rot := ts.rotatingClient(t, pool, 5, false, nil, 0)
	steps := runJS(t, dir, "sdk-v3-refresh.mjs", []string{
		"GH_ENDPOINT=" + ts.awsURL, "GH_CLIENT=" + plain, "GH_ROTATING_CLIENT=" + *rot.ClientId,
		"GH_USER=v3@example.com", "GH_PASS=Passw0rd!", "GH_GRACE=5",
	}, func(need string) string {
		if need == "advance:5" {
			ts.clock.Advance(5 * time.Second)
			return "ok"
		}
		t.Errorf("script asked for %q", need)
		return ""
	})
	r := steps["rotation"]
	for key, want := range map[string]string{
		"reused":      "RefreshTokenReuseException",
		"refreshAuth": "InvalidParameterException: REFRESH_TOKEN_AUTH flow not enabled for this client",
		"revoked":     "NotAuthorizedException: Refresh Token has been revoked",
	} {
		got, _ := r[key].(map[string]any)
		name, _ := got["name"].(string)
		msg, _ := got["message"].(string)
		if name != want && name+": "+msg != want {
			t.Errorf("%s: %s: %s, want %s", key, name, msg, want)
		}
	}
}
