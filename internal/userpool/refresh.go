package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Token refresh with GetTokensFromRefreshToken and refresh token rotation (API reference:
// API_GetTokensFromRefreshToken.html and API_RefreshTokenRotationType.html; developer
// guide: amazon-cognito-user-pools-using-the-refresh-token.html, "Refresh token rotation").

func (s *Service) registerRefresh(api *awsapi.Service) {
	api.HandlePublic("GetTokensFromRefreshToken", awsapi.Op(s.GetTokensFromRefreshToken))
}

// maxRefreshTokenLength bounds the opaque token we hash; anything longer is not ours.
const maxRefreshTokenLength = 8192

// rotates reports whether the client rotates refresh tokens, and the grace period during
// which a replaced token still serves ("up to 60 seconds. This allows for client-side
// retries. When RetryGracePeriodSeconds is 0, the grace period is disabled").
func (c *client) rotates() (bool, time.Duration) {
	r := c.spec.RefreshTokenRotation
	if r == nil || r.Feature != "ENABLED" {
		return false, 0
	}
	var grace time.Duration
	if r.RetryGracePeriodSeconds != nil {
		grace = time.Duration(*r.RetryGracePeriodSeconds) * time.Second
	}
	return true, grace
}

// errRefreshTokenReused answers a token that a rotation replaced longer ago than the
// client's grace period. The type is the one AWS's model documents for it ("a refresh token
// that has been invalidated by refresh-token rotation"); the message is not confirmed.
func errRefreshTokenReused() *awsapi.Error {
	return awsapi.NewError("RefreshTokenReuseException", "Refresh token has been rotated and is no longer valid.")
}

// usableRefreshToken applies the rules every refresh shares to a stored token: issued to
// this client of this pool, not revoked (RevokeToken, GlobalSignOut), not expired, and, once
// replaced by a rotation, only within the client's grace period.
func (s *Service) usableRefreshToken(rt store.RefreshToken, p *pool, c *client) error {
	if rt.ClientID != c.rec.ID || rt.PoolID != p.rec.ID {
		return awsapi.NotAuthorized("Invalid Refresh Token")
	}
	if rt.Revoked {
		return awsapi.NotAuthorized("Refresh Token has been revoked")
	}
	now := s.nowUTC()
	if !now.Before(rt.ExpiresAt) {
		return awsapi.NotAuthorized("Refresh Token has expired")
	}
	if !rt.ReplacedAt.IsZero() {
		_, grace := c.rotates()
		if !now.Before(rt.ReplacedAt.Add(grace)) {
			return errRefreshTokenReused()
		}
	}
	return nil
}

// refreshGrant is the OAuth grant a refresh token carries: the scopes the token endpoint
// granted at sign-in (nil for a sign-in through the user-pools API), so that every refresh
// of it, by whichever operation, grants those scopes again and no others.
func refreshGrant(rt store.RefreshToken) *oauthGrant {
	if rt.Scopes == "" {
		return nil
	}
	return &oauthGrant{scopes: strings.Fields(rt.Scopes)}
}

// redeemRefreshToken finds the refresh token raw, checks it for this client and loads its
// user. The user's enabled state and the client's secret are the caller's to check, since
// the two refresh operations prove the secret differently.
func (s *Service) redeemRefreshToken(ctx context.Context, p *pool, c *client, raw string) (store.RefreshToken, store.User, error) {
	fail := func(err error) (store.RefreshToken, store.User, error) {
		return store.RefreshToken{}, store.User{}, err
	}
	if len(raw) > maxRefreshTokenLength {
		return fail(awsapi.NotAuthorized("Invalid Refresh Token"))
	}
	rt, err := s.store.GetRefreshToken(ctx, token.HashToken(raw))
	if errors.Is(err, store.ErrNotFound) {
		return fail(awsapi.NotAuthorized("Invalid Refresh Token"))
	}
	if err != nil {
		return fail(err)
	}
	if err := s.usableRefreshToken(rt, p, c); err != nil {
		return fail(err)
	}
	u, err := s.store.GetUser(ctx, p.rec.ID, rt.UsernameKey)
	if errors.Is(err, store.ErrNotFound) {
		return fail(awsapi.NotAuthorized("Refresh Token has been revoked"))
	}
	if err != nil {
		return fail(err)
	}
	return rt, u, nil
}

// GetTokensFromRefreshToken issues new ID and access tokens from a refresh token, and on a
// client with rotation a new refresh token too: "This operation issues a new refresh token
// and invalidates the original refresh token after an optional grace period when refresh
// token rotation is enabled. If refresh token rotation is disabled, issues new ID and access
// tokens only." The new refresh token keeps the sign-in's origin and "is valid for the
// remaining duration of the original refresh token" (developer guide, "Refresh token
// rotation"). A client with a secret proves it with ClientSecret itself. ClientMetadata
// is for Lambda triggers, which this operation does not run here.
func (s *Service) GetTokensFromRefreshToken(ctx context.Context, in *GetTokensFromRefreshTokenRequest) (*GetTokensFromRefreshTokenResponse, error) {
	c, p, err := s.loadClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	if c.secret != "" {
		// AWS's messages for a missing or wrong ClientSecret here are not confirmed; these
		// follow its SECRET_HASH messages.
		if in.ClientSecret == "" {
			return nil, awsapi.NotAuthorized("Client %s is configured with secret but ClientSecret was not received", c.rec.ID)
		}
		if subtle.ConstantTimeCompare([]byte(c.secret), []byte(in.ClientSecret)) != 1 {
			return nil, awsapi.NotAuthorized("Unable to verify client secret for client %s", c.rec.ID)
		}
	}
	rt, u, err := s.redeemRefreshToken(ctx, p, c, in.RefreshToken)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, errUserDisabled()
	}
	rotate, _ := c.rotates()
	res, err := s.issueGrantTokens(ctx, p, c, u, rt.AuthTime, rt.OriginJTI, false, refreshGrant(rt))
	if err != nil {
		return nil, err
	}
	if rotate {
		raw, hash, err := token.NewOpaqueToken(s.rand)
		if err != nil {
			return nil, err
		}
		now := s.nowUTC()
		err = s.store.RotateRefreshToken(ctx, rt.Hash, func(old store.RefreshToken) (store.RefreshToken, error) {
			// Checked again on the row as the transaction holds it: a revocation, sign-out
			// or rotation may have happened since it was read.
			if err := s.usableRefreshToken(old, p, c); err != nil {
				return store.RefreshToken{}, err
			}
			return store.RefreshToken{
				Hash: hash, PoolID: old.PoolID, ClientID: old.ClientID, UsernameKey: old.UsernameKey,
				OriginJTI: old.OriginJTI, AuthTime: old.AuthTime, CreatedAt: now, ExpiresAt: old.ExpiresAt,
				Scopes: old.Scopes,
			}, nil
		})
		if errors.Is(err, store.ErrNotFound) {
			return nil, awsapi.NotAuthorized("Invalid Refresh Token") // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		res.RefreshToken = raw
	}
	return &GetTokensFromRefreshTokenResponse{AuthenticationResult: res}, nil
}
