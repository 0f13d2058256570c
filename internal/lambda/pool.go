package lambda

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"sync"
	"time"
)

// pool holds the execution environments of one function: like Lambda, a process handles one
// invocation at a time and is reused warm; a cold invocation starts a new process while the
// function has fewer than fn.Concurrency, and waits in a bounded queue beyond that
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html).
type pool struct {
	fn   Function // normalized
	kind runtimeKind
	arn  string
	cfg  *config
	log  *slog.Logger
	node nodeRuntime // for nodejs runtimes

	closing chan struct{} // closed by close

	mu      sync.Mutex
	idle    []*process            // warm and free, most recently used last
	live    int                   // slots taken: processes starting, busy or idle
	waiters []chan grant          // invocations queued for a slot, oldest first
	procs   map[*process]struct{} // every process not yet reaped
	retired bool                  // replaced by a new configuration: drain, keep nothing idle
	closed  bool
}

// grant is what a queued invocation receives: an idle process, or (p nil) a slot to start a
// process in, or the pool's end.
type grant struct {
	p   *process
	err error
}

func newPool(fn Function, kind runtimeKind, cfg *config, log *slog.Logger, node nodeRuntime) *pool {
	return &pool{
		fn:      fn,
		kind:    kind,
		arn:     fn.arn(cfg),
		cfg:     cfg,
		log:     log.With("function", fn.Name),
		node:    node,
		closing: make(chan struct{}),
		procs:   make(map[*process]struct{}),
	}
}

// command returns the program, arguments and LAMBDA_RUNTIME_DIR of a new process.
func (f *pool) command() (name string, args []string, runtimeDir string, err error) {
	if f.kind == runtimeNode {
		return f.node.path, []string{f.node.bootstrap()}, f.node.dir, nil
	}
	exe, err := f.fn.executable(f.kind)
	return exe, nil, "", err
}

// invoke runs one invocation on a process of the pool.
func (f *pool) invoke(ctx context.Context, inv *invocation) (Result, error) {
	for {
		p, err := f.acquire(ctx)
		if err != nil {
			return Result{}, err
		}
		res, retry, err := f.run(ctx, p, inv)
		if !retry {
			return res, err
		}
	}
}

// run hands inv to p and waits for its outcome. retry is true when p turned out to be dead
// before it took inv (a warm process that exited while idle): inv never ran.
func (f *pool) run(ctx context.Context, p *process, inv *invocation) (res Result, retry bool, err error) {
	warm := p.api.initialized()
	var initTimeout <-chan time.Time
	if !warm {
		// Lambda bounds the Init phase (10 s by default here, WithInitTimeout); the function
		// timeout starts when the runtime takes the event.
		t := time.NewTimer(f.cfg.initTimeout)
		defer t.Stop()
		initTimeout = t.C
	}
	select {
	case p.api.invokes <- inv:
	case <-p.api.initFailed:
		f.release(p, false)
		return f.result(inv, p.api.initFailure())
	case <-p.exited:
		f.release(p, false)
		if p.api.hasInitFailed() {
			return f.result(inv, p.api.initFailure())
		}
		if warm {
			return Result{}, true, nil
		}
		return f.result(inv, outcome{err: f.invokeError(inv, "Runtime.ExitError", p.exitMessage(), ErrRuntimeExit)})
	case <-initTimeout:
		f.release(p, false)
		msg := "Init timed out after " + seconds(f.cfg.initTimeout) + " seconds"
		return f.result(inv, outcome{err: f.invokeError(inv, "Sandbox.Timedout", msg, ErrTimeout)})
	case <-f.closing:
		f.release(p, false)
		return f.result(inv, outcome{err: f.closedError(inv)})
	case <-ctx.Done():
		f.release(p, true) // p never saw inv
		return Result{}, false, ctx.Err()
	}

	timer := time.NewTimer(f.fn.Timeout)
	o, ok := f.await(ctx.Done(), p, inv, timer)
	if !ok {
		// The caller is gone; like Lambda, the invocation runs to its end before p is reused.
		go f.await(nil, p, inv, timer)
		return Result{}, false, ctx.Err()
	}
	return f.result(inv, o)
}

