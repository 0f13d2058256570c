package authorizer

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// DefaultCacheSize bounds an authorizer's result cache when the configuration does not:
// 10,000 principals (or Lambda authorizer results) of a few KiB each are tens of MiB at most.
const DefaultCacheSize = 10_000

// cacheKey is the SHA-256 of a credential (a token, or a Lambda authorizer's identity source
// values): the cache never holds the credential itself, and a lookup costs one hash.
type cacheKey [sha256.Size]byte

// cacheEntry is one cached value. It is immutable once stored: readers copy val out, and
// whatever it points to (a Principal's Claims map, a parsed policy) is shared and must be
// treated as read-only, as gateway.Request's fields are.
type cacheEntry[V any] struct {
	val   V
	until time.Time // used only while now is before this
}

// resultCache maps credentials to what an authorizer learned from them. It is safe for
// concurrent use; a hit takes only the read lock.
type resultCache[V any] struct {
	max int

	mu      sync.RWMutex
	entries map[cacheKey]*cacheEntry[V]
}

func newResultCache[V any](max int) *resultCache[V] {
	return &resultCache[V]{max: max, entries: make(map[cacheKey]*cacheEntry[V])}
}

// get returns the value cached for k, if any and still good at now. An entry past its time
// stays until put replaces or evicts it: get only reads.
func (c *resultCache[V]) get(k cacheKey, now time.Time) (V, bool) {
	c.mu.RLock()
	e := c.entries[k]
	c.mu.RUnlock()
	if e == nil || !now.Before(e.until) {
		var zero V
		return zero, false
	}
	return e.val, true
}

// put stores e under k, evicting to make room when the cache is full.
func (c *resultCache[V]) put(k cacheKey, e *cacheEntry[V], now time.Time) {
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
func (c *resultCache[V]) evict(now time.Time) {
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
func (c *resultCache[V]) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// tokenCache is a Cognito authorizer's verified-token cache. Refusals are never stored: a
// cache of refusals keyed by strings any client chooses would let a flood of junk evict the
// genuine entries, and refusing costs no more than the verification it would save.
type tokenCache = resultCache[gateway.Principal]

func newTokenCache(max int) *tokenCache { return newResultCache[gateway.Principal](max) }
