package token

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
)

// Token uses, as in the token_use claim and store.SigningKey.Use.
const (
	UseID     = "id"
	UseAccess = "access"
)

// Config is what an Issuer needs.
type Config struct {
	// Keys persists the signing keys.
	Keys store.SigningKeys
	// Master seals the private keys at rest.
	Master *masterkey.Key
	// IssuerURL is the base of every pool's issuer: a pool's iss is IssuerURL + "/" + poolID,
	// e.g. http://127.0.0.1:9229/us-east-1_AbC123xyz. A trailing slash is ignored.
	IssuerURL string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Rand is the randomness for key ids (default crypto/rand.Reader). Since Go 1.26 RSA key
	// generation always uses the system's secure randomness whatever reader it is given.
	Rand io.Reader
	// Logger receives problems that do not fail a request, such as an unreadable key row or a
	// failed background refresh (default: discard). Tokens are never logged.
	Logger *slog.Logger
}

// Issuer signs and verifies the tokens of every user pool. It is safe for concurrent use.
// It caches each pool's parsed public keys and decrypted active private keys, so Sign and
// Verify neither query the store nor decrypt per token; see keys.go for how the cache follows
// changes made by other Gatehouse nodes sharing the store.
type Issuer struct {
	keys   store.SigningKeys
	master *masterkey.Key
	issuer string
	now    func() time.Time
	rand   io.Reader
	log    *slog.Logger

	mu    sync.Mutex            // guards pools, seq and poolState.refreshing
	pools map[string]*poolState // pool id → its keys
	seq   uint64                // counts loads

	genMu sync.Mutex // serializes EnsureKeys and Rotate
}

// NewIssuer checks cfg and returns an Issuer.
func NewIssuer(cfg Config) (*Issuer, error) {
	if cfg.Keys == nil {
		return nil, errors.New("token: config has no signing-key store")
	}
	if cfg.Master == nil {
		return nil, errors.New("token: config has no master key")
	}
	iss, err := baseURL("issuer URL", cfg.IssuerURL)
	if err != nil {
		return nil, err
	}
	i := &Issuer{
		keys:   cfg.Keys,
		master: cfg.Master,
		issuer: iss,
		now:    cfg.Now,
		rand:   cfg.Rand,
		log:    cfg.Logger,
		pools:  make(map[string]*poolState),
	}
	if i.now == nil {
		i.now = time.Now
	}
	if i.rand == nil {
		i.rand = rand.Reader
	}
	if i.log == nil {
		i.log = slog.New(slog.DiscardHandler)
	}
	return i, nil
}

func baseURL(what, s string) (string, error) {
	s = strings.TrimRight(s, "/")
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("token: %s: %w", what, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("token: %s %q: want an absolute http(s) URL without query", what, s)
	}
	return s, nil
}

// IssuerFor returns the iss of a pool's tokens: IssuerURL + "/" + poolID.
func (i *Issuer) IssuerFor(poolID string) string { return i.issuer + "/" + poolID }

// PoolIDFromIssuer returns the pool whose issuer iss is, if iss is one of this Issuer's.
func (i *Issuer) PoolIDFromIssuer(iss string) (string, bool) {
	rest, ok := strings.CutPrefix(iss, i.issuer+"/")
	if !ok || !ValidPoolID(rest) {
		return "", false
	}
	return rest, true
}

// ValidPoolID checks the shape of UserPoolIdType in Cognito's API model: 1–55 characters
// matching [\w-]+_[0-9a-zA-Z]+.
func ValidPoolID(id string) bool {
	if len(id) == 0 || len(id) > 55 {
		return false
	}
	// [\w-]+ is greedy and may hold underscores itself: split at the last one.
	j := strings.LastIndexByte(id, '_')
	if j <= 0 || j == len(id)-1 {
		return false
	}
	region, suffix := id[:j], id[j+1:]
	for _, c := range []byte(region) {
		if !(isAlnum(c) || c == '_' || c == '-') {
			return false
		}
	}
	for _, c := range []byte(suffix) {
		if !isAlnum(c) {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func validUse(use string) bool { return use == UseID || use == UseAccess }

// Sign signs claims as a compact JWS with the pool's active key for use ("id" or "access"),
// creating the pool's keys first if it has none. The header is {"alg":"RS256","kid":…},
// Cognito's two members. claims must already hold token_use == use and iss ==
// IssuerFor(poolID): Sign decides no claim, it only refuses to sign a token that could not
// verify.
func (i *Issuer) Sign(ctx context.Context, poolID, use string, claims map[string]any) (string, error) {
	if !validUse(use) {
		return "", fmt.Errorf("token: sign: unknown token use %q", use)
	}
	if got, _ := claims["token_use"].(string); got != use {
		return "", fmt.Errorf("token: sign: claim token_use is %q, want %q", got, use)
	}
	if got, _ := claims["iss"].(string); got != i.IssuerFor(poolID) {
		return "", fmt.Errorf("token: sign: claim iss is %q, want %q", got, i.IssuerFor(poolID))
	}
	k, err := i.activeKey(ctx, poolID, use)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("token: sign: encoding claims: %w", err)
	}
	jws, err := k.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	return s, nil
}