// await waits for inv's outcome on p, enforcing the timeout, then releases p. It returns
// ok=false, keeping p, when gone is closed first.
func (f *pool) await(gone <-chan struct{}, p *process, inv *invocation, timer *time.Timer) (o outcome, ok bool) {
	select {
	case o = <-inv.done:
	case <-timer.C:
		// Lambda: "Task timed out after 3.00 seconds"; the environment is destroyed.
		if inv.finish(outcome{err: f.invokeError(inv, "Sandbox.Timedout",
			"Task timed out after "+seconds(f.fn.Timeout)+" seconds", ErrTimeout)}) {
			p.kill()
		}
		o = <-inv.done
	case <-p.exited:
		inv.finish(outcome{err: f.invokeError(inv, "Runtime.ExitError", p.exitMessage(), ErrRuntimeExit)})
		o = <-inv.done
	case <-f.closing:
		inv.finish(outcome{err: f.closedError(inv)})
		o = <-inv.done
	case <-gone:
		return outcome{}, false
	}
	timer.Stop()
	f.release(p, o.err == nil)
	return o, true
}

func (f *pool) result(inv *invocation, o outcome) (Result, bool, error) {
	if o.err != nil {
		return Result{}, false, o.err
	}
	return Result{RequestID: inv.id, Payload: o.payload, FunctionError: o.ferr}, false, nil
}

func (f *pool) invokeError(inv *invocation, typ, msg string, err error) *InvokeError {
	return &InvokeError{Function: f.fn.Name, RequestID: inv.id, Type: typ, Message: msg, Err: err}
}

func (f *pool) closedError(inv *invocation) *InvokeError {
	return f.invokeError(inv, "ServiceException", "Gatehouse is shutting down", ErrClosed)
}

// seconds formats d the way Lambda's timeout message does: "3.00".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64)
}

// acquire returns a process for one invocation: an idle one, a new one while the function is
// under its concurrency, or one freed while queued.
func (f *pool) acquire(ctx context.Context) (*process, error) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil, f.closedError(&invocation{})
	}
	if n := len(f.idle); n > 0 {
		p := f.idle[n-1]
		f.idle = f.idle[:n-1]
		f.mu.Unlock()
		return p, nil
	}
	if f.live < f.fn.Concurrency {
		f.live++
		f.mu.Unlock()
		return f.start()
	}
	if len(f.waiters) >= f.cfg.queueLimit {
		f.mu.Unlock()
		return nil, &InvokeError{Function: f.fn.Name, Type: "TooManyRequestsException", Message: "Rate Exceeded.",
			Err: fmt.Errorf("%w: %d invocations running and %d queued", ErrTooManyRequests, f.fn.Concurrency, f.cfg.queueLimit)}
	}
	ch := make(chan grant, 1)
	f.waiters = append(f.waiters, ch)
	f.mu.Unlock()

	var g grant
	select {
	case g = <-ch:
	case <-ctx.Done():
		f.mu.Lock()
		if i := slices.Index(f.waiters, ch); i >= 0 {
			f.waiters = slices.Delete(f.waiters, i, i+1)
			f.mu.Unlock()
			return nil, ctx.Err()
		}
		f.mu.Unlock()
		// Granted meanwhile: pass it on.
		if g = <-ch; g.err == nil {
			if g.p != nil {
				f.release(g.p, true)
			} else {
				f.freeSlot()
			}
		}
		return nil, ctx.Err()
	}
	switch {
	case g.err != nil:
		return nil, g.err
	case g.p != nil:
		return g.p, nil
	default:
		return f.start()
	}
}

