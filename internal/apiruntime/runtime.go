package apiruntime

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/httpapi"
	"github.com/gatehouse/gatehouse/internal/lambda"
	"github.com/gatehouse/gatehouse/internal/serverless"
)

// Config is what a Runtime serves and what it builds with.
type Config struct {
	// File is the serverless.yml; Options resolve its variables.
	File    string
	Options serverless.Options
	// Deps builds the integrations and authorizers; a nil Deps.Invoker is NewInvoker(Lambdas).
	Deps Deps
	// Gateway receives each good snapshot's route table.
	Gateway *gateway.Gateway
	// Lambdas runs the functions; the Runtime registers and retires them, the caller closes it.
	Lambdas *lambda.Manager
	Log     *slog.Logger
	// HTTPAPI receives each good snapshot's HTTP API table; nil: the Runtime makes one, and
	// serves it through ServeHTTP beside Gateway.
	HTTPAPI *httpapi.Server
	// Provisioner, when set, deploys the file's CloudFormation resources (resources.Resources)
	// on every load, before the file is compiled; the authorizers then find the stack's user
	// pools by logical ID.
	Provisioner Provisioner
}

// Provisioner deploys the resources of a loaded service: the stack package, wired by the
// caller.
type Provisioner interface {
	Provision(ctx context.Context, svc *serverless.Service, apiID string) (*Provisioned, error)
}

// Provisioned is what a deployed stack gives the API.
type Provisioned struct {
	// PoolARNs are the ARNs of the stack's user pools by logical ID.
	PoolARNs map[string]string
	// GatewayResponses are the file's AWS::ApiGateway::GatewayResponse resources.
	GatewayResponses map[gateway.ResponseType]gateway.GatewayResponse
	// Env are the functions' environment variables written as CloudFormation expressions,
	// evaluated: function key → name → value.
	Env map[string]map[string]string
}

// Runtime serves the REST API of one serverless.yml: it compiles the file into a Snapshot,
// registers its functions, swaps the gateway's table, and does it again when the file
// changes. A file that fails to load or compile leaves the running API as it was.
type Runtime struct {
	cfg Config

	mu      sync.Mutex // serialises reloads
	current *Snapshot
	stamp   fileStamp

	snap atomic.Pointer[Snapshot] // current, for ServeHTTP without the lock
	http *httpapi.Server
}

// New returns a Runtime for cfg; nothing is loaded before Reload.
func New(cfg Config) *Runtime {
	if cfg.Deps.Invoker == nil {
		cfg.Deps.Invoker = NewInvoker(cfg.Lambdas)
	}
	if cfg.Deps.HTTPClient == nil {
		cfg.Deps.HTTPClient = gateway.NewHTTPClient()
	}
	if cfg.Deps.Region == "" {
		cfg.Deps.Region = cfg.Options.Region
	}
	if cfg.Deps.AccountID == "" {
		cfg.Deps.AccountID = cfg.Options.AccountID
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Deps.JWKS == nil {
		cfg.Deps.JWKS = authorizer.NewJWKSCache(nil, cfg.Deps.Now)
	}
	if cfg.HTTPAPI == nil {
		cfg.HTTPAPI = httpapi.NewServer(nil, httpapi.Options{Log: cfg.Log.With("component", "httpapi"), Now: cfg.Deps.Now})
	}
	return &Runtime{cfg: cfg, http: cfg.HTTPAPI}
}

// Current returns the snapshot served now; nil before the first good Reload, or for a nil
// Runtime (no API configured).
func (r *Runtime) Current() *Snapshot {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.current
}

// Stats returns the counters of the authorizers served now (Snapshot.Stats); nil for a nil
// Runtime, so that a metrics handler can hold r.Stats whether or not an API is served.
func (r *Runtime) Stats() []AuthorizerStats { return r.Current().Stats() }

// Reload loads and compiles the file and, when all of it is good, registers its functions,
// swaps the route table and retires the functions it no longer names. On error nothing
// changes: the last good snapshot keeps being served.
func (r *Runtime) Reload(ctx context.Context) (*Snapshot, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	stamp, err := statFile(r.cfg.File)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.cfg.File, err)
	}
	s, err := r.load(ctx)
	if err != nil {
		return nil, err
	}
	for _, fn := range s.Functions {
		if err := r.cfg.Lambdas.Register(fn); err != nil {
			return nil, fmt.Errorf("%s: function %s: %w", r.cfg.File, fn.Name, err)
		}
	}
	r.cfg.Gateway.Swap(s.Table)
	r.http.Swap(s.HTTPTable)
	r.snap.Store(s)
	if r.current != nil {
		for name := range r.current.Functions {
			if _, ok := s.Functions[name]; !ok {
				r.cfg.Lambdas.Unregister(name)
			}
		}
	}
	r.current, r.stamp = s, stamp
	return s, nil
}

