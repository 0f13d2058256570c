package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/iam"
	"github.com/gatehouse/gatehouse/internal/identitypool"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// Config wires a Deployer to the services the AWS API uses.
type Config struct {
	Store      store.Stacks
	Pools      *userpool.Service
	Identities *identitypool.Service
	IAM        *iam.API
	Region     string
	AccountID  string
	// DataDir is --data: users of a deleted pool are exported to {DataDir}/removed/.
	DataDir string
	// Export writes a pool's users in the `gatehouse users export` format; nil exports
	// nothing.
	Export func(ctx context.Context, poolID string, w io.Writer) error
	Log    *slog.Logger
	Now    func() time.Time
}

// Deployer creates, updates and deletes the resources of serverless.yml stacks.
type Deployer struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
	mu  sync.Mutex // one deploy or remove at a time
}

// New returns a Deployer.
func New(cfg Config) *Deployer {
	d := &Deployer{cfg: cfg, log: cfg.Log, now: cfg.Now}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.now == nil {
		d.now = time.Now
	}
	return d
}

// Output is one resolved entry of resources.Outputs.
type Output struct {
	Name        string
	Value       string
	Description string
	ExportName  string
}

// Result is a deployed stack.
type Result struct {
	Stack   string
	Outputs []Output
	// PoolARNs are the ARNs of the stack's user pools by logical ID, for the authorizers
	// that name them with Fn::GetAtt Pool.Arn.
	PoolARNs map[string]string
	// GatewayResponses are the AWS::ApiGateway::GatewayResponse resources, for the gateway.
	GatewayResponses []GatewayResponse
	// Environment holds the values of the functions' environment variables that are
	// CloudFormation expressions ({Ref: CognitoUserPool}, …): function key → name → value.
	Environment map[string]map[string]string
	// Warnings start with file:line.
	Warnings []string
}

// Deploy makes the stack's resources match the file: it checks the whole template and
// every request first (nothing is created when any is wrong), then creates what is new,
// updates or replaces what changed, deletes what the file no longer names (unless its
// DeletionPolicy is Retain), and resolves the outputs.
func (d *Deployer) Deploy(ctx context.Context, svc *serverless.Service, apiID string) (*Result, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := NewTemplate(svc, apiID, d.cfg.Region, d.cfg.AccountID)
	if err != nil {
		return nil, err
	}
	// Nodes sharing the store take turns: the second finds what the first created.
	var res *Result
	err = d.cfg.Store.LockStack(ctx, t.Stack, func(ctx context.Context) error {
		var err error
		res, err = d.deploy(ctx, t)
		return err
	})
	return res, err
}

