//go:build unix && !linux

package lambda

import (
	"errors"
	"syscall"
)

func setParentDeathSignal(*syscall.SysProcAttr) {}

// pipePending is not implemented here: x/sys/unix names FIONREAD for Linux only. Output still in
// the pipe when /next hands out an invocation is then filed under that invocation.
func pipePending(uintptr) (int, error) { return 0, errors.ErrUnsupported }
