package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

func idpClientWith(url, key, secret string) *cip.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""), RetryMaxAttempts: 1}
	return cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(url) })
}

func iamClientWith(url, key, secret string) *awsiam.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""), RetryMaxAttempts: 1}
	return awsiam.NewFromConfig(cfg, func(o *awsiam.Options) { o.BaseEndpoint = aws.String(url) })
}

// rootKey reads the gatehouse profile of {data}/credentials.
func rootKey(t *testing.T, dir string) (id, secret string) {
	t.Helper()
	path := filepath.Join(dir, "credentials")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			in = line == "[gatehouse]"
		}
		if k, v, ok := strings.Cut(line, "="); in && ok {
			switch strings.TrimSpace(k) {
			case "aws_access_key_id":
				id = strings.TrimSpace(v)
			case "aws_secret_access_key":
				secret = strings.TrimSpace(v)
			}
		}
	}
	if !strings.HasPrefix(id, "AKIA") || len(id) != 20 || len(secret) != 40 {
		t.Fatalf("credentials file:\n%s", b)
	}
	return id, secret
}

// TestAdminAuthRequired: with --require-admin-auth, admin calls need a signature by a key
// Gatehouse knows and a policy allowing the action; public calls need nothing.
func TestAdminAuthRequired(t *testing.T) {
	dir := t.TempDir()
	ts := startTestServerWith(t, dir, "", func(o *serveOptions) { o.requireAdminAuth = true })
	if ts.adminOpen {
		t.Fatal("protected mode is open with --require-admin-auth")
	}
	ctx := context.Background()
	rootID, rootSecret := rootKey(t, dir)
	root := idpClientWith(ts.awsURL, rootID, rootSecret)

	_, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")
	_, err = idpClientWith(ts.awsURL, rootID, strings.Repeat("x", 40)).CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	wantAPIError(t, err, "InvalidSignatureException", "")

	res, err := http.Post(ts.awsURL, "application/x-amz-json-1.1", strings.NewReader(`{"PoolName":"p"}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || res.Header.Get("x-amzn-ErrorType") != "UnknownOperationException" {
		t.Fatalf("no target: %d %s", res.StatusCode, b)
	}
	req, _ := http.NewRequest("POST", ts.awsURL, strings.NewReader(`{"PoolName":"p"}`))
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.CreateUserPool")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || !strings.Contains(string(b), `"__type":"MissingAuthenticationTokenException"`) {
		t.Fatalf("unsigned: %d %s", res.StatusCode, b)
	}

	pool, err := root.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")})
	if err != nil {
		t.Fatal(err)
	}
	poolID := *pool.UserPool.Id
	client, err := root.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: &poolID, ClientName: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	// SignUp is called without credentials on AWS too.
	if _, err := ts.idp.SignUp(ctx, &cip.SignUpInput{ClientId: client.UserPoolClient.ClientId, Username: aws.String("u1"), Password: aws.String("Passw0rd!")}); err != nil {
		t.Fatalf("public SignUp: %v", err)
	}

	// An IAM user allowed AdminGetUser on this pool only.
	rootIAM := iamClientWith(ts.awsURL, rootID, rootSecret)
	if _, err := rootIAM.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("ops")}); err != nil {
		t.Fatal(err)
	}
	poolARN := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + poolID
	if _, err := rootIAM.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("read"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-idp:AdminGet*","Resource":"` + poolARN + `"}]}`)}); err != nil {
		t.Fatal(err)
	}
	key, err := rootIAM.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	ops := idpClientWith(ts.awsURL, *key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey)
	if _, err := ops.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("u1")}); err != nil {
		t.Fatalf("allowed AdminGetUser: %v", err)
	}
	_, err = ops.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: &poolID, Username: aws.String("u1")})
	wantAPIError(t, err, "AccessDeniedException", "User: arn:aws:iam::000000000000:user/ops is not authorized to perform: cognito-idp:AdminDeleteUser on resource: "+poolARN+" because no identity-based policy allows the cognito-idp:AdminDeleteUser action")
	_, err = ops.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("q")})
	wantAPIError(t, err, "AccessDeniedException", "User: arn:aws:iam::000000000000:user/ops is not authorized to perform: cognito-idp:CreateUserPool on resource: * because no identity-based policy allows the cognito-idp:CreateUserPool action")
	_, err = iamClientWith(ts.awsURL, *key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey).CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("eve")})
	wantAPIError(t, err, "AccessDenied", "")

	// A deleted key stops working (within the principal cache's bound; this node's API
	// empties the cache on changes).
	if _, err := rootIAM.DeleteAccessKey(ctx, &awsiam.DeleteAccessKeyInput{UserName: aws.String("ops"), AccessKeyId: key.AccessKey.AccessKeyId}); err != nil {
		t.Fatal(err)
	}
	_, err = ops.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: &poolID, Username: aws.String("u1")})
	wantAPIError(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")

	// The key survives restarts, and a lost file gets the same key back.
	if err := ts.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "credentials")); err != nil {
		t.Fatal(err)
	}
	again := startTestServerWith(t, dir, "", func(o *serveOptions) { o.requireAdminAuth = true })
	if id, secret := rootKey(t, dir); id != rootID || secret != rootSecret {
		t.Fatalf("after a restart the key is %s, want %s", id, rootID)
	}
	if _, err := idpClientWith(again.awsURL, rootID, rootSecret).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatal(err)
	}
}

