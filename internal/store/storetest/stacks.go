package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func testStackResources(t *testing.T, s store.Store) {
	ctx := context.Background()
	pool := store.StackResource{
		Stack: "reservation-dev", LogicalID: "CognitoUserPool", Type: "AWS::Cognito::UserPool",
		PhysicalID: "us-east-1_abcdefghi", Attributes: `{"Arn":"arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abcdefghi"}`,
		Properties: `{"UserPoolName":"users"}`, CreatedAt: t0(), UpdatedAt: t0(),
	}
	role := store.StackResource{
		Stack: "reservation-dev", LogicalID: "AuthRole", Type: "AWS::IAM::Role",
		PhysicalID: "reservation-dev-AuthRole-ABC", Attributes: `{}`, Properties: `{}`, CreatedAt: t0(), UpdatedAt: t0(),
	}
	other := role
	other.Stack = "reservation-prod"
	for _, r := range []store.StackResource{role, pool, other} {
		if err := s.PutStackResource(ctx, r); err != nil {
			t.Fatalf("PutStackResource %s/%s: %v", r.Stack, r.LogicalID, err)
		}
	}
	got, err := s.ListStackResources(ctx, "reservation-dev")
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.StackResource{role, pool}; !reflect.DeepEqual(normStack(got), normStack(want)) {
		t.Fatalf("ListStackResources = %+v, want %+v (ordered by logical ID)", got, want)
	}
	// Put replaces the record of the same stack and logical ID.
	pool.PhysicalID, pool.Properties, pool.UpdatedAt = "us-east-1_zzzzzzzzz", `{"UserPoolName":"renamed"}`, t0().Add(time.Hour)
	if err := s.PutStackResource(ctx, pool); err != nil {
		t.Fatal(err)
	}
	got, err = s.ListStackResources(ctx, "reservation-dev")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(normStack(got[1:]), normStack([]store.StackResource{pool})) {
		t.Fatalf("after replace: %+v", got)
	}
	if err := s.DeleteStackResource(ctx, "reservation-dev", "AuthRole"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteStackResource(ctx, "reservation-dev", "AuthRole"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	got, _ = s.ListStackResources(ctx, "reservation-dev")
	if len(got) != 1 || got[0].LogicalID != "CognitoUserPool" {
		t.Fatalf("after delete: %+v", got)
	}
	// Other stacks are untouched; an unknown stack has nothing.
	if got, _ := s.ListStackResources(ctx, "reservation-prod"); len(got) != 1 {
		t.Fatalf("other stack: %+v", got)
	}
	if got, err := s.ListStackResources(ctx, "nope"); err != nil || len(got) != 0 {
		t.Fatalf("unknown stack: %+v, %v", got, err)
	}
}

func normStack(rs []store.StackResource) []store.StackResource {
	out := make([]store.StackResource, len(rs))
	for i, r := range rs {
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC().Truncate(time.Millisecond), r.UpdatedAt.UTC().Truncate(time.Millisecond)
		out[i] = r
	}
	return out
}

// testStackLock: LockStack excludes a second holder of the same stack until the first
// returns, lets other stacks through, and returns fn's error.
func testStackLock(t *testing.T, s store.Store) {
	ctx := context.Background()
	errBoom := errors.New("boom")
	if err := s.LockStack(ctx, "a", func(context.Context) error { return errBoom }); !errors.Is(err, errBoom) {
		t.Fatalf("LockStack returned %v, want fn's error", err)
	}
	inside := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.LockStack(ctx, "a", func(context.Context) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	second := make(chan struct{})
	go func() {
		_ = s.LockStack(ctx, "a", func(context.Context) error { close(second); return nil })
	}()
	select {
	case <-second:
		t.Fatal("a second holder of the same stack's lock ran while the first held it")
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	select {
	case <-second:
	case <-time.After(5 * time.Second):
		t.Fatal("the second holder never got the lock")
	}
}
