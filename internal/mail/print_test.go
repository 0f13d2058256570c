package mail

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// lockedBuffer is written by Print's goroutine and read by the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestOutboxPrint(t *testing.T) {
	ctx := context.Background()
	o := NewOutbox(Config{Store: openStore(t)})
	var empty bytes.Buffer
	if err := o.Print(ctx, &empty, "", 0, false, time.Millisecond); err != nil || empty.String() != "(no messages)\n" {
		t.Fatalf("empty outbox printed %q, %v", empty.String(), err)
	}
	for _, u := range []string{"ann", "bob", "cy"} {
		if err := o.Deliver(ctx, store.Message{PoolID: "us-east-1_a", Username: u, Medium: "SMS", Destination: "+15550100", Body: "code for " + u}); err != nil {
			t.Fatal(err)
		}
	}
	var last bytes.Buffer
	if err := o.Print(ctx, &last, "us-east-1_a", 2, false, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if s := last.String(); strings.Contains(s, "code for ann") || !strings.Contains(s, "code for bob") || !strings.Contains(s, "code for cy") {
		t.Errorf("--last 2 printed %q", s)
	}
	// --follow prints what arrives later, and stops with ctx.
	fctx, cancel := context.WithCancel(ctx)
	var follow lockedBuffer
	done := make(chan error, 1)
	go func() { done <- o.Print(fctx, &follow, "us-east-1_a", 1, true, time.Millisecond) }()
	waitFor := func(want string) {
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(follow.String(), want) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	waitFor("code for cy") // the last message, printed before following
	if err := o.Deliver(ctx, store.Message{PoolID: "us-east-1_a", Username: "dee", Medium: "SMS", Destination: "+15550100", Body: "code for dee"}); err != nil {
		t.Fatal(err)
	}
	waitFor("code for dee")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s := follow.String(); !strings.Contains(s, "code for cy") || !strings.Contains(s, "code for dee") || strings.Contains(s, "code for bob") {
		t.Errorf("--follow printed %q", s)
	}
}
