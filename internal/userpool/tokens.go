package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Token issuance, refresh, sign-out and revocation. Claim sets are Cognito's (developer guide:
// amazon-cognito-user-pools-using-the-id-token.html and
// amazon-cognito-user-pools-using-the-access-token.html).

// adminScope is the scope every token from the user-pools API carries; custom scopes come only
// from the OAuth token endpoint.
const adminScope = "aws.cognito.signin.user.admin"

// issueTokens signs an ID and an access token for u. originJTI ties the tokens of one sign-in
// together (a new one per sign-in; kept across refreshes); withRefresh also mints and stores a
// refresh token.
func (s *Service) issueTokens(ctx context.Context, p *pool, c *client, u store.User, authTime time.Time, originJTI string, withRefresh bool) (*AuthenticationResultType, error) {
	return s.issueGrantTokens(ctx, p, c, u, authTime, originJTI, withRefresh, nil)
}

// oauthGrant is what the OAuth token endpoint adds to a user's tokens: the granted scopes
// (the access token's scope claim; an ID token only with openid), the authorization
// request's nonce, and the version 2 access token Cognito's endpoints issue.
type oauthGrant struct {
	scopes []string
	nonce  string
}

func (g *oauthGrant) has(scope string) bool {
	return g != nil && slices.Contains(g.scopes, scope)
}

// issueGrantTokens is issueTokens for the user-pools API (grant nil) or the OAuth endpoints.
func (s *Service) issueGrantTokens(ctx context.Context, p *pool, c *client, u store.User, authTime time.Time, originJTI string, withRefresh bool, grant *oauthGrant) (*AuthenticationResultType, error) {
	idTTL, accessTTL, refreshTTL := c.tokenValidity()
	now := s.nowUTC()
	if originJTI == "" {
		originJTI = uuid.NewString()
	}
	eventID := uuid.NewString()
	iat := now.Unix()

	iss := s.tokens.IssuerFor(p.rec.ID)
	idClaims := map[string]any{
		"iss":              iss,
		"sub":              u.Sub,
		"aud":              c.rec.ID,
		"token_use":        "id",
		"auth_time":        authTime.Unix(),
		"cognito:username": u.Username,
		"exp":              now.Add(idTTL).Unix(),
		"iat":              iat,
		"jti":              uuid.NewString(),
		"origin_jti":       originJTI,
		"event_id":         eventID,
	}
	for _, a := range u.Attributes {
		if a.Name == "sub" || !c.canRead(a.Name) {
			continue
		}
		idClaims[a.Name] = claimValue(a)
	}
	accessClaims := map[string]any{
		"iss":        iss,
		"sub":        u.Sub,
		"token_use":  "access",
		"scope":      adminScope,
		"auth_time":  authTime.Unix(),
		"exp":        now.Add(accessTTL).Unix(),
		"iat":        iat,
		"jti":        uuid.NewString(),
		"origin_jti": originJTI,
		"event_id":   eventID,
		"client_id":  c.rec.ID,
		"username":   u.Username,
	}
	if grant != nil {
		accessClaims["scope"] = strings.Join(grant.scopes, " ")
		accessClaims["version"] = 2
		if grant.nonce != "" {
			idClaims["nonce"] = grant.nonce
		}
	}
	if err := s.addGroupClaims(ctx, p, u, idClaims, accessClaims); err != nil {
		return nil, err
	}
	accessToken, err := s.tokens.Sign(ctx, p.rec.ID, "access", accessClaims)
	if err != nil {
		return nil, err
	}
	res := &AuthenticationResultType{
		AccessToken: accessToken, TokenType: "Bearer",
		ExpiresIn: ptr(int64(accessTTL / time.Second)),
	}
	// The token endpoint issues an ID token only for the openid scope (developer guide:
	// token-endpoint.html); it then carries at_hash (OpenID Connect Core §3.1.3.6).
	if grant == nil || grant.has(ScopeOpenID) {
		if grant != nil {
			idClaims["at_hash"] = token.AccessTokenHash(accessToken)
		}
		if res.IdToken, err = s.tokens.Sign(ctx, p.rec.ID, "id", idClaims); err != nil {
			return nil, err
		}
	}
	if withRefresh {
		raw, hash, err := token.NewOpaqueToken(s.rand)
		if err != nil {
			return nil, err
		}
		err = s.store.CreateRefreshToken(ctx, store.RefreshToken{
			Hash: hash, PoolID: p.rec.ID, ClientID: c.rec.ID, UsernameKey: u.UsernameKey,
			OriginJTI: originJTI, AuthTime: authTime, CreatedAt: now, ExpiresAt: now.Add(refreshTTL),
			Scopes: grantScopes(grant),
		})
		if err != nil {
			return nil, err
		}
		res.RefreshToken = raw
	}
	return res, nil
}

