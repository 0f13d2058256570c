package userexport

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

func TestImportCSV(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(exportPoolRequest())
	c := e.client(&userpool.CreateUserPoolClientRequest{UserPoolId: poolID})
	// Columns in another order, a subset, a byte-order mark, CRLF line ends and a quoted value.
	csvData := "\ufeffcognito:username,email,email_verified,custom:team,name,phone_number,phone_number_verified,cognito:mfa_enabled\r\n" +
		"alice,alice@example.com,TRUE,red,\"Alice, the first\",,,false\r\n" +
		"bob,,,,,+15555550100,true,true\r\n" +
		"\r\n"
	progressed := 0
	stats, err := e.x.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), func(n int) { progressed = n })
	if err != nil {
		t.Fatal(err)
	}
	if stats != (ImportStats{Users: 2, Created: 2}) || progressed != 2 {
		t.Fatalf("stats %+v, progress %d", stats, progressed)
	}
	a := e.getUser(poolID, "alice")
	if m := attrMap(a.UserAttributes); a.UserStatus != "RESET_REQUIRED" || !*a.Enabled || m["email"] != "alice@example.com" ||
		m["email_verified"] != "true" || m["custom:team"] != "red" || m["name"] != "Alice, the first" || m["sub"] == "" {
		t.Fatalf("alice: %+v", a)
	}
	if b := e.getUser(poolID, "bob"); len(b.MFAOptions) != 1 || b.MFAOptions[0].AttributeName != "phone_number" ||
		!slices.Equal(b.UserMFASettingList, []string{"SMS_MFA"}) {
		t.Fatalf("bob's MFA: %+v", b)
	}

	// As after Cognito's import: sign-in asks for a reset; ForgotPassword sets the password.
	_, err = e.s.InitiateAuth(e.ctx, &userpool.InitiateAuthRequest{ClientId: c.ClientId, AuthFlow: "USER_PASSWORD_AUTH",
		AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Anything-1234!"}})
	// Cognito answers an imported user PasswordResetRequiredException whatever the password;
	// the sign-in path here checks the (absent) password first. Either way, no tokens.
	var ae *awsapi.Error
	if !errors.As(err, &ae) || (ae.Type != "PasswordResetRequiredException" && ae.Type != "NotAuthorizedException") {
		t.Fatalf("sign-in before the reset: %v", err)
	}
	if _, err := e.s.ForgotPassword(e.ctx, &userpool.ForgotPasswordRequest{ClientId: c.ClientId, Username: "alice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.ConfirmForgotPassword(e.ctx, &userpool.ConfirmForgotPasswordRequest{ClientId: c.ClientId, Username: "alice",
		ConfirmationCode: e.lastCode(poolID), Password: "Alice-New-Passw0rd!"}); err != nil {
		t.Fatal(err)
	}
	e.signIn(poolID, c.ClientId, "alice", "Alice-New-Passw0rd!")

	// Again: nothing changes (alice keeps her new password).
	stats, err = e.x.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), nil)
	if err != nil || stats != (ImportStats{Users: 2, Skipped: 2}) {
		t.Fatalf("second import: %+v, %v", stats, err)
	}
	e.signIn(poolID, c.ClientId, "alice", "Alice-New-Passw0rd!")

	hdr := "cognito:username,email,email_verified,phone_number,phone_number_verified\n"
	for _, tt := range []struct {
		name, data string
		line       int
		text       string
	}{
		{"unknown column", "cognito:username,email,favourite_colour,custom:nope\n", 1, `unknown header column(s) "favourite_colour", "custom:nope"`},
		{"no username column", "email,email_verified\nx@example.com,true\n", 1, "no cognito:username column"},
		{"column twice", "cognito:username,email,email\n", 1, `column "email" twice`},
		{"no username", hdr + "carl,carl@example.com,true,,\n,x@example.com,true,,\n", 3, "no cognito:username"},
		{"bad boolean", hdr + "carl,carl@example.com,yes,,\n", 2, `email_verified "yes": want true or false`},
		{"no verified contact", hdr + "carl,carl@example.com,false,,\n", 2, "needs a verified email or phone number"},
		{"verified nothing", hdr + "carl,,true,,\n", 2, "email_verified is true but email is empty"},
		{"bad email", hdr + "carl,carl,true,,\n", 2, "Invalid email address format."},
		{"field count", hdr + "carl,carl@example.com,true\n", 2, "wrong number of fields"},
		{"bad quote", hdr + "carl,\"carl@example.com,true,,\n", 2, "extraneous or missing"},
		{"mfa without phone", "cognito:username,email,email_verified,cognito:mfa_enabled\ncarl,carl@example.com,true,true\n", 2,
			"cognito:mfa_enabled is true but phone_number is empty"},
		{"too long", hdr + "carl," + strings.Repeat("a", MaxImportLine) + "@example.com,true,,\n", 2, "line longer than"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.x.ImportCSV(e.ctx, poolID, strings.NewReader(tt.data), nil)
			if tt.line == 2 && tt.name == "bad quote" {
				// encoding/csv reports a quote error at the line where it gives up.
				var ie *ImportError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.text) {
					t.Fatalf("error %v", err)
				}
				return
			}
			wantImportError(t, err, tt.line, tt.text)
			if _, err := e.st.GetUser(e.ctx, poolID, "carl"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("carl was written: %v", err)
			}
		})
	}
}

func TestImportCSVEmailUsernames(t *testing.T) {
	e := newTestEnv(t)
	poolID := e.pool(&userpool.CreateUserPoolRequest{UsernameAttributes: []string{"email"}, AutoVerifiedAttributes: []string{"email"}})
	csvData := "cognito:username,email_verified\nalice@example.com,true\nalice@example.com,true\nbob@example.com,true\n"
	stats, err := e.x.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), nil)
	if err != nil || stats != (ImportStats{Users: 3, Created: 2, Skipped: 1}) {
		t.Fatalf("import: %+v, %v", stats, err)
	}
	u := e.getUser(poolID, "alice@example.com")
	if m := attrMap(u.UserAttributes); u.Username != m["sub"] || m["email"] != "alice@example.com" || u.UserStatus != "RESET_REQUIRED" {
		t.Fatalf("alice: %+v", u)
	}
	stats, err = e.x.ImportCSV(e.ctx, poolID, strings.NewReader(csvData), nil)
	if err != nil || stats != (ImportStats{Users: 3, Skipped: 3}) {
		t.Fatalf("second import: %+v, %v", stats, err)
	}
	if n, _ := e.st.CountUsers(e.ctx, poolID); n != 2 {
		t.Fatalf("%d users", n)
	}
	_, err = e.x.ImportCSV(e.ctx, poolID, strings.NewReader("cognito:username,email,email_verified\ncarl@example.com,other@example.com,true\n"), nil)
	wantImportError(t, err, 2, `email "other@example.com" differs from cognito:username`)
}
