package stack

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestTemplateErrors: every reference error names file:line:col, and nothing is created.
func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		name, resources, want string
	}{
		{"unknown logical ID", `
		Client:
			Type: AWS::Cognito::UserPoolClient
			Properties: { UserPoolId: !Ref Nope }`, `:12:\d+: resources.Resources.Client.Properties.UserPoolId: no resource Nope in resources.Resources`},
		{"unknown attribute", `
		Pool:
			Type: AWS::Cognito::UserPool
		Out:
			Type: AWS::IAM::Role
			Properties: { RoleName: !GetAtt Pool.Nope }`, `:14:\d+: .*Pool \(AWS::Cognito::UserPool\) has no attribute Nope for Fn::GetAtt; it has Arn, ProviderName, ProviderURL, UserPoolId`},
		{"attribute of a group", `
		G:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: us-east-1_abcdefghi, Description: !GetAtt G2.Arn }
		G2:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: us-east-1_abcdefghi }`, `G2 \(AWS::Cognito::UserPoolGroup\) has no attribute Arn for Fn::GetAtt; it has none`},
		{"cycle", `
		A:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: us-east-1_abcdefghi, Description: !Ref B }
		B:
			Type: AWS::Cognito::UserPoolGroup
			DependsOn: C
			Properties: { UserPoolId: us-east-1_abcdefghi }
		C:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: us-east-1_abcdefghi, Description: !Sub "${A}" }`, `:10:\d+: resources.Resources.A: circular dependency between resources: A -> B -> C -> A`},
		{"wrong type", `
		Role:
			Type: AWS::IAM::Role
			Properties: { AssumeRolePolicyDocument: {} }
		Client:
			Type: AWS::Cognito::UserPoolClient
			Properties: { UserPoolId: !Ref Role }`, `:15:\d+: resources.Resources.Client.Properties.UserPoolId: Ref Role is a AWS::IAM::Role; UserPoolId needs a AWS::Cognito::UserPool`},
		{"Sub of unknown", `
		Pool:
			Type: AWS::Cognito::UserPool
			Properties: { UserPoolName: !Sub "${Missing.Arn}-x" }`, `:12:\d+: .*no resource Missing`},
		{"unknown DependsOn", `
		Pool:
			Type: AWS::Cognito::UserPool
			DependsOn: [Ghost]`, `:10:\d+: resources.Resources.Pool.DependsOn: no resource Ghost`},
		{"unknown pseudo", `
		Pool:
			Type: AWS::Cognito::UserPool
			Properties: { UserPoolName: !Ref AWS::Nope }`, `unknown pseudo parameter AWS::Nope`},
		{"ref to an uncreated type", `
		Table:
			Type: AWS::DynamoDB::Table
		Pool:
			Type: AWS::Cognito::UserPool
			Properties: { UserPoolName: !Ref Table }`, `Table is a AWS::DynamoDB::Table, which Gatehouse does not create, so it has no value here`},
		{"bad request", `
		Pool:
			Type: AWS::Cognito::UserPool
			Properties: { UserPoolName: "", MfaConfiguration: SOMETIMES }`, `:10: resources.Resources.Pool: CreateUserPool: `},
		{"bad policy", `
		Role:
			Type: AWS::IAM::Role
			Properties: { AssumeRolePolicyDocument: { Statement: [ { Effect: Maybe } ] } }`, `:10: resources.Resources.Role: AssumeRolePolicyDocument: `},
		{"client of a missing pool attr", `
		Pool:
			Type: AWS::Cognito::UserPool
		Client:
			Type: AWS::Cognito::UserPoolClient
			Properties: { UserPoolId: !Ref Pool, ClientName: !GetAtt Pool.ClientSecret }`, `Pool \(AWS::Cognito::UserPool\) has no attribute ClientSecret`},
		{"environment of unknown", `
		Pool:
			Type: AWS::Cognito::UserPool`, `:5:\d+: functions.hello.environment.POOL: no resource Nope`},
		{"output of unknown", `
		Pool:
			Type: AWS::Cognito::UserPool
	Outputs:
		X: { Value: !GetAtt Pool.Nope }`, `:13:\d+: resources.Outputs.X.Value: Pool \(AWS::Cognito::UserPool\) has no attribute Nope`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			head := header
			if strings.HasPrefix(tt.name, "environment") {
				head = strings.Replace(header, "\thello:\n", "\thello:\n\t\tenvironment: { POOL: !Ref Nope }\n", 1)
			}
			svc := load(t, head+"resources:\n\tResources:"+tt.resources+"\n")
			// A valid resource next to the bad one: it must not be created either.
			_, err := e.d.Deploy(ctx, svc, "abcdefghij")
			if err == nil {
				t.Fatal("Deploy succeeded")
			}
			want := tt.want
			if !strings.HasPrefix(want, ":") {
				want = `:\d+:\d+: .*` + want
			}
			if !regexp.MustCompile(`serverless\.yml` + want).MatchString(err.Error()) {
				t.Errorf("error = %v\nwant match %s", err, tt.want)
			}
			if recs, _ := e.st.ListStackResources(ctx, "reservation-dev"); len(recs) != 0 {
				t.Errorf("created %d resources before failing", len(recs))
			}
			if pools, _ := e.st.ListUserPools(ctx, storePage()); len(pools) != 0 {
				t.Errorf("a pool was created: %+v", pools)
			}
		})
	}
}

