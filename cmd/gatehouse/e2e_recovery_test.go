package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// Password recovery over HTTP with the Go SDK: Boolean attributes in any case, the legacy
// recovery order when the pool has no AccountRecoverySetting, admin_only, and the users whose
// password cannot be reset (developer guide: how-to-recover-a-user-account).
func TestRecoveryRulesOverHTTP(t *testing.T) {
	ts := startTestServer(t, "")
	ctx := context.Background()
	newPool := func(setting *types.AccountRecoverySettingType) (pool, client string) {
		t.Helper()
		p, err := ts.idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("recovery"), AccountRecoverySetting: setting})
		if err != nil {
			t.Fatal(err)
		}
		c, err := ts.idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: p.UserPool.Id, ClientName: aws.String("app")})
		if err != nil {
			t.Fatal(err)
		}
		return *p.UserPool.Id, *c.UserPoolClient.ClientId
	}
	user := func(pool, name string, attrs ...string) {
		t.Helper()
		var ua []types.AttributeType
		for i := 0; i+1 < len(attrs); i += 2 {
			ua = append(ua, types.AttributeType{Name: aws.String(attrs[i]), Value: aws.String(attrs[i+1])})
		}
		if _, err := ts.idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: &pool, Username: &name,
			MessageAction: types.MessageActionTypeSuppress, UserAttributes: ua}); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: &name,
			Password: aws.String("Passw0rd!"), Permanent: true}); err != nil {
			t.Fatal(err)
		}
	}
	forgot := func(client, name string) (*cip.ForgotPasswordOutput, error) {
		return ts.idp.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: &client, Username: &name})
	}

	// No setting given: DescribeUserPool shows none, and the legacy order sends by SMS first.
	pool, client := newPool(nil)
	d, err := ts.idp.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: &pool})
	if err != nil {
		t.Fatal(err)
	}
	if d.UserPool.AccountRecoverySetting != nil {
		t.Errorf("DescribeUserPool invents AccountRecoverySetting %+v", d.UserPool.AccountRecoverySetting)
	}
	user(pool, "both", "email", "both@example.com", "email_verified", "true", "phone_number", "+15555550101", "phone_number_verified", "true")
	out, err := forgot(client, "both")
	if err != nil || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeSms {
		t.Fatalf("legacy order: %+v, %v", out, err)
	}

	// email_verified written "True" counts.
	user(pool, "cap", "email", "cap@example.com")
	if _, err := ts.idp.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: &pool, Username: aws.String("cap"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email_verified"), Value: aws.String("True")}}}); err != nil {
		t.Fatal(err)
	}
	out, err = forgot(client, "cap")
	if err != nil || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("email_verified True: %+v, %v", out, err)
	}

	// A temporary password cannot be reset, by the user or an administrator.
	if _, err := ts.idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: &pool, Username: aws.String("cap"),
		Password: aws.String("Passw0rd!")}); err != nil {
		t.Fatal(err)
	}
	_, err = forgot(client, "cap")
	wantAPIError(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")
	_, err = ts.idp.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("cap")})
	wantAPIError(t, err, "NotAuthorizedException", "User password cannot be reset in the current state.")

	// A disabled user neither.
	if _, err := ts.idp.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: &pool, Username: aws.String("both")}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.idp.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("both")})
	wantAPIError(t, err, "NotAuthorizedException", "User is disabled.")

	// admin_only: users are told to ask an administrator, who can still reset.
	pool, client = newPool(&types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
		{Name: types.RecoveryOptionNameTypeAdminOnly, Priority: aws.Int32(1)}}})
	user(pool, "ada", "email", "ada@example.com", "email_verified", "true")
	_, err = forgot(client, "ada")
	wantAPIError(t, err, "NotAuthorizedException", "Contact administrator to reset password.")
	if _, err := ts.idp.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: &pool, Username: aws.String("ada")}); err != nil {
		t.Fatalf("AdminResetUserPassword in an admin_only pool: %v", err)
	}
}
