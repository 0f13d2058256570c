package identitypool

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentity/types"
	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/store"
)

var accessKeyPattern = regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)

func (e *env) credentials(t *testing.T, identity string, logins map[string]string, custom string) (*cognitoidentity.GetCredentialsForIdentityOutput, error) {
	t.Helper()
	in := &cognitoidentity.GetCredentialsForIdentityInput{IdentityId: aws.String(identity), Logins: logins}
	if custom != "" {
		in.CustomRoleArn = aws.String(custom)
	}
	return e.client.GetCredentialsForIdentity(e.ctx, in)
}

// session returns the role and session the minted credentials are bound to, after checking
// their shape and that the SigV4 lookup knows their secret.
func (e *env) session(t *testing.T, out *cognitoidentity.GetCredentialsForIdentityOutput) iam.Session {
	t.Helper()
	c := out.Credentials
	if !accessKeyPattern.MatchString(*c.AccessKeyId) || len(*c.SecretKey) != 40 || *c.SessionToken == "" {
		t.Fatalf("credentials %q / %d-char secret", *c.AccessKeyId, len(*c.SecretKey))
	}
	if want := e.clock.Now().Add(time.Hour); !c.Expiration.Equal(want) {
		t.Fatalf("Expiration %v, want %v", c.Expiration, want)
	}
	sec, err := e.creds.Lookup(e.ctx, *c.AccessKeyId)
	if err != nil || sec.SecretAccessKey != *c.SecretKey {
		t.Fatalf("Lookup: %v (secret matches: %v)", err, sec.SecretAccessKey == *c.SecretKey)
	}
	s, err := e.creds.Session(e.ctx, *c.AccessKeyId)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCredentialsForIdentity(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		pool := e.createPool(t, true)
		auth := e.role(t, "Auth", trustFor(pool, "authenticated"))
		unauth := e.role(t, "Unauth", trustFor(pool, "unauthenticated"))
		e.setRoles(t, pool, map[string]string{"authenticated": auth, "unauthenticated": unauth}, nil)

		tok := e.idToken(t, userPoolID, clientID, "user-1")
		logins := map[string]string{providerName: tok}
		user := e.getID(t, pool, logins)
		out, err := e.credentials(t, user, logins, "")
		if err != nil {
			t.Fatal(err)
		}
		s := e.session(t, out)
		want := iam.Session{RoleARN: auth, SessionName: "CognitoIdentityCredentials", IdentityID: user, IdentityPoolID: pool,
			AuthenticationType: "authenticated", AuthenticationProvider: providerName + "," + providerName + ":CognitoSignIn:user-1"}
		if s != want || *out.IdentityId != user {
			t.Fatalf("session %+v\nwant    %+v", s, want)
		}

		guest := e.getID(t, pool, nil)
		out, err = e.credentials(t, guest, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if s := e.session(t, out); s.RoleARN != unauth || s.AuthenticationType != "unauthenticated" || s.AuthenticationProvider != "" {
			t.Fatalf("guest session %+v", s)
		}

		otherUser := map[string]string{providerName: e.idToken(t, userPoolID, clientID, "user-2")}
		const dontMatch = "Logins don't match. Please include at least one valid login for this identity or identity pool."
		_, err = e.credentials(t, user, nil, "")
		wantAPIError(t, err, "NotAuthorizedException", dontMatch)
		_, err = e.credentials(t, user, otherUser, "")
		wantAPIError(t, err, "NotAuthorizedException", dontMatch)
		_, err = e.credentials(t, guest, logins, "")
		wantAPIError(t, err, "NotAuthorizedException", dontMatch)
		_, err = e.credentials(t, "us-east-1:00000000-0000-4000-8000-000000000000", nil, "")
		wantAPIError(t, err, "ResourceNotFoundException", "")

		// Guests stop working when the pool stops allowing them.
		if _, err := e.client.UpdateIdentityPool(e.ctx, &cognitoidentity.UpdateIdentityPoolInput{
			IdentityPoolId: aws.String(pool), IdentityPoolName: aws.String("pool"), AllowUnauthenticatedIdentities: false,
			CognitoIdentityProviders: []types.CognitoIdentityProvider{{ProviderName: aws.String(providerName), ClientId: aws.String(clientID)}},
		}); err != nil {
			t.Fatal(err)
		}
		_, err = e.credentials(t, guest, nil, "")
		wantAPIError(t, err, "NotAuthorizedException", "Unauthenticated access is not supported for this identity pool.")
	})
}

