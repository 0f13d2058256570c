package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"sync"
)

// keyCache keeps derived signing keys, so that a client's requests on one day cost one HMAC
// instead of five. A signing key is as sensitive as the secret it comes from, and stays in
// this process's memory only.
type keyCache struct {
	mu  sync.Mutex
	m   map[keyCacheKey][]byte
	max int
}

type keyCacheKey struct {
	secret, date, region, service string
}

func newKeyCache(max int) *keyCache {
	return &keyCache{m: make(map[keyCacheKey][]byte), max: max}
}

// signingKey is kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
// "aws4_request") (IAM User Guide, "Create a signed AWS API request", step 4).
func (c *keyCache) signingKey(secret, date, region, service string) []byte {
	k := keyCacheKey{secret, date, region, service}
	c.mu.Lock()
	key, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = deriveKey(secret, date, region, service)
	c.mu.Lock()
	if len(c.m) >= c.max {
		for old := range c.m { // evict one entry, whichever the map yields
			delete(c.m, old)
			break
		}
	}
	c.m[k] = key
	c.mu.Unlock()
	return key
}

func deriveKey(secret, date, region, service string) []byte {
	key := hmacSHA256([]byte("AWS4"+secret), date)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	return hmacSHA256(key, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