// deploy is Deploy holding the stack's lock.
func (d *Deployer) deploy(ctx context.Context, t *Template) (*Result, error) {
	recs, err := d.records(ctx, t.Stack)
	if err != nil {
		return nil, err
	}
	warnings := slices.Clone(t.Warnings)
	warn := func(format string, args ...any) {
		w := fmt.Sprintf(format, args...)
		if !slices.Contains(warnings, w) {
			warnings = append(warnings, w)
		}
	}
	// The dry run: every property evaluated and every request checked, over the recorded
	// resources and placeholders for the ones still to create.
	dry := &env{t: t, attrs: map[string]map[string]string{}}
	for _, n := range t.order {
		c := &call{d: d, t: t, n: n, dry: true, warn: warn, rec: store.StackResource{Stack: t.Stack, LogicalID: n.r.LogicalID, Type: n.r.Type}}
		if rec, ok := recs[n.r.LogicalID]; ok && rec.Type == n.r.Type {
			c.rec = rec
		}
		props, err := d.props(dry, n)
		if err != nil {
			return nil, err
		}
		a, err := n.def.apply(ctx, c, props)
		if err != nil {
			return nil, err
		}
		dry.attrs[n.r.LogicalID] = a
	}
	if _, err := d.outputs(dry); err != nil {
		return nil, err
	}
	for _, r := range t.responses {
		if _, err := dry.gatewayResponse(r); err != nil {
			return nil, err
		}
	}
	if _, err := dry.environment(); err != nil {
		return nil, err
	}

	live := &env{t: t, attrs: map[string]map[string]string{}}
	quiet := func(string, ...any) {}
	// One at a time, in dependency order: creating resources concurrently gained nothing
	// (a pool's cost is its RSA signing keys, which the token issuer generates one at a
	// time), and a sequential deploy logs and fails in file order.
	// A resource replaced in this deploy is a new physical resource even when its Ref is the
	// same (a role of a generated name whose Path changed): what depends on it is applied
	// again.
	replaced := map[string]bool{}
	for _, n := range t.order {
		force := slices.ContainsFunc(n.deps, func(dep string) bool { return replaced[dep] })
		a, fresh, err := d.deployOne(ctx, t, n, live, recs[n.r.LogicalID], force, quiet)
		if err != nil {
			return nil, err
		}
		live.attrs[n.r.LogicalID] = a
		replaced[n.r.LogicalID] = fresh && recs[n.r.LogicalID].PhysicalID != ""
	}
	var gone []store.StackResource
	for id, rec := range recs {
		if _, ok := t.nodes[id]; !ok {
			gone = append(gone, rec)
		}
	}
	if err := d.removeAll(ctx, t, gone, "removed from the file"); err != nil {
		return nil, err
	}
	outs, err := d.outputs(live)
	if err != nil {
		return nil, err
	}
	res := &Result{Stack: t.Stack, Outputs: outs, PoolARNs: map[string]string{}}
	for _, r := range t.responses {
		g, err := live.gatewayResponse(r)
		if err != nil {
			return nil, err
		}
		res.GatewayResponses = append(res.GatewayResponses, g)
	}
	if res.Environment, err = live.environment(); err != nil {
		return nil, err
	}
	for _, w := range t.Warnings {
		warn("%s", w)
	}
	res.Warnings = warnings
	for _, n := range t.order {
		if n.r.Type == serverless.TypeCognitoUserPool {
			res.PoolARNs[n.r.LogicalID] = live.attrs[n.r.LogicalID]["Arn"]
		}
	}
	return res, nil
}

// records returns the stack's record by logical ID.
func (d *Deployer) records(ctx context.Context, stack string) (map[string]store.StackResource, error) {
	list, err := d.cfg.Store.ListStackResources(ctx, stack)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.StackResource, len(list))
	for _, r := range list {
		out[r.LogicalID] = r
	}
	return out, nil
}

// props evaluates a resource's properties.
func (d *Deployer) props(e *env, n *node) (map[string]any, error) {
	if n.r.Properties.Kind == serverless.KindNull {
		return map[string]any{}, nil
	}
	x, err := e.value(n.r.Properties, 0)
	if err != nil {
		return nil, err
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil, errAt(e.t.svc.File, n.r.Pos, "resources.Resources.%s.Properties must be a map", n.r.LogicalID)
	}
	return m, nil
}

// deployOne creates, updates, replaces or keeps one resource and records it; fresh reports
// that a new physical resource was created. force applies unchanged properties again (an
// update in place, or a replacement for the types whose every change is one).
func (d *Deployer) deployOne(ctx context.Context, t *Template, n *node, e *env, rec store.StackResource, force bool, warn func(string, ...any)) (a attrs, fresh bool, err error) {
	a, err = d.deployOneAttrs(ctx, t, n, e, rec, force, warn, &fresh)
	return a, fresh, err
}