func TestTrustPolicy(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false)
	logins := map[string]string{providerName: e.idToken(t, userPoolID, clientID, "user-1")}
	user := e.getID(t, pool, logins)
	const bad = "Invalid identity pool configuration. Check assigned IAM roles for this pool."
	cases := []struct {
		name  string
		arn   func() string
		allow bool
	}{
		{"trusted", func() string { return e.role(t, "Good", trustFor(pool, "authenticated")) }, true},
		{"trusted by provider amr", func() string { return e.role(t, "ByProvider", trustFor(pool, providerName)) }, true},
		{"another pool's aud", func() string {
			return e.role(t, "OtherPool", trustFor("us-east-1:00000000-0000-4000-8000-000000000000", "authenticated"))
		}, false},
		{"guests only", func() string { return e.role(t, "GuestsOnly", trustFor(pool, "unauthenticated")) }, false},
		{"wrong action", func() string {
			return e.role(t, "AssumeRole", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
		}, false},
		{"other principal", func() string {
			return e.role(t, "Lambda", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`)
		}, false},
		{"no aud condition", func() string {
			return e.role(t, "NoAud", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`)
		}, false},
		{"no condition at all", func() string {
			return e.role(t, "NoCondition", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`)
		}, false},
		{"wildcard principal without aud", func() string {
			return e.role(t, "Star", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRoleWithWebIdentity"}]}`)
		}, false},
		{"aud condition that matches any pool", func() string {
			return e.role(t, "AnyAud", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"StringLike":{"cognito-identity.amazonaws.com:aud":"*"}}}]}`)
		}, false},
		{"aud only on the statement that does not apply", func() string {
			return e.role(t, "LooseSecond", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"`+pool+`"},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"unauthenticated"}}},
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}`)
		}, false},
		{"StringLike aud naming the pool", func() string {
			return e.role(t, "LikeAud", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"StringLike":{"cognito-identity.amazonaws.com:aud":["us-east-1:00000000-0000-4000-8000-000000000000","`+pool+`"]}}}]}`)
		}, true},
		{"deny for this identity", func() string {
			return e.role(t, "DenySub", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"`+pool+`"}}},
{"Effect":"Deny","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:sub":"`+user+`"}}}]}`)
		}, false},
		{"deny for another principal is not ours", func() string {
			return e.role(t, "DenyOther", `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity",
"Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"`+pool+`"}}},
{"Effect":"Deny","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}`)
		}, true},
		{"no such role", func() string { return "arn:aws:iam::" + testAccount + ":role/Missing" }, false},
		{"other account", func() string {
			e.role(t, "Elsewhere", trustFor(pool, "authenticated"))
			return "arn:aws:iam::123456789012:role/Elsewhere"
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.setRoles(t, pool, map[string]string{"authenticated": c.arn()}, nil)
			_, err := e.credentials(t, user, logins, "")
			if c.allow {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, "InvalidIdentityPoolConfigurationException", bad)
		})
	}
	// No authenticated role at all.
	e.setRoles(t, pool, map[string]string{}, nil)
	_, err := e.credentials(t, user, logins, "")
	wantAPIError(t, err, "InvalidIdentityPoolConfigurationException", bad)
}

