package identitypool

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
)

// The test issuer is http://127.0.0.1:9229 (helpers_test.go), so the provider's issuer name
// is 127.0.0.1:9229/{userPoolId}.
const (
	issuerName      = "127.0.0.1:9229/" + userPoolID
	otherIssuerName = "127.0.0.1:9229/" + otherPoolID
)

// providerNameForms are the names a client may send for the test provider: its two names,
// another pool's names, and lookalikes of the issuer name that must name nothing.
var providerNameForms = []struct {
	name, form string
	ok         bool // names the test provider
	other      bool // names another user pool's provider
}{
	{"AWS form", providerName, true, false},
	{"issuer form", issuerName, true, false},
	{"another pool, AWS form", otherName, false, true},
	{"another pool, issuer form", otherIssuerName, false, true},
	// Pool ids are case-sensitive: this is another (nonexistent) pool's name.
	{"pool id in another case", "127.0.0.1:9229/US-EAST-1_TestPoolA1", false, true},
	{"lookalike port", "127.0.0.1:92290/" + userPoolID, false, false},
	{"lookalike host", "evil.example/" + userPoolID, false, false},
	{"issuer host as a subdomain", "127.0.0.1:9229.evil.example/" + userPoolID, false, false},
	{"issuer with its scheme", "http://" + issuerName, false, false},
	{"issuer with another path", "127.0.0.1:9229/x/" + userPoolID, false, false},
	{"AWS form in another region", "cognito-idp.eu-west-1.amazonaws.com/" + userPoolID, false, false},
}

func TestProviderNamerCanonical(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	for _, f := range providerNameForms {
		t.Run(f.name, func(t *testing.T) {
			got, pool, ok := e.svc.names.canonical(f.form)
			if ok != (f.ok || f.other) || (got == providerName) != f.ok || f.ok && pool != userPoolID {
				t.Fatalf("canonical(%q) = %q %q %v", f.form, got, pool, ok)
			}
		})
	}
	if got := e.svc.names.aliases(providerName); len(got) != 1 || got[0] != issuerName {
		t.Fatalf("aliases = %v", got)
	}
	for key, want := range map[string][2]string{
		issuerName:                    {providerName, ""},
		issuerName + ":" + clientID:   {providerName, clientID},
		providerName + ":" + clientID: {providerName, clientID},
		issuerName + ":":              {"", ""},
		"127.0.0.1:9229":              {"", ""},
	} {
		prov, client, _ := e.svc.names.mappingKey(key)
		if prov != want[0] || client != want[1] {
			t.Errorf("mappingKey(%q) = %q %q, want %q %q", key, prov, client, want[0], want[1])
		}
	}
}

// Every Cognito Identity operation that takes a Logins map accepts both names of the
// provider, and nothing else, whichever name the pool was configured with; both names find
// the same identity.
func TestProviderNameFormsInLogins(t *testing.T) {
	for _, configured := range []string{providerName, issuerName} {
		t.Run("configured as "+configured, func(t *testing.T) {
			e := newEnv(t, t.TempDir()+"/db")
			pool := e.createPool(t, false, types.CognitoIdentityProvider{ProviderName: aws.String(configured), ClientId: aws.String(clientID)})
			auth := e.role(t, "Auth", trustFor(pool, "authenticated"))
			e.setRoles(t, pool, map[string]string{"authenticated": auth}, nil)
			tok := e.idToken(t, userPoolID, clientID, "user-1")
			identity := e.getID(t, pool, map[string]string{providerName: tok})
			// Another pool's token under the lookalike names must not pass either.
			otherTok := e.idToken(t, otherPoolID, clientID, "user-1")

			ops := map[string]func(logins map[string]string) (string, error){
				"GetId": func(logins map[string]string) (string, error) {
					out, err := e.client.GetId(e.ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(pool), Logins: logins})
					if err != nil {
						return "", err
					}
					return *out.IdentityId, nil
				},
				"GetCredentialsForIdentity": func(logins map[string]string) (string, error) {
					out, err := e.credentials(t, identity, logins, "")
					if err != nil {
						return "", err
					}
					return *out.IdentityId, nil
				},
				"GetOpenIdToken": func(logins map[string]string) (string, error) {
					out, err := e.client.GetOpenIdToken(e.ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: aws.String(identity), Logins: logins})
					if err != nil {
						return "", err
					}
					return *out.IdentityId, nil
				},
			}
			for op, call := range ops {
				for _, f := range providerNameForms {
					t.Run(op+"/"+f.name, func(t *testing.T) {
						for _, token := range []string{tok, otherTok} {
							got, err := call(map[string]string{f.form: token})
							if f.ok && token == tok {
								if err != nil || got != identity {
									t.Fatalf("%s with %q: %q, %v; want identity %s", op, f.form, got, err, identity)
								}
								continue
							}
							if f.ok { // the right name, another pool's token
								wantAPIError(t, err, "NotAuthorizedException", "Invalid login token. Issuer doesn't match providerName")
								continue
							}
							wantAPIError(t, err, "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
						}
					})
				}
			}
			// A token of another app client is refused under the issuer name too.
			_, err := e.client.GetId(e.ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(pool),
				Logins: map[string]string{issuerName: e.idToken(t, userPoolID, otherClient, "user-1")}})
			wantAPIError(t, err, "NotAuthorizedException", "Token is not from a supported provider of this identity pool.")
		})
	}
}

