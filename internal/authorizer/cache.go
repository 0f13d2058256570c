package authorizer

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// DefaultCacheSize bounds a Cognito authorizer's verified-token cache when the configuration
// does not: 10,000 principals of a few KiB of claims each are tens of MiB at most.
const DefaultCacheSize = 10_000

// cacheKey is the SHA-256 of a token: the cache never holds the token itself, and a lookup
// costs one hash of at most token.MaxTokenSize bytes.
type cacheKey [sha256.Size]byte

// cacheEntry is one verified token's principal. It is immutable once stored: readers copy
// the Principal out, so a caller that edits its copy (adds to Reason, say) changes nothing
// here. The Claims map and Scopes slice are shared and must be treated as read-only, as
// gateway.Request's are.
type cacheEntry struct {
	principal gateway.Principal
	until     time.Time // used only while now is before this: min(exp, stored + ResultTTL)
}

// tokenCache maps verified tokens to their principals. It is safe for concurrent use; a hit
// takes only the read lock. Refusals are never stored: a cache of refusals keyed by strings
// any client chooses would let a flood of junk evict the genuine entries, and refusing costs
// no more than the verification it would save.
type tokenCache struct {
	max int

	mu      sync.RWMutex
	entries map[cacheKey]*cacheEntry
}

func newTokenCache(max int) *tokenCache {
	return &tokenCache{max: max, entries: make(map[cacheKey]*cacheEntry)}
}

// get returns the principal cached for k, if any and still good at now. An entry past its
// time stays until put replaces or evicts it: get only reads.
func (c *tokenCache) get(k cacheKey, now time.Time) (gateway.Principal, bool) {
	c.mu.RLock()
	e := c.entries[k]
	c.mu.RUnlock()
	if e == nil || !now.Before(e.until) {
		return gateway.Principal{}, false
	}
	return e.principal, true
}

// put stores e under k, evicting to make room when the cache is full.
func (c *tokenCache) put(k cacheKey, e *cacheEntry, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[k]; !ok && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[k] = e
}

// evict makes room in a full cache: first every entry past its time, then, if that freed too
// little, arbitrary entries (Go's map order is randomised) until a sixteenth of the cache is
// free. Freeing a sixteenth at once keeps the O(n) sweep to once per max/16 insertions
// however the cache is used. c.mu must be held.
func (c *tokenCache) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.until) {
			delete(c.entries, k)
		}
	}
	target := c.max - max(1, c.max/16)
	for k := range c.entries {
		if len(c.entries) <= target {
			break
		}
		delete(c.entries, k)
	}
}

// len returns how many entries the cache holds, expired ones included.
func (c *tokenCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