func TestRoleMappings(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false)
	trust := trustFor(pool, "authenticated")
	def, admin, reader, writer := e.role(t, "Default", trust), e.role(t, "Admin", trust), e.role(t, "Reader", trust), e.role(t, "Writer", trust)
	rules := func(amb types.AmbiguousRoleResolutionType, rs ...types.MappingRule) types.RoleMapping {
		return types.RoleMapping{Type: types.RoleMappingTypeRules, AmbiguousRoleResolution: amb, RulesConfiguration: &types.RulesConfigurationType{Rules: rs}}
	}
	rule := func(claim string, mt types.MappingRuleMatchType, v, arn string) types.MappingRule {
		return types.MappingRule{Claim: aws.String(claim), MatchType: mt, Value: aws.String(v), RoleARN: aws.String(arn)}
	}
	tokenMapping := func(amb types.AmbiguousRoleResolutionType) types.RoleMapping {
		return types.RoleMapping{Type: types.RoleMappingTypeToken, AmbiguousRoleResolution: amb}
	}
	const denied = "Ambiguous role mapping rules for: " + providerName
	cases := []struct {
		name    string
		key     string
		mapping types.RoleMapping
		claims  []any
		custom  string
		want    string // role ARN, or "" with code
		code    string
	}{
		{"no mapping", "", types.RoleMapping{}, nil, "", def, ""},
		{"token preferred_role", providerName, tokenMapping(types.AmbiguousRoleResolutionTypeDeny),
			[]any{"cognito:roles", []string{admin, reader}, "cognito:preferred_role", admin}, "", admin, ""},
		{"token keyed by provider:client", providerName + ":" + clientID, tokenMapping(types.AmbiguousRoleResolutionTypeDeny),
			[]any{"cognito:roles", []string{reader}, "cognito:preferred_role", reader}, "", reader, ""},
		{"token CustomRoleArn", providerName, tokenMapping(types.AmbiguousRoleResolutionTypeDeny),
			[]any{"cognito:roles", []string{admin, reader}, "cognito:preferred_role", admin}, reader, reader, ""},
		{"token CustomRoleArn not in roles", providerName, tokenMapping(types.AmbiguousRoleResolutionTypeDeny),
			[]any{"cognito:roles", []string{admin}}, writer, "", "NotAuthorizedException"},
		{"token ambiguous deny", providerName, tokenMapping(types.AmbiguousRoleResolutionTypeDeny),
			[]any{"cognito:roles", []string{admin, reader}}, "", "", "NotAuthorizedException"},
		{"token ambiguous authenticated role", providerName, tokenMapping(types.AmbiguousRoleResolutionTypeAuthenticatedRole),
			[]any{"cognito:roles", []string{admin, reader}}, "", def, ""},
		{"rules first match wins", providerName, rules(types.AmbiguousRoleResolutionTypeDeny,
			rule("custom:dept", types.MappingRuleMatchTypeStartsWith, "eng", writer),
			rule("custom:dept", types.MappingRuleMatchTypeEquals, "engineering", admin)),
			[]any{"custom:dept", "engineering"}, "", writer, ""},
		{"rules contains in groups", providerName, rules(types.AmbiguousRoleResolutionTypeDeny,
			rule("cognito:groups", types.MappingRuleMatchTypeContains, "admin", admin)),
			[]any{"cognito:groups", []string{"readers", "site-admins"}}, "", admin, ""},
		{"rules not equal", providerName, rules(types.AmbiguousRoleResolutionTypeDeny,
			rule("custom:tier", types.MappingRuleMatchTypeNotEqual, "paid", reader)),
			[]any{"custom:tier", "free"}, "", reader, ""},
		{"rules no match deny", providerName, rules(types.AmbiguousRoleResolutionTypeDeny,
			rule("custom:tier", types.MappingRuleMatchTypeEquals, "paid", admin)),
			[]any{"custom:tier", "free"}, "", "", "NotAuthorizedException"},
		{"rules missing claim falls back", providerName, rules(types.AmbiguousRoleResolutionTypeAuthenticatedRole,
			rule("custom:tier", types.MappingRuleMatchTypeNotEqual, "paid", admin)),
			nil, "", def, ""},
		{"CustomRoleArn without token mapping", "", types.RoleMapping{}, nil, admin, "", "NotAuthorizedException"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mappings map[string]types.RoleMapping
			if c.key != "" {
				mappings = map[string]types.RoleMapping{c.key: c.mapping}
			}
			e.setRoles(t, pool, map[string]string{"authenticated": def}, mappings)
			sub := "user-" + string(rune('a'+i))
			logins := map[string]string{providerName: e.idToken(t, userPoolID, clientID, sub, c.claims...)}
			id := e.getID(t, pool, logins)
			out, err := e.credentials(t, id, logins, c.custom)
			if c.code != "" {
				msg := ""
				if c.name == "token ambiguous deny" || c.name == "rules no match deny" {
					msg = denied
				}
				wantAPIError(t, err, c.code, msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s := e.session(t, out); s.RoleARN != c.want {
				t.Fatalf("role %s, want %s", s.RoleARN, c.want)
			}
		})
	}
}

