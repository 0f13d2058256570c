package stack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// reservation is the project: a pool, a client, an identity pool trusting it, a
// role the identity pool's users assume, its attachment, and the outputs.
const reservation = header + `resources:
	Resources:
		CognitoUserPool:
			Type: AWS::Cognito::UserPool
			Properties:
				UserPoolName: "${self:service}-${sls:stage}-users"
				UsernameAttributes: [email]
				AutoVerifiedAttributes: [email]
				Policies: { PasswordPolicy: { MinimumLength: 8, RequireSymbols: false } }
				Schema:
					- { Name: tier, AttributeDataType: String, Mutable: true }
		CognitoUserPoolClient:
			Type: AWS::Cognito::UserPoolClient
			Properties:
				ClientName: web
				UserPoolId: !Ref CognitoUserPool
				GenerateSecret: false
				ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
		Admins:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: !Ref CognitoUserPool, GroupName: admins, Precedence: 1, RoleArn: !GetAtt AuthRole.Arn }
		CognitoIdentityPool:
			Type: AWS::Cognito::IdentityPool
			Properties:
				IdentityPoolName: reservation_dev
				AllowUnauthenticatedIdentities: false
				CognitoIdentityProviders:
					- { ClientId: !Ref CognitoUserPoolClient, ProviderName: !GetAtt CognitoUserPool.ProviderName }
		AuthRole:
			Type: AWS::IAM::Role
			Properties:
				AssumeRolePolicyDocument:
					Version: "2012-10-17"
					Statement:
						- Effect: Allow
							Principal: { Federated: cognito-identity.amazonaws.com }
							Action: ["sts:AssumeRoleWithWebIdentity"]
							Condition:
								StringEquals: { "cognito-identity.amazonaws.com:aud": !Ref CognitoIdentityPool }
								"ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": authenticated }
				Policies:
					- PolicyName: invoke
						PolicyDocument:
							Version: "2012-10-17"
							Statement:
								- Effect: Allow
									Action: ["execute-api:Invoke"]
									Resource: !Sub "arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*"
		RoleAttachment:
			Type: AWS::Cognito::IdentityPoolRoleAttachment
			Properties:
				IdentityPoolId: !Ref CognitoIdentityPool
				Roles: { authenticated: !GetAtt AuthRole.Arn }
	Outputs:
		UserPoolId: { Value: !Ref CognitoUserPool, Description: the pool }
		UserPoolClientId: { Value: !Ref CognitoUserPoolClient }
		IdentityPoolId: { Value: !Ref CognitoIdentityPool, Export: { Name: !Sub "${AWS::StackName}-IdentityPoolId" } }
		RoleArn: { Value: !GetAtt AuthRole.Arn }
		ProviderURL: { Value: !GetAtt CognitoUserPool.ProviderURL }
`

func outputMap(outs []Output) map[string]string {
	m := map[string]string{}
	for _, o := range outs {
		m[o.Name] = o.Value
	}
	return m
}

func TestDeployReservation(t *testing.T) { testDeployReservation(t, newEnv(t)) }

