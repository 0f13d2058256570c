package identitypool

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/store"
)

// GetCredentialsForIdentity and GetOpenIdToken
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html,
// API_GetOpenIdToken.html).

// openIDTokenLifetime: "An OpenID token, valid for 10 minutes." (API reference:
// GetOpenIdTokenResponse.Token)
const openIDTokenLifetime = 10 * time.Minute

// caller is an identity whose logins were checked.
type caller struct {
	pool   *pool
	ident  store.Identity
	logins []login // none for a guest
}

func (c *caller) authenticated() bool { return len(c.logins) > 0 }

// amr is the OpenID token's amr and the trust policy's cognito-identity.amazonaws.com:amr:
// "unauthenticated" for a guest; "authenticated", then each provider name and its
// "{provider}:CognitoSignIn:{sub}" for a user-pool login (developer guide:
// role-trust-and-permissions.html, iam-roles.html).
func (c *caller) amr() []string {
	if !c.authenticated() {
		return []string{roleUnauthenticated}
	}
	out := []string{roleAuthenticated}
	for _, l := range c.logins {
		out = append(out, l.provider, l.signIn())
	}
	return out
}

// trustAMR is amr as a trust policy's cognito-identity.amazonaws.com:amr condition sees it:
// each provider also under its issuer name (providerNamer), so a condition written with
// either name matches. The OpenID token carries amr() alone, in AWS's names.
func (c *caller) trustAMR(n providerNamer) []string {
	out := c.amr()
	for _, l := range c.logins {
		for _, alt := range n.aliases(l.provider) {
			out = append(out, alt, alt+":CognitoSignIn:"+l.sub)
		}
	}
	return out
}

// authorize loads the identity and checks that logins may act for it: a guest identity only
// without logins and while the pool allows guests; an authenticated identity only with
// logins that verify and whose first login (provider-name order) keys this identity.
//
// Decided where AWS is silent: logins sent for a guest identity are refused ("Logins don't
// match"), not linked to it; GetId with those logins gives the user's own identity.
func (s *Service) authorize(ctx context.Context, identityID string, logins map[string]string) (*caller, error) {
	ident, err := s.store.GetIdentity(ctx, identityID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errIdentityNotFound(identityID)
	}
	if err != nil {
		return nil, err
	}
	p, err := s.loadPool(ctx, ident.PoolID)
	if err != nil {
		return nil, err
	}
	c := &caller{pool: p, ident: ident}
	if len(ident.Logins) == 0 {
		if len(logins) > 0 {
			return nil, errLoginsDontMatch()
		}
		if !p.spec.AllowUnauthenticatedIdentities {
			return nil, errUnauthenticatedNotSupported()
		}
		return c, nil
	}
	if len(logins) == 0 {
		return nil, errLoginsDontMatch()
	}
	if c.logins, err = s.verifyLogins(ctx, p, logins); err != nil {
		return nil, err
	}
	owns, err := s.ownsLogin(ctx, ident, c.logins[0])
	if err != nil {
		return nil, err
	}
	if !owns {
		return nil, errLoginsDontMatch()
	}
	return c, nil
}

// GetCredentialsForIdentity returns credentials for the identity, for the role chosen by
// chooseRole, once that role's trust policy allows it; they are valid for one hour.
func (s *Service) GetCredentialsForIdentity(ctx context.Context, in *GetCredentialsForIdentityInput) (*GetCredentialsForIdentityResponse, error) {
	c, err := s.authorize(ctx, in.IdentityId, in.Logins)
	if err != nil {
		return nil, err
	}
	roleARN, err := c.chooseRole(s.names, in.CustomRoleArn)
	if err != nil {
		return nil, err
	}
	if err := s.checkTrust(ctx, c, roleARN); err != nil {
		return nil, err
	}
	sess := iam.Session{
		RoleARN:            roleARN,
		SessionName:        iam.CognitoSessionName,
		IdentityID:         c.ident.ID,
		IdentityPoolID:     c.pool.rec.ID,
		AuthenticationType: roleUnauthenticated,
	}
	if c.authenticated() {
		l := c.logins[0]
		sess.AuthenticationType = roleAuthenticated
		// $context.identity.cognitoAuthenticationProvider (API Gateway developer guide,
		// api-gateway-mapping-template-reference.html): "{provider},{provider}:CognitoSignIn:{sub}".
		sess.AuthenticationProvider = l.provider + "," + l.signIn()
	}
	cred, err := s.minter.Mint(ctx, sess)
	if err != nil {
		return nil, err
	}
	return &GetCredentialsForIdentityResponse{
		IdentityId: c.ident.ID,
		Credentials: &Credentials{
			AccessKeyId:  cred.AccessKeyID,
			SecretKey:    cred.SecretAccessKey,
			SessionToken: cred.SessionToken,
			Expiration:   awsapi.NewTime(cred.Expiration),
		},
	}, nil
}

