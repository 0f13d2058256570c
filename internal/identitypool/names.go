package identitypool

import (
	"strings"

	"github.com/gatehouse/gatehouse/internal/token"
)

// providerNamer knows the names a Cognito user pool provider goes by. AWS names it
// cognito-idp.{region}.amazonaws.com/{userPoolId} (API reference: CognitoIdentityProvider),
// which is also its tokens' iss without the scheme. Amplify JS v6 forms the Logins key from the
// ID token's iss (formLoginsMap), so against a Gatehouse whose issuer is its own URL it sends
// {issuer without scheme}/{userPoolId}, e.g. 127.0.0.1:9229/us-east-1_abc. Both names mean the
// same provider wherever a provider name appears: Logins keys, CognitoIdentityProviders,
// role-mapping keys and the amr a trust policy sees. Everything inside the package works with
// the AWS name (the canonical one); the name a caller configured is kept as given.
//
// issuerFor is the iss of a user pool's tokens as this Gatehouse signs them
// (token.Issuer.IssuerFor).
type providerNamer func(userPoolID string) string

// canonical returns the AWS name of the provider name is, and its user pool. The issuer
// form must be exactly this Gatehouse's issuer for that pool without its scheme: a lookalike
// host or port, another path or another pool's name is not a name of this provider.
func (n providerNamer) canonical(name string) (canonical, userPoolID string, ok bool) {
	if id, ok := parseProviderName(name); ok {
		return name, id, true
	}
	i := strings.LastIndexByte(name, '/')
	if i < 0 || n == nil {
		return "", "", false
	}
	id := name[i+1:]
	if !token.ValidPoolID(id) {
		return "", "", false
	}
	if issuerForm(n(id)) != name {
		return "", "", false
	}
	region, _, _ := strings.Cut(id, "_")
	return awsProviderName(region, id), id, true
}

// aliases returns the other name of a canonical provider name, the issuer form, when this
// Gatehouse's issuer makes it differ from the AWS name.
func (n providerNamer) aliases(canonical string) []string {
	id, ok := parseProviderName(canonical)
	if !ok || n == nil {
		return nil
	}
	if alt := issuerForm(n(id)); alt != "" && alt != canonical {
		return []string{alt}
	}
	return nil
}

// mappingKey reads a RoleMappings key, "{provider}" or "{provider}:{clientId}" (API reference:
// SetIdentityPoolRoles, RoleMappings), into the canonical provider name and the client id
// ("" for none). A provider name may itself hold a colon (a host:port in the issuer form);
// a user pool id never does, so the client id is what follows a colon after the last '/'.
func (n providerNamer) mappingKey(key string) (provider, clientID string, ok bool) {
	name := key
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		if j := strings.IndexByte(key[i:], ':'); j >= 0 {
			name, clientID = key[:i+j], key[i+j+1:]
			if clientID == "" {
				return "", "", false
			}
		}
	}
	provider, _, ok = n.canonical(name)
	return provider, clientID, ok
}

func awsProviderName(region, userPoolID string) string {
	return "cognito-idp." + region + ".amazonaws.com/" + userPoolID
}

// issuerForm is an issuer URL without its scheme ("" when it has none).
func issuerForm(iss string) string {
	_, rest, ok := strings.Cut(iss, "://")
	if !ok {
		return ""
	}
	return rest
}
