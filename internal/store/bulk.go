package store

import (
	"context"
	"fmt"
)

// NewUser is one user of a bulk creation with the groups it joins (group names of its pool).
type NewUser struct {
	User   User
	Groups []string
}

// BulkUsers creates users in batches, for imports: one transaction per batch instead of one
// per user. It is an optional capability of a backend; a consumer that has only Users falls
// back to CreateUser and AddUserToGroup.
type BulkUsers interface {
	// CreateUsers stores the users and their group memberships in one transaction. A user
	// whose UsernameKey its pool already has (or that an earlier user of the batch took) is
	// skipped and left as it is, memberships included; created[i] reports whether users[i]
	// was stored. Anything else that stops a user aborts the whole batch, which is then not
	// written at all: a Sub another user of the pool has (store.ErrAlreadyExists), a unique
	// value another user holds (a *ClaimConflictError, also ErrAlreadyExists), a pool or
	// group that does not exist (store.ErrNotFound). Such an error is a *UserBatchError
	// naming the user.
	CreateUsers(ctx context.Context, users []NewUser) (created []bool, err error)
}

// UserBatchError says which user of a CreateUsers batch stopped it.
type UserBatchError struct {
	Index int // into the batch
	Err   error
}

func (e *UserBatchError) Error() string {
	return fmt.Sprintf("user %d of the batch: %v", e.Index, e.Err)
}

func (e *UserBatchError) Unwrap() error { return e.Err }