// load reads the file, logs its diagnostics and compiles it.
func (r *Runtime) load(ctx context.Context) (*Snapshot, error) {
	svc, diags, err := serverless.Load(r.cfg.File, r.cfg.Options)
	for _, d := range diags {
		if d.Severity == serverless.Info {
			r.cfg.Log.Info(d.String())
		} else {
			r.cfg.Log.Warn(d.String())
		}
	}
	if err != nil {
		return nil, err
	}
	deps := r.cfg.Deps
	if r.cfg.Provisioner != nil {
		// Resources first: a route's authorizer may name the stack's pool. An error leaves
		// the running API (and whatever the deploy had done, which the next load completes).
		p, err := r.cfg.Provisioner.Provision(ctx, svc, RestAPIID(svc, deps.AccountID))
		if err != nil {
			return nil, err
		}
		deps.StackPools, deps.GatewayResponses, deps.StackEnv = p.PoolARNs, p.GatewayResponses, p.Env
	}
	s, err := Compile(ctx, svc, deps)
	if err != nil {
		return nil, err
	}
	for _, w := range s.Warnings {
		r.cfg.Log.Warn(w)
	}
	return s, nil
}

// Watch polls the file every interval and reloads it when it changed, until ctx is done. A
// failed reload is logged with every problem, once per distinct error, and the old routes
// stay. Polling, rather than inotify, also follows editors that replace the file and files
// on network mounts.
func (r *Runtime) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		lastErr = r.poll(ctx, lastErr)
	}
}

// poll reloads the file if it changed since the last look; it returns the error logged now
// or before ("" once a reload succeeded), so the same failure is logged once.
func (r *Runtime) poll(ctx context.Context, lastErr string) string {
	log, file := r.cfg.Log, r.cfg.File
	stamp, err := statFile(file)
	r.mu.Lock()
	same := err == nil && stamp == r.stamp
	r.mu.Unlock()
	if same {
		return lastErr
	}
	if err != nil {
		if msg := err.Error(); msg != lastErr {
			log.Error("api config unreadable; keeping the current routes", "file", file, "err", err)
			return msg
		}
		return lastErr
	}
	s, err := r.Reload(ctx)
	if err != nil {
		// Do not retry the same content every tick: remember it as seen.
		r.mu.Lock()
		r.stamp = stamp
		r.mu.Unlock()
		if msg := err.Error(); msg != lastErr {
			log.Error("api config reload failed; keeping the current routes", "file", file, "err", err)
			return msg
		}
		return lastErr
	}
	log.Info("api config reloaded", "file", file, "service", s.Service.Name, "stage", s.Service.Stage, "endpoints", len(s.Service.Endpoints))
	return ""
}

// fileStamp is what the watcher compares to notice an edit: an editor that rewrites the file
// in place within one mtime tick still changes its size or content hash.
type fileStamp struct {
	mod  time.Time
	size int64
	sum  [sha256.Size]byte
}

func statFile(path string) (fileStamp, error) {
	st, err := os.Stat(path)
	if err != nil {
		return fileStamp{}, err
	}
	if st.Size() > serverless.MaxFileSize {
		// Load refuses it with a clear error; hashing it would only cost time.
		return fileStamp{mod: st.ModTime(), size: st.Size()}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fileStamp{}, err
	}
	return fileStamp{mod: st.ModTime(), size: st.Size(), sum: sha256.Sum256(data)}, nil
}
