package userpool

import (
	"context"
	"errors"

	"github.com/gatehouse/gatehouse/internal/store"
)

// PoolExists reports whether the user pool exists, e.g. for the JWKS handler, which answers
// 404 for a pool that does not.
func (s *Service) PoolExists(ctx context.Context, id string) (bool, error) {
	_, err := s.store.GetUserPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
