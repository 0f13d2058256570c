package iam

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/policy"
	"github.com/gatehouse/gatehouse/internal/sigv4"
	"github.com/gatehouse/gatehouse/internal/store"
)

// CacheTTL is how long Principals keeps what it found about an access key: the key's
// secret, its principal and the principal's policies. It is the bound on how long a change
// made on another node (or straight in the database) takes to reach this one: a deleted or
// deactivated access key keeps working, and a changed or deleted inline policy or a deleted
// role keeps its old effect, for at most CacheTTL. Changes made through this node's API
// empty the cache at once.
const CacheTTL = 10 * time.Second

// DefaultCacheEntries bounds the cache when PrincipalsConfig.MaxEntries is 0.
const DefaultCacheEntries = 10000

// Principal types.
const (
	PrincipalUser        = "user"
	PrincipalAssumedRole = "assumed-role"
)

// Principal is who an access key speaks for. It is shared by every request signed with the
// key while cached: treat it as read-only.
type Principal struct {
	AccessKeyID string
	// Type is PrincipalUser (a long-term AKIA key) or PrincipalAssumedRole (temporary ASIA
	// credentials).
	Type string
	// ARN is arn:aws:iam::{account}:user{path}{name} or
	// arn:aws:sts::{account}:assumed-role/{role}/{session}.
	ARN string
	// UserID is the aws:userid of the IAM User Guide's principal table (reference_policies_
	// variables.html), as GetCallerIdentity shows it: the user's "AIDA…" id, or
	// "{role id}:{session name}" for an assumed role. Empty when the role is gone.
	UserID    string
	AccountID string
	UserName  string // users
	RoleName  string // assumed roles
	RoleARN   string // assumed roles
	// Session is what the temporary credentials were minted for (assumed roles).
	Session Session
	// Policies are the user's or the role's inline policies, parsed. None when the role of
	// temporary credentials no longer exists: everything is then denied.
	Policies []policy.Named
}

// PrincipalsConfig builds Principals.
type PrincipalsConfig struct {
	Store  Store          // required
	Master *masterkey.Key // required: opens access keys' secrets
	// Issuer resolves temporary (ASIA…) credentials; nil: they are all unknown.
	Issuer     *Issuer
	AccountID  string           // "": DefaultAccountID
	Now        func() time.Time // nil: time.Now
	TTL        time.Duration    // 0: CacheTTL
	MaxEntries int              // 0: DefaultCacheEntries
}

// Principals answers, for both kinds of access keys, the SigV4 verifier's Lookup and the
// question of who signed (Resolve), from a bounded cache of positive answers.
type Principals struct {
	store   Store
	master  *masterkey.Key
	issuer  *Issuer
	account string
	now     func() time.Time
	ttl     time.Duration
	max     int

	mu      sync.RWMutex
	entries map[string]*entry
	// gen counts Purges: a load that began before the latest Purge is not cached, and is
	// not shared with requests that began after it.
	gen    uint64
	flight singleflight.Group
}

// entry is what is known about one access key.
type entry struct {
	secret    sigv4.Secret
	principal *Principal
	expires   time.Time
}

// NewPrincipals returns Principals for cfg.
func NewPrincipals(cfg PrincipalsConfig) (*Principals, error) {
	if cfg.Store == nil || cfg.Master == nil {
		return nil, errors.New("iam: PrincipalsConfig.Store and Master are required")
	}
	p := &Principals{
		store: cfg.Store, master: cfg.Master, issuer: cfg.Issuer, account: cfg.AccountID,
		now: cfg.Now, ttl: cfg.TTL, max: cfg.MaxEntries, entries: map[string]*entry{},
	}
	if p.account == "" {
		p.account = DefaultAccountID
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.ttl <= 0 {
		p.ttl = CacheTTL
	}
	if p.max <= 0 {
		p.max = DefaultCacheEntries
	}
	return p, nil
}

// Lookup is the SigV4 verifier's credential lookup: the secret of an active AKIA key of a
// user, or of ASIA temporary credentials (with their session token's hash and expiration).
// An unknown, deleted or inactive key is sigv4.ErrUnknownKey.
func (p *Principals) Lookup(ctx context.Context, accessKeyID string) (sigv4.Secret, error) {
	e, err := p.get(ctx, accessKeyID)
	if err != nil {
		return sigv4.Secret{}, err
	}
	return e.secret, nil
}

// Resolve returns the principal an access key speaks for; an error wrapping
// sigv4.ErrUnknownKey when there is none (or the key is inactive). It does not check a
// signature: call it for a key the verifier has accepted.
func (p *Principals) Resolve(ctx context.Context, accessKeyID string) (*Principal, error) {
	e, err := p.get(ctx, accessKeyID)
	if err != nil {
		return nil, err
	}
	return e.principal, nil
}

// Purge empties the cache: the API calls it after every change to a key, a user, a role or
// a policy.
func (p *Principals) Purge() {
	p.mu.Lock()
	clear(p.entries)
	p.gen++
	p.mu.Unlock()
}

// loadTimeout bounds a load from the store, which runs detached from the request that
// started it (others may be waiting on it).
const loadTimeout = 10 * time.Second

func (p *Principals) get(ctx context.Context, id string) (*entry, error) {
	now := p.now()
	p.mu.RLock()
	e, gen := p.entries[id], p.gen
	p.mu.RUnlock()
	if e != nil && now.Before(e.expires) {
		return e, nil
	}
	// One load per key and generation at a time: a burst of requests signed with a key that
	// just left the cache makes one round of store reads, not one per request. The load is
	// detached from this request's cancellation, so a client that goes away cannot fail the
	// others waiting on it.
	v, err, _ := p.flight.Do(id+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), loadTimeout)
		defer cancel()
		e, err := p.load(lctx, id)
		if err != nil {
			return nil, err
		}
		e.expires = p.now().Add(p.ttl)
		p.put(id, e, gen)
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*entry), nil
}

