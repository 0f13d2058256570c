package userpool

import (
	"testing"
)

// TestResetRules covers where ForgotPassword and AdminResetUserPassword send codes and whom
// they refuse (developer guide: how-to-recover-a-user-account): the legacy order without an
// AccountRecoverySetting (SMS first), the setting's order, admin_only, Boolean attributes in
// any case, disabled users and users with a temporary password.
func TestResetRules(t *testing.T) {
	emailFirst := &AccountRecoverySettingType{RecoveryMechanisms: []RecoveryOptionType{
		{Name: "verified_email", Priority: ptr(int64(1))}, {Name: "verified_phone_number", Priority: ptr(int64(2))}}}
	adminOnly := &AccountRecoverySettingType{RecoveryMechanisms: []RecoveryOptionType{{Name: "admin_only", Priority: ptr(int64(1))}}}
	both := []AttributeType{{Name: "email", Value: "u@example.com"}, {Name: "email_verified", Value: "true"},
		{Name: "phone_number", Value: "+15555550100"}, {Name: "phone_number_verified", Value: "true"}}
	for _, tc := range []struct {
		name     string
		setting  *AccountRecoverySettingType
		attrs    []AttributeType
		state    string // "", "disabled", "temporary"
		admin    bool   // AdminResetUserPassword instead of ForgotPassword
		medium   string // where the code goes ("" for none)
		errType  string
		errMsg   string
		wantStat string // the user's status afterwards, for AdminResetUserPassword
	}{
		{name: "legacy prefers SMS", attrs: both, medium: "SMS"},
		{name: "legacy falls back to email", attrs: both[:2], medium: "EMAIL"},
		{name: "verified written True", attrs: []AttributeType{{Name: "email", Value: "u@example.com"}, {Name: "email_verified", Value: "True"}}, medium: "EMAIL"},
		{name: "verified written TRUE, phone", attrs: []AttributeType{{Name: "phone_number", Value: "+15555550100"}, {Name: "phone_number_verified", Value: "TRUE"}}, medium: "SMS"},
		{name: "unverified", attrs: []AttributeType{{Name: "email", Value: "u@example.com"}, {Name: "email_verified", Value: "false"}},
			errType: "InvalidParameterException", errMsg: "Cannot reset password for the user as there is no registered/verified email or phone_number"},
		{name: "setting prefers email", setting: emailFirst, attrs: both, medium: "EMAIL"},
		{name: "admin_only", setting: adminOnly, attrs: both,
			errType: "NotAuthorizedException", errMsg: "Contact administrator to reset password."},
		{name: "temporary password", attrs: both, state: "temporary",
			errType: "NotAuthorizedException", errMsg: "User password cannot be reset in the current state."},
		{name: "disabled", attrs: both, state: "disabled", errType: "NotAuthorizedException", errMsg: "User is disabled."},

		{name: "admin: legacy prefers SMS", admin: true, attrs: both, medium: "SMS", wantStat: "RESET_REQUIRED"},
		{name: "admin: admin_only pool, no code", admin: true, setting: adminOnly, attrs: both, wantStat: "RESET_REQUIRED"},
		{name: "admin: temporary password", admin: true, attrs: both, state: "temporary",
			errType: "NotAuthorizedException", errMsg: "User password cannot be reset in the current state.", wantStat: "FORCE_CHANGE_PASSWORD"},
		{name: "admin: disabled", admin: true, attrs: both, state: "disabled",
			errType: "NotAuthorizedException", errMsg: "User is disabled.", wantStat: "CONFIRMED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newUsersTestEnv(t)
			poolID := e.pool(&CreateUserPoolRequest{AccountRecoverySetting: tc.setting})
			d, err := e.s.DescribeUserPool(e.ctx, &DescribeUserPoolRequest{UserPoolId: poolID})
			if err != nil {
				t.Fatal(err)
			}
			if (d.UserPool.AccountRecoverySetting == nil) != (tc.setting == nil) {
				t.Fatalf("DescribeUserPool AccountRecoverySetting = %+v, want %+v", d.UserPool.AccountRecoverySetting, tc.setting)
			}
			c := e.client(&CreateUserPoolClientRequest{UserPoolId: poolID})
			e.createConfirmed(poolID, "uma", goodPassword, tc.attrs...)
			switch tc.state {
			case "disabled":
				if _, err := e.s.AdminDisableUser(e.ctx, &AdminDisableUserRequest{UserPoolId: poolID, Username: "uma"}); err != nil {
					t.Fatal(err)
				}
			case "temporary":
				if _, err := e.s.AdminSetUserPassword(e.ctx, &AdminSetUserPasswordRequest{UserPoolId: poolID, Username: "uma", Password: goodPassword}); err != nil {
					t.Fatal(err)
				}
			}
			before := len(e.messages(poolID))
			var medium string
			if tc.admin {
				_, err = e.s.AdminResetUserPassword(e.ctx, &AdminResetUserPasswordRequest{UserPoolId: poolID, Username: "uma"})
			} else {
				var out *ForgotPasswordResponse
				out, err = e.s.ForgotPassword(e.ctx, &ForgotPasswordRequest{ClientId: c.ClientId, Username: "uma"})
				if err == nil {
					medium = out.CodeDeliveryDetails.DeliveryMedium
				}
			}
			if tc.errType != "" {
				wantUserErr(t, err, tc.errType, tc.errMsg)
			} else if err != nil {
				t.Fatal(err)
			}
			ms := e.messages(poolID)[before:]
			switch {
			case tc.medium == "" && len(ms) != 0:
				t.Fatalf("sent %d messages, want none", len(ms))
			case tc.medium != "" && (len(ms) != 1 || ms[0].Medium != tc.medium):
				t.Fatalf("sent %+v, want one %s message", ms, tc.medium)
			case !tc.admin && tc.errType == "" && medium != tc.medium:
				t.Fatalf("CodeDeliveryDetails medium %q, want %q", medium, tc.medium)
			}
			if tc.wantStat != "" {
				if u := e.getUser(poolID, "uma"); u.UserStatus != tc.wantStat {
					t.Fatalf("status %s, want %s", u.UserStatus, tc.wantStat)
				}
			}
		})
	}
}
