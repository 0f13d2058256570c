package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// What package oauth (the OAuth 2.0 endpoints and the hosted pages) asks of user pools. The
// endpoints own HTTP, codes, PKCE and the pages; the meaning of clients, users, passwords,
// lockout and the token claim sets stays here (developer guide:
// cognito-userpools-server-contract-reference.html, token-endpoint.html, userinfo-endpoint.html).

// Errors the OAuth endpoints map to RFC 6749 §5.2 error codes.
var (
	// ErrInvalidClient: no such client in the pool, or its secret did not match.
	ErrInvalidClient = errors.New("userpool: invalid client")
	// ErrInvalidGrant: a refresh token that is unknown, expired, revoked or another client's.
	ErrInvalidGrant = errors.New("userpool: invalid grant")
	// ErrInvalidScope: a scope the client may not have or that does not exist.
	ErrInvalidScope = errors.New("userpool: invalid scope")
	// ErrUnauthorizedClient: the client may not use the grant.
	ErrUnauthorizedClient = errors.New("userpool: client not authorized for this grant")
	// ErrInvalidToken: an access token that does not verify, is revoked or lacks openid.
	ErrInvalidToken = errors.New("userpool: invalid access token")
)

// PoolInfo is what the hosted pages show of a pool.
type PoolInfo struct {
	ID   string
	Name string
	// SelfSignUp is false when only administrators create users (AllowAdminCreateUserOnly).
	SelfSignUp bool
	// UsernameAttributes are the attributes users sign in with instead of a username
	// ("email", "phone_number"); empty for username pools.
	UsernameAttributes []string
}

// Pool describes a pool for the hosted pages.
func (s *Service) Pool(ctx context.Context, poolID string) (PoolInfo, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return PoolInfo{}, err
	}
	info := PoolInfo{ID: p.rec.ID, Name: p.rec.Name, SelfSignUp: true, UsernameAttributes: p.spec.UsernameAttributes}
	if acu := p.spec.AdminCreateUserConfig; acu != nil && acu.AllowAdminCreateUserOnly != nil && *acu.AllowAdminCreateUserOnly {
		info.SelfSignUp = false
	}
	return info, nil
}

// OAuthClient is an app client's OAuth settings.
type OAuthClient struct {
	PoolID, ClientID, Name string
	HasSecret              bool
	// Flows are AllowedOAuthFlows, empty when AllowedOAuthFlowsUserPoolClient is false (the
	// client may then use none of the OAuth endpoints' grants).
	Flows              []string
	Scopes             []string
	CallbackURLs       []string
	LogoutURLs         []string
	DefaultRedirectURI string
	// CognitoLogin is true when SupportedIdentityProviders lists COGNITO (the hosted page's
	// own sign-in form).
	CognitoLogin bool

	// The loaded client, so that issuing after authenticating does not load it again.
	client *client
}

// AllowsFlow reports whether the client may use an OAuth flow ("code", "implicit",
// "client_credentials").
func (c *OAuthClient) AllowsFlow(f string) bool { return slices.Contains(c.Flows, f) }

func oauthClient(c *client) *OAuthClient {
	out := &OAuthClient{client: c,
		PoolID: c.rec.PoolID, ClientID: c.rec.ID, Name: c.rec.Name, HasSecret: c.secret != "",
		Scopes: c.spec.AllowedOAuthScopes, CallbackURLs: c.spec.CallbackURLs, LogoutURLs: c.spec.LogoutURLs,
		DefaultRedirectURI: c.spec.DefaultRedirectURI,
		CognitoLogin:       slices.Contains(c.spec.SupportedIdentityProviders, "COGNITO"),
	}
	if f := c.spec.AllowedOAuthFlowsUserPoolClient; f != nil && *f {
		out.Flows = c.spec.AllowedOAuthFlows
	}
	return out
}

// loadOAuthClient loads a client of the pool, ErrInvalidClient when there is none.
func (s *Service) loadOAuthClient(ctx context.Context, poolID, clientID string) (*pool, *client, error) {
	if clientID == "" || len(clientID) > 128 {
		return nil, nil, ErrInvalidClient
	}
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.loadPoolClient(ctx, p, clientID)
	var ae *awsapi.Error
	if errors.As(err, &ae) {
		return nil, nil, ErrInvalidClient
	}
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}

