package identitypool

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Store is the part of the store the identity-pool service uses: its own pools and
// identities, the IAM roles it hands out, and, for ServerSideTokenCheck, the user-pool users
// and refresh tokens behind a login.
type Store interface {
	store.IdentityPools
	store.Identities
	RoleGetter
	UserChecker
}

// RoleGetter finds an IAM role by name (store.Roles has it).
type RoleGetter interface {
	GetRole(ctx context.Context, name string) (store.Role, error)
}

// UserChecker is what ServerSideTokenCheck looks at: the user behind a token and whether the
// sign-in the token came from was revoked (store.Users and store.RefreshTokens have it).
type UserChecker interface {
	GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error)
	GetRefreshTokenByOrigin(ctx context.Context, originJTI string) (store.RefreshToken, error)
}

// TokenVerifier verifies user-pool tokens (*token.Issuer implements it).
type TokenVerifier interface {
	Verify(ctx context.Context, raw string, want token.VerifyOptions) (token.Claims, error)
	// IssuerFor is the iss of a user pool's tokens as Gatehouse signs them.
	IssuerFor(poolID string) string
}

// OpenIDSigner signs identity-pool OpenID tokens (*token.Issuer implements it).
type OpenIDSigner interface {
	SignOpenID(ctx context.Context, claims map[string]any) (string, error)
}

// Minter mints temporary credentials for a role (*iam.Issuer implements it).
type Minter interface {
	Mint(ctx context.Context, s iam.Session) (iam.Credentials, error)
}

// Config wires a Service. Store, Tokens and Credentials are required; OpenID may be nil, and
// then GetOpenIdToken answers InternalErrorException (and logs why).
type Config struct {
	Store       Store
	Tokens      TokenVerifier
	OpenID      OpenIDSigner
	Credentials Minter
	Region      string // default us-east-1
	Account     string // default 000000000000
	// Now and Rand are injected for tests; nil means the real clock and crypto/rand.
	Now  func() time.Time
	Rand io.Reader
	Log  *slog.Logger
}

// Service implements the Cognito Identity operations.
type Service struct {
	store   Store
	tokens  TokenVerifier
	openid  OpenIDSigner
	minter  Minter
	region  string
	account string
	now     func() time.Time
	rand    io.Reader
	log     *slog.Logger
	names   providerNamer
}

// New returns a Service for cfg.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Tokens == nil || cfg.Credentials == nil {
		return nil, errors.New("identitypool: Config.Store, Config.Tokens and Config.Credentials are required")
	}
	s := &Service{
		store: cfg.Store, tokens: cfg.Tokens, openid: cfg.OpenID, minter: cfg.Credentials,
		region: cfg.Region, account: cfg.Account, now: cfg.Now, rand: cfg.Rand, log: cfg.Log,
		names: cfg.Tokens.IssuerFor,
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.account == "" {
		s.account = "000000000000"
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Register adds every supported Cognito Identity operation to api (prefix
// "AWSCognitoIdentityService", validator model.CognitoIdentity()). GetId,
// GetCredentialsForIdentity and GetOpenIdToken are public, as the model's authtype "none"
// says; the others go through the server's Authenticator.
func (s *Service) Register(api *awsapi.Service) {
	api.Register("CreateIdentityPool", awsapi.Op(s.CreateIdentityPool))
	api.Register("DescribeIdentityPool", awsapi.Op(s.DescribeIdentityPool))
	api.Register("ListIdentityPools", awsapi.Op(s.ListIdentityPools))
	api.Register("UpdateIdentityPool", awsapi.Op(s.UpdateIdentityPool))
	api.Register("DeleteIdentityPool", awsapi.Op(s.DeleteIdentityPool))
	api.Register("SetIdentityPoolRoles", awsapi.Op(s.SetIdentityPoolRoles))
	api.Register("GetIdentityPoolRoles", awsapi.Op(s.GetIdentityPoolRoles))
	api.Register("GetId", awsapi.Op(s.GetId))
	api.Register("GetCredentialsForIdentity", awsapi.Op(s.GetCredentialsForIdentity))
	api.Register("GetOpenIdToken", awsapi.Op(s.GetOpenIdToken))
	api.Register("DescribeIdentity", awsapi.Op(s.DescribeIdentity))
	api.Register("ListIdentities", awsapi.Op(s.ListIdentities))
	api.Register("DeleteIdentities", awsapi.Op(s.DeleteIdentities))
}

// nowUTC is the service clock truncated to milliseconds (what the store keeps).
func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// newID returns a fresh "{region}:{uuid}" id (pool or identity), the form AWS uses.
func (s *Service) newID() (string, error) {
	u, err := uuid.NewRandomFromReader(s.rand)
	if err != nil {
		return "", fmt.Errorf("identitypool: random id: %w", err)
	}
	return s.region + ":" + u.String(), nil
}

var (
	_ Store         = store.Store(nil)
	_ TokenVerifier = (*token.Issuer)(nil)
	_ OpenIDSigner  = (*token.Issuer)(nil)
	_ Minter        = (*iam.Issuer)(nil)
)
