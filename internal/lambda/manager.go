package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
)

// config is the Manager's settings, fixed by NewManager's options.
type config struct {
	region      string
	account     string
	node        string // node executable, looked up on PATH
	concurrency int    // default Function.Concurrency
	queueLimit  int    // invocations queued per function beyond its concurrency
	initTimeout time.Duration
}

// Option configures a Manager.
type Option func(*config)

// WithRegion sets AWS_REGION and the region of function ARNs (default us-east-1).
func WithRegion(region string) Option { return func(c *config) { c.region = region } }

// WithAccount sets the account of function ARNs (default 000000000000).
func WithAccount(account string) Option { return func(c *config) { c.account = account } }

// WithNode sets the node executable for nodejs runtimes (default: "node" on PATH).
func WithNode(path string) Option { return func(c *config) { c.node = path } }

// WithConcurrency sets the concurrency of functions that do not set their own (default 10).
func WithConcurrency(n int) Option { return func(c *config) { c.concurrency = n } }

// WithQueueLimit sets how many invocations of one function may wait for a process when all
// are busy (default 100); one more is refused with ErrTooManyRequests. 0 refuses at once,
// as Lambda throttles.
func WithQueueLimit(n int) Option { return func(c *config) { c.queueLimit = n } }

// WithInitTimeout bounds a new process's initialization, until its runtime first asks for an
// invocation (default 10 s, Lambda's Init phase limit).
func WithInitTimeout(d time.Duration) Option { return func(c *config) { c.initTimeout = d } }

// InvokeOption sets a detail of one invocation.
type InvokeOption func(*invocation)

// WithClientContext passes the client context JSON (Lambda-Runtime-Client-Context), as the
// AWS Mobile SDK sends it.
func WithClientContext(json string) InvokeOption {
	return func(inv *invocation) { inv.clientContext = json }
}

// WithCognitoIdentity passes a Cognito identity (Lambda-Runtime-Cognito-Identity).
func WithCognitoIdentity(identityID, identityPoolID string) InvokeOption {
	return func(inv *invocation) {
		b, _ := json.Marshal(struct {
			ID     string `json:"cognitoIdentityId"`
			PoolID string `json:"cognitoIdentityPoolId"`
		}{identityID, identityPoolID})
		inv.cognitoIdentity = string(b)
	}
}

// WithTraceID sets the X-Ray trace header (Lambda-Runtime-Trace-Id, _X_AMZN_TRACE_ID);
// by default a new root is made for each invocation.
func WithTraceID(traceID string) InvokeOption {
	return func(inv *invocation) { inv.traceID = traceID }
}

// Manager runs registered functions. It is safe for concurrent use.
type Manager struct {
	log *slog.Logger
	cfg config

	mu      sync.RWMutex
	pools   map[string]*pool
	retired []*pool // replaced configurations still draining
	closed  bool
	node    nodeRuntime // made on the first nodejs function
}

// NewManager returns a Manager that logs to log, functions' output included.
func NewManager(log *slog.Logger, opts ...Option) *Manager {
	c := config{
		region:      "us-east-1",
		account:     "000000000000",
		node:        "node",
		concurrency: 10,
		queueLimit:  100,
		initTimeout: 10 * time.Second,
	}
	for _, o := range opts {
		o(&c)
	}
	if c.concurrency < 1 {
		c.concurrency = 1
	}
	if c.queueLimit < 0 {
		c.queueLimit = 0
	}
	return &Manager{log: log, cfg: c, pools: make(map[string]*pool)}
}

// Register adds fn, or replaces the function of the same name. A replaced function's idle
// processes stop at once; invocations already running or queued finish on the old
// configuration. Registering an unchanged configuration keeps the warm processes.
func (m *Manager) Register(fn Function) error {
	nfn, kind, err := fn.normalize(m.cfg.concurrency)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return fmt.Errorf("lambda: register %s: %w", fn.Name, ErrClosed)
	}
	old := m.pools[nfn.Name]
	if old != nil && old.fn.equal(nfn) {
		return nil
	}
	var node nodeRuntime
	if kind == runtimeNode {
		if node, err = m.nodeRuntimeLocked(); err != nil {
			return fmt.Errorf("lambda: function %s: runtime %s: %w", nfn.Name, nfn.Runtime, err)
		}
	}
	m.pools[nfn.Name] = newPool(nfn, kind, &m.cfg, m.log, node)
	m.pruneLocked()
	if old != nil {
		old.retire()
		m.retired = append(m.retired, old)
	}
	return nil
}

