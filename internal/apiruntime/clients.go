package apiruntime

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/store"
)

// ClientLookup answers the Cognito authorizer's "is this token's app client still a client
// of its pool" from the store. Positive answers are remembered for ClientTTL: a token seen
// for the first time then costs its signature check and no query, which is what keeps a
// gateway serving fresh tokens near the plain proxy's rate (docs/benchmarks.md). Negative
// answers are never remembered, so a client created a moment ago is found at once; a deleted
// client's tokens stop passing within ClientTTL (they pass from the token cache for up to
// the authorizer's resultTtlInSeconds anyway, as on API Gateway).
type ClientLookup struct {
	clients store.Clients
	now     func() time.Time
	mu      sync.Mutex
	seen    map[[2]string]time.Time // (pool, client) → when it was last found
}

// ClientTTL bounds how long a deleted app client's new tokens may still pass.
const ClientTTL = 30 * time.Second

// maxSeenClients bounds the remembered answers; past it the map starts over.
const maxSeenClients = 10_000

// NewClientLookup returns a lookup reading clients; now is the clock (nil: time.Now).
func NewClientLookup(clients store.Clients, now func() time.Time) *ClientLookup {
	if now == nil {
		now = time.Now
	}
	return &ClientLookup{clients: clients, now: now, seen: map[[2]string]time.Time{}}
}

// ClientExists reports whether clientID is an app client of poolID.
func (l *ClientLookup) ClientExists(ctx context.Context, poolID, clientID string) (bool, error) {
	k := [2]string{poolID, clientID}
	now := l.now()
	l.mu.Lock()
	at, ok := l.seen[k]
	l.mu.Unlock()
	// A clock that went back makes the entry stale too: it cannot be trusted to be recent.
	if ok && now.Sub(at) < ClientTTL && !now.Before(at) {
		return true, nil
	}
	_, err := l.clients.GetClient(ctx, poolID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		l.mu.Lock()
		delete(l.seen, k)
		l.mu.Unlock()
		return false, nil
	}
	if err != nil {
		return false, err
	}
	l.mu.Lock()
	if len(l.seen) >= maxSeenClients {
		clear(l.seen)
	}
	l.seen[k] = now
	l.mu.Unlock()
	return true, nil
}

var _ authorizer.ClientLookup = (*ClientLookup)(nil)