// OAuthClient returns a client's OAuth settings; ErrInvalidClient when the pool has no such
// client.
func (s *Service) OAuthClient(ctx context.Context, poolID, clientID string) (*OAuthClient, error) {
	_, c, err := s.loadOAuthClient(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	return oauthClient(c), nil
}

// AuthenticateClient checks a client's secret in constant time (a client without a secret
// authenticates with none); ErrInvalidClient when the client is unknown or the secret wrong.
func (s *Service) AuthenticateClient(ctx context.Context, poolID, clientID, secret string) (*OAuthClient, error) {
	// The pool is not loaded: its client exists only while it does (a pool's clients go with
	// it), and the token endpoint's hot path (client_credentials) needs only its ID.
	if clientID == "" || len(clientID) > 128 {
		return nil, ErrInvalidClient
	}
	rec, err := s.store.GetClient(ctx, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidClient
	}
	if err != nil {
		return nil, err
	}
	c, err := s.decodeClient(rec)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
		return nil, ErrInvalidClient
	}
	return oauthClient(c), nil
}

// HostedSignIn is the outcome of a sign-in on the hosted page: the user, or the session of a
// NEW_PASSWORD_REQUIRED challenge.
type HostedSignIn struct {
	// UsernameKey and Username identify the signed-in user ("" while a challenge is open).
	UsernameKey, Username string
	AuthTime              time.Time
	// NewPasswordSession is set when the user must choose a new password first; Challenger is
	// the username to send back with it.
	NewPasswordSession string
	Challenger         string
}