// TestAdminAuthProtectedMode: on loopback, unsigned and unknown-key admin calls pass (the
// tutorials' case), while a known key with a wrong secret is still refused.
func TestAdminAuthProtectedMode(t *testing.T) {
	dir := t.TempDir()
	ts := startTestServerWith(t, dir, "", nil)
	if !ts.adminOpen {
		t.Fatal("protected mode is closed on loopback")
	}
	ctx := context.Background()
	if _, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p")}); err != nil {
		t.Fatalf("unknown key on loopback: %v", err)
	}
	rootID, _ := rootKey(t, dir)
	_, err := idpClientWith(ts.awsURL, rootID, strings.Repeat("x", 40)).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	wantAPIError(t, err, "InvalidSignatureException", "")
}

// TestAdminAuthAWSCLI: the AWS CLI with the credentials file, unmodified.
func TestAdminAuthAWSCLI(t *testing.T) {
	bin := testclient.RequireAWSCLI(t)
	dir := t.TempDir()
	ts := startTestServerWith(t, dir, "", func(o *serveOptions) { o.requireAdminAuth = true })
	run := func(args ...string) (string, error) {
		cmd := exec.Command(bin, append([]string{"--endpoint-url", ts.awsURL, "--region", "us-east-1", "--output", "text"}, args...)...)
		cmd.Env = append(os.Environ(), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"), "AWS_PROFILE=gatehouse",
			"AWS_CONFIG_FILE=/dev/null", "AWS_ACCESS_KEY_ID=", "AWS_SECRET_ACCESS_KEY=", "AWS_SESSION_TOKEN=")
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	out, err := run("sts", "get-caller-identity", "--query", "Arn")
	if err != nil || out != "arn:aws:iam::000000000000:user/gatehouse-admin" {
		t.Fatalf("get-caller-identity: %v %s", err, out)
	}
	if out, err := run("cognito-idp", "create-user-pool", "--pool-name", "cli", "--query", "UserPool.Id"); err != nil || !strings.HasPrefix(out, "us-east-1_") {
		t.Fatalf("create-user-pool: %v %s", err, out)
	}
	if out, err := run("iam", "create-role", "--role-name", "r", "--assume-role-policy-document", testRoleTrustCLI, "--query", "Role.Arn"); err != nil || out != "arn:aws:iam::000000000000:role/r" {
		t.Fatalf("create-role: %v %s", err, out)
	}
}

const testRoleTrustCLI = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`

// TestAdminAuthResources: the resource a Cognito call is authorised on is the pool the
// operation acts on — a member of the wrong type is refused rather than authorised on "*",
// and calls naming identities are authorised on their identity pools.
func TestAdminAuthResources(t *testing.T) {
	dir := t.TempDir()
	ts := startTestServerWith(t, dir, "", func(o *serveOptions) { o.requireAdminAuth = true })
	ctx := context.Background()
	rootID, rootSecret := rootKey(t, dir)

	const wrongType = `{"UserPoolId":"us-east-1_AbCdEfGhI","IdentityPoolId":5}`
	req, _ := http.NewRequest("POST", ts.awsURL, strings.NewReader(wrongType))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.DescribeUserPool")
	status, raw := sendSigned(t, req, []byte(wrongType), aws.Credentials{AccessKeyID: rootID, SecretAccessKey: rootSecret}, "cognito-idp", time.Now(), nil)
	body := string(raw)
	if status != 400 || !strings.Contains(body, "SerializationException") {
		t.Fatalf("wrong-typed member: %d %s", status, body)
	}

	// Two identity pools with a guest identity each; a user allowed DescribeIdentity on the
	// first pool only.
	ci := ciClientWith(ts.awsURL, rootID, rootSecret)
	var pools, identities []string
	for _, name := range []string{"first", "second"} {
		p, err := ci.CreateIdentityPool(ctx, &cognitoidentity.CreateIdentityPoolInput{IdentityPoolName: aws.String(name), AllowUnauthenticatedIdentities: true})
		if err != nil {
			t.Fatal(err)
		}
		id, err := ci.GetId(ctx, &cognitoidentity.GetIdInput{IdentityPoolId: p.IdentityPoolId})
		if err != nil {
			t.Fatal(err)
		}
		pools, identities = append(pools, *p.IdentityPoolId), append(identities, *id.IdentityId)
	}
	rootIAM := iamClientWith(ts.awsURL, rootID, rootSecret)
	if _, err := rootIAM.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("auditor")}); err != nil {
		t.Fatal(err)
	}
	if _, err := rootIAM.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("auditor"), PolicyName: aws.String("first"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cognito-identity:*","Resource":"arn:aws:cognito-identity:us-east-1:000000000000:identitypool/` + pools[0] + `"}]}`)}); err != nil {
		t.Fatal(err)
	}
	key, err := rootIAM.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("auditor")})
	if err != nil {
		t.Fatal(err)
	}
	auditor := ciClientWith(ts.awsURL, *key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey)
	if _, err := auditor.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: &identities[0]}); err != nil {
		t.Fatalf("identity of the allowed pool: %v", err)
	}
	_, err = auditor.DescribeIdentity(ctx, &cognitoidentity.DescribeIdentityInput{IdentityId: &identities[1]})
	wantAPIError(t, err, "AccessDeniedException", "")
	_, err = auditor.DeleteIdentities(ctx, &cognitoidentity.DeleteIdentitiesInput{IdentityIdsToDelete: identities})
	wantAPIError(t, err, "AccessDeniedException", "")
}

func ciClientWith(url, key, secret string) *cognitoidentity.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(key, secret, ""), RetryMaxAttempts: 1}
	return cognitoidentity.NewFromConfig(cfg, func(o *cognitoidentity.Options) { o.BaseEndpoint = aws.String(url) })
}
