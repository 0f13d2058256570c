package token

import (
	"cmp"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse/gatehouse/internal/store"
)

const (
	// alg is the only algorithm Gatehouse signs with or accepts, as Cognito.
	alg = "RS256"
	// keyBits is the size of Cognito's RSA signing keys.
	keyBits = 2048
	// kidBytes of randomness make a kid: standard base64 of 32 bytes, 44 characters, the shape
	// of Cognito's kids.
	kidBytes = 32

	// cacheTTL bounds how old a pool's cached keys grow before the next Sign, Verify or JWKS
	// reloads them from the store (one caller reloads while the others keep using the cached
	// keys). It is how soon a key created or retired by another node sharing the store is
	// seen; keys changed through this Issuer are seen at once.
	cacheTTL = time.Minute
	// missReloadAfter: a token whose kid the cached keys lack reloads them, at most once per
	// this interval per pool, so a key rotated in on another node verifies at once and a flood
	// of forged kids does not become a flood of store queries. (Under such a flood a genuine
	// new kid may wait up to this long.)
	missReloadAfter = time.Second
)

// key is one signing key as the cache holds it. Only active keys carry a signer: retired
// private keys are never decrypted.
type key struct {
	kid       string
	use       string
	createdAt time.Time
	retired   bool
	pub       *rsa.PublicKey
	signer    jose.Signer
	signErr   error // why an active key has no signer (its private key did not open)
}

// poolState is an immutable snapshot of one pool's keys, except nextLoad, refreshing and
// lastMiss, which Issuer.mu guards.
type poolState struct {
	seq        uint64          // load order: a slower, older load never replaces a newer snapshot
	nextLoad   time.Time       // when the next use reloads the keys
	keys       []*key          // every key, oldest first: the JWKS order
	byKID      map[string]*key // kid → key
	active     map[string]*key // use → the key that signs
	jwks       []byte          // the rendered JWKS document
	refreshing bool            // a cacheTTL reload is under way
	lastMiss   time.Time       // when an unknown kid last reloaded the pool (carried forward)
}

// cached returns the pool's keys, reloading them from the store when they are not cached or
// were loaded cacheTTL ago. It returns nil when the pool has no keys. When a reload of cached
// keys fails, it logs, returns the cached keys and tries again after missReloadAfter.
func (i *Issuer) cached(ctx context.Context, poolID string) (*poolState, error) {
	now := i.now()
	i.mu.Lock()
	old := i.pools[poolID]
	if old != nil && (now.Before(old.nextLoad) || old.refreshing) {
		i.mu.Unlock()
		return old, nil
	}
	if old != nil {
		old.refreshing = true
	}
	i.mu.Unlock()

	st, err := i.reload(ctx, poolID)
	if err != nil {
		if old == nil {
			return nil, err
		}
		i.mu.Lock()
		old.refreshing = false
		old.nextLoad = now.Add(missReloadAfter)
		i.mu.Unlock()
		i.log.WarnContext(ctx, "token: reloading signing keys failed; using cached keys",
			"pool", poolID, "err", err)
		return old, nil
	}
	return st, nil
}

// reload reads the pool's keys from the store and caches them (a pool without keys is not
// cached, so tokens naming made-up pools cannot fill memory). Keys already cached are reused,
// so an active private key is decrypted once per process, not once per reload.
func (i *Issuer) reload(ctx context.Context, poolID string) (*poolState, error) {
	i.mu.Lock()
	i.seq++
	seq := i.seq
	old := i.pools[poolID]
	i.mu.Unlock()

	rows, err := i.keys.ListSigningKeys(ctx, poolID)
	if err != nil {
		return nil, fmt.Errorf("token: listing signing keys of %s: %w", poolID, err)
	}
	st := i.build(ctx, poolID, rows, old)
	st.seq = seq

	i.mu.Lock()
	defer i.mu.Unlock()
	cur := i.pools[poolID]
	if cur != nil && cur.seq > seq {
		return cur, nil // a newer load finished first
	}
	if cur != nil {
		st.lastMiss = cur.lastMiss
	}
	if len(st.keys) == 0 {
		delete(i.pools, poolID)
		return nil, nil
	}
	i.pools[poolID] = st
	return st, nil
}

