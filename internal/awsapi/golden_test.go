package awsapi_test

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Error bodies byte for byte, with the status and error-type header they come with. The
// messages are AWS's (see internal/awsapi/model/check.go for where each form was seen).
func TestGoldenErrorBodies(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct{ file, target, body string }{
		{"validation-required.json", idpPrefix + ".SignUp", `{}`},
		{"validation-pattern-sensitive.json", idpPrefix + ".SignUp", `{"ClientId":"abc","Username":"","Password":"p w"}`},
		{"validation-nested.json", idpPrefix + ".SignUp", `{"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":"email","Value":"a@b.c"},{"Name":""}]}`},
		{"validation-identity.json", identityPrefix + ".GetId", `{"IdentityPoolId":"eu-west-1_abc"}`},
		{"serialization-type.json", idpPrefix + ".SignUp", `{"ClientId":{"x":1}}`},
		{"unknown-operation.json", idpPrefix + ".Nope", `{}`},
		{"internal-error.json", idpPrefix + ".AdminGetUser", `{"UserPoolId":"us-east-1_abc","Username":"bob"}`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := f.post(t, tc.target, tc.body)
			typ, _ := awsError(t, r)
			got := strconv.Itoa(r.status) + " " + typ + "\n" + string(r.body) + "\n"
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