// CreateIdentityPool and UpdateIdentityPool accept either name as a provider (kept as given),
// refuse anything else, and refuse both names of one provider and client as a duplicate.
func TestProviderNameFormsInPoolSettings(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false)
	for _, f := range providerNameForms {
		providers := []types.CognitoIdentityProvider{{ProviderName: aws.String(f.form), ClientId: aws.String(clientID)}}
		valid := f.ok || f.other
		t.Run("create/"+f.name, func(t *testing.T) {
			out, err := e.client.CreateIdentityPool(e.ctx, &cognitoidentity.CreateIdentityPoolInput{
				IdentityPoolName: aws.String("p"), CognitoIdentityProviders: providers})
			if !valid {
				wantAPIError(t, err, "InvalidParameterException", "")
				return
			}
			if err != nil || *out.CognitoIdentityProviders[0].ProviderName != f.form {
				t.Fatalf("CreateIdentityPool(%q): %+v %v", f.form, out, err)
			}
		})
		t.Run("update/"+f.name, func(t *testing.T) {
			out, err := e.client.UpdateIdentityPool(e.ctx, &cognitoidentity.UpdateIdentityPoolInput{
				IdentityPoolId: aws.String(pool), IdentityPoolName: aws.String("pool"), CognitoIdentityProviders: providers})
			if !valid {
				wantAPIError(t, err, "InvalidParameterException", "")
				return
			}
			if err != nil || *out.CognitoIdentityProviders[0].ProviderName != f.form {
				t.Fatalf("UpdateIdentityPool(%q): %+v %v", f.form, out, err)
			}
		})
	}
	_, err := e.client.CreateIdentityPool(e.ctx, &cognitoidentity.CreateIdentityPoolInput{
		IdentityPoolName: aws.String("p"), CognitoIdentityProviders: []types.CognitoIdentityProvider{
			{ProviderName: aws.String(providerName), ClientId: aws.String(clientID)},
			{ProviderName: aws.String(issuerName), ClientId: aws.String(clientID)}}})
	wantAPIError(t, err, "InvalidParameterException", "Duplicate Cognito Identity Provider: "+issuerName)
}

// Role-mapping keys may use either name, with or without the app client; a Rules mapping
// keyed by the issuer name applies to a login sent under the AWS name and back.
func TestProviderNameFormsInRoleMappings(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false)
	auth := e.role(t, "Auth", trustFor(pool, "authenticated"))
	admin := e.role(t, "Admin", trustFor(pool, "authenticated"))
	rules := func() types.RoleMapping {
		return types.RoleMapping{Type: types.RoleMappingTypeRules, AmbiguousRoleResolution: types.AmbiguousRoleResolutionTypeAuthenticatedRole,
			RulesConfiguration: &types.RulesConfigurationType{Rules: []types.MappingRule{{
				Claim: aws.String("custom:team"), MatchType: types.MappingRuleMatchTypeEquals, Value: aws.String("ops"), RoleARN: aws.String(admin)}}}}
	}
	for _, f := range providerNameForms {
		for _, suffix := range []string{"", ":" + clientID} {
			key := f.form + suffix
			t.Run(key, func(t *testing.T) {
				_, err := e.client.SetIdentityPoolRoles(e.ctx, &cognitoidentity.SetIdentityPoolRolesInput{
					IdentityPoolId: aws.String(pool), Roles: map[string]string{"authenticated": auth},
					RoleMappings: map[string]types.RoleMapping{key: rules()}})
				if !f.ok {
					wantAPIError(t, err, "InvalidParameterException", "")
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				for _, name := range []string{providerName, issuerName} {
					logins := map[string]string{name: e.idToken(t, userPoolID, clientID, "user-1", "custom:team", "ops")}
					out, err := e.credentials(t, e.getID(t, pool, logins), logins, "")
					if err != nil {
						t.Fatal(err)
					}
					if s := e.session(t, out); s.RoleARN != admin {
						t.Fatalf("mapping %q, login as %q: role %s, want %s", key, name, s.RoleARN, admin)
					}
				}
			})
		}
	}
	_, err := e.client.SetIdentityPoolRoles(e.ctx, &cognitoidentity.SetIdentityPoolRolesInput{
		IdentityPoolId: aws.String(pool), Roles: map[string]string{"authenticated": auth},
		RoleMappings: map[string]types.RoleMapping{providerName: rules(), issuerName: rules()}})
	wantAPIError(t, err, "InvalidParameterException", "")
}

// A trust policy's amr condition may name the provider by either name; the OpenID token's
// amr carries the AWS name.
func TestProviderNameFormsInTrustAMR(t *testing.T) {
	for _, f := range providerNameForms {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t, t.TempDir()+"/db")
			pool := e.createPool(t, false)
			role := e.role(t, "Auth", trustFor(pool, f.form))
			e.setRoles(t, pool, map[string]string{"authenticated": role}, nil)
			logins := map[string]string{issuerName: e.idToken(t, userPoolID, clientID, "user-1")}
			_, err := e.credentials(t, e.getID(t, pool, logins), logins, "")
			if f.ok {
				if err != nil {
					t.Fatalf("amr condition %q: %v", f.form, err)
				}
				return
			}
			wantAPIError(t, err, "InvalidIdentityPoolConfigurationException", "")
		})
	}
}