func (d *Deployer) deployOneAttrs(ctx context.Context, t *Template, n *node, e *env, rec store.StackResource, force bool, warn func(string, ...any), fresh *bool) (attrs, error) {
	id := n.r.LogicalID
	props, err := d.props(e, n)
	if err != nil {
		return nil, err
	}
	propsJSON, _ := json.Marshal(props)
	c := &call{d: d, t: t, n: n, warn: warn, rec: rec}
	had := rec.PhysicalID != ""
	if had && rec.Type != n.r.Type {
		d.log.Info("stack: replacing a resource whose type changed", "stack", t.Stack, "resource", id, "from", rec.Type, "to", n.r.Type)
		if err := d.removeOne(ctx, t, rec); err != nil {
			return nil, err
		}
		had = false
	}
	if had {
		ok, err := n.def.exists(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.where(), err)
		}
		if !ok {
			d.log.Warn("stack: a resource of the stack was deleted outside it; creating it again", "stack", t.Stack, "resource", id, "physical_id", rec.PhysicalID)
			had = false
		}
	}
	action := "created"
	if had {
		ch := changed(rec.Properties, props)
		if force && len(ch) == 0 {
			ch = []string{"(a resource it depends on was replaced)"}
			if slices.Contains(n.def.replace, "*") {
				ch = n.def.replace
			}
		}
		switch {
		case len(ch) == 0:
			a := c.recAttrs()
			return d.withLive(ctx, c, a)
		case n.def.needsReplacement(ch):
			d.log.Info("stack: replacing resource", "stack", t.Stack, "resource", id, "type", n.r.Type, "changed", strings.Join(ch, ","))
			if err := d.removeOne(ctx, t, rec); err != nil {
				return nil, err
			}
			had, action = false, "replaced"
		default:
			action = "updated"
		}
	}
	if !had {
		c.rec = store.StackResource{Stack: t.Stack, LogicalID: id, Type: n.r.Type}
		*fresh = true
	}
	a, err := n.def.apply(ctx, c, props)
	if err != nil {
		return nil, err
	}
	a["DeletionPolicy"] = n.r.DeletionPolicy
	stored := maps(a)
	delete(stored, "ClientSecret")
	attrsJSON, _ := json.Marshal(stored)
	now := d.now().UTC()
	created := now
	if had {
		created = rec.CreatedAt
	}
	if err := d.cfg.Store.PutStackResource(ctx, store.StackResource{
		Stack: t.Stack, LogicalID: id, Type: n.r.Type, PhysicalID: a[""],
		Attributes: string(attrsJSON), Properties: string(propsJSON), CreatedAt: created, UpdatedAt: now,
	}); err != nil {
		return nil, err
	}
	d.log.Info("stack: resource "+action, "stack", t.Stack, "resource", id, "type", n.r.Type, "physical_id", a[""])
	c.rec.PhysicalID, c.rec.Attributes = a[""], string(attrsJSON)
	return d.withLive(ctx, c, a)
}

func maps(a attrs) attrs {
	out := make(attrs, len(a))
	for k, v := range a {
		out[k] = v
	}
	return out
}

// withLive adds the attributes never stored.
func (d *Deployer) withLive(ctx context.Context, c *call, a attrs) (attrs, error) {
	if c.n.def.live == nil {
		return a, nil
	}
	l, err := c.n.def.live(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.where(), err)
	}
	for k, v := range l {
		a[k] = v
	}
	return a, nil
}

