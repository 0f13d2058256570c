package userpool

import (
	"context"
	"time"
)

// GCInterval is how often CollectGarbage sweeps.
const GCInterval = 5 * time.Minute

// CollectGarbage deletes expired refresh tokens and challenge sessions every interval, by
// the service's clock, until ctx is done. Expired rows are refused anyway when used; the
// sweep only keeps the store from growing.
func (s *Service) CollectGarbage(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.sweep(ctx)
		}
	}
}

// sweep is one pass of CollectGarbage.
func (s *Service) sweep(ctx context.Context) {
	now := s.now()
	if _, err := s.store.DeleteExpiredRefreshTokens(ctx, now); err != nil && ctx.Err() == nil {
		s.log.Warn("expire refresh tokens", "err", err)
	}
	if _, err := s.store.DeleteExpiredAuthSessions(ctx, now); err != nil && ctx.Err() == nil {
		s.log.Warn("expire auth sessions", "err", err)
	}
}
