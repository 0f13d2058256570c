package lambda

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// setParentDeathSignal has the kernel kill the function process if Gatehouse dies without
// cleaning up (SIGKILL from outside, a crash). Runtimes also exit on their own once the
// Runtime API is gone, and Close kills whole groups; this covers a process stuck in a loop.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}

// pipePending returns the bytes written to a pipe and not read yet (FIONREAD, named TIOCINQ
// in x/sys/unix; see pipe(7)).
func pipePending(fd uintptr) (int, error) {
	return unix.IoctlGetInt(int(fd), unix.TIOCINQ)
}