// chooseRole picks the role ARN for the caller (developer guide: role-based-access-control.html;
// API reference: RoleMapping, GetCredentialsForIdentity.CustomRoleArn):
//   - a guest gets the pool's unauthenticated role;
//   - a user whose first login's provider has a role mapping gets, for Type Token, the
//     CustomRoleArn if it is one of the token's cognito:roles, else cognito:preferred_role,
//     else the only entry of cognito:roles; for Type Rules, the role of the first rule that
//     matches; when neither gives a role, AmbiguousRoleResolution decides: AuthenticatedRole
//     falls back to the pool's authenticated role, Deny refuses;
//   - any other user gets the pool's authenticated role.
//
// A CustomRoleArn outside a Token mapping is refused rather than ignored (AWS is silent): a
// caller asking for a role must not silently get another.
func (c *caller) chooseRole(n providerNamer, custom string) (string, error) {
	roles := c.pool.spec.Roles
	if !c.authenticated() {
		if custom != "" {
			return "", errCustomRole()
		}
		if roles[roleUnauthenticated] == "" {
			return "", errInvalidPoolConfiguration()
		}
		return roles[roleUnauthenticated], nil
	}
	l := c.logins[0]
	key, m := c.pool.mappingFor(n, l.provider, l.clientID)
	if m != nil {
		switch m.Type {
		case "Token":
			tokenRoles := l.claims.Strings("cognito:roles")
			if custom != "" {
				if slices.Contains(tokenRoles, custom) {
					return custom, nil
				}
				return "", errCustomRole()
			}
			if pr := l.claims.String("cognito:preferred_role"); pr != "" {
				return pr, nil
			}
			if len(tokenRoles) == 1 {
				return tokenRoles[0], nil
			}
		case "Rules":
			if custom != "" {
				return "", errCustomRole()
			}
			if m.RulesConfiguration != nil {
				for _, r := range m.RulesConfiguration.Rules {
					if ruleMatches(r, l.claims) {
						return r.RoleARN, nil
					}
				}
			}
		}
		if m.AmbiguousRoleResolution != "AuthenticatedRole" {
			return "", errAmbiguousDeny(key)
		}
	} else if custom != "" {
		return "", errCustomRole()
	}
	if roles[roleAuthenticated] == "" {
		return "", errInvalidPoolConfiguration()
	}
	return roles[roleAuthenticated], nil
}

// checkTrust finds the role and evaluates its trust policy for the caller; any failure is
// AWS's InvalidIdentityPoolConfigurationException, with the reason logged.
func (s *Service) checkTrust(ctx context.Context, c *caller, roleARN string) error {
	fail := func(reason string) error {
		s.log.WarnContext(ctx, "identitypool: role refused", "pool", c.pool.rec.ID, "identity", c.ident.ID, "role", roleARN, "reason", reason)
		return errInvalidPoolConfiguration()
	}
	account, name, ok := parseRoleARN(roleARN)
	if !ok {
		return fail("not an IAM role ARN")
	}
	if account != s.account {
		return fail("the role is in account " + account + ", not " + s.account)
	}
	role, err := s.store.GetRole(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return fail("no such role")
	}
	if err != nil {
		return err
	}
	if role.ARN != roleARN {
		return fail("the role's ARN is " + role.ARN)
	}
	if ok, reason := trustAllows(role.AssumeRolePolicy, roleARN, s.now(), c.pool.rec.ID, c.ident.ID, c.trustAMR(s.names)); !ok {
		return fail(reason)
	}
	return nil
}

// GetOpenIdToken returns an OpenID token for the identity: iss https://cognito-identity.amazonaws.com,
// sub the identity id, aud the pool id, amr as the trust policy sees it, valid 10 minutes.
func (s *Service) GetOpenIdToken(ctx context.Context, in *GetOpenIdTokenInput) (*GetOpenIdTokenResponse, error) {
	c, err := s.authorize(ctx, in.IdentityId, in.Logins)
	if err != nil {
		return nil, err
	}
	if s.openid == nil {
		return nil, errors.New("identitypool: GetOpenIdToken: no OpenID signer configured")
	}
	now := s.now().UTC()
	claims := map[string]any{
		"iss": openIDIssuer,
		"sub": c.ident.ID,
		"aud": c.pool.rec.ID,
		"amr": c.amr(),
		"iat": now.Unix(),
		"exp": now.Add(openIDTokenLifetime).Unix(),
	}
	tok, err := s.openid.SignOpenID(ctx, claims)
	if err != nil {
		return nil, err
	}
	return &GetOpenIdTokenResponse{IdentityId: c.ident.ID, Token: tok}, nil
}

// openIDIssuer is token.OpenIDIssuer, AWS's.
const openIDIssuer = "https://cognito-identity.amazonaws.com"
