package main

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Resource servers, domains and app-client OAuth settings through the AWS SDK for Go v2.
func TestResourceServersAndDomainsSDK(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	p, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("rs")})
	if err != nil {
		t.Fatal(err)
	}
	pool := p.UserPool.Id

	rs, err := ts.idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool,
		Identifier: aws.String("user_management_lambdas"), Name: aws.String("User management"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("api"), ScopeDescription: aws.String("call the API")}}})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(rs.ResourceServer.Identifier) != "user_management_lambdas" || len(rs.ResourceServer.Scopes) != 1 || aws.ToString(rs.ResourceServer.UserPoolId) != *pool {
		t.Fatalf("created %+v", rs.ResourceServer)
	}
	_, err = ts.idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool,
		Identifier: aws.String("user_management_lambdas"), Name: aws.String("again")})
	wantAPIError(t, err, "InvalidParameterException", "")
	_, err = ts.idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool,
		Identifier: aws.String("x"), Name: aws.String("x"), Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("a/b"), ScopeDescription: aws.String("d")}}})
	wantAPIError(t, err, "InvalidParameterException", "")
	for _, id := range []string{"https://orders.example.com", "b-second"} {
		if _, err := ts.idp.CreateResourceServer(ctx, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String(id), Name: aws.String("n")}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	pager := cip.NewListResourceServersPaginator(ts.idp, &cip.ListResourceServersInput{UserPoolId: pool, MaxResults: aws.Int32(2)})
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.ResourceServers {
			ids = append(ids, aws.ToString(r.Identifier))
		}
	}
	if strings.Join(ids, " ") != "b-second https://orders.example.com user_management_lambdas" {
		t.Fatalf("listed %q", ids)
	}
	up, err := ts.idp.UpdateResourceServer(ctx, &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String("b-second"), Name: aws.String("renamed"),
		Scopes: []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("read")}}})
	if err != nil || aws.ToString(up.ResourceServer.Name) != "renamed" {
		t.Fatalf("update: %v %+v", err, up)
	}
	d, err := ts.idp.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("b-second")})
	if err != nil || aws.ToString(d.ResourceServer.Scopes[0].ScopeName) != "read" {
		t.Fatalf("describe: %v %+v", err, d)
	}
	if _, err := ts.idp.DeleteResourceServer(ctx, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("b-second")}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.idp.DescribeResourceServer(ctx, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("b-second")})
	wantAPIError(t, err, "ResourceNotFoundException", "")

	// App clients: scopes must exist; the OAuth flows have Cognito's rules.
	client := func(in cip.CreateUserPoolClientInput) error {
		in.UserPoolId, in.ClientName = pool, aws.String("c")
		_, err := ts.idp.CreateUserPoolClient(ctx, &in)
		return err
	}
	yes := true
	code := []types.OAuthFlowType{types.OAuthFlowTypeCode}
	wantAPIError(t, client(cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: code,
		CallbackURLs: []string{"https://app.example.com/cb"}, AllowedOAuthScopes: []string{"openid", "user_management_lambdas/nope"}}),
		"ScopeDoesNotExistException", "Invalid scope requested: user_management_lambdas/nope")
	wantAPIError(t, client(cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: code, AllowedOAuthScopes: []string{"openid"}}),
		"InvalidOAuthFlowException", "CallbackUrls can not be empty when code flow or implicit flow is selected")
	wantAPIError(t, client(cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: code, AllowedOAuthScopes: []string{"openid"},
		CallbackURLs: []string{"http://app.example.com/cb"}}),
		"InvalidParameterException", "http://app.example.com/cb cannot use the HTTP protocol.")
	wantAPIError(t, client(cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: code, AllowedOAuthScopes: []string{"openid"},
		CallbackURLs: []string{"https://app.example.com/cb"}, SupportedIdentityProviders: []string{"Google"}}),
		"InvalidParameterException", "The provider Google does not exist for User Pool "+*pool)
	wantAPIError(t, client(cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: []types.OAuthFlowType{types.OAuthFlowTypeClientCredentials},
		AllowedOAuthScopes: []string{"user_management_lambdas/api"}}),
		"InvalidOAuthFlowException", "client_credentials flow can not be selected if client does not have a client secret.")
	if err := client(cip.CreateUserPoolClientInput{AllowedOAuthFlowsUserPoolClient: yes, AllowedOAuthFlows: code,
		AllowedOAuthScopes: []string{"openid", "email", "user_management_lambdas/api"}, SupportedIdentityProviders: []string{"COGNITO"},
		CallbackURLs: []string{"http://localhost:8080/cb", "https://app.example.com/cb"}, DefaultRedirectURI: aws.String("https://app.example.com/cb"),
		LogoutURLs: []string{"http://localhost:8080/"}}); err != nil {
		t.Fatal(err)
	}

	// Domains.
	if _, err := ts.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app")}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("second")})
	wantAPIError(t, err, "InvalidParameterException", "User pool already has a domain configured.")
	other, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("other")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ts.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("my-app")})
	wantAPIError(t, err, "InvalidParameterException", "Domain already associated with another user pool.")
	_, err = ts.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("My_App")})
	wantAPIError(t, err, "InvalidParameterException", "")
	dd, err := ts.idp.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")})
	if err != nil || aws.ToString(dd.DomainDescription.UserPoolId) != *pool || dd.DomainDescription.Status != types.DomainStatusTypeActive {
		t.Fatalf("describe domain: %v %+v", err, dd)
	}
	if dp, err := ts.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool}); err != nil || aws.ToString(dp.UserPool.Domain) != "my-app" {
		t.Fatalf("DescribeUserPool's Domain: %v %+v", err, dp)
	}
	free, err := ts.idp.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("free-name")})
	if err != nil || free.DomainDescription == nil || free.DomainDescription.UserPoolId != nil {
		t.Fatalf("describe a free domain: %v %+v", err, free)
	}
	_, err = ts.idp.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("my-app")})
	wantAPIError(t, err, "InvalidParameterException", "No such domain or user pool exists.")
	if _, err := ts.idp.DeleteUserPoolDomain(ctx, &cip.DeleteUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("my-app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.idp.CreateUserPoolDomain(ctx, &cip.CreateUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("my-app")}); err != nil {
		t.Fatal(err)
	}
	ud, err := ts.idp.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("my-app"), ManagedLoginVersion: aws.Int32(2)})
	if err != nil || aws.ToInt32(ud.ManagedLoginVersion) != 2 {
		t.Fatalf("update domain: %v %+v", err, ud)
	}
	dd, err = ts.idp.DescribeUserPoolDomain(ctx, &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")})
	if err != nil || aws.ToInt32(dd.DomainDescription.ManagedLoginVersion) != 2 {
		t.Fatalf("describe after update: %v %+v", err, dd)
	}

	// A prefix domain has no certificate to change.
	const cert = "arn:aws:acm:us-east-1:000000000000:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	_, err = ts.idp.UpdateUserPoolDomain(ctx, &cip.UpdateUserPoolDomainInput{UserPoolId: other.UserPool.Id, Domain: aws.String("my-app"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String(cert)}})
	wantAPIError(t, err, "InvalidParameterException", "")
}