// put stores an entry, making room when the cache is full: expired entries go first, then
// arbitrary ones (Go's map order), so a flood of distinct keys costs old entries a reload,
// never memory.
func (p *Principals) put(id string, e *entry, gen uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if gen != p.gen {
		return // loaded before a Purge: possibly stale
	}
	if _, ok := p.entries[id]; !ok && len(p.entries) >= p.max {
		now := p.now()
		removed := 0
		for k, old := range p.entries {
			if !now.Before(old.expires) {
				delete(p.entries, k)
				removed++
			}
		}
		for k := range p.entries {
			if removed > 0 || len(p.entries) < p.max {
				break
			}
			delete(p.entries, k)
			removed++
		}
	}
	p.entries[id] = e
}

func (p *Principals) load(ctx context.Context, id string) (*entry, error) {
	switch {
	case strings.HasPrefix(id, "AKIA"):
		return p.loadUserKey(ctx, id)
	case strings.HasPrefix(id, "ASIA") && p.issuer != nil:
		return p.loadTemporary(ctx, id)
	}
	return nil, sigv4.ErrUnknownKey
}

func (p *Principals) loadUserKey(ctx context.Context, id string) (*entry, error) {
	k, err := p.store.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, sigv4.ErrUnknownKey
	}
	if err != nil {
		return nil, fmt.Errorf("iam: look up %s: %w", id, err)
	}
	if k.Status != StatusActive {
		return nil, fmt.Errorf("iam: access key %s is %s: %w", id, k.Status, sigv4.ErrUnknownKey)
	}
	secret, err := p.master.Open(k.SecretSealed, accessKeyAAD(id))
	if err != nil {
		return nil, fmt.Errorf("iam: open secret of %s: %w", id, err)
	}
	u, err := p.store.GetIAMUser(ctx, k.UserName)
	if errors.Is(err, store.ErrNotFound) {
		return nil, sigv4.ErrUnknownKey // the user went with the key
	}
	if err != nil {
		return nil, fmt.Errorf("iam: user of %s: %w", id, err)
	}
	policies, err := p.policies(ctx, u.Name, p.store.ListUserPolicies)
	if err != nil {
		return nil, err
	}
	return &entry{
		secret: sigv4.Secret{SecretAccessKey: string(secret)},
		principal: &Principal{
			AccessKeyID: id, Type: PrincipalUser, ARN: u.ARN, UserID: u.ID, AccountID: p.account,
			UserName: u.Name, Policies: policies,
		},
	}, nil
}

func (p *Principals) loadTemporary(ctx context.Context, id string) (*entry, error) {
	secret, err := p.issuer.Lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	s, err := p.issuer.Session(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, sigv4.ErrUnknownKey
	}
	if err != nil {
		return nil, err
	}
	roleName := s.RoleARN[strings.LastIndexByte(s.RoleARN, '/')+1:]
	pr := &Principal{
		AccessKeyID: id, Type: PrincipalAssumedRole, ARN: assumedRoleARN(p.account, roleName, s.SessionName),
		AccountID: p.account, RoleName: roleName, RoleARN: s.RoleARN, Session: s,
	}
	r, err := p.store.GetRole(ctx, roleName)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// The role is gone: the credentials still verify until they expire, with no
		// policies, so everything they ask is denied.
		return &entry{secret: secret, principal: pr}, nil
	case err != nil:
		return nil, fmt.Errorf("iam: role of %s: %w", id, err)
	case !strings.EqualFold(r.ARN, s.RoleARN):
		// A role of that name was deleted and made again elsewhere in the path tree; the
		// credentials were not minted for this one.
		return &entry{secret: secret, principal: pr}, nil
	}
	pr.UserID = r.ID + ":" + s.SessionName
	if pr.Policies, err = p.policies(ctx, r.Name, p.store.ListRolePolicies); err != nil {
		return nil, err
	}
	return &entry{secret: secret, principal: pr}, nil
}

// policies parses all inline policies of an owner. A stored document that no longer parses
// is an error, not a policy left out: leaving out a Deny would widen access.
func (p *Principals) policies(ctx context.Context, owner string,
	list func(context.Context, string, store.Page) ([]store.InlinePolicy, error)) ([]policy.Named, error) {
	var out []policy.Named
	after := ""
	for {
		ps, err := list(ctx, owner, store.Page{After: after, Limit: 100})
		if err != nil {
			return nil, fmt.Errorf("iam: policies of %s: %w", owner, err)
		}
		for _, ip := range ps {
			parsed, err := policy.Parse([]byte(ip.Document))
			if err != nil {
				return nil, fmt.Errorf("iam: policy %s of %s: %w", ip.Name, owner, err)
			}
			out = append(out, policy.Named{Name: ip.Name, Policy: parsed})
			after = ip.Name
		}
		if len(ps) < 100 {
			return out, nil
		}
	}
}

var _ sigv4.Credentials = (*Principals)(nil)
