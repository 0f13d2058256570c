package stack

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
)

// OutputsFile is the name, under --data, of the file that keeps the outputs of the last
// deploy (ServiceEndpoint included) as one JSON object, output name → value, for scripts
// and for `gatehouse outputs`.
const OutputsFile = "outputs.json"

// Hook deploys a file's resources on every load of the API runtime
// (apiruntime.Provisioner) and keeps the outputs of the last deploy, with ServiceEndpoint
// once the API listener is up, in {DataDir}/outputs.json.
type Hook struct {
	d    *Deployer
	log  *slog.Logger
	path string

	mu       sync.Mutex
	outputs  []Output
	endpoint string // the API base URL; "" before the listener is up
}

// NewHook returns a Hook deploying through d and writing {dataDir}/outputs.json.
func NewHook(d *Deployer, dataDir string) *Hook {
	return &Hook{d: d, log: d.log, path: filepath.Join(dataDir, OutputsFile)}
}

// Provision deploys the stack and records its outputs.
func (h *Hook) Provision(ctx context.Context, svc *serverless.Service, apiID string) (*apiruntime.Provisioned, error) {
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

// SetEndpoint records the API base URL (ServiceEndpoint) and rewrites outputs.json.
func (h *Hook) SetEndpoint(url string) error {
	h.mu.Lock()
	h.endpoint = url
	h.mu.Unlock()
	return h.write()
}

// Outputs returns the outputs of the last deploy, ServiceEndpoint last, as `serverless
// deploy` adds it to the stack's own.
func (h *Hook) Outputs() []Output {
	h.mu.Lock()
	defer h.mu.Unlock()
	return WithEndpoint(h.outputs, h.endpoint)
}

// WithEndpoint returns outs with ServiceEndpoint (when endpoint is not "") last.
func WithEndpoint(outs []Output, endpoint string) []Output {
	out := make([]Output, 0, len(outs)+1)
	for _, o := range outs {
		if o.Name != "ServiceEndpoint" {
			out = append(out, o)
		}
	}
	if endpoint != "" {
		out = append(out, Output{Name: "ServiceEndpoint", Value: endpoint, Description: "URL of the service endpoint"})
	}
	return out
}

// write replaces {data}/outputs.json: one object, output name → value, for scripts.
func (h *Hook) write() error {
	b, err := outputsJSON(h.Outputs())
	if err != nil {
		return err
	}
	tmp := h.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, h.path)
}

func outputsJSON(outs []Output) ([]byte, error) {
	m := make(map[string]string, len(outs))
	for _, o := range outs {
		m[o.Name] = o.Value
	}
	return json.MarshalIndent(m, "", "  ")
}

// LastEndpoint returns the ServiceEndpoint that the last serve wrote to
// {dataDir}/outputs.json: the listener's URL, which only serve knows; "" without one.
func LastEndpoint(dataDir string) string {
	var last map[string]string
	if b, err := os.ReadFile(filepath.Join(dataDir, OutputsFile)); err == nil {
		_ = json.Unmarshal(b, &last)
	}
	return last["ServiceEndpoint"]
}

// PrintOutputs writes the outputs as `serverless deploy --verbose` prints its "Stack
// Outputs" section, or, asJSON, as one JSON object, output name → value.
func PrintOutputs(w io.Writer, outs []Output, asJSON bool) error {
	if asJSON {
		b, err := outputsJSON(outs)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if len(outs) == 0 {
		return nil
	}
	fmt.Fprintln(w, "Stack Outputs:")
	for _, o := range outs {
		fmt.Fprintf(w, "  %s: %s\n", o.Name, o.Value)
	}
	return nil
}
