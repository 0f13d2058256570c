package services

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/mail"
	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/stack"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
	"github.com/gatehouse/gatehouse/internal/userpool/userexport"
)

// Store is what the services keep their state in: the union of what each one needs.
type Store interface {
	store.SigningKeys
	store.Outbox
	store.TemporaryCredentials
	store.Stacks
	userpool.Store
	identitypool.Store
	iam.Store
	iam.IdentityLookup
	userexport.Store
}

// Config is what the services are built from.
type Config struct {
	Store  Store          // required
	Master *masterkey.Key // required
	Region string         // e.g. us-east-1
	// Account is the AWS account id in ARNs.
	Account string
	// IssuerURL is the base of the tokens' iss; the commands that sign nothing pass any URL.
	IssuerURL string
	// SMTP mails EMAIL messages; nil only logs and keeps them in the outbox.
	SMTP *mail.SMTPConfig
	// AdminOpen is protected mode: unsigned and unknown-key admin calls are accepted.
	AdminOpen bool
	// DataDir is --data: users of a pool a stack deletes are exported under it.
	DataDir string
	Log     *slog.Logger     // nil discards
	Now     func() time.Time // nil is time.Now
}

// Services are the AWS services on one store.
type Services struct {
	Issuer     *token.Issuer
	Outbox     *mail.Outbox
	Pools      *userpool.Service
	Identities *identitypool.Service
	Principals *iam.Principals
	Auth       *iam.Authenticator
	IAM        *iam.API
	Export     *userexport.Service
	// Stack provisions serverless.yml resources through the services above.
	Stack *stack.Deployer
}

// New builds the services. On success the caller owns Close (before closing the store);
// on error nothing is left running.
func New(cfg Config) (*Services, error) {
	st, key, log, now := cfg.Store, cfg.Master, cfg.Log, cfg.Now
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Services{}
	var err error
	if s.Issuer, err = token.NewIssuer(token.Config{Keys: st, Master: key, IssuerURL: cfg.IssuerURL, Now: now, Logger: log}); err != nil {
		return nil, err
	}
	s.Outbox = mail.NewOutbox(mail.Config{Store: st, Log: log, SMTP: cfg.SMTP, Now: now})
	fail := func(err error) (*Services, error) {
		_ = s.Outbox.Close()
		return nil, err
	}
	if s.Pools, err = userpool.New(userpool.Config{
		Store: st, Tokens: s.Issuer, Master: key, Deliverer: s.Outbox,
		Region: cfg.Region, Account: cfg.Account, Log: log, Now: now,
	}); err != nil {
		return fail(err)
	}
	creds, err := iam.New(iam.Config{Store: st, Master: key, Now: now})
	if err != nil {
		return fail(err)
	}
	if s.Identities, err = identitypool.New(identitypool.Config{
		Store: st, Tokens: s.Issuer, OpenID: s.Issuer, Credentials: creds,
		Region: cfg.Region, Account: cfg.Account, Log: log, Now: now,
	}); err != nil {
		return fail(err)
	}
	// Admin authentication (docs/iam.md): SigV4 by Gatehouse's IAM users and temporary
	// credentials, their policies deciding; protected mode when the caller says so.
	if s.Principals, err = iam.NewPrincipals(iam.PrincipalsConfig{Store: st, Master: key, Issuer: creds, AccountID: cfg.Account, Now: now}); err != nil {
		return fail(err)
	}
	if s.Auth, err = iam.NewAuthenticator(iam.AuthenticatorConfig{Principals: s.Principals, AccountID: cfg.Account, Region: cfg.Region, Open: cfg.AdminOpen, Identities: st, Now: now, Log: log}); err != nil {
		return fail(err)
	}
	if s.IAM, err = iam.NewAPI(iam.APIConfig{Store: st, Master: key, Principals: s.Principals, Authenticator: s.Auth, AccountID: cfg.Account, Region: cfg.Region, Log: log, Now: now}); err != nil {
		return fail(err)
	}
	s.Export = userexport.New(userexport.Config{Pools: s.Pools, Store: st, Now: now})
	s.Stack = stack.New(stack.Config{
		Store: st, Pools: s.Pools, Identities: s.Identities, IAM: s.IAM,
		Region: cfg.Region, AccountID: cfg.Account, DataDir: cfg.DataDir, Log: log, Now: now,
		Export: func(ctx context.Context, poolID string, w io.Writer) error {
			_, err := s.Export.Export(ctx, poolID, w, nil)
			return err
		},
	})
	return s, nil
}

// Close stops the outbox: mails still being sent get their own timeout.
func (s *Services) Close() error { return s.Outbox.Close() }