func TestSetIdentityPoolRolesValidation(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false)
	arn := "arn:aws:iam::" + testAccount + ":role/R"
	okRules := &types.RulesConfigurationType{Rules: []types.MappingRule{{Claim: aws.String("a"), MatchType: types.MappingRuleMatchTypeEquals, Value: aws.String("b"), RoleARN: aws.String(arn)}}}
	many := &types.RulesConfigurationType{}
	for range 26 {
		many.Rules = append(many.Rules, okRules.Rules[0])
	}
	cases := []struct {
		name     string
		roles    map[string]string
		mappings map[string]types.RoleMapping
	}{
		{"bad role ARN", map[string]string{"authenticated": "arn:aws:s3:::bucket/object"}, nil},
		{"mapping for an unconfigured provider", nil, map[string]types.RoleMapping{otherName: {Type: types.RoleMappingTypeToken, AmbiguousRoleResolution: types.AmbiguousRoleResolutionTypeDeny}}},
		{"mapping for another client", nil, map[string]types.RoleMapping{providerName + ":" + otherClient: {Type: types.RoleMappingTypeToken, AmbiguousRoleResolution: types.AmbiguousRoleResolutionTypeDeny}}},
		{"no AmbiguousRoleResolution", nil, map[string]types.RoleMapping{providerName: {Type: types.RoleMappingTypeToken}}},
		{"rules without rules", nil, map[string]types.RoleMapping{providerName: {Type: types.RoleMappingTypeRules, AmbiguousRoleResolution: types.AmbiguousRoleResolutionTypeDeny}}},
		{"26 rules", nil, map[string]types.RoleMapping{providerName: {Type: types.RoleMappingTypeRules, AmbiguousRoleResolution: types.AmbiguousRoleResolutionTypeDeny, RulesConfiguration: many}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			roles := c.roles
			if roles == nil {
				roles = map[string]string{"authenticated": arn}
			}
			_, err := e.client.SetIdentityPoolRoles(e.ctx, &cognitoidentity.SetIdentityPoolRolesInput{IdentityPoolId: aws.String(pool), Roles: roles, RoleMappings: c.mappings})
			wantAPIError(t, err, "InvalidParameterException", "")
		})
	}
	mappings := map[string]types.RoleMapping{providerName: {Type: types.RoleMappingTypeRules, AmbiguousRoleResolution: types.AmbiguousRoleResolutionTypeDeny, RulesConfiguration: okRules}}
	e.setRoles(t, pool, map[string]string{"authenticated": arn}, mappings)
	got, err := e.client.GetIdentityPoolRoles(e.ctx, &cognitoidentity.GetIdentityPoolRolesInput{IdentityPoolId: aws.String(pool)})
	if err != nil || got.Roles["authenticated"] != arn || *got.RoleMappings[providerName].RulesConfiguration.Rules[0].Value != "b" {
		t.Fatalf("GetIdentityPoolRoles: %+v, %v", got, err)
	}
	// An update that drops the mapped provider is refused.
	_, err = e.client.UpdateIdentityPool(e.ctx, &cognitoidentity.UpdateIdentityPoolInput{IdentityPoolId: aws.String(pool), IdentityPoolName: aws.String("p")})
	wantAPIError(t, err, "InvalidParameterException", "")
}

