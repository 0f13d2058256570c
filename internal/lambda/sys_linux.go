package lambda

import "syscall"

// setParentDeathSignal has the kernel kill the function process if Gatehouse dies without
// cleaning up (SIGKILL from outside, a crash). Runtimes also exit on their own once the
// Runtime API is gone, and Close kills whole groups; this covers a process stuck in a loop.
func setParentDeathSignal(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
