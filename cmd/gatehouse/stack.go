package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/gatehouse/gatehouse/internal/apiruntime"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/stack"
)

// stackHook deploys -c's resources on every load (apiruntime.Provisioner) and keeps the
// outputs of the last deploy, with ServiceEndpoint once the API listener is up, in
// {data}/outputs.json.
type stackHook struct {
	d    *stack.Deployer
	log  *slog.Logger
	data string

	mu       sync.Mutex
	outputs  []stack.Output
	endpoint string // the API base URL; "" before the listener is up
}

// Provision deploys the stack and records its outputs.
func (h *stackHook) Provision(ctx context.Context, svc *serverless.Service, apiID string) (*apiruntime.Provisioned, error) {
	res, err := h.d.Deploy(ctx, svc, apiID)
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		h.log.Warn(w)
	}
	h.mu.Lock()
	h.outputs = res.Outputs
	h.mu.Unlock()
	if err := h.write(); err != nil {
		return nil, err
	}
	p := &apiruntime.Provisioned{PoolARNs: res.PoolARNs, Env: res.Environment}
	if len(res.GatewayResponses) > 0 {
		p.GatewayResponses = map[gateway.ResponseType]gateway.GatewayResponse{}
		for _, g := range res.GatewayResponses {
			p.GatewayResponses[gateway.ResponseType(g.Type)] = gateway.GatewayResponse{StatusCode: g.StatusCode, Headers: g.Headers, Template: g.Template}
		}
	}
	return p, nil
}

// setEndpoint records the API base URL (ServiceEndpoint) and rewrites outputs.json.
func (h *stackHook) setEndpoint(url string) error {
	h.mu.Lock()
	h.endpoint = url
	h.mu.Unlock()
	return h.write()
}

// Outputs returns the outputs of the last deploy, ServiceEndpoint last, as `serverless
// deploy` adds it to the stack's own.
func (h *stackHook) Outputs() []stack.Output {
	h.mu.Lock()
	defer h.mu.Unlock()
	return withEndpoint(h.outputs, h.endpoint)
}

func withEndpoint(outs []stack.Output, endpoint string) []stack.Output {
	out := make([]stack.Output, 0, len(outs)+1)
	for _, o := range outs {
		if o.Name != "ServiceEndpoint" {
			out = append(out, o)
		}
	}
	if endpoint != "" {
		out = append(out, stack.Output{Name: "ServiceEndpoint", Value: endpoint, Description: "URL of the service endpoint"})
	}
	return out
}

// write replaces {data}/outputs.json: one object, output name → value, for scripts.
func (h *stackHook) write() error {
	return writeOutputs(filepath.Join(h.data, "outputs.json"), h.Outputs())
}

func writeOutputs(path string, outs []stack.Output) error {
	m := make(map[string]string, len(outs))
	for _, o := range outs {
		m[o.Name] = o.Value
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// printOutputs writes the outputs as `serverless deploy --verbose` prints its "Stack
// Outputs" section.
func printOutputs(w io.Writer, outs []stack.Output) {
	if len(outs) == 0 {
		return
	}
	fmt.Fprintln(w, "Stack Outputs:")
	for _, o := range outs {
		fmt.Fprintf(w, "  %s: %s\n", o.Name, o.Value)
	}
}
