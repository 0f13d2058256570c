package model

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

func params(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

// ValidateQuery reads the query protocol's flattened names along IAM's model.
func TestValidateQuery(t *testing.T) {
	m := IAM()
	const doc = `{"Version":"2012-10-17"}`
	for _, tc := range []struct {
		name string
		op   string
		get  func(string) (string, bool)
		want string // "" valid
	}{
		{"valid", "CreateRole", params("RoleName", "r", "AssumeRolePolicyDocument", doc, "MaxSessionDuration", "7200"), ""},
		{"unknown operation", "Nope", params(), ""},
		{"missing required", "CreateRole", params("RoleName", "r"),
			"1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"},
		{"not an integer", "CreateRole", params("RoleName", "r", "AssumeRolePolicyDocument", doc, "MaxSessionDuration", "1h"),
			"1 validation error detected: Value '1h' at 'maxSessionDuration' failed to satisfy constraint: Member must be an integer"},
		{"list of structures", "CreateRole", params("RoleName", "r", "AssumeRolePolicyDocument", doc,
			"Tags.member.1.Key", "ok", "Tags.member.1.Value", "v", "Tags.member.2.Key", strings.Repeat("k", 129), "Tags.member.2.Value", "v"),
			"1 validation error detected: Value '" + strings.Repeat("k", 129) + "' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"list item missing a required member", "CreateRole", params("RoleName", "r", "AssumeRolePolicyDocument", doc, "Tags.member.1.Key", "k"),
			"1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"},
		{"list of scalars", "UntagRole", params("RoleName", "r", "TagKeys.member.1", "a", "TagKeys.member.2", ""),
			"1 validation error detected: Value '[a, ]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+]"},
		{"list of enums and paging", "GetAccountAuthorizationDetails", params("Filter.member.1", "User", "MaxItems", "5", "Marker", "m"), ""},
		{"not a boolean", "UpdateAccountPasswordPolicy", params("RequireSymbols", "yes"),
			"1 validation error detected: Value 'yes' at 'requireSymbols' failed to satisfy constraint: Member must be a boolean"},
	} {
		err := m.ValidateQuery(tc.op, tc.get)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || err.Type != "ValidationError" || err.Message != tc.want):
			t.Errorf("%s: %v\nwant %s", tc.name, err, tc.want)
		}
	}
	if err := STS().ValidateQuery("GetCallerIdentity", params()); err != nil {
		t.Errorf("GetCallerIdentity: %v", err)
	}
}

// FuzzValidateQuery: any form text, read as parameters of any IAM or STS operation, is
// valid or a ValidationError, never a panic.
func FuzzValidateQuery(f *testing.F) {
	for _, s := range []string{
		"Action=CreateRole&RoleName=r&AssumeRolePolicyDocument=%7B%7D&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"Action=UntagRole&RoleName=r&TagKeys.member.1=a&TagKeys.member.3=c",
		"Action=UpdateAccountPasswordPolicy&RequireSymbols=maybe&MinimumPasswordLength=x",
		"Action=ListRoles&MaxItems=99999999999999999999",
		"Action=GetCallerIdentity",
	} {
		f.Add(s)
	}
	iam, sts := IAM(), STS()
	f.Fuzz(func(t *testing.T, s string) {
		var p awsapi.Params
		if awsapi.ParseParams(&p, s) != nil {
			return
		}
		for _, m := range []*Model{iam, sts} {
			if err := m.ValidateQuery(p.Get("Action"), p.Lookup); err != nil && err.Type != "ValidationError" {
				t.Fatalf("%s: %v", s, err)
			}
		}
	})
}