// start starts a process in a slot already counted in live.
func (f *pool) start() (*process, error) {
	p, err := startProcess(f, f.exited)
	if err != nil {
		f.freeSlot()
		f.log.Error("function process did not start", "err", err)
		// Lambda: Runtime.InvalidEntrypoint when the runtime cannot be executed.
		return nil, &InvokeError{Function: f.fn.Name, Type: "Runtime.InvalidEntrypoint", Message: err.Error(),
			Err: fmt.Errorf("%w: %w", ErrRuntimeExit, err)}
	}
	f.mu.Lock()
	f.procs[p] = struct{}{}
	closed := f.closed
	f.mu.Unlock()
	if closed {
		p.kill() // raced with close, which waits for it through procs
	}
	return p, nil
}

// release returns p after an invocation: healthy processes go to the oldest waiter or to the
// idle list; others are killed and their slot passed on.
func (f *pool) release(p *process, healthy bool) {
	f.mu.Lock()
	if healthy && !f.closed && !p.hasExited() {
		if len(f.waiters) > 0 {
			w := f.waiters[0]
			f.waiters = f.waiters[1:]
			f.mu.Unlock()
			w <- grant{p: p}
			return
		}
		if !f.retired {
			f.idle = append(f.idle, p)
			f.mu.Unlock()
			return
		}
	}
	f.live--
	f.grantSlotLocked()
	f.mu.Unlock()
	p.kill()
}

// freeSlot gives back a slot that holds no process.
func (f *pool) freeSlot() {
	f.mu.Lock()
	f.live--
	f.grantSlotLocked()
	f.mu.Unlock()
}

// grantSlotLocked lets the oldest waiter start a process if a slot is free.
func (f *pool) grantSlotLocked() {
	if f.closed || len(f.waiters) == 0 || f.live >= f.fn.Concurrency {
		return
	}
	w := f.waiters[0]
	f.waiters = f.waiters[1:]
	f.live++
	w <- grant{}
}

// exited is called once p has been reaped. An idle process that died (a crash between
// invocations) leaves the idle list; a busy one is released by its invoker.
func (f *pool) exited(p *process) {
	f.mu.Lock()
	delete(f.procs, p)
	if i := slices.Index(f.idle, p); i >= 0 {
		f.idle = slices.Delete(f.idle, i, i+1)
		f.live--
		f.grantSlotLocked()
	}
	f.mu.Unlock()
}

// retire stops taking new work: idle processes are stopped now, busy ones when they finish
// (after serving the invocations already queued).
func (f *pool) retire() {
	f.mu.Lock()
	f.retired = true
	idle := f.idle
	f.idle = nil
	f.live -= len(idle)
	f.mu.Unlock()
	for _, p := range idle {
		p.kill()
	}
}

// drained reports whether a retired pool has nothing left.
func (f *pool) drained() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.procs) == 0 && len(f.waiters) == 0
}

// close kills every process, fails queued invocations, and waits until the processes are
// reaped and their output forwarded (bounded by deadline).
func (f *pool) close(deadline time.Time) error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	close(f.closing)
	for _, w := range f.waiters {
		w <- grant{err: f.closedError(&invocation{})}
	}
	f.waiters = nil
	f.idle = nil
	procs := make([]*process, 0, len(f.procs))
	for p := range f.procs {
		procs = append(procs, p)
	}
	f.mu.Unlock()

	for _, p := range procs {
		p.kill()
	}
	var stuck []int
	for _, p := range procs {
		select {
		case <-p.exited:
		case <-time.After(time.Until(deadline)):
			stuck = append(stuck, p.pid)
			continue
		}
		done := make(chan struct{})
		go func() { p.output.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Until(deadline)):
			// A process that left its group still holds the output pipe.
		}
	}
	if len(stuck) > 0 {
		return fmt.Errorf("lambda: function %s: processes %v did not exit", f.fn.Name, stuck)
	}
	return nil
}