// The scoped-authorizer set-up as the AWS CLI user types it.
func TestResourceServerCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the AWS CLI is not installed")
	}
	ts := startTestServer(t, "")
	pool := ts.awsCLI(t, "cognito-idp", "create-user-pool", "--pool-name", "scoped")
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	rs := ts.awsCLI(t, "cognito-idp", "create-resource-server", "--user-pool-id", poolID,
		"--identifier", "user_management_lambdas", "--name", "User management",
		"--scopes", "ScopeName=api,ScopeDescription=Call the API")
	if rs["ResourceServer"].(map[string]any)["Identifier"] != "user_management_lambdas" {
		t.Fatalf("create-resource-server: %v", rs)
	}
	list := ts.awsCLI(t, "cognito-idp", "list-resource-servers", "--user-pool-id", poolID, "--max-results", "10")
	if n := len(list["ResourceServers"].([]any)); n != 1 {
		t.Fatalf("list-resource-servers: %v", list)
	}
	c := ts.awsCLI(t, "cognito-idp", "create-user-pool-client", "--user-pool-id", poolID, "--client-name", "service",
		"--generate-secret", "--allowed-o-auth-flows", "client_credentials", "--allowed-o-auth-scopes", "user_management_lambdas/api",
		"--allowed-o-auth-flows-user-pool-client")
	if c["UserPoolClient"].(map[string]any)["AllowedOAuthScopes"].([]any)[0] != "user_management_lambdas/api" {
		t.Fatalf("create-user-pool-client: %v", c)
	}
	ts.awsCLI(t, "cognito-idp", "create-user-pool-domain", "--user-pool-id", poolID, "--domain", "scoped-app")
	d := ts.awsCLI(t, "cognito-idp", "describe-user-pool-domain", "--domain", "scoped-app")
	if d["DomainDescription"].(map[string]any)["UserPoolId"] != poolID {
		t.Fatalf("describe-user-pool-domain: %v", d)
	}
	out, err := ts.awsCLIRaw(t, "cognito-idp", "describe-resource-server", "--user-pool-id", poolID, "--identifier", "missing")
	if err == nil || !strings.Contains(string(out), "(ResourceNotFoundException)") {
		t.Fatalf("describe a missing resource server: %v\n%s", err, out)
	}
	ts.awsCLI(t, "cognito-idp", "delete-resource-server", "--user-pool-id", poolID, "--identifier", "user_management_lambdas")
	ts.awsCLI(t, "cognito-idp", "delete-user-pool-domain", "--user-pool-id", poolID, "--domain", "scoped-app")
}
