package token

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/store"
)

// memKeys is a map-based store.SigningKeys for these tests; the real store has its own
// conformance suite.
type memKeys struct {
	mu    sync.Mutex
	keys  []store.SigningKey
	lists int   // ListSigningKeys calls
	fail  error // returned by every call when set
}

func (m *memKeys) CreateSigningKey(_ context.Context, k store.SigningKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for _, o := range m.keys {
		if o.PoolID == k.PoolID && o.KID == k.KID {
			return store.ErrAlreadyExists
		}
	}
	k.Private, k.Public = bytes.Clone(k.Private), bytes.Clone(k.Public)
	m.keys = append(m.keys, k)
	return nil
}

func (m *memKeys) ListSigningKeys(_ context.Context, poolID string) ([]store.SigningKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lists++
	if m.fail != nil {
		return nil, m.fail
	}
	var out []store.SigningKey
	for _, k := range m.keys {
		if k.PoolID == poolID {
			out = append(out, k)
		}
	}
	return out, nil
}

func (m *memKeys) RetireSigningKey(_ context.Context, poolID, kid string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	for j := range m.keys {
		if m.keys[j].PoolID == poolID && m.keys[j].KID == kid {
			m.keys[j].RetiredAt = at
			return nil
		}
	}
	return store.ErrNotFound
}

func (m *memKeys) deletePool(poolID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = slices.DeleteFunc(m.keys, func(k store.SigningKey) bool { return k.PoolID == poolID })
}

func (m *memKeys) listCalls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lists
}

func (m *memKeys) setFail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

var _ store.SigningKeys = (*memKeys)(nil)

// clock is an injected clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	testIssuerURL = "http://127.0.0.1:9229"
	poolA         = "us-east-1_AbC123xyz"
	poolB         = "us-east-1_ZyX987cba"
	clientA       = "1example23456789abcdefghij"
)

func testMaster(t testing.TB, fill byte) *masterkey.Key {
	t.Helper()
	k, err := masterkey.New(bytes.Repeat([]byte{fill}, masterkey.Size))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

type env struct {
	iss   *Issuer
	keys  *memKeys
	clock *clock
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{keys: &memKeys{}, clock: newClock()}
	e.iss = e.issuer(t, testMaster(t, 1))
	return e
}

// issuer returns another Issuer on the same store and clock.
func (e *env) issuer(t testing.TB, master *masterkey.Key) *Issuer {
	t.Helper()
	iss, err := NewIssuer(Config{Keys: e.keys, Master: master, IssuerURL: testIssuerURL, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

// idClaims and accessClaims are claim sets shaped like Cognito's
// (developer guide: amazon-cognito-user-pools-using-the-id-token / -access-token).
func idClaims(iss *Issuer, poolID string, now time.Time) map[string]any {
	return map[string]any{
		"sub":              "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"email_verified":   true,
		"iss":              iss.IssuerFor(poolID),
		"cognito:username": "janedoe",
		"cognito:groups":   []string{"admins", "editors"},
		"origin_jti":       "11111111-2222-3333-4444-555555555555",
		"aud":              clientA,
		"event_id":         "66666666-7777-8888-9999-000000000000",
		"token_use":        UseID,
		"auth_time":        now.Unix(),
		"exp":              now.Add(time.Hour).Unix(),
		"iat":              now.Unix(),
		"jti":              "abcdefab-cdef-abcd-efab-cdefabcdefab",
		"email":            "janedoe@example.com",
		"custom:team":      "blue",
	}
}

func accessClaims(iss *Issuer, poolID string, now time.Time) map[string]any {
	return map[string]any{
		"sub":            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
		"cognito:groups": []string{"admins", "editors"},
		"iss":            iss.IssuerFor(poolID),
		"client_id":      clientA,
		"origin_jti":     "11111111-2222-3333-4444-555555555555",
		"event_id":       "66666666-7777-8888-9999-000000000000",
		"token_use":      UseAccess,
		"scope":          "aws.cognito.signin.user.admin",
		"auth_time":      now.Unix(),
		"exp":            now.Add(time.Hour).Unix(),
		"iat":            now.Unix(),
		"jti":            "bcdefabc-defa-bcde-fabc-defabcdefabc",
		"username":       "janedoe",
	}
}

func (e *env) sign(t testing.TB, poolID, use string, claims map[string]any) string {
	t.Helper()
	tok, err := e.iss.Sign(context.Background(), poolID, use, claims)
	if err != nil {
		t.Fatalf("Sign(%s, %s): %v", poolID, use, err)
	}
	return tok
}

// withClaims returns a copy of c with the given changes; a nil value deletes the claim.
func withClaims(c map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(c))
	for k, v := range c {
		out[k] = v
	}
	for j := 0; j+1 < len(kv); j += 2 {
		if kv[j+1] == nil {
			delete(out, kv[j].(string))
		} else {
			out[kv[j].(string)] = kv[j+1]
		}
	}
	return out
}

func isInvalid(err error) bool { return errors.Is(err, ErrInvalid) }
