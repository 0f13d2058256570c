package store

import (
	"context"
	"time"
)

// StackResource is one resource a serverless.yml stack created: what `resources.Resources`
// named LogicalID in the stack Stack ("{service}-{stage}", as the Serverless Framework names
// its CloudFormation stack) is on this Gatehouse. It is the stack's memory: the same stack and
// logical ID are the same physical resource across restarts and edits, and `remove` deletes
// exactly the resources recorded here.
type StackResource struct {
	Stack     string
	LogicalID string
	Type      string // AWS::Cognito::UserPool, …
	// PhysicalID is what Ref returns (a pool ID, a role name, …).
	PhysicalID string
	// Attributes are the resource's Fn::GetAtt values and anything else the provisioner
	// needs to find it again, as a JSON object of strings kept verbatim.
	Attributes string
	// Properties are the resolved properties last applied, as JSON, to tell an edit.
	Properties string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Stacks persists the resources of serverless.yml stacks.
type Stacks interface {
	// ListStackResources returns the stack's resources ordered by logical ID (none for an
	// unknown stack).
	ListStackResources(ctx context.Context, stack string) ([]StackResource, error)
	// PutStackResource inserts the resource or replaces the one of the same stack and
	// logical ID.
	PutStackResource(ctx context.Context, r StackResource) error
	// DeleteStackResource forgets a resource; store.ErrNotFound when there is none.
	DeleteStackResource(ctx context.Context, stack, logicalID string) error
	// LockStack runs fn holding the stack's lock, which every process on the store shares:
	// two deploys of one stack never overlap, so nodes starting together create its
	// resources once. fn's error is returned as is.
	LockStack(ctx context.Context, stack string, fn func(ctx context.Context) error) error
}