// TestDeployReservationPostgres: the same on PostgreSQL, the store several nodes share.
func TestDeployReservationPostgres(t *testing.T) {
	st, err := sqlstore.Open(context.Background(), storetest.PostgresURL(t, "gh_stack_"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	testDeployReservation(t, newEnvOn(t, st, t.TempDir()))
}

func testDeployReservation(t *testing.T, e *testEnv) {
	ctx := context.Background()
	svc := load(t, reservation)
	res, err := e.d.Deploy(ctx, svc, "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	out := outputMap(res.Outputs)
	poolID := out["UserPoolId"]
	pool, err := e.pools.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: poolID})
	if err != nil {
		t.Fatalf("the pool of the output: %v", err)
	}
	if pool.UserPool.Name != "reservation-dev-users" || len(pool.UserPool.UsernameAttributes) != 1 {
		t.Errorf("pool = %+v", pool.UserPool)
	}
	if got := pool.UserPool.Policies.PasswordPolicy.MinimumLength; got == nil || *got != 8 {
		t.Errorf("MinimumLength = %v", got)
	}
	cl, err := e.pools.DescribeUserPoolClient(ctx, &userpool.DescribeUserPoolClientRequest{UserPoolId: poolID, ClientId: out["UserPoolClientId"]})
	if err != nil || cl.UserPoolClient.ClientName != "web" || len(cl.UserPoolClient.ExplicitAuthFlows) != 3 {
		t.Fatalf("client: %+v, %v", cl, err)
	}
	ip, err := e.ids.DescribeIdentityPool(ctx, &identitypool.DescribeIdentityPoolInput{IdentityPoolId: out["IdentityPoolId"]})
	if err != nil {
		t.Fatal(err)
	}
	if p := ip.CognitoIdentityProviders; len(p) != 1 || p[0].ProviderName != "cognito-idp.us-east-1.amazonaws.com/"+poolID || p[0].ClientId != out["UserPoolClientId"] {
		t.Errorf("identity providers = %+v", p)
	}
	roles, err := e.ids.GetIdentityPoolRoles(ctx, &identitypool.GetIdentityPoolRolesInput{IdentityPoolId: out["IdentityPoolId"]})
	if err != nil || roles.Roles["authenticated"] != out["RoleArn"] {
		t.Fatalf("roles = %+v, %v (want %s)", roles, err, out["RoleArn"])
	}
	role, err := e.iam.GetRole(ctx, strings.TrimPrefix(out["RoleArn"], "arn:aws:iam::000000000000:role/"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(role.AssumeRolePolicyDocument), out["IdentityPoolId"]) {
		t.Errorf("trust policy does not name the identity pool: %s", role.AssumeRolePolicyDocument)
	}
	pol, err := e.iam.GetRolePolicy(ctx, role.RoleName, "invoke")
	if err != nil || !strings.Contains(string(pol.PolicyDocument), "arn:aws:execute-api:us-east-1:000000000000:abcdefghij/*") {
		t.Fatalf("inline policy: %+v, %v", pol, err)
	}
	g, err := e.pools.GetGroup(ctx, &userpool.GetGroupRequest{UserPoolId: poolID, GroupName: "admins"})
	if err != nil || g.Group.RoleArn != out["RoleArn"] {
		t.Fatalf("group: %+v, %v", g, err)
	}
	if want := "https://cognito-idp.us-east-1.amazonaws.com/" + poolID; out["ProviderURL"] != want {
		t.Errorf("ProviderURL = %s, want %s", out["ProviderURL"], want)
	}
	if res.Outputs[2].ExportName != "reservation-dev-IdentityPoolId" || res.Outputs[0].Description != "the pool" {
		t.Errorf("outputs = %+v", res.Outputs)
	}
	if res.PoolARNs["CognitoUserPool"] != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+poolID {
		t.Errorf("PoolARNs = %v", res.PoolARNs)
	}

	// A user signs up; a second deploy (a restart) changes nothing: same IDs, user kept.
	if _, err := e.pools.SignUp(ctx, &userpool.SignUpRequest{ClientId: out["UserPoolClientId"], Username: "ana@example.com", Password: "Passw0rd!"}); err != nil {
		t.Fatal(err)
	}
	again, err := newEnvOn(t, e.st, e.data).d.Deploy(ctx, load(t, reservation), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	if got := outputMap(again.Outputs); got["UserPoolId"] != poolID || got["UserPoolClientId"] != out["UserPoolClientId"] || got["IdentityPoolId"] != out["IdentityPoolId"] || got["RoleArn"] != out["RoleArn"] {
		t.Fatalf("restart changed IDs: %v -> %v", out, got)
	}
	if _, err := e.pools.AdminGetUser(ctx, &userpool.AdminGetUserRequest{UserPoolId: poolID, Username: "ana@example.com"}); err != nil {
		t.Fatalf("user lost on restart: %v", err)
	}
	if outs, err := e.d.Outputs(ctx, load(t, reservation), "abcdefghij"); err != nil || outputMap(outs)["UserPoolId"] != poolID {
		t.Fatalf("Outputs = %v, %v", outs, err)
	}

	// An edit: the client's flows change (in place: same ID), the group goes, the pool
	// gains a custom attribute (in place).
	edited := strings.Replace(reservation, "[ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]", "[ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]", 1)
	edited = strings.Replace(edited, "\t\tAdmins:\n\t\t\tType: AWS::Cognito::UserPoolGroup\n\t\t\tProperties: { UserPoolId: !Ref CognitoUserPool, GroupName: admins, Precedence: 1, RoleArn: !GetAtt AuthRole.Arn }\n", "", 1)
	edited = strings.Replace(edited, "- { Name: tier, AttributeDataType: String, Mutable: true }", "- { Name: tier, AttributeDataType: String, Mutable: true }\n\t\t\t\t\t- { Name: plan, AttributeDataType: String }", 1)
	res3, err := e.d.Deploy(ctx, load(t, edited), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	if got := outputMap(res3.Outputs); got["UserPoolClientId"] != out["UserPoolClientId"] || got["UserPoolId"] != poolID {
		t.Fatalf("in-place update replaced: %v", got)
	}
	cl, _ = e.pools.DescribeUserPoolClient(ctx, &userpool.DescribeUserPoolClientRequest{UserPoolId: poolID, ClientId: out["UserPoolClientId"]})
	if len(cl.UserPoolClient.ExplicitAuthFlows) != 2 {
		t.Errorf("flows after edit = %v", cl.UserPoolClient.ExplicitAuthFlows)
	}
	if _, err := e.pools.GetGroup(ctx, &userpool.GetGroupRequest{UserPoolId: poolID, GroupName: "admins"}); !isNotFound(err) {
		t.Errorf("removed group still there: %v", err)
	}
	if !strings.Contains(e.logs.String(), "resource removed from the file deleted") {
		t.Errorf("log does not say the group was deleted:\n%s", e.logs)
	}
	pool, _ = e.pools.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: poolID})
	found := false
	for _, a := range pool.UserPool.SchemaAttributes {
		found = found || a.Name == "custom:plan"
	}
	if !found {
		t.Errorf("custom:plan not added")
	}

	// A replacement: UsernameAttributes changes; the pool with its user is exported first.
	replaced := strings.Replace(edited, "UsernameAttributes: [email]", "AliasAttributes: [email]", 1)
	res4, err := e.d.Deploy(ctx, load(t, replaced), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	got := outputMap(res4.Outputs)
	if got["UserPoolId"] == poolID || got["UserPoolClientId"] == out["UserPoolClientId"] {
		t.Fatalf("replacement kept IDs: %v", got)
	}
	if got["IdentityPoolId"] != out["IdentityPoolId"] {
		t.Errorf("identity pool replaced, want updated in place")
	}
	files, _ := filepath.Glob(filepath.Join(e.data, "removed", "reservation-dev-CognitoUserPool-"+poolID+"-*.json"))
	if len(files) != 1 {
		t.Fatalf("no export of the replaced pool's users: %v\n%s", files, e.logs)
	}
	b, _ := os.ReadFile(files[0])
	if !strings.Contains(string(b), "ana@example.com") || !strings.Contains(e.logs.String(), files[0]) {
		t.Errorf("export lacks the user or the log lacks the file")
	}

	// Remove: everything goes, the record too.
	gone, err := e.d.Remove(ctx, load(t, replaced), "abcdefghij")
	if err != nil || len(gone) != 5 {
		t.Fatalf("Remove = %d, %v", len(gone), err)
	}
	if _, err := e.pools.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: got["UserPoolId"]}); !isNotFound(err) {
		t.Errorf("pool still there after remove: %v", err)
	}
	if _, err := e.iam.GetRole(ctx, strings.TrimPrefix(got["RoleArn"], "arn:aws:iam::000000000000:role/")); !isNotFound(err) {
		t.Errorf("role still there: %v", err)
	}
	if recs, _ := e.st.ListStackResources(ctx, "reservation-dev"); len(recs) != 0 {
		t.Errorf("record left: %v", recs)
	}
}

func TestRetainAndNotOurs(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// A pool made with the CLI: the stack never touches it.
	mine, err := e.pools.CreateUserPool(ctx, &userpool.CreateUserPoolRequest{PoolName: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	yml := header + `resources:
	Resources:
		Kept:
			Type: AWS::Cognito::UserPool
			DeletionPolicy: Retain
			Properties: { UserPoolName: kept }
		Gone:
			Type: AWS::Cognito::UserPool
`
	res, err := e.d.Deploy(ctx, load(t, yml), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	kept := res.PoolARNs["Kept"]
	if _, err := e.d.Deploy(ctx, load(t, header), "abcdefghij"); err != nil {
		t.Fatal(err)
	}
	list, _ := e.pools.ListUserPools(ctx, &userpool.ListUserPoolsRequest{MaxResults: ptr(int64(60))})
	var names []string
	for _, p := range list.UserPools {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "kept,mine" && strings.Join(names, ",") != "mine,kept" {
		t.Fatalf("pools after removing both from the file = %v (kept: %s)", names, kept)
	}
	if _, err := e.pools.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: mine.UserPool.Id}); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestReplacementReappliesDependents: a role of a generated name whose Path changes is a new
// role with the same name; the policy resource naming it is put on it again.
func TestReplacementReappliesDependents(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	yml := header + `resources:
	Resources:
		Role:
			Type: AWS::IAM::Role
			Properties:
				Path: /a/
				AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { Federated: cognito-identity.amazonaws.com }, Action: "sts:AssumeRoleWithWebIdentity" } ] }
		Pol:
			Type: AWS::IAM::Policy
			Properties: { PolicyName: extra, Roles: [!Ref Role], PolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:GetObject", Resource: "*" } ] } }
	Outputs:
		Arn: { Value: !GetAtt Role.Arn }
`
	first, err := e.d.Deploy(ctx, load(t, yml), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.d.Deploy(ctx, load(t, strings.Replace(yml, "Path: /a/", "Path: /b/", 1)), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	a, b := first.Outputs[0].Value, second.Outputs[0].Value
	if a == b || !strings.Contains(b, ":role/b/") {
		t.Fatalf("role not replaced: %s -> %s", a, b)
	}
	name := b[strings.LastIndex(b, "/")+1:]
	if _, err := e.iam.GetRolePolicy(ctx, name, "extra"); err != nil {
		t.Fatalf("the policy of the replaced role: %v", err)
	}
}

// TestTwoNodesDeployOnce: two nodes on one PostgreSQL database start together; the stack's
// lock makes the second find what the first created, so there is one of each resource.
func TestTwoNodesDeployOnce(t *testing.T) {
	url := storetest.PostgresURL(t, "gh_stack_")
	node := func() *testEnv {
		st, err := sqlstore.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return newEnvOn(t, st, t.TempDir())
	}
	a, b := node(), node()
	type result struct {
		res *Result
		err error
	}
	results := make(chan result, 2)
	for _, e := range []*testEnv{a, b} {
		go func() {
			res, err := e.d.Deploy(context.Background(), load(t, reservation), "abcdefghij")
			results <- result{res, err}
		}()
	}
	r1, r2 := <-results, <-results
	if r1.err != nil || r2.err != nil {
		t.Fatal(r1.err, r2.err)
	}
	o1, o2 := outputMap(r1.res.Outputs), outputMap(r2.res.Outputs)
	for _, k := range []string{"UserPoolId", "UserPoolClientId", "IdentityPoolId", "RoleArn"} {
		if o1[k] != o2[k] {
			t.Errorf("%s differs between the nodes: %s, %s", k, o1[k], o2[k])
		}
	}
	pools, err := a.st.ListUserPools(context.Background(), storePage())
	if err != nil || len(pools) != 1 {
		t.Fatalf("%d pools, want 1 (%v)", len(pools), err)
	}
}
