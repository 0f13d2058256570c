package userexport

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// Pools is what an export or an import needs of the user-pool service (*userpool.Service
// implements it): a pool's rules, and recreating a missing pool from an export's header.
type Pools interface {
	BulkPool(ctx context.Context, poolID string) (*userpool.BulkPool, error)
	RestorePool(ctx context.Context, id, name string, spec json.RawMessage) (*userpool.BulkPool, error)
}

var _ Pools = (*userpool.Service)(nil)

// Store is the part of the store an export reads and an import writes: groups, users and
// memberships. A Store that also implements store.BulkUsers gets each batch of an import in
// one transaction; without it, users are written one at a time.
type Store interface {
	ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, error)
	CreateGroup(ctx context.Context, g store.Group) error
	ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]store.User, error)
	AddUserToGroup(ctx context.Context, poolID, usernameKey, group string) error
	ListUsers(ctx context.Context, poolID string, filter *store.UserFilter, page store.Page) ([]store.User, error)
	CreateUser(ctx context.Context, u store.User) error
	GetUser(ctx context.Context, poolID, usernameKey string) (store.User, error)
}

// Config wires a Service.
type Config struct {
	Pools Pools
	// Store must be the store Pools works on.
	Store Store
	// Now is the clock (an export's date, an imported record's missing dates); nil means
	// time.Now.
	Now func() time.Time
}

// Service exports and imports the users of the pools of one store.
type Service struct {
	pools Pools
	store Store
	now   func() time.Time
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{pools: cfg.Pools, store: cfg.Store, now: cfg.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// nowUTC is the clock truncated to milliseconds, the precision the store keeps.
func (s *Service) nowUTC() time.Time { return s.now().UTC().Truncate(time.Millisecond) }