// removeAll deletes recorded resources (dependents first) and forgets them; a resource whose
// DeletionPolicy was Retain is only forgotten.
func (d *Deployer) removeAll(ctx context.Context, t *Template, recs []store.StackResource, why string) error {
	slices.SortFunc(recs, func(a, b store.StackResource) int {
		ra, rb := rank(a.Type), rank(b.Type)
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(a.LogicalID, b.LogicalID)
	})
	for _, rec := range recs {
		c := &call{d: d, t: t, rec: rec}
		if c.recAttrs()["DeletionPolicy"] == "Retain" {
			d.log.Info("stack: resource "+why+" is retained (DeletionPolicy: Retain) and no longer managed", "stack", t.Stack, "resource", rec.LogicalID, "type", rec.Type, "physical_id", rec.PhysicalID)
		} else {
			if err := d.removeOne(ctx, t, rec); err != nil {
				return err
			}
			d.log.Info("stack: resource "+why+" deleted", "stack", t.Stack, "resource", rec.LogicalID, "type", rec.Type, "physical_id", rec.PhysicalID)
		}
		if err := d.cfg.Store.DeleteStackResource(ctx, rec.Stack, rec.LogicalID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return nil
}

func rank(typ string) int {
	if def := lookupType(typ); def != nil {
		return def.deleteRank
	}
	return 100
}

// removeOne deletes the physical resource of a record; one already gone is not an error.
func (d *Deployer) removeOne(ctx context.Context, t *Template, rec store.StackResource) error {
	def := lookupType(rec.Type)
	if def == nil {
		return nil
	}
	c := &call{d: d, t: t, rec: rec}
	if err := def.remove(ctx, c); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete %s (%s, %s) of stack %s: %w", rec.LogicalID, rec.Type, rec.PhysicalID, rec.Stack, err)
	}
	return nil
}

// outputs resolves resources.Outputs; those whose Condition is false are left out.
func (d *Deployer) outputs(e *env) ([]Output, error) {
	var out []Output
	for _, o := range e.t.svc.Outputs {
		if o.Condition != "" && !e.t.conditions[o.Condition] {
			continue
		}
		v, err := e.value(o.Value, 0)
		if err != nil {
			return nil, err
		}
		s, ok := scalarText(v)
		if !ok {
			if list, isList := v.([]any); isList {
				// CloudFormation outputs are strings; a list is joined with commas.
				parts := make([]string, 0, len(list))
				for _, x := range list {
					p, _ := scalarText(x)
					parts = append(parts, p)
				}
				s, ok = strings.Join(parts, ","), true
			}
		}
		if !ok {
			return nil, errAt(e.t.svc.File, o.Pos, "resources.Outputs.%s.Value is %s; an output is a string", o.Name, describe(v))
		}
		res := Output{Name: o.Name, Value: s, Description: o.Description}
		if !o.ExportName.IsZero() {
			x, err := e.value(o.ExportName, 0)
			if err != nil {
				return nil, err
			}
			res.ExportName, _ = scalarText(x)
		}
		out = append(out, res)
	}
	return out, nil
}

// Outputs resolves the outputs of a deployed stack from its record, without changing it.
func (d *Deployer) Outputs(ctx context.Context, svc *serverless.Service, apiID string) ([]Output, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, err := NewTemplate(svc, apiID, d.cfg.Region, d.cfg.AccountID)
	if err != nil {
		return nil, err
	}
	recs, err := d.records(ctx, t.Stack)
	if err != nil {
		return nil, err
	}
	e := &env{t: t, attrs: map[string]map[string]string{}}
	for _, n := range t.order {
		rec, ok := recs[n.r.LogicalID]
		if !ok {
			return nil, fmt.Errorf("stack %s has not been deployed with resource %s: run gatehouse serve -c %s first", t.Stack, n.r.LogicalID, svc.File)
		}
		c := &call{d: d, t: t, n: n, rec: rec}
		a, err := d.withLive(ctx, c, c.recAttrs())
		if err != nil {
			return nil, err
		}
		e.attrs[n.r.LogicalID] = a
	}
	return d.outputs(e)
}

// Remove deletes every resource the stack created, as `serverless remove` deletes the
// CloudFormation stack (resources with DeletionPolicy Retain are kept), and forgets the
// stack. It returns the resources deleted or retained.
func (d *Deployer) Remove(ctx context.Context, svc *serverless.Service, apiID string) ([]store.StackResource, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t := &Template{svc: svc, Stack: StackName(svc), APIID: apiID, Region: d.cfg.Region, AccountID: d.cfg.AccountID}
	var list []store.StackResource
	err := d.cfg.Store.LockStack(ctx, t.Stack, func(ctx context.Context) error {
		var err error
		if list, err = d.cfg.Store.ListStackResources(ctx, t.Stack); err != nil {
			return err
		}
		return d.removeAll(ctx, t, slices.Clone(list), "of a removed stack")
	})
	return list, err
}

// environment evaluates the functions' environment variables that are CloudFormation
// expressions; each must come out as text, as Lambda's environment is text.
func (e *env) environment() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, f := range e.t.svc.Functions {
		for name, v := range f.Environment {
			if !v.IsExpr() {
				continue
			}
			x, err := e.value(v.Expr, 0)
			if err != nil {
				return nil, err
			}
			s, ok := scalarText(x)
			if !ok {
				return nil, errAt(e.t.svc.File, v.Pos, "functions.%s.environment.%s is %s; an environment variable is text", f.Name, name, describe(x))
			}
			if out[f.Name] == nil {
				out[f.Name] = map[string]string{}
			}
			out[f.Name][name] = s
		}
	}
	return out, nil
}