// Unregister removes a function; its processes stop as after a replacement.
func (m *Manager) Unregister(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old := m.pools[name]; old != nil {
		delete(m.pools, name)
		old.retire()
		m.retired = append(m.retired, old)
	}
	m.pruneLocked()
}

// pruneLocked forgets retired pools that have drained.
func (m *Manager) pruneLocked() {
	kept := m.retired[:0]
	for _, p := range m.retired {
		if !p.drained() {
			kept = append(kept, p)
		}
	}
	clear(m.retired[len(kept):])
	m.retired = kept
}

// nodeRuntimeLocked finds node and writes the bootstrap, once.
func (m *Manager) nodeRuntimeLocked() (nodeRuntime, error) {
	if m.node.dir != "" {
		return m.node, nil
	}
	node, err := newNodeRuntime(m.cfg.node)
	if err != nil {
		return nodeRuntime{}, err
	}
	m.node = node
	return node, nil
}

// Invoke runs the function name with payload, a JSON event, like Lambda's synchronous Invoke
// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). An error the function
// reported is in Result.FunctionError; a returned error is an *InvokeError, or ctx's error.
// Cancelling ctx abandons the wait, not the invocation, which runs on to its end or its
// timeout before its process is reused, as on Lambda. The warm path starts nothing: it takes
// an idle process and hands it the event through the Runtime API.
func (m *Manager) Invoke(ctx context.Context, name string, payload []byte, opts ...InvokeOption) (Result, error) {
	m.mu.RLock()
	f, closed := m.pools[name], m.closed
	m.mu.RUnlock()
	switch {
	case closed:
		return Result{}, &InvokeError{Function: name, Type: "ServiceException", Message: "Gatehouse is shutting down", Err: ErrClosed}
	case f == nil:
		return Result{}, &InvokeError{Function: name, Type: "ResourceNotFoundException",
			Message: "Function not found: arn:aws:lambda:" + m.cfg.region + ":" + m.cfg.account + ":function:" + name,
			Err:     ErrFunctionNotFound}
	case len(payload) > maxRequestBytes:
		return Result{}, &InvokeError{Function: name, Type: "RequestTooLargeException",
			Message: "Request must be smaller than " + strconv.Itoa(maxRequestBytes) + " bytes for the InvokeFunction operation",
			Err:     ErrRequestTooLarge}
	case len(payload) == 0:
		payload = []byte("{}") // Invoke without a payload delivers an empty object
	case !json.Valid(payload):
		return Result{}, &InvokeError{Function: name, Type: "InvalidRequestContentException",
			Message: "Could not parse request body into json", Err: ErrInvalidPayload}
	}
	inv := &invocation{
		id:      uuid.NewString(),
		payload: payload,
		timeout: f.fn.Timeout,
		arn:     f.arn,
		done:    make(chan outcome, 1),
	}
	for _, o := range opts {
		o(inv)
	}
	if inv.traceID == "" {
		inv.traceID = newTraceID()
	}
	return f.invoke(ctx, inv)
}

// Close stops every process of every function and waits for them; invocations in flight fail
// with ErrClosed. It returns an error naming processes that would not exit.
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	pools := append(m.retired, mapValues(m.pools)...)
	m.pools, m.retired = nil, nil
	dir := m.node.dir
	m.mu.Unlock()

	deadline := time.Now().Add(5 * time.Second)
	errs := make([]error, len(pools))
	var wg sync.WaitGroup
	for i, p := range pools {
		wg.Go(func() { errs[i] = p.close(deadline) })
	}
	wg.Wait()
	if dir != "" {
		errs = append(errs, os.RemoveAll(dir))
	}
	return errors.Join(errs...)
}

func mapValues(m map[string]*pool) []*pool {
	out := make([]*pool, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	return out
}

// newTraceID makes an X-Ray trace header: Root=1-{8 hex digits of epoch seconds}-{24 hex
// digits};Parent={16 hex digits};Sampled=0
// (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader).
func newTraceID() string {
	return fmt.Sprintf("Root=1-%08x-%08x%016x;Parent=%016x;Sampled=0",
		time.Now().Unix(), rand.Uint32(), rand.Uint64(), rand.Uint64())
}
