// Command iam prepares and signs the gateway benchmark's AWS_IAM requests
// (bench/gateway/run.sh), through Gatehouse's own APIs as a user would.
//
//	iam setup -endpoint URL -pool POOL_ID -client CLIENT_ID -token ID_TOKEN -policy JSON -creds FILE
//
// creates the role bench-role (trusting the identity pool) with -policy as its inline policy,
// an identity pool whose authenticated role it is, and exchanges the ID token for the
// identity's temporary credentials (GetId, GetCredentialsForIdentity), written to -creds.
//
//	iam sign -creds FILE -url URL -out HEADERS
//
// signs a GET of URL with those credentials (the AWS SDK's SigV4 signer, service
// execute-api, now) and writes the headers to send, one "Name: value" a line, for
// hit.lua's headers mode. A signature is good for five minutes: run.sh signs before each run.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ci "github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	citypes "github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
)

const roleName = "bench-role"

func main() {
	log.SetFlags(0)
	log.SetPrefix("iam: ")
	if len(os.Args) < 2 {
		log.Fatal("usage: iam setup|sign [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	endpoint := fs.String("endpoint", "", "Gatehouse's AWS endpoint")
	pool := fs.String("pool", "", "user pool id")
	client := fs.String("client", "", "app client id")
	token := fs.String("token", "", "an ID token of the pool's user")
	policy := fs.String("policy", "", "the role's inline policy")
	credsFile := fs.String("creds", "", "credentials file (setup writes it, sign reads it)")
	url := fs.String("url", "", "URL to sign")
	out := fs.String("out", "", "headers file to write")
	_ = fs.Parse(os.Args[2:])
	switch os.Args[1] {
	case "setup":
		if *endpoint == "" || *pool == "" || *client == "" || *token == "" || *policy == "" || *credsFile == "" {
			log.Fatal("setup needs -endpoint, -pool, -client, -token, -policy and -creds")
		}
		if err := setup(context.Background(), *endpoint, *pool, *client, *token, *policy, *credsFile); err != nil {
			log.Fatal(err)
		}
	case "sign":
		if *credsFile == "" || *url == "" || *out == "" {
			log.Fatal("sign needs -creds, -url and -out")
		}
		if err := sign(*credsFile, *url, *out); err != nil {
			log.Fatal(err)
		}
	default:
		log.Fatalf("unknown command %q: setup or sign", os.Args[1])
	}
}

func setup(ctx context.Context, endpoint, pool, client, token, policy, credsFile string) error {
	// Protected mode on loopback accepts any key for the admin calls.
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("bench", "bench", ""), RetryMaxAttempts: 1}
	idc := ci.NewFromConfig(cfg, func(o *ci.Options) { o.BaseEndpoint = aws.String(endpoint) })
	iamc := awsiam.NewFromConfig(cfg, func(o *awsiam.Options) { o.BaseEndpoint = aws.String(endpoint) })
	provider := "cognito-idp.us-east-1.amazonaws.com/" + pool
	ip, err := idc.CreateIdentityPool(ctx, &ci.CreateIdentityPoolInput{
		IdentityPoolName:         aws.String("bench"),
		CognitoIdentityProviders: []citypes.CognitoIdentityProvider{{ProviderName: aws.String(provider), ClientId: aws.String(client)}},
	})
	if err != nil {
		return fmt.Errorf("create identity pool: %w", err)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},` +
		`"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"` + *ip.IdentityPoolId + `"}}}]}`
	role, err := iamc.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String(roleName), AssumeRolePolicyDocument: aws.String(trust)})
	if err != nil {
		return fmt.Errorf("create role: %w", err)
	}
	if _, err := iamc.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String(roleName), PolicyName: aws.String("bench"), PolicyDocument: aws.String(policy)}); err != nil {
		return fmt.Errorf("put role policy: %w", err)
	}
	if _, err := idc.SetIdentityPoolRoles(ctx, &ci.SetIdentityPoolRolesInput{IdentityPoolId: ip.IdentityPoolId, Roles: map[string]string{"authenticated": *role.Role.Arn}}); err != nil {
		return fmt.Errorf("set identity pool roles: %w", err)
	}
	logins := map[string]string{provider: token}
	id, err := idc.GetId(ctx, &ci.GetIdInput{IdentityPoolId: ip.IdentityPoolId, Logins: logins})
	if err != nil {
		return fmt.Errorf("get id: %w", err)
	}
	c, err := idc.GetCredentialsForIdentity(ctx, &ci.GetCredentialsForIdentityInput{IdentityId: id.IdentityId, Logins: logins})
	if err != nil {
		return fmt.Errorf("get credentials: %w", err)
	}
	body := *c.Credentials.AccessKeyId + "\n" + *c.Credentials.SecretKey + "\n" + *c.Credentials.SessionToken + "\n"
	if err := os.WriteFile(credsFile, []byte(body), 0o600); err != nil {
		return err
	}
	log.Printf("role %s, identity pool %s, identity %s, credentials %s until %s", *role.Role.Arn, *ip.IdentityPoolId, *id.IdentityId,
		*c.Credentials.AccessKeyId, c.Credentials.Expiration.UTC().Format(time.RFC3339))
	return nil
}

func sign(credsFile, url, out string) error {
	b, err := os.ReadFile(credsFile)
	if err != nil {
		return err
	}
	parts := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(parts) != 3 {
		return fmt.Errorf("%s: want 3 lines (key, secret, session token)", credsFile)
	}
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	empty := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: parts[0], SecretAccessKey: parts[1], SessionToken: parts[2]}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(empty[:]), "execute-api", "us-east-1", time.Now()); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, h := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} {
		fmt.Fprintf(w, "%s: %s\n", h, req.Header.Get(h))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