func (i *Issuer) build(ctx context.Context, poolID string, rows []store.SigningKey, old *poolState) *poolState {
	st := &poolState{
		nextLoad: i.now().Add(cacheTTL),
		byKID:    make(map[string]*key, len(rows)),
		active:   make(map[string]*key, 2),
	}
	for _, r := range rows {
		if r.Alg != alg || !validUse(r.Use) {
			i.log.ErrorContext(ctx, "token: skipping signing key of unknown kind",
				"pool", poolID, "kid", r.KID, "alg", r.Alg, "use", r.Use)
			continue
		}
		k := &key{kid: r.KID, use: r.Use, createdAt: r.CreatedAt, retired: !r.RetiredAt.IsZero()}
		if o := old.lookup(r.KID); o != nil && o.use == r.Use {
			k.pub, k.signer, k.signErr = o.pub, o.signer, o.signErr
		} else {
			pub, err := parsePublic(r.Public)
			if err != nil {
				i.log.ErrorContext(ctx, "token: skipping unreadable signing key",
					"pool", poolID, "kid", r.KID, "err", err)
				continue
			}
			k.pub = pub
		}
		if _, dup := st.byKID[k.kid]; dup {
			continue
		}
		st.byKID[k.kid] = k
		st.keys = append(st.keys, k)
	}
	slices.SortFunc(st.keys, func(a, b *key) int {
		return cmp.Or(a.createdAt.Compare(b.createdAt), cmp.Compare(a.kid, b.kid))
	})
	// The newest unretired key of each use signs. Normally there is one; two appear when two
	// nodes ensured a pool's keys at once, and every node picks the same one.
	for _, k := range st.keys {
		if !k.retired {
			st.active[k.use] = k
		}
	}
	for _, k := range st.active {
		if k.signer == nil && k.signErr == nil {
			k.signer, k.signErr = i.openSigner(poolID, k, rows)
			if k.signErr != nil {
				i.log.ErrorContext(ctx, "token: active signing key cannot sign",
					"pool", poolID, "kid", k.kid, "err", k.signErr)
			}
		}
	}
	st.jwks = renderJWKS(st.keys)
	return st
}

func (st *poolState) lookup(kid string) *key {
	if st == nil {
		return nil
	}
	return st.byKID[kid]
}

func parsePublic(der []byte) (*rsa.PublicKey, error) {
	p, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("parsing public key: %w", err)
	}
	pub, ok := p.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("public key is %T, want RSA", p)
	}
	return pub, nil
}

// sealAAD binds a sealed private key to its pool and kid.
func sealAAD(poolID, kid string) []byte { return []byte(poolID + "/" + kid) }

// openSigner decrypts k's private key and makes its signer.
func (i *Issuer) openSigner(poolID string, k *key, rows []store.SigningKey) (jose.Signer, error) {
	idx := slices.IndexFunc(rows, func(r store.SigningKey) bool { return r.KID == k.kid })
	der, err := i.master.Open(rows[idx].Private, sealAAD(poolID, k.kid))
	if err != nil {
		return nil, fmt.Errorf("token: opening private key %s: %w", k.kid, err)
	}
	p, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("token: parsing private key %s: %w", k.kid, err)
	}
	priv, ok := p.(*rsa.PrivateKey)
	if !ok || !priv.PublicKey.Equal(k.pub) {
		return nil, fmt.Errorf("token: private key %s does not match its public key", k.kid)
	}
	return newSigner(priv, k.kid)
}

func newSigner(priv *rsa.PrivateKey, kid string) (jose.Signer, error) {
	s, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.RS256,
		Key:       jose.JSONWebKey{Key: priv, KeyID: kid},
	}, nil)
	if err != nil {
		return nil, fmt.Errorf("token: making signer: %w", err)
	}
	return s, nil
}

// activeKey returns the key that signs the pool's tokens of use, creating the pool's keys
// when it has none.
func (i *Issuer) activeKey(ctx context.Context, poolID, use string) (*key, error) {
	st, err := i.cached(ctx, poolID)
	if err != nil {
		return nil, err
	}
	if st == nil || st.active[use] == nil {
		if err := i.EnsureKeys(ctx, poolID); err != nil {
			return nil, err
		}
		if st, err = i.cached(ctx, poolID); err != nil {
			return nil, err
		}
	}
	k := st.lookupActive(use)
	if k == nil {
		return nil, fmt.Errorf("token: pool %s has no %s signing key", poolID, use)
	}
	if k.signErr != nil {
		return nil, k.signErr
	}
	return k, nil
}

func (st *poolState) lookupActive(use string) *key {
	if st == nil {
		return nil
	}
	return st.active[use]
}

