package identitypool

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// FuzzLoginsAndRoleMappings feeds arbitrary Logins maps and role-mapping documents to the
// code that reads them: a Logins map must be refused with a NotAuthorizedException (never
// accepted, never an internal error) since no fuzzed value is a token Gatehouse signed, and
// role mappings must be validated or refused without panicking; rule matching must not
// panic on any claim shape.
func FuzzLoginsAndRoleMappings(f *testing.F) {
	f.Add(`{"cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPoolA1":"eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.e30.c2ln"}`,
		`{"cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPoolA1":{"Type":"Rules","AmbiguousRoleResolution":"Deny","RulesConfiguration":{"Rules":[{"Claim":"cognito:groups","MatchType":"Contains","Value":"a","RoleARN":"arn:aws:iam::000000000000:role/R"}]}}}`,
		`{"cognito:groups":["a","b"],"n":1}`)
	f.Add(`{"accounts.google.com":"x"}`, `{"x":{"Type":"Token"}}`, `{"cognito:groups":{"a":1}}`)
	// The issuer name of the provider (providerNamer) and lookalikes of it.
	f.Add(`{"127.0.0.1:9229/us-east-1_TestPoolA1":"a.b.c","127.0.0.1:92290/us-east-1_TestPoolA1":"x"}`,
		`{"127.0.0.1:9229/us-east-1_TestPoolA1:abcdefghijklmnopqrstuvwxyz":{"Type":"Token","AmbiguousRoleResolution":"Deny"},"127.0.0.1:9229/us-east-1_TestPoolA1:":{"Type":"Token"}}`, `{}`)
	f.Add(`{"cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPoolA1":"a.b.c"}`, `{"cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPoolA1:abcdefghijklmnopqrstuvwxyz":{"Type":"Token","AmbiguousRoleResolution":"AuthenticatedRole"}}`, `null`)
	e := newEnv(f, filepath.Join(f.TempDir(), "db"))
	p := &pool{spec: spec{CognitoIdentityProviders: []CognitoIdentityProvider{{ProviderName: providerName, ClientId: clientID}}}}
	p.rec.ID = "us-east-1:00000000-0000-4000-8000-000000000000"
	f.Fuzz(func(t *testing.T, logins, mappings, claims string) {
		var lm map[string]string
		if json.Unmarshal([]byte(logins), &lm) == nil && len(lm) > 0 && len(lm) <= maxLogins {
			_, err := e.svc.verifyLogins(context.Background(), p, lm)
			var ae *awsapi.Error
			if !errors.As(err, &ae) || ae.Type != "NotAuthorizedException" {
				t.Fatalf("logins %q: %v, want NotAuthorizedException", logins, err)
			}
		}
		var rm map[string]*RoleMapping
		if json.Unmarshal([]byte(mappings), &rm) == nil {
			err := p.checkRoles(e.svc.names, map[string]string{"authenticated": "arn:aws:iam::000000000000:role/R"}, rm)
			var ae *awsapi.Error
			if err != nil && (!errors.As(err, &ae) || ae.Type != "InvalidParameterException") {
				t.Fatalf("mappings %q: %v", mappings, err)
			}
			var cl map[string]any
			_ = json.Unmarshal([]byte(claims), &cl)
			for _, m := range rm {
				if m != nil && m.RulesConfiguration != nil {
					for _, r := range m.RulesConfiguration.Rules {
						ruleMatches(r, cl)
					}
				}
			}
		}
	})
}
