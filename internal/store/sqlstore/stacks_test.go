package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
	"github.com/gatehouse/gatehouse/internal/store/storetest"
)

// TestPostgresStackLockAcrossNodes: two stores on one database (two nodes) take turns on a
// stack's lock; the in-process mutex alone would let them overlap.
func TestPostgresStackLockAcrossNodes(t *testing.T) {
	url := storetest.PostgresURL(t, "gh_test_")
	open := func() *sqlstore.Store {
		s, err := sqlstore.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	ctx := context.Background()
	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- a.LockStack(ctx, "shop-dev", func(context.Context) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	second := make(chan struct{})
	go func() { _ = b.LockStack(ctx, "shop-dev", func(context.Context) error { close(second); return nil }) }()
	// Another stack is not held up.
	if err := b.LockStack(ctx, "other-dev", func(context.Context) error { return nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-second:
		t.Fatal("the second node ran while the first held the stack's lock")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	select {
	case <-second:
	case <-time.After(5 * time.Second):
		t.Fatal("the second node never got the lock")
	}
}