func TestServerSideTokenCheck(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, false, types.CognitoIdentityProvider{ProviderName: aws.String(providerName), ClientId: aws.String(clientID), ServerSideTokenCheck: aws.Bool(true)})
	now := e.clock.Now()
	for _, u := range []struct {
		name    string
		enabled bool
	}{{"alive", true}, {"disabled", false}, {"signedout", true}} {
		if err := e.st.CreateUser(e.ctx, store.User{PoolID: userPoolID, Username: u.name, UsernameKey: u.name, Sub: "sub-" + u.name,
			Status: "CONFIRMED", Enabled: u.enabled, CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.st.CreateRefreshToken(e.ctx, store.RefreshToken{Hash: []byte("h-signedout"), PoolID: userPoolID, ClientID: clientID,
		UsernameKey: "signedout", OriginJTI: "origin-sub-signedout", CreatedAt: now, ExpiresAt: now.Add(time.Hour), Revoked: true}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sub, code string }{
		{"sub-alive", ""}, {"sub-disabled", "NotAuthorizedException"}, {"sub-signedout", "NotAuthorizedException"}, {"sub-gone", "NotAuthorizedException"},
	} {
		t.Run(c.sub, func(t *testing.T) {
			_, err := e.client.GetId(e.ctx, &cognitoidentity.GetIdInput{IdentityPoolId: aws.String(pool),
				Logins: map[string]string{providerName: e.idToken(t, userPoolID, clientID, c.sub)}})
			if c.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantAPIError(t, err, c.code, "Invalid login token. Token has been revoked.")
		})
	}
}

func TestGetOpenIdToken(t *testing.T) {
	e := newEnv(t, t.TempDir()+"/db")
	pool := e.createPool(t, true)
	logins := map[string]string{providerName: e.idToken(t, userPoolID, clientID, "user-1")}
	user := e.getID(t, pool, logins)
	guest := e.getID(t, pool, nil)

	check := func(identity string, logins map[string]string, wantAmr []string) {
		t.Helper()
		out, err := e.client.GetOpenIdToken(e.ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: aws.String(identity), Logins: logins})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Get(e.srv.URL + "/.well-known/jwks_uri")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var set jose.JSONWebKeySet
		if err := json.Unmarshal(body, &set); err != nil || len(set.Keys) == 0 {
			t.Fatalf("JWKS %s: %v", body, err)
		}
		jws, err := jose.ParseSignedCompact(*out.Token, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			t.Fatal(err)
		}
		keys := set.Key(jws.Signatures[0].Header.KeyID)
		if len(keys) != 1 {
			t.Fatalf("kid %q not in the served JWKS", jws.Signatures[0].Header.KeyID)
		}
		payload, err := jws.Verify(keys[0])
		if err != nil {
			t.Fatalf("token does not verify against the served JWKS: %v", err)
		}
		var c struct {
			Iss, Sub, Aud string
			Amr           []string
			Exp, Iat      int64
		}
		if err := json.Unmarshal(payload, &c); err != nil {
			t.Fatal(err)
		}
		if c.Iss != "https://cognito-identity.amazonaws.com" || c.Sub != identity || c.Aud != pool || !slices.Equal(c.Amr, wantAmr) ||
			c.Iat != e.clock.Now().Unix() || c.Exp-c.Iat != 600 {
			t.Fatalf("claims %+v", c)
		}
	}
	check(user, logins, []string{"authenticated", providerName, providerName + ":CognitoSignIn:user-1"})
	check(guest, nil, []string{"unauthenticated"})
	_, err := e.client.GetOpenIdToken(e.ctx, &cognitoidentity.GetOpenIdTokenInput{IdentityId: aws.String(user)})
	wantAPIError(t, err, "NotAuthorizedException", "Logins don't match. Please include at least one valid login for this identity or identity pool.")
}
