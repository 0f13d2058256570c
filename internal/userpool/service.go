package userpool

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"runtime"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Store is the part of the store the user-pool service uses.
type Store interface {
	store.UserPools
	store.Clients
	store.Users
	store.Codes
	store.RefreshTokens
	store.AuthSessions
	store.Groups
	store.ResourceServers
	store.Domains
}

// Tokens signs and verifies a pool's JWTs (*token.Issuer implements it).
type Tokens interface {
	// EnsureKeys creates the pool's ID and access signing keys if it has none.
	EnsureKeys(ctx context.Context, poolID string) error
	// IssuerFor is the iss claim of the pool's tokens.
	IssuerFor(poolID string) string
	// Sign signs claims with the pool's active key for use ("id" or "access").
	Sign(ctx context.Context, poolID, use string, claims map[string]any) (string, error)
	// Verify checks a token's signature, issuer, expiry and use, and returns its claims.
	Verify(ctx context.Context, raw string, want token.VerifyOptions) (token.Claims, error)
	// Forget drops a deleted pool's cached keys so its tokens stop verifying at once.
	Forget(poolID string)
}

var _ Tokens = (*token.Issuer)(nil)

// Deliverer "sends" a message carrying a code or an invitation (the outbox, SMTP).
type Deliverer interface {
	Deliver(ctx context.Context, m store.Message) error
}

// Config wires a Service.
type Config struct {
	Store     Store
	Tokens    Tokens
	Master    *masterkey.Key
	Deliverer Deliverer
	Region    string
	Account   string
	// Now and Rand are injected so that expiry, lockout and codes are testable without
	// sleeping; nil means the real clock and crypto/rand.
	Now  func() time.Time
	Rand io.Reader
	Log  *slog.Logger
}

// Service implements the user-pool operations.
type Service struct {
	store   Store
	tokens  Tokens
	master  *masterkey.Key
	deliver Deliverer
	region  string
	account string
	now     func() time.Time
	rand    io.Reader
	log     *slog.Logger
	// argon bounds concurrent password hashing (see argonSlots).
	argon argonSlots
	// dummyHash is verified against when a user does not exist, so that an unknown user costs
	// the same time as a wrong password (PreventUserExistenceErrors).
	dummyHash string
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	s := &Service{
		store: cfg.Store, tokens: cfg.Tokens, master: cfg.Master, deliver: cfg.Deliverer,
		region: cfg.Region, account: cfg.Account, now: cfg.Now, rand: cfg.Rand, log: cfg.Log,
		argon: make(argonSlots, runtime.GOMAXPROCS(0)),
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
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.account == "" {
		s.account = "000000000000"
	}
	h, err := hashPassword(s.rand, "gatehouse-dummy-password")
	if err != nil {
		return nil, err
	}
	s.dummyHash = h
	return s, nil
}

// Register adds every user-pool operation to api. Operations that AWS calls without IAM
// credentials are registered public; the rest go through the server's Authenticator.
func (s *Service) Register(api *awsapi.Service) {
	s.registerPools(api)
	s.registerClients(api)
	s.registerUsers(api)
	s.registerAuth(api)
	s.registerRefresh(api)
	s.registerGroups(api)
	s.registerExport(api)
	s.registerResourceServers(api)
	s.registerDomains(api)
}

// nowUTC is the service clock, truncated to milliseconds (the precision AWS returns and the
// store keeps).
func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Millisecond) }