// SignInHosted checks a username and password typed into the hosted page, with lockout and
// the pool's rules for unconfirmed users and temporary passwords. Errors are *awsapi.Error
// whose Message is Cognito's text for the user ("Incorrect username or password.").
func (s *Service) SignInHosted(ctx context.Context, poolID, clientID, username, password string) (*HostedSignIn, error) {
	p, c, err := s.loadOAuthClient(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	if username == "" || password == "" {
		return nil, errIncorrectCredentials()
	}
	u, err := s.verifyUserPassword(ctx, p, c, username, password)
	var ae *awsapi.Error
	if errors.As(err, &ae) && ae.Type == "UserNotFoundException" {
		// The hosted page never tells whether a user exists.
		return nil, errIncorrectCredentials()
	}
	if err != nil {
		return nil, err
	}
	if err := signInRefusal(u.Status); err != nil {
		return nil, err
	}
	switch u.Status {
	case "FORCE_CHANGE_PASSWORD":
		out, err := s.afterPassword(ctx, p, c, u)
		if err != nil {
			return nil, err
		}
		return &HostedSignIn{NewPasswordSession: out.session, Challenger: u.Username}, nil
	}
	return &HostedSignIn{UsernameKey: u.UsernameKey, Username: u.Username, AuthTime: s.nowUTC()}, nil
}

// NewPasswordHosted answers the hosted page's new-password step.
func (s *Service) NewPasswordHosted(ctx context.Context, poolID, clientID, username, session, newPassword string) (*HostedSignIn, error) {
	p, c, err := s.loadOAuthClient(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	out, err := s.respondTo(ctx, p, c, "NEW_PASSWORD_REQUIRED", session,
		map[string]string{"USERNAME": username, "NEW_PASSWORD": newPassword}, true)
	if err != nil {
		return nil, err
	}
	if out.user == nil {
		return nil, errInvalidSession()
	}
	return &HostedSignIn{UsernameKey: out.user.UsernameKey, Username: out.user.Username, AuthTime: s.nowUTC()}, nil
}

// OAuthTokens are what the token endpoint answers.
type OAuthTokens struct {
	IDToken, AccessToken, RefreshToken string
	ExpiresIn                          int64
	// OriginJTI ties the tokens to their sign-in: RevokeOrigin revokes them.
	OriginJTI string
}

// GrantScopes decides the scopes of a grant: each requested scope must be one the client is
// allowed and that still exists (a resource server's scope may have been deleted since);
// none requested means all the client is allowed (developer guide: token-endpoint.html,
// "If the client doesn't request any scopes, the authorization server assigns all custom
// scopes that you've authorized for the client"). forClientCredentials keeps only custom
// scopes: a client acts for no user.
func (s *Service) GrantScopes(ctx context.Context, c *OAuthClient, requested []string, forClientCredentials bool) ([]string, error) {
	allowed := func(sc string) bool {
		if forClientCredentials && isStandardScope(sc) {
			return false
		}
		return slices.Contains(c.Scopes, sc)
	}
	var out []string
	if len(requested) == 0 {
		for _, sc := range c.Scopes {
			if allowed(sc) {
				if ok, err := s.scopeExists(ctx, c.PoolID, sc); err != nil {
					return nil, err
				} else if ok {
					out = append(out, sc)
				}
			}
		}
		if len(out) == 0 {
			return nil, ErrInvalidScope
		}
		return out, nil
	}
	for _, sc := range requested {
		if slices.Contains(out, sc) {
			continue
		}
		if !allowed(sc) {
			return nil, ErrInvalidScope
		}
		ok, err := s.scopeExists(ctx, c.PoolID, sc)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrInvalidScope
		}
		out = append(out, sc)
	}
	return out, nil
}

// IssueForUser signs a signed-in user's tokens for the authorization code or implicit grant
// with the granted scopes and the request's nonce; withRefresh stores a refresh token (the
// code grant has one, the implicit grant none).
func (s *Service) IssueForUser(ctx context.Context, poolID, clientID, usernameKey string, scopes []string, nonce string, authTime time.Time, withRefresh bool) (*OAuthTokens, error) {
	p, c, err := s.loadOAuthClient(ctx, poolID, clientID)
	if err != nil {
		return nil, err
	}
	u, err := s.grantUser(ctx, p, usernameKey)
	if err != nil {
		return nil, err
	}
	origin := uuid.NewString()
	res, err := s.issueGrantTokens(ctx, p, c, u, authTime, origin, withRefresh, &oauthGrant{scopes: scopes, nonce: nonce})
	if err != nil {
		return nil, err
	}
	return &OAuthTokens{IDToken: res.IdToken, AccessToken: res.AccessToken, RefreshToken: res.RefreshToken,
		ExpiresIn: *res.ExpiresIn, OriginJTI: origin}, nil
}

// IssueClientCredentials signs a client_credentials access token: the client is its own
// subject (sub and client_id are the client ID), there is no user, no ID token and no refresh
// token (developer guide: token-endpoint.html; access token claims).
func (s *Service) IssueClientCredentials(ctx context.Context, c *OAuthClient, scopes []string) (*OAuthTokens, error) {
	cl := c.client
	if cl == nil {
		var err error
		if _, cl, err = s.loadOAuthClient(ctx, c.PoolID, c.ClientID); err != nil {
			return nil, err
		}
	}
	_, accessTTL, _ := cl.tokenValidity()
	now := s.nowUTC()
	claims := map[string]any{
		"iss":       s.tokens.IssuerFor(c.PoolID),
		"sub":       cl.rec.ID,
		"token_use": "access",
		"scope":     strings.Join(scopes, " "),
		"auth_time": now.Unix(),
		"exp":       now.Add(accessTTL).Unix(),
		"iat":       now.Unix(),
		"jti":       uuid.NewString(),
		"client_id": cl.rec.ID,
		"version":   2,
	}
	at, err := s.tokens.Sign(ctx, c.PoolID, "access", claims)
	if err != nil {
		return nil, err
	}
	return &OAuthTokens{AccessToken: at, ExpiresIn: int64(accessTTL / time.Second)}, nil
}

// RefreshOAuth runs the refresh_token grant: new ID (with openid) and access tokens with the
// scopes first granted, no new refresh token.
func (s *Service) RefreshOAuth(ctx context.Context, c *OAuthClient, refreshToken string) (*OAuthTokens, error) {
	if refreshToken == "" || len(refreshToken) > 8192 {
		return nil, ErrInvalidGrant
	}
	p, cl, err := s.loadOAuthClient(ctx, c.PoolID, c.ClientID)
	if err != nil {
		return nil, err
	}
	rt, err := s.store.GetRefreshToken(ctx, token.HashToken(refreshToken))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalidGrant
	}
	if err != nil {
		return nil, err
	}
	// The same rules as the user-pools API's refresh: this client's, not revoked, not
	// expired, and not rotated away more than the client's grace period ago.
	if s.usableRefreshToken(rt, p, cl) != nil {
		return nil, ErrInvalidGrant
	}
	u, err := s.grantUser(ctx, p, rt.UsernameKey)
	if err != nil {
		return nil, err
	}
	res, err := s.issueGrantTokens(ctx, p, cl, u, rt.AuthTime, rt.OriginJTI, false, refreshGrant(rt))
	if err != nil {
		return nil, err
	}
	return &OAuthTokens{IDToken: res.IdToken, AccessToken: res.AccessToken, ExpiresIn: *res.ExpiresIn, OriginJTI: rt.OriginJTI}, nil
}