func grantScopes(g *oauthGrant) string {
	if g == nil {
		return ""
	}
	return strings.Join(g.scopes, " ")
}

// claimValue types an attribute for the ID token as Cognito does: the *_verified flags are
// JSON booleans and updated_at a number; everything else, custom Number attributes included,
// is a string.
func claimValue(a store.Attribute) any {
	switch a.Name {
	case "email_verified", "phone_number_verified":
		return isTrue(a.Value)
	case "updated_at":
		if n, err := strconv.ParseInt(a.Value, 10, 64); err == nil {
			return n
		}
	}
	return a.Value
}

// refreshFlow runs REFRESH_TOKEN_AUTH: new ID and access tokens, no new refresh token, the
// original auth_time and origin_jti (docs/dev/aws-behaviour.md#token-validity-and-refresh; API reference: InitiateAuth). A client
// with refresh token rotation refuses it: rotation "must be completed with
// GetTokensFromRefreshToken" (API reference: RefreshTokenRotationType), and such a client
// cannot list ALLOW_REFRESH_TOKEN_AUTH, so the answer is the one for a flow not enabled.
func (s *Service) refreshFlow(ctx context.Context, p *pool, c *client, flow string, params map[string]string) (*authOutcome, error) {
	if err := requireFlow(c, "REFRESH_TOKEN_AUTH"); err != nil {
		return nil, err
	}
	raw := params["REFRESH_TOKEN"]
	if raw == "" {
		return nil, missingParam("REFRESH_TOKEN")
	}
	rt, u, err := s.redeemRefreshToken(ctx, p, c, raw)
	if err != nil {
		return nil, err
	}
	if c.secret != "" {
		// With a client secret, SECRET_HASH is computed over the user's username (for email or
		// phone username pools that is the sub), or the name the client sent as USERNAME.
		name := params["USERNAME"]
		if name == "" {
			name = u.Username
		}
		if err := s.checkSecretHash(c, name, params["SECRET_HASH"]); err != nil {
			return nil, err
		}
	}
	if !u.Enabled {
		return nil, errUserDisabled()
	}
	res, err := s.issueGrantTokens(ctx, p, c, u, rt.AuthTime, rt.OriginJTI, false, refreshGrant(rt))
	if err != nil {
		return nil, err
	}
	return &authOutcome{result: res, params: map[string]string{}}, nil
}

