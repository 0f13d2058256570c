package iam

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/sigv4"
	"github.com/gatehouse/gatehouse/internal/store"
)

// CredentialsDuration is how long minted credentials work: GetCredentialsForIdentity's
// credentials "are valid for one hour" (Cognito Identity API reference).
const CredentialsDuration = time.Hour

// Credentials are temporary credentials as GetCredentialsForIdentity returns them.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// Config builds an Issuer.
type Config struct {
	Store  store.TemporaryCredentials // required
	Master *masterkey.Key             // required: seals the secrets
	Now    func() time.Time           // nil: time.Now
	Random io.Reader                  // nil: crypto/rand
}

// Issuer mints and looks up temporary credentials.
type Issuer struct {
	store  store.TemporaryCredentials
	master *masterkey.Key
	now    func() time.Time
	random io.Reader
}

// New returns an Issuer for cfg.
func New(cfg Config) (*Issuer, error) {
	if cfg.Store == nil || cfg.Master == nil {
		return nil, errors.New("iam: Config.Store and Config.Master are required")
	}
	i := &Issuer{store: cfg.Store, master: cfg.Master, now: cfg.Now, random: cfg.Random}
	if i.now == nil {
		i.now = time.Now
	}
	if i.random == nil {
		i.random = rand.Reader
	}
	return i, nil
}

// keyEncoding spells access key ids after their prefix in A–Z and 2–7, as AWS does.
var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Session says who temporary credentials are for: what API Gateway later shows of the caller
// in requestContext.identity (developer guide, "$context Variables …": cognitoIdentityId,
// cognitoIdentityPoolId, cognitoAuthenticationType, cognitoAuthenticationProvider) and the
// role whose policies decide what the caller may do. It is stored with the credentials.
type Session struct {
	RoleARN string `json:"roleArn"`
	// SessionName is the assumed-role session name: "CognitoIdentityCredentials" for
	// identity-pool credentials, as in arn:aws:sts::{account}:assumed-role/{role}/{name}.
	SessionName    string `json:"sessionName"`
	IdentityID     string `json:"identityId,omitempty"`
	IdentityPoolID string `json:"identityPoolId,omitempty"`
	// AuthenticationType is "authenticated" or "unauthenticated" (identity pools).
	AuthenticationType string `json:"authenticationType,omitempty"`
	// AuthenticationProvider is $context.identity.cognitoAuthenticationProvider, e.g.
	// "cognito-idp.us-east-1.amazonaws.com/us-east-1_aaa,cognito-idp.us-east-1.amazonaws.com/us-east-1_aaa:CognitoSignIn:{sub}";
	// empty for guests.
	AuthenticationProvider string `json:"authenticationProvider,omitempty"`
}

// CognitoSessionName is the session name of credentials an identity pool hands out.
const CognitoSessionName = "CognitoIdentityCredentials"

// Mint creates credentials for s, valid for CredentialsDuration.
func (i *Issuer) Mint(ctx context.Context, s Session) (Credentials, error) {
	if s.RoleARN == "" || s.SessionName == "" {
		return Credentials{}, errors.New("iam: Mint needs a role ARN and a session name")
	}
	session, err := json.Marshal(s)
	if err != nil {
		return Credentials{}, fmt.Errorf("iam: encode session: %w", err)
	}
	buf := make([]byte, 10+30+96)
	if _, err := io.ReadFull(i.random, buf); err != nil {
		return Credentials{}, fmt.Errorf("iam: random: %w", err)
	}
	c := Credentials{
		AccessKeyID:     "ASIA" + keyEncoding.EncodeToString(buf[:10]), // 16 characters
		SecretAccessKey: base64.StdEncoding.EncodeToString(buf[10:40]), // 40 characters
		SessionToken:    base64.StdEncoding.EncodeToString(buf[40:]),
	}
	now := i.now().UTC().Truncate(time.Second)
	c.Expiration = now.Add(CredentialsDuration)
	sealed, err := i.master.Seal([]byte(c.SecretAccessKey), aad(c.AccessKeyID))
	if err != nil {
		return Credentials{}, fmt.Errorf("iam: seal secret: %w", err)
	}
	hash := sha256.Sum256([]byte(c.SessionToken))
	err = i.store.PutCredentials(ctx, store.Credentials{
		AccessKeyID: c.AccessKeyID, SecretSealed: sealed, SessionTokenHash: hash[:],
		IdentityID: s.IdentityID, RoleARN: s.RoleARN, Session: session, CreatedAt: now, ExpiresAt: c.Expiration,
	})
	if err != nil {
		return Credentials{}, fmt.Errorf("iam: store credentials: %w", err)
	}
	return c, nil
}

// Lookup is the SigV4 verifier's credential lookup for temporary credentials: an unknown key
// is sigv4.ErrUnknownKey; a known one gives its secret, its session token's hash and its
// expiration (the verifier refuses it once expired).
func (i *Issuer) Lookup(ctx context.Context, accessKeyID string) (sigv4.Secret, error) {
	c, err := i.store.GetCredentials(ctx, accessKeyID)
	if errors.Is(err, store.ErrNotFound) {
		return sigv4.Secret{}, sigv4.ErrUnknownKey
	}
	if err != nil {
		return sigv4.Secret{}, fmt.Errorf("iam: look up %s: %w", accessKeyID, err)
	}
	secret, err := i.master.Open(c.SecretSealed, aad(accessKeyID))
	if err != nil {
		return sigv4.Secret{}, fmt.Errorf("iam: open secret of %s: %w", accessKeyID, err)
	}
	return sigv4.Secret{SecretAccessKey: string(secret), SessionTokenSHA256: c.SessionTokenHash, Expiration: c.ExpiresAt}, nil
}

// Session returns the session temporary credentials were minted for; an error wrapping
// store.ErrNotFound when there are none.
func (i *Issuer) Session(ctx context.Context, accessKeyID string) (Session, error) {
	c, err := i.store.GetCredentials(ctx, accessKeyID)
	if err != nil {
		return Session{}, fmt.Errorf("iam: look up %s: %w", accessKeyID, err)
	}
	var s Session
	if err := json.Unmarshal(c.Session, &s); err != nil {
		return Session{}, fmt.Errorf("iam: decode session of %s: %w", accessKeyID, err)
	}
	return s, nil
}

// aad binds a sealed secret to its access key id: a secret copied to another row does not open.
func aad(accessKeyID string) []byte { return []byte("gatehouse/temporary-credentials/" + accessKeyID) }

var _ sigv4.Credentials = (*Issuer)(nil)