// RevokeOrigin revokes the refresh token of a sign-in and so the access tokens minted from
// it (a replayed authorization code revokes what the code's first use issued, RFC 6749
// §4.1.2). Nothing to revoke is not an error.
func (s *Service) RevokeOrigin(ctx context.Context, originJTI string) error {
	rt, err := s.store.GetRefreshTokenByOrigin(ctx, originJTI)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.store.RevokeRefreshToken(ctx, rt.Hash); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// RevokeOAuth revokes a refresh token for the revocation endpoint (RFC 7009). An unknown
// token is not an error (§2.2); another client's token is left alone and answered as
// success too, so a client learns nothing about other clients' tokens.
func (s *Service) RevokeOAuth(ctx context.Context, c *OAuthClient, tok string) error {
	if tok == "" || len(tok) > 8192 {
		return nil
	}
	hash := token.HashToken(tok)
	rt, err := s.store.GetRefreshToken(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if rt.ClientID != c.ClientID || rt.PoolID != c.PoolID {
		return nil
	}
	if err := s.store.RevokeRefreshToken(ctx, hash); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// profileClaims are the attributes the profile scope returns from userInfo (developer guide:
// userinfo-endpoint.html, "openid profile").
var profileClaims = []string{"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"}

// UserInfo answers the userInfo endpoint for an access token of the token endpoint's with the
// openid scope: "openid" alone returns every attribute the client can read; with profile,
// email or phone the answer narrows to those scopes' attributes (profile also returns custom
// attributes); aws.cognito.signin.user.admin changes nothing (developer guide:
// userinfo-endpoint.html). sub and username are always present.
func (s *Service) UserInfo(ctx context.Context, poolID, accessToken string) (map[string]any, error) {
	if accessToken == "" || len(accessToken) > 16384 {
		return nil, ErrInvalidToken
	}
	claims, err := s.tokens.Verify(ctx, accessToken, token.VerifyOptions{Use: token.UseAccess})
	if errors.Is(err, token.ErrInvalid) || errors.Is(err, token.ErrExpired) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	scopes := strings.Fields(claims.String("scope"))
	if !slices.Contains(scopes, ScopeOpenID) || poolFromIssuer(claims.String("iss")) != poolID || claims.String("username") == "" {
		return nil, ErrInvalidToken
	}
	if origin := claims.String("origin_jti"); origin != "" {
		rt, err := s.store.GetRefreshTokenByOrigin(ctx, origin)
		if err == nil && rt.Revoked {
			return nil, ErrInvalidToken
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	p, c, err := s.loadOAuthClient(ctx, poolID, claims.String("client_id"))
	if errors.Is(err, ErrInvalidClient) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	u, err := s.store.GetUser(ctx, p.rec.ID, p.usernameKey(claims.String("username")))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Sub != claims.String("sub") || !u.Enabled)) {
		return nil, ErrInvalidToken
	}
	if err != nil {
		return nil, err
	}
	narrow := slices.Contains(scopes, ScopeProfile) || slices.Contains(scopes, ScopeEmail) || slices.Contains(scopes, ScopePhone)
	want := func(name string) bool {
		if !narrow {
			return true
		}
		switch name {
		case "email", "email_verified":
			return slices.Contains(scopes, ScopeEmail)
		case "phone_number", "phone_number_verified":
			return slices.Contains(scopes, ScopePhone)
		}
		return slices.Contains(scopes, ScopeProfile) && (slices.Contains(profileClaims, name) || strings.HasPrefix(name, "custom:"))
	}
	out := map[string]any{"sub": u.Sub, "username": u.Username}
	for _, a := range u.Attributes {
		if a.Name == "sub" || !c.canRead(a.Name) || !want(a.Name) {
			continue
		}
		// userInfo sends the *_verified flags as strings, as Cognito's examples show.
		out[a.Name] = a.Value
	}
	return out, nil
}

// grantUser is the user a grant issues tokens for: a user that is gone or disabled makes the
// grant invalid.
func (s *Service) grantUser(ctx context.Context, p *pool, usernameKey string) (store.User, error) {
	u, err := s.store.GetUser(ctx, p.rec.ID, usernameKey)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrInvalidGrant
	}
	if err != nil {
		return store.User{}, err
	}
	if !u.Enabled {
		return store.User{}, ErrInvalidGrant
	}
	return u, nil
}