// userFromAccessToken authenticates the access-token operations (GetUser, ChangePassword,
// GlobalSignOut, …): a valid, unrevoked access token with the admin scope, of an existing,
// enabled user, issued to a client that still exists. It returns the pool, that client and
// the user.
func (s *Service) userFromAccessToken(ctx context.Context, raw string) (*pool, *client, store.User, error) {
	fail := func(err error) (*pool, *client, store.User, error) { return nil, nil, store.User{}, err }
	claims, err := s.tokens.Verify(ctx, raw, token.VerifyOptions{Use: token.UseAccess})
	if errors.Is(err, token.ErrInvalid) || errors.Is(err, token.ErrExpired) {
		return fail(errInvalidAccessToken())
	}
	if err != nil {
		return fail(err)
	}
	hasScope := false
	for _, sc := range strings.Fields(claims.String("scope")) {
		hasScope = hasScope || sc == adminScope
	}
	if !hasScope {
		return fail(awsapi.NotAuthorized("Access Token does not have required scopes"))
	}
	if origin := claims.String("origin_jti"); origin != "" {
		rt, err := s.store.GetRefreshTokenByOrigin(ctx, origin)
		switch {
		case err == nil && rt.Revoked:
			return fail(errAccessTokenRevoked())
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return fail(err)
		}
	}
	p, err := s.loadPool(ctx, poolFromIssuer(claims.String("iss")))
	if err != nil {
		return fail(errInvalidAccessToken())
	}
	c, err := s.loadPoolClient(ctx, p, claims.String("client_id"))
	var ae *awsapi.Error
	if errors.As(err, &ae) {
		return fail(errInvalidAccessToken())
	}
	if err != nil {
		return fail(err)
	}
	u, err := s.store.GetUser(ctx, p.rec.ID, p.usernameKey(claims.String("username")))
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Sub != claims.String("sub")) {
		return fail(errUserNotFound())
	}
	if err != nil {
		return fail(err)
	}
	if !u.Enabled {
		return fail(errUserDisabled())
	}
	return p, c, u, nil
}

func poolFromIssuer(iss string) string {
	if i := strings.LastIndexByte(iss, '/'); i >= 0 {
		return iss[i+1:]
	}
	return ""
}

// GlobalSignOut revokes every refresh token of the caller, and with them the access tokens
// minted from them (API reference: API_GlobalSignOut.html).
func (s *Service) GlobalSignOut(ctx context.Context, in *GlobalSignOutRequest) (*GlobalSignOutResponse, error) {
	p, _, u, err := s.userFromAccessToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	if _, err := s.store.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey); err != nil {
		return nil, err
	}
	return &GlobalSignOutResponse{}, nil
}

// AdminUserGlobalSignOut signs a user out everywhere.
func (s *Service) AdminUserGlobalSignOut(ctx context.Context, in *AdminUserGlobalSignOutRequest) (*AdminUserGlobalSignOutResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	u, err := s.findUser(ctx, p, in.Username)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errUserNotFound()
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.store.RevokeUserRefreshTokens(ctx, p.rec.ID, u.UsernameKey); err != nil {
		return nil, err
	}
	return &AdminUserGlobalSignOutResponse{}, nil
}

// RevokeToken revokes one refresh token and the access tokens minted from it
// (API reference: API_RevokeToken.html). The client must be the one the token was issued to
// and, when it has a secret, prove it.
func (s *Service) RevokeToken(ctx context.Context, in *RevokeTokenRequest) (*RevokeTokenResponse, error) {
	c, _, err := s.loadClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	if c.secret != "" && subtle.ConstantTimeCompare([]byte(c.secret), []byte(in.ClientSecret)) != 1 {
		return nil, awsapi.NewError("UnauthorizedException", "Invalid client secret")
	}
	if c.spec.EnableTokenRevocation != nil && !*c.spec.EnableTokenRevocation {
		return nil, awsapi.NewError("UnsupportedOperationException", "Token revocation is not enabled for this client")
	}
	if strings.Count(in.Token, ".") == 2 {
		return nil, awsapi.NewError("UnsupportedTokenTypeException", "Unsupported token type")
	}
	hash := token.HashToken(in.Token)
	rt, err := s.store.GetRefreshToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		// RFC 7009 §2.2: an invalid token is not an error; nothing to revoke.
		return &RevokeTokenResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	if rt.ClientID != c.rec.ID {
		return nil, awsapi.InvalidParameter("Token was not issued to this client")
	}
	// A rotated token belongs to the family of the sign-in it came from: revoking any of
	// them revokes all, and with them every access token of that sign-in.
	if _, err := s.store.RevokeRefreshTokenFamily(ctx, rt.PoolID, rt.OriginJTI); err != nil {
		return nil, err
	}
	return &RevokeTokenResponse{}, nil
}
