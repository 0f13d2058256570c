package identitypool

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// login is one verified entry of a Logins map.
type login struct {
	provider   string // the provider's AWS name, cognito-idp.{region}.amazonaws.com/{userPoolId}, whichever name the Logins key used
	userPoolID string
	clientID   string // the token's aud
	sub        string
	claims     token.Claims
}

// key is the login key an identity is found by: one identity per (pool, provider, sub).
func (l login) key() string { return l.provider + ":" + l.sub }

// signIn is the login as API Gateway's cognitoAuthenticationProvider and the OpenID token's
// amr name it: "{provider}:CognitoSignIn:{sub}".
func (l login) signIn() string { return l.provider + ":CognitoSignIn:" + l.sub }

// maxLogins is the LoginsMap bound of the model (at most 10 entries).
const maxLogins = 10

// verifyLogins verifies every entry of a Logins map against the pool and returns them sorted
// by provider name; none for an empty map. Every entry must verify: one bad login fails the
// call (a client must not be able to smuggle an unverified login in beside a good one).
//
// The checks and their answers follow Cognito Identity's (GetId, GetCredentialsForIdentity,
// GetOpenIdToken: "Logins" in the API reference; the texts are in errors.go):
//   - the key must be a Cognito provider configured on the pool;
//   - the token must be signed by a key of that user pool, and its iss must be Gatehouse's
//     issuer for the pool or AWS's https://cognito-idp.{region}.amazonaws.com/{userPoolId};
//   - it must be unexpired, an ID token (an access token has no aud), and its aud must be
//     the provider's ClientId when one is configured;
//   - with ServerSideTokenCheck, the user must exist and be enabled, and the sign-in the
//     token came from must not be revoked (GlobalSignOut, RevokeToken).
func (s *Service) verifyLogins(ctx context.Context, p *pool, logins map[string]string) ([]login, error) {
	if len(logins) > maxLogins { // the model refuses this first
		return nil, fmt.Errorf("identitypool: %d logins", len(logins))
	}
	names := make([]string, 0, len(logins))
	for name := range logins {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]login, 0, len(names))
	for _, name := range names {
		l, err := s.verifyLogin(ctx, p, name, logins[name])
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	// In the order of the providers' AWS names, whichever names the keys used, so that the
	// first login (which keys the identity) does not depend on the name a client sent.
	slices.SortStableFunc(out, func(a, b login) int { return strings.Compare(a.provider, b.provider) })
	return out, nil
}

func (s *Service) verifyLogin(ctx context.Context, p *pool, name, raw string) (login, error) {
	// The key may be either name of a configured provider (providerNamer); a name that is
	// neither, such as a lookalike of the issuer, names no provider.
	provider, userPoolID, ok := s.names.canonical(name)
	if !ok {
		return login{}, errUnsupportedProvider()
	}
	var configured []CognitoIdentityProvider
	for _, cp := range p.spec.CognitoIdentityProviders {
		if c, _, ok := s.names.canonical(cp.ProviderName); ok && c == provider {
			configured = append(configured, cp)
		}
	}
	if len(configured) == 0 {
		return login{}, errUnsupportedProvider()
	}
	region, _, _ := strings.Cut(userPoolID, "_")
	claims, err := s.tokens.Verify(ctx, raw, token.VerifyOptions{
		PoolID:     userPoolID,
		AlsoIssuer: "https://cognito-idp." + region + ".amazonaws.com/" + userPoolID,
	})
	var expired *token.ExpiredError
	switch {
	case errors.As(err, &expired):
		return login{}, errTokenExpired(expired.Now.Unix(), expired.Expiry.Unix())
	case errors.Is(err, token.ErrIssuer):
		return login{}, errIssuerMismatch()
	case errors.Is(err, token.ErrInvalid):
		return login{}, errCannotVerify()
	case err != nil:
		return login{}, err
	}
	aud := claims.Strings("aud")
	if claims.String("token_use") != token.UseID || len(aud) == 0 {
		return login{}, errMissingAud()
	}
	var matched *CognitoIdentityProvider
	for i := range configured {
		if configured[i].ClientId == "" || slices.Contains(aud, configured[i].ClientId) {
			matched = &configured[i]
			break
		}
	}
	if matched == nil {
		// A token of another app client of the same user pool: AWS answers it so.
		return login{}, errUnsupportedProvider()
	}
	sub := claims.String("sub")
	if sub == "" {
		return login{}, errCannotVerify()
	}
	if matched.ServerSideTokenCheck != nil && *matched.ServerSideTokenCheck {
		if err := s.serverSideCheck(ctx, userPoolID, sub, claims.String("origin_jti")); err != nil {
			return login{}, err
		}
	}
	return login{provider: provider, userPoolID: userPoolID, clientID: aud[0], sub: sub, claims: claims}, nil
}

// serverSideCheck is ServerSideTokenCheck (API reference: CognitoIdentityProvider, "TRUE if
// server-side token validation is enabled for the identity provider's token … if the user is
// signed out … the identity pool returns an error"): the user still exists and is enabled, and
// the sign-in (origin_jti) was not revoked.
func (s *Service) serverSideCheck(ctx context.Context, userPoolID, sub, originJTI string) error {
	u, err := s.store.GetUserBySub(ctx, userPoolID, sub)
	if errors.Is(err, store.ErrNotFound) {
		return errTokenRevoked()
	}
	if err != nil {
		return err
	}
	if !u.Enabled {
		return errTokenRevoked()
	}
	if originJTI != "" {
		rt, err := s.store.GetRefreshTokenByOrigin(ctx, originJTI)
		switch {
		case err == nil && rt.Revoked:
			return errTokenRevoked()
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	return nil
}
