package stack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// TestProperties: each type's properties reach the resource as the AWS API would set them
// (checked with the API's own Describe/Get), and unsupported ones are warned about.
func TestProperties(t *testing.T) {
	const pool = `
		Pool:
			Type: AWS::Cognito::UserPool
			Properties: { UserPoolName: base }`
	tests := []struct {
		name, resources string
		// describe returns the resource as the API shows it, as JSON.
		describe func(t *testing.T, e *testEnv, out map[string]string) any
		want     []string
		warn     string
	}{
		{"user pool", `
		Pool:
			Type: AWS::Cognito::UserPool
			Properties:
				UserPoolName: shop
				AliasAttributes: [email, preferred_username]
				AutoVerifiedAttributes: [email]
				MfaConfiguration: "OFF"
				DeletionProtection: INACTIVE
				Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: true, TemporaryPasswordValidityDays: 3 } }
				AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }
				AccountRecoverySetting: { RecoveryMechanisms: [ { Name: verified_email, Priority: 1 } ] }
				Schema: [ { Name: plan, AttributeDataType: String, Mutable: true, StringAttributeConstraints: { MinLength: "1", MaxLength: "20" } } ]
				UserPoolTags: { team: shop }
				EnabledMfas: [SOFTWARE_TOKEN_MFA]
	Outputs:
		Id: { Value: !Ref Pool }`,
			func(t *testing.T, e *testEnv, out map[string]string) any {
				p, err := e.pools.DescribeUserPool(context.Background(), &userpool.DescribeUserPoolRequest{UserPoolId: out["Id"]})
				if err != nil {
					t.Fatal(err)
				}
				return p.UserPool
			},
			[]string{`"Name":"shop"`, `"AliasAttributes":["email","preferred_username"]`, `"MinimumLength":12`, `"TemporaryPasswordValidityDays":3`,
				`"AllowAdminCreateUserOnly":true`, `"Priority":1,"Name":"verified_email"`, `"Name":"custom:plan"`, `"MaxLength":"20"`, `"team":"shop"`, `"MfaConfiguration":"OFF"`},
			"property EnabledMfas is not supported by Gatehouse"},
		{"app client", pool + `
		Client:
			Type: AWS::Cognito::UserPoolClient
			Properties:
				UserPoolId: !Ref Pool
				ClientName: web
				GenerateSecret: true
				ExplicitAuthFlows: [ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
				AccessTokenValidity: 2
				IdTokenValidity: 2
				RefreshTokenValidity: 7
				TokenValidityUnits: { AccessToken: hours, IdToken: hours, RefreshToken: days }
				ReadAttributes: [email, name]
				WriteAttributes: [name]
				PreventUserExistenceErrors: ENABLED
				EnableTokenRevocation: true
	Outputs:
		Pool: { Value: !Ref Pool }
		Id: { Value: !Ref Client }`,
			func(t *testing.T, e *testEnv, out map[string]string) any {
				c, err := e.pools.DescribeUserPoolClient(context.Background(), &userpool.DescribeUserPoolClientRequest{UserPoolId: out["Pool"], ClientId: out["Id"]})
				if err != nil {
					t.Fatal(err)
				}
				return c.UserPoolClient
			},
			[]string{`"ClientName":"web"`, `"ClientSecret":"`, `"AccessTokenValidity":2`, `"RefreshTokenValidity":7`, `"AccessToken":"hours"`,
				`"ReadAttributes":["email","name"]`, `"WriteAttributes":["name"]`, `"PreventUserExistenceErrors":"ENABLED"`, `"ExplicitAuthFlows":["ALLOW_USER_SRP_AUTH","ALLOW_REFRESH_TOKEN_AUTH"]`},
			""},
		{"group", pool + `
		Group:
			Type: AWS::Cognito::UserPoolGroup
			Properties: { UserPoolId: !Ref Pool, GroupName: staff, Description: the staff, Precedence: 3 }
	Outputs:
		Pool: { Value: !Ref Pool }`,
			func(t *testing.T, e *testEnv, out map[string]string) any {
				g, err := e.pools.GetGroup(context.Background(), &userpool.GetGroupRequest{UserPoolId: out["Pool"], GroupName: "staff"})
				if err != nil {
					t.Fatal(err)
				}
				return g.Group
			},
			[]string{`"Description":"the staff"`, `"Precedence":3`}, ""},
		{"user", pool + `
		User:
			Type: AWS::Cognito::UserPoolUser
			Properties:
				UserPoolId: !Ref Pool
				Username: carl
				MessageAction: SUPPRESS
				UserAttributes: [ { Name: email, Value: carl@example.com }, { Name: email_verified, Value: "true" } ]
	Outputs:
		Pool: { Value: !Ref Pool }`,
			func(t *testing.T, e *testEnv, out map[string]string) any {
				u, err := e.pools.AdminGetUser(context.Background(), &userpool.AdminGetUserRequest{UserPoolId: out["Pool"], Username: "carl"})
				if err != nil {
					t.Fatal(err)
				}
				return u
			},
			[]string{`"Username":"carl"`, `"Value":"carl@example.com"`, `"UserStatus":"FORCE_CHANGE_PASSWORD"`}, ""},
		{"identity pool", `
		Ids:
			Type: AWS::Cognito::IdentityPool
			Properties:
				IdentityPoolName: shop_ids
				AllowUnauthenticatedIdentities: true
				AllowClassicFlow: true
				DeveloperProviderName: login.shop
				IdentityPoolTags: [ { Key: team, Value: shop } ]
				CognitoStreams: { StreamName: s }
	Outputs:
		Id: { Value: !Ref Ids }`,
			func(t *testing.T, e *testEnv, out map[string]string) any {
				p, err := e.ids.DescribeIdentityPool(context.Background(), &identitypool.DescribeIdentityPoolInput{IdentityPoolId: out["Id"]})
				if err != nil {
					t.Fatal(err)
				}
				return p
			},
			[]string{`"IdentityPoolName":"shop_ids"`, `"AllowClassicFlow":true`, `"DeveloperProviderName":"login.shop"`, `"team":"shop"`},
			"CognitoStreams (Cognito Sync) is not supported"},
		{"role", `
		Role:
			Type: AWS::IAM::Role
			Properties:
				RoleName: shop-role
				Description: the shop
				MaxSessionDuration: 7200
				ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
				AssumeRolePolicyDocument: { Version: "2012-10-17", Statement: [ { Effect: Allow, Principal: { Federated: cognito-identity.amazonaws.com }, Action: "sts:AssumeRoleWithWebIdentity" } ] }`,
			func(t *testing.T, e *testEnv, out map[string]string) any {
				r, err := e.iam.GetRole(context.Background(), "shop-role")
				if err != nil {
					t.Fatal(err)
				}
				return map[string]any{"Description": r.Description, "MaxSessionDuration": r.MaxSessionDuration, "Trust": string(r.AssumeRolePolicyDocument)}
			},
			[]string{`"Description":"the shop"`, `"MaxSessionDuration":7200`, `cognito-identity.amazonaws.com`},
			"ManagedPolicyArns (arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess): AWS managed policies do not exist on Gatehouse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res, err := e.d.Deploy(context.Background(), load(t, header+"resources:\n\tResources:"+tt.resources+"\n"), "abcdefghij")
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(tt.describe(t, e, outputMap(res.Outputs)))
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("missing %s in %s", w, b)
				}
			}
			warned := strings.Join(res.Warnings, "\n")
			if tt.warn != "" && !strings.Contains(warned, tt.warn) {
				t.Errorf("warnings %q lack %q", warned, tt.warn)
			}
			if tt.warn == "" && warned != "" {
				t.Errorf("unexpected warnings %q", warned)
			}
		})
	}
}
