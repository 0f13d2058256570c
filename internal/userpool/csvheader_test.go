package userpool

import (
	"slices"
	"testing"
)

func TestGetCSVHeader(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{Schema: []SchemaAttributeType{{Name: "team", AttributeDataType: "String"}}})
	if _, err := e.s.AddCustomAttributes(e.ctx, &AddCustomAttributesRequest{UserPoolId: poolID,
		CustomAttributes: []SchemaAttributeType{{Name: "joinedOn", AttributeDataType: "String"}}}); err != nil {
		t.Fatal(err)
	}
	out, err := e.s.GetCSVHeader(e.ctx, &GetCSVHeaderRequest{UserPoolId: poolID})
	if err != nil {
		t.Fatal(err)
	}
	// The developer guide's sample, with the custom attributes after updated_at as in a
	// captured get-csv-header output.
	want := []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
		"website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified",
		"address", "updated_at", "custom:team", "custom:joinedOn", "cognito:mfa_enabled", "cognito:username"}
	if out.UserPoolId != poolID || !slices.Equal(out.CSVHeader, want) {
		t.Fatalf("GetCSVHeader = %+v", out)
	}
	_, err = e.s.GetCSVHeader(e.ctx, &GetCSVHeaderRequest{UserPoolId: "us-east-1_nosuchpol"})
	wantUserErr(t, err, "ResourceNotFoundException", "User pool us-east-1_nosuchpol does not exist.")
}
