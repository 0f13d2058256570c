//go:build !unix

package lambda

import "os/exec"

// Without process groups only the function's own process is killed.
func setProcessGroup(*exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
