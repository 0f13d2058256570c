package lambda

import (
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// nodeBootstrapSource is Gatehouse's Node.js runtime: a Runtime API client that loads and runs
// Node.js handlers (bootstrap/node.cjs).
//
//go:embed bootstrap/node.cjs
var nodeBootstrapSource string

// nodeRuntime is how nodejs* functions run: node, and the directory the bootstrap was written
// to (LAMBDA_RUNTIME_DIR).
type nodeRuntime struct {
	path string
	dir  string
}

const nodeBootstrapFile = "bootstrap.cjs"

// newNodeRuntime finds node and writes the bootstrap to a new temporary directory, which the
// Manager removes on Close.
func newNodeRuntime(node string) (nodeRuntime, error) {
	path, err := exec.LookPath(node)
	if err != nil {
		return nodeRuntime{}, fmt.Errorf("node.js is needed: %w", err)
	}
	dir, err := os.MkdirTemp("", "gatehouse-lambda-node-")
	if err != nil {
		return nodeRuntime{}, fmt.Errorf("node.js bootstrap: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, nodeBootstrapFile), []byte(nodeBootstrapSource), 0o444); err != nil {
		_ = os.RemoveAll(dir)
		return nodeRuntime{}, fmt.Errorf("node.js bootstrap: %w", err)
	}
	return nodeRuntime{path: path, dir: dir}, nil
}

func (n nodeRuntime) bootstrap() string { return filepath.Join(n.dir, nodeBootstrapFile) }
