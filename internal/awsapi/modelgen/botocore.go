package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// resolve turns -in into a file path. "botocore:SERVICE/VERSION" is looked up in the botocore
// that python3 imports; the botocore version is returned so the output can record it.
func resolve(in string) (path, version string, err error) {
	spec, ok := strings.CutPrefix(in, "botocore:")
	if !ok {
		return in, "", nil
	}
	dir, version, err := botocore()
	if err != nil {
		return "", "", err
	}
	return filepath.Join(dir, "data", filepath.FromSlash(spec), "service-2.json.gz"), version, nil
}

// botocore returns the installed botocore package directory and version.
func botocore() (dir, version string, err error) {
	out, err := exec.Command("python3", "-c",
		"import botocore, os; print(os.path.dirname(botocore.__file__)); print(botocore.__version__)").Output()
	if err != nil {
		return "", "", fmt.Errorf("botocore (AWS's service models) not found with python3: install the AWS CLI or botocore (pip install awscli): %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		return "", "", fmt.Errorf("locate botocore: unexpected output %q", out)
	}
	return strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1]), nil
}
