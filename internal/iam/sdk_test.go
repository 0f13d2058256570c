package iam

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

func (e *apiEnv) iamClient(key, secret, token string) *awsiam.Client {
	return awsiam.New(awsiam.Options{
		BaseEndpoint: aws.String(e.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
	})
}

func (e *apiEnv) stsClient(key, secret, token string) *sts.Client {
	return sts.New(sts.Options{
		BaseEndpoint: aws.String(e.url), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(key, secret, token),
	})
}

func wantCode(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: %v, want %s", what, err, code)
	}
	if ae.ErrorCode() != code || msg != "" && ae.ErrorMessage() != msg {
		t.Errorf("%s: %s %q, want %s %q", what, ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

// TestSDKEndToEnd drives the API with the AWS SDK for Go v2's IAM and STS clients, signed
// with a real access key, on SQLite and PostgreSQL.
func TestSDKEndToEnd(t *testing.T) {
	backends(t, func(t *testing.T, storeURL string) {
		e := newAPIEnv(t, storeURL)
		ctx := context.Background()
		admin := e.iamClient(e.adminKey.AccessKeyID, e.adminKey.SecretAccessKey, "")

		// Roles.
		cr, err := admin.CreateRole(ctx, &awsiam.CreateRoleInput{
			RoleName: aws.String("TodoAuth"), Path: aws.String("/app/"), AssumeRolePolicyDocument: aws.String(trustPolicy),
			Description: aws.String("signed-in users"),
		})
		if err != nil {
			t.Fatal(err)
		}
		r := cr.Role
		if !regexp.MustCompile(`^AROA[A-Z2-7]{17}$`).MatchString(*r.RoleId) || *r.Arn != "arn:aws:iam::123456789012:role/app/TodoAuth" ||
			*r.Path != "/app/" || *r.MaxSessionDuration != 3600 || r.CreateDate == nil {
			t.Errorf("role %+v", r)
		}
		if doc, _ := url.PathUnescape(*r.AssumeRolePolicyDocument); doc != trustPolicy {
			t.Errorf("trust policy %q", *r.AssumeRolePolicyDocument)
		}
		_, err = admin.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String("todoauth"), AssumeRolePolicyDocument: aws.String(trustPolicy)})
		var exists *types.EntityAlreadyExistsException
		if !errors.As(err, &exists) {
			t.Errorf("duplicate role in another case: %v", err)
		}
		gr, err := admin.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("TODOAUTH")})
		if err != nil || *gr.Role.RoleName != "TodoAuth" || *gr.Role.Description != "signed-in users" {
			t.Fatalf("GetRole in another case: %+v %v", gr, err)
		}
		_, err = admin.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("nope")})
		var noSuch *types.NoSuchEntityException
		if !errors.As(err, &noSuch) || noSuch.ErrorMessage() != "The role with name nope cannot be found." {
			t.Errorf("missing role: %v", err)
		}
		_, err = admin.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("bad name")})
		wantCode(t, "bad role name", err, "ValidationError",
			`1 validation error detected: Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)
		_, err = admin.UpdateRole(ctx, &awsiam.UpdateRoleInput{RoleName: aws.String("TodoAuth"), MaxSessionDuration: aws.Int32(7200), Description: aws.String("")})
		if err != nil {
			t.Fatal(err)
		}
		gr, _ = admin.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("TodoAuth")})
		if *gr.Role.MaxSessionDuration != 7200 || gr.Role.Description != nil {
			t.Errorf("after UpdateRole: %+v", gr.Role)
		}
		if _, err := admin.UpdateAssumeRolePolicy(ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: aws.String("TodoAuth"), PolicyDocument: aws.String(`{"Statement":[`)}); err == nil {
			t.Error("malformed trust policy accepted")
		} else {
			var mp *types.MalformedPolicyDocumentException
			if !errors.As(err, &mp) {
				t.Errorf("malformed trust policy: %v", err)
			}
		}

		// Inline role policies.
		const invoke = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`
		if _, err := admin.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: aws.String("todoAUTH"), PolicyName: aws.String("invoke"), PolicyDocument: aws.String(invoke)}); err != nil {
			t.Fatal(err)
		}
		gp, err := admin.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: aws.String("TodoAuth"), PolicyName: aws.String("invoke")})
		if err != nil {
			t.Fatal(err)
		}
		if doc, _ := url.PathUnescape(*gp.PolicyDocument); doc != invoke || *gp.RoleName != "TodoAuth" {
			t.Errorf("GetRolePolicy %+v", gp)
		}
		lp, err := admin.ListRolePolicies(ctx, &awsiam.ListRolePoliciesInput{RoleName: aws.String("TodoAuth")})
		if err != nil || len(lp.PolicyNames) != 1 || lp.PolicyNames[0] != "invoke" || lp.IsTruncated {
			t.Errorf("ListRolePolicies %+v %v", lp, err)
		}
		_, err = admin.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("TodoAuth")})
		wantCode(t, "DeleteRole with policies", err, "DeleteConflict", "Cannot delete entity, must delete policies first.")

		// Paging.
		for _, n := range []string{"b-role", "a-role"} {
			if _, err := admin.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: aws.String(n), AssumeRolePolicyDocument: aws.String(trustPolicy)}); err != nil {
				t.Fatal(err)
			}
		}
		var names []string
		var marker *string
		for range 5 {
			out, err := admin.ListRoles(ctx, &awsiam.ListRolesInput{MaxItems: aws.Int32(2), Marker: marker})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range out.Roles {
				names = append(names, *r.RoleName)
			}
			if !out.IsTruncated {
				break
			}
			marker = out.Marker
		}
		if strings.Join(names, ",") != "a-role,b-role,TodoAuth" {
			t.Errorf("ListRoles pages: %v", names)
		}
		lr, err := admin.ListRoles(ctx, &awsiam.ListRolesInput{PathPrefix: aws.String("/app")})
		if err != nil || len(lr.Roles) != 1 || *lr.Roles[0].RoleName != "TodoAuth" {
			t.Errorf("ListRoles PathPrefix %+v %v", lr, err)
		}

		// Users and their keys.
		if _, err := admin.CreateUser(ctx, &awsiam.CreateUserInput{UserName: aws.String("dev")}); err != nil {
			t.Fatal(err)
		}
		k1, err := admin.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("DEV")})
		if err != nil {
			t.Fatal(err)
		}
		key := k1.AccessKey
		if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(*key.AccessKeyId) || len(*key.SecretAccessKey) != 40 ||
			*key.UserName != "dev" || key.Status != types.StatusTypeActive {
			t.Errorf("access key %+v", key)
		}
		if _, err := admin.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("dev")}); err != nil {
			t.Fatal(err)
		}
		_, err = admin.CreateAccessKey(ctx, &awsiam.CreateAccessKeyInput{UserName: aws.String("dev")})
		wantCode(t, "third key", err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
		lk, err := admin.ListAccessKeys(ctx, &awsiam.ListAccessKeysInput{UserName: aws.String("dev")})
		if err != nil || len(lk.AccessKeyMetadata) != 2 ||
			*lk.AccessKeyMetadata[0].AccessKeyId != *key.AccessKeyId && *lk.AccessKeyMetadata[1].AccessKeyId != *key.AccessKeyId {
			t.Errorf("ListAccessKeys %+v %v", lk, err)
		}

		// The user's own key: STS answers who it is; IAM asks its policies.
		dev := e.stsClient(*key.AccessKeyId, *key.SecretAccessKey, "")
		id, err := dev.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		u, _ := admin.GetUser(ctx, &awsiam.GetUserInput{UserName: aws.String("dev")})
		if *id.Arn != "arn:aws:iam::123456789012:user/dev" || *id.Account != "123456789012" || *id.UserId != *u.User.UserId ||
			!strings.HasPrefix(*id.UserId, "AIDA") {
			t.Errorf("GetCallerIdentity %+v", id)
		}
		devIAM := e.iamClient(*key.AccessKeyId, *key.SecretAccessKey, "")
		_, err = devIAM.GetUser(ctx, &awsiam.GetUserInput{})
		wantCode(t, "GetUser without permission", err, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:GetUser on resource: arn:aws:iam::123456789012:user/dev because no identity-based policy allows the iam:GetUser action")
		if _, err := admin.PutUserPolicy(ctx, &awsiam.PutUserPolicyInput{UserName: aws.String("dev"), PolicyName: aws.String("self"),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}`)}); err != nil {
			t.Fatal(err)
		}
		me, err := devIAM.GetUser(ctx, &awsiam.GetUserInput{})
		if err != nil || *me.User.UserName != "dev" {
			t.Errorf("GetUser of the caller: %+v %v", me, err)
		}
		_, err = admin.DeleteUser(ctx, &awsiam.DeleteUserInput{UserName: aws.String("dev")})
		wantCode(t, "DeleteUser with keys", err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")

		// A deactivated key is refused at once on this node.
		if _, err := admin.UpdateAccessKey(ctx, &awsiam.UpdateAccessKeyInput{UserName: aws.String("dev"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive}); err != nil {
			t.Fatal(err)
		}
		_, err = dev.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantCode(t, "inactive key", err, "InvalidClientTokenId", "The security token included in the request is invalid.")

		// Temporary credentials of the role: an assumed-role identity.
		creds, err := e.issuer.Mint(ctx, Session{RoleARN: "arn:aws:iam::123456789012:role/app/TodoAuth", SessionName: CognitoSessionName})
		if err != nil {
			t.Fatal(err)
		}
		tid, err := e.stsClient(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if *tid.Arn != "arn:aws:sts::123456789012:assumed-role/TodoAuth/CognitoIdentityCredentials" ||
			*tid.UserId != *gr.Role.RoleId+":CognitoIdentityCredentials" {
			t.Errorf("assumed-role identity %+v", tid)
		}
		_, err = e.iamClient(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken).ListUsers(ctx, &awsiam.ListUsersInput{})
		wantCode(t, "role without iam permission", err, "AccessDenied", "")

		// Clean-up in IAM's order.
		for _, step := range []func() error{
			func() error {
				_, err := admin.DeleteRolePolicy(ctx, &awsiam.DeleteRolePolicyInput{RoleName: aws.String("TodoAuth"), PolicyName: aws.String("invoke")})
				return err
			},
			func() error {
				_, err := admin.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: aws.String("TodoAuth")})
				return err
			},
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		_, err = admin.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: aws.String("TodoAuth"), PolicyName: aws.String("invoke")})
		wantCode(t, "policy of a deleted role", err, "NoSuchEntity", "The role with name TodoAuth cannot be found.")
	})
}
