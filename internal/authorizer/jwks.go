package authorizer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/token"
)

// Bounds of the JWKS client: what one issuer may make Gatehouse fetch and keep.
const (
	// JWKSFetchTimeout bounds one discovery or JWKS fetch.
	JWKSFetchTimeout = 5 * time.Second
	// JWKSTTL is how long a fetched key set is used before it is fetched again.
	JWKSTTL = time.Hour
	// jwksRefetchAfter is the least time between two fetches of one issuer's keys: an
	// unknown kid (a rotation) fetches again, but a flood of made-up kids does not.
	jwksRefetchAfter = time.Minute
	maxJWKSBytes     = 1 << 20
	maxJWKSKeys      = 100
	maxJWKSIssuers   = 100
)

// jwtAlgorithms are the signature algorithms accepted from other issuers: the RSA ones, as
// API Gateway's JWT authorizers accept them (RS256, RS384, RS512); "none" and HMAC never.
var jwtAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512}

// JWKSCache fetches and keeps the signing keys of OpenID Connect issuers: the issuer's
// {issuer}/.well-known/openid-configuration names its jwks_uri, whose keys verify its tokens.
// It is safe for concurrent use and bounded (issuers, keys, bytes, time).
type JWKSCache struct {
	client *http.Client
	now    func() time.Time

	mu   sync.Mutex
	sets map[string]*jwksEntry
}

type jwksEntry struct {
	mu      sync.Mutex // serialises fetches of this issuer
	keys    *jose.JSONWebKeySet
	fetched time.Time
}

// NewJWKSCache returns a cache fetching with client (nil: a client with JWKSFetchTimeout).
func NewJWKSCache(client *http.Client, now func() time.Time) *JWKSCache {
	if client == nil {
		client = &http.Client{Timeout: JWKSFetchTimeout}
	}
	if now == nil {
		now = time.Now
	}
	return &JWKSCache{client: client, now: now, sets: map[string]*jwksEntry{}}
}

// Verify checks raw's signature with a key of issuer's JWKS and returns its claims, unchecked
// otherwise. A bad token is a *httpapi.Refusal; an unreachable issuer is an error.
func (c *JWKSCache) Verify(ctx context.Context, issuer, raw string) (token.Claims, error) {
	if len(raw) > token.MaxTokenSize || strings.Count(raw, ".") != 2 {
		return nil, httpapi.Unauthorized("not a compact JWS")
	}
	jws, err := jose.ParseSignedCompact(raw, jwtAlgorithms)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, httpapi.Unauthorized("malformed token or algorithm not allowed")
	}
	kid := jws.Signatures[0].Header.KeyID
	e := c.entry(issuer)
	key, err := c.key(ctx, issuer, e, kid)
	if err != nil {
		return nil, err
	}
	if key == nil {
		return nil, httpapi.Unauthorized("kid is not a key of the issuer")
	}
	payload, err := jws.Verify(key)
	if err != nil {
		return nil, httpapi.Unauthorized("bad signature")
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var claims token.Claims
	if err := dec.Decode(&claims); err != nil || claims == nil {
		return nil, httpapi.Unauthorized("payload is not a JSON object")
	}
	return claims, nil
}

func (c *JWKSCache) entry(issuer string) *jwksEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.sets[issuer]
	if e == nil {
		if len(c.sets) >= maxJWKSIssuers {
			for k := range c.sets { // arbitrary eviction; issuers come from configuration
				delete(c.sets, k)
				break
			}
		}
		e = &jwksEntry{}
		c.sets[issuer] = e
	}
	return e
}

// key finds kid in the issuer's keys, fetching them when they are missing, old, or lack kid
// (at most once a minute).
func (c *JWKSCache) key(ctx context.Context, issuer string, e *jwksEntry, kid string) (any, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := c.now()
	find := func() any {
		if e.keys == nil {
			return nil
		}
		for _, k := range e.keys.Keys {
			if (kid == "" || k.KeyID == kid) && (k.Use == "" || k.Use == "sig") {
				return k.Key
			}
		}
		return nil
	}
	fresh := e.keys != nil && now.Sub(e.fetched) < JWKSTTL
	if k := find(); k != nil && fresh {
		return k, nil
	}
	if e.keys != nil && now.Sub(e.fetched) < jwksRefetchAfter {
		return find(), nil
	}
	keys, err := c.fetch(ctx, issuer)
	if err != nil {
		if e.keys != nil {
			return find(), nil // keep using the last good set while the issuer is down
		}
		return nil, err
	}
	e.keys, e.fetched = keys, now
	return find(), nil
}

// fetch reads the issuer's discovery document, then its JWKS.
func (c *JWKSCache) fetch(ctx context.Context, issuer string) (*jose.JSONWebKeySet, error) {
	ctx, cancel := context.WithTimeout(ctx, JWKSFetchTimeout)
	defer cancel()
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := c.getJSON(ctx, strings.TrimRight(issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, fmt.Errorf("openid discovery of %s: %w", issuer, err)
	}
	if disc.JWKSURI == "" {
		return nil, fmt.Errorf("openid discovery of %s: no jwks_uri", issuer)
	}
	var set jose.JSONWebKeySet
	if err := c.getJSON(ctx, disc.JWKSURI, &set); err != nil {
		return nil, fmt.Errorf("jwks of %s: %w", issuer, err)
	}
	if len(set.Keys) > maxJWKSKeys {
		set.Keys = set.Keys[:maxJWKSKeys]
	}
	return &set, nil
}

func (c *JWKSCache) getJSON(ctx context.Context, url string, v any) error {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return errors.New("not an http(s) URL")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, res.Status)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxJWKSBytes+1))
	if err != nil {
		return err
	}
	if len(body) > maxJWKSBytes {
		return fmt.Errorf("GET %s: more than %d bytes", url, maxJWKSBytes)
	}
	return json.Unmarshal(body, v)
}