// verifyKey returns the pool's key kid, reloading the pool's keys (rate-limited) when the
// cached ones lack it; nil when the pool has no such key.
func (i *Issuer) verifyKey(ctx context.Context, poolID, kid string) (*key, error) {
	st, err := i.cached(ctx, poolID)
	if err != nil || st == nil {
		return nil, err // st == nil: just loaded from the store, and there are no keys
	}
	if k := st.lookup(kid); k != nil {
		return k, nil
	}
	now := i.now()
	i.mu.Lock()
	cur := i.pools[poolID]
	limited := cur != nil && now.Sub(cur.lastMiss) < missReloadAfter
	if cur != nil && !limited {
		cur.lastMiss = now
	}
	i.mu.Unlock()
	if limited {
		return cur.lookup(kid), nil
	}
	if st, err = i.reload(ctx, poolID); err != nil {
		return nil, err
	}
	return st.lookup(kid), nil
}

// EnsureKeys creates the pool's missing signing keys: one for ID tokens and one for access
// tokens. It is called when a pool is created; Sign calls it too for a pool without keys.
func (i *Issuer) EnsureKeys(ctx context.Context, poolID string) error {
	if !ValidPoolID(poolID) {
		return fmt.Errorf("token: invalid user pool id %q", poolID)
	}
	return i.ensureKeys(ctx, poolID, UseID, UseAccess)
}

// ensureKeys creates the missing signing keys of uses under the key-store id poolID, which
// need not be a user pool's (see openid.go).
func (i *Issuer) ensureKeys(ctx context.Context, poolID string, uses ...string) error {
	i.genMu.Lock()
	defer i.genMu.Unlock()
	st, err := i.reload(ctx, poolID)
	if err != nil {
		return err
	}
	created := false
	for _, use := range uses {
		if st.lookupActive(use) != nil {
			continue
		}
		if err := i.createKey(ctx, poolID, use); err != nil {
			return err
		}
		created = true
	}
	if created {
		_, err = i.reload(ctx, poolID)
	}
	return err
}

// Rotate creates a new signing key for the pool's tokens of use and retires the keys that
// signed them until now. Retired keys stay in the JWKS, so tokens they signed verify until
// they expire.
func (i *Issuer) Rotate(ctx context.Context, poolID, use string) error {
	if !ValidPoolID(poolID) {
		return fmt.Errorf("token: invalid user pool id %q", poolID)
	}
	if !validUse(use) {
		return fmt.Errorf("token: rotate: unknown token use %q", use)
	}
	i.genMu.Lock()
	defer i.genMu.Unlock()
	rows, err := i.keys.ListSigningKeys(ctx, poolID)
	if err != nil {
		return fmt.Errorf("token: listing signing keys of %s: %w", poolID, err)
	}
	// Create before retiring, so the pool always has a key to sign with.
	if err := i.createKey(ctx, poolID, use); err != nil {
		return err
	}
	now := i.now()
	for _, r := range rows {
		if r.Use == use && r.RetiredAt.IsZero() {
			if err := i.keys.RetireSigningKey(ctx, poolID, r.KID, now); err != nil {
				return fmt.Errorf("token: retiring signing key %s: %w", r.KID, err)
			}
		}
	}
	_, err = i.reload(ctx, poolID)
	return err
}

// Forget drops the pool's keys from the cache, so its tokens stop verifying at once; call it
// when a pool is deleted. (Other nodes notice within cacheTTL.)
func (i *Issuer) Forget(poolID string) {
	i.mu.Lock()
	delete(i.pools, poolID)
	i.mu.Unlock()
}

// createKey generates, seals and stores a new key.
func (i *Issuer) createKey(ctx context.Context, poolID, use string) error {
	priv, err := rsa.GenerateKey(i.rand, keyBits)
	if err != nil {
		return fmt.Errorf("token: generating RSA key: %w", err)
	}
	kidRaw := make([]byte, kidBytes)
	if _, err := io.ReadFull(i.rand, kidRaw); err != nil {
		return fmt.Errorf("token: reading random kid: %w", err)
	}
	kid := base64.StdEncoding.EncodeToString(kidRaw)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("token: encoding private key: %w", err)
	}
	sealed, err := i.master.Seal(der, sealAAD(poolID, kid))
	if err != nil {
		return fmt.Errorf("token: sealing private key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return fmt.Errorf("token: encoding public key: %w", err)
	}
	err = i.keys.CreateSigningKey(ctx, store.SigningKey{
		PoolID:    poolID,
		KID:       kid,
		Use:       use,
		Alg:       alg,
		Private:   sealed,
		Public:    pub,
		CreatedAt: i.now(),
	})
	if err != nil {
		if errors.Is(err, store.ErrAlreadyExists) {
			return fmt.Errorf("token: kid collision (is Rand random?): %w", err)
		}
		return fmt.Errorf("token: storing signing key: %w", err)
	}
	return nil
}