// TestGetAtt: every attribute of every type, and Ref.
func TestGetAtt(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	yml := header + `resources:
	Conditions:
		IsDev: !Equals [!Ref "AWS::Region", us-east-1]
		IsProd: !Not [!Condition IsDev]
	Resources:
		Pool:
			Type: AWS::Cognito::UserPool
		Client:
			Type: AWS::Cognito::UserPoolClient
			Properties: { UserPoolId: !Ref Pool, GenerateSecret: true, ClientName: app }
		Group:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: !Ref Pool }
		User:
			Type: AWS::Cognito::UserPoolUser
			Properties: { UserPoolId: !Ref Pool, Username: bob, MessageAction: SUPPRESS }
		Member:
			Type: AWS::Cognito::UserPoolUserToGroupAttachment
			Properties: { UserPoolId: !Ref Pool, GroupName: !Ref Group, Username: !Ref User }
		Ids:
			Type: AWS::Cognito::IdentityPool
			Properties:
				AllowUnauthenticatedIdentities: true
				IdentityPoolTags: [ { Key: team, Value: a } ]
				CognitoIdentityProviders: [ { ClientId: !Ref Client, ProviderName: !GetAtt Pool.ProviderName } ]
		Role:
			Type: AWS::IAM::Role
			Properties:
				Path: /app/
				AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}'
		Attach:
			Type: AWS::Cognito::IdentityPoolRoleAttachment
			Properties:
				IdentityPoolId: !Ref Ids
				Roles: { unauthenticated: !GetAtt Role.Arn }
				RoleMappings:
					cognito:
						IdentityProvider: !Join ["", ["cognito-idp.us-east-1.amazonaws.com/", !Ref Pool, ":", !Ref Client]]
						Type: Token
						AmbiguousRoleResolution: AuthenticatedRole
		Pol:
			Type: AWS::IAM::Policy
			Properties: { PolicyName: extra, Roles: [!Ref Role], PolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:GetObject", Resource: "*" } ] } }
		Managed:
			Type: AWS::IAM::ManagedPolicy
			Properties: { ManagedPolicyName: shared, Roles: [!Ref Role], PolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "s3:PutObject", Resource: "*" } ] } }
		ProdOnly:
			Type: AWS::Cognito::UserPool
			Condition: IsProd
	Outputs:
		PoolArn: { Value: !GetAtt Pool.Arn }
		PoolProviderName: { Value: !GetAtt Pool.ProviderName }
		PoolProviderURL: { Value: !GetAtt Pool.ProviderURL }
		PoolUserPoolId: { Value: !GetAtt Pool.UserPoolId }
		PoolRef: { Value: !Ref Pool }
		ClientRef: { Value: !Ref Client }
		ClientId: { Value: !GetAtt Client.ClientId }
		ClientName: { Value: !GetAtt Client.Name }
		ClientSecret: { Value: !GetAtt Client.ClientSecret }
		GroupRef: { Value: !Ref Group }
		UserRef: { Value: !Ref User }
		IdsRef: { Value: !Ref Ids }
		IdsId: { Value: !GetAtt Ids.Id }
		IdsName: { Value: !GetAtt Ids.Name }
		AttachRef: { Value: !Ref Attach }
		AttachId: { Value: !GetAtt Attach.Id }
		RoleRef: { Value: !Ref Role }
		RoleArn: { Value: !GetAtt Role.Arn }
		RoleId: { Value: !GetAtt Role.RoleId }
		PolId: { Value: !GetAtt Pol.Id }
		ManagedRef: { Value: !Ref Managed }
		ManagedArn: { Value: !GetAtt Managed.PolicyArn }
		ManagedId: { Value: !GetAtt Managed.PolicyId }
		Api: { Value: !Sub "https://${ApiGatewayRestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev" }
		Fn: { Value: !GetAtt HelloLambdaFunction.Arn }
		Azs: { Value: !Select [1, !GetAZs ""] }
		Split: { Value: !Select [2, !Split [":", !GetAtt Pool.Arn]] }
		Cond: { Value: !If [IsDev, dev, prod] }
		ProdOut: { Value: !Ref ProdOnly, Condition: IsProd }
`
	yml = strings.Replace(yml, "\thello:\n", "\thello:\n\t\tenvironment: { POOL: !Ref Pool, CLIENT_ARN: !Sub '${Pool.Arn}/client/${Client}', PLAIN: x }\n", 1)
	res, err := e.d.Deploy(ctx, load(t, yml), "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	o := outputMap(res.Outputs)
	pool := o["PoolRef"]
	if env := res.Environment["hello"]; len(env) != 2 || env["POOL"] != pool || env["CLIENT_ARN"] != o["PoolArn"]+"/client/"+o["ClientRef"] {
		t.Errorf("environment = %v", res.Environment)
	}
	want := map[string]string{
		"PoolArn":          "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool,
		"PoolProviderName": "cognito-idp.us-east-1.amazonaws.com/" + pool,
		"PoolProviderURL":  "https://cognito-idp.us-east-1.amazonaws.com/" + pool,
		"PoolUserPoolId":   pool,
		"ClientId":         o["ClientRef"],
		"ClientName":       "app",
		"UserRef":          "bob",
		"IdsId":            o["IdsRef"],
		"AttachRef":        o["IdsRef"],
		"AttachId":         o["IdsRef"],
		"RoleArn":          "arn:aws:iam::000000000000:role/app/" + o["RoleRef"],
		"ManagedRef":       "arn:aws:iam::000000000000:policy/shared",
		"ManagedArn":       "arn:aws:iam::000000000000:policy/shared",
		"Api":              "https://abcdefghij.execute-api.us-east-1.amazonaws.com/dev",
		"Fn":               "arn:aws:lambda:us-east-1:000000000000:function:reservation-dev-hello",
		"Azs":              "us-east-1b",
		"Split":            "cognito-idp",
		"Cond":             "dev",
	}
	for k, v := range want {
		if o[k] != v {
			t.Errorf("%s = %q, want %q", k, o[k], v)
		}
	}
	for _, k := range []string{"ClientSecret", "GroupRef", "IdsName", "RoleId", "PolId", "ManagedId"} {
		if o[k] == "" {
			t.Errorf("%s is empty", k)
		}
	}
	if _, ok := o["ProdOut"]; ok {
		t.Errorf("output of a false condition printed")
	}
	if !regexp.MustCompile(`^[a-z0-9]+$`).MatchString(o["ClientSecret"]) || len(o["ClientSecret"]) < 40 {
		t.Errorf("ClientSecret = %q", o["ClientSecret"])
	}
	if !strings.HasPrefix(o["RoleId"], "AROA") || !strings.HasPrefix(o["ManagedId"], "ANPA") {
		t.Errorf("RoleId %s, ManagedId %s", o["RoleId"], o["ManagedId"])
	}
	// The client secret is not in the stack record.
	recs, _ := e.st.ListStackResources(ctx, "reservation-dev")
	for _, r := range recs {
		if strings.Contains(r.Attributes, o["ClientSecret"]) {
			t.Errorf("client secret stored in the stack record of %s", r.LogicalID)
		}
		if r.LogicalID == "ProdOnly" {
			t.Errorf("a resource of a false condition was created")
		}
	}
	// The role has both policies; the user is in the group; the mapping is keyed by provider.
	for _, p := range []string{"extra", "shared"} {
		if _, err := e.iam.GetRolePolicy(ctx, o["RoleRef"], p); err != nil {
			t.Errorf("policy %s: %v", p, err)
		}
	}
	roles, err := e.ids.GetIdentityPoolRoles(ctx, &identityPoolRolesInput{IdentityPoolId: o["IdsRef"]})
	if err != nil || roles.RoleMappings["cognito-idp.us-east-1.amazonaws.com/"+pool+":"+o["ClientRef"]] == nil {
		t.Errorf("role mappings = %+v, %v", roles, err)
	}
	groups, err := e.pools.AdminListGroupsForUser(ctx, &listGroupsForUser{UserPoolId: pool, Username: "bob"})
	if err != nil || len(groups.Groups) != 1 || groups.Groups[0].GroupName != o["GroupRef"] {
		t.Errorf("groups of bob = %+v, %v", groups, err)
	}
}
