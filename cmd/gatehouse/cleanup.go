package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// cleanups is the undo stack of a start: each step that acquires something (a listener, the
// store, the outbox, the functions' processes, a goroutine) pushes how to release it; run
// releases everything in the reverse order, once, however often it is called.
type cleanups struct {
	once sync.Once
	fns  []func() error
	err  error
}

func (c *cleanups) push(fn func() error) { c.fns = append(c.fns, fn) }

// run undoes every pushed step, last first, and returns their errors joined.
func (c *cleanups) run() error {
	c.once.Do(func() {
		var errs []error
		for i := len(c.fns) - 1; i >= 0; i-- {
			if err := c.fns[i](); err != nil {
				errs = append(errs, err)
			}
		}
		c.err = errors.Join(errs...)
	})
	return c.err
}

// listen opens a TCP listener on addr (named by its flag in errors) and pushes its closing.
func (c *cleanups) listen(flag, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s %s: %w", flag, addr, err)
	}
	c.push(func() error {
		// A server that served it has closed it already.
		if err := ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			return err
		}
		return nil
	})
	return ln, nil
}

// goroutine runs fn in a goroutine and pushes its stop: cancel fn's context, wait for it.
func (c *cleanups) goroutine(fn func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(ctx)
	}()
	c.push(func() error {
		cancel()
		<-done
		return nil
	})
}

// serve serves hs on ln and pushes its graceful shutdown: in-flight requests get up to 10 s.
func (c *cleanups) serve(hs *http.Server, ln net.Listener) {
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	c.push(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(ctx)
		if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
		return err
	})
}
