//go:build unix

package lambda

import (
	"io"
	"syscall"
)

// Read reads from the pipe and counts the bytes in one step under mu, so that mark's count plus
// the pipe's pending bytes is exact. The pipe is non-blocking (os.Pipe registers it with the
// runtime poller), so mu is never held while waiting: when the pipe is empty the callback gives
// up (EAGAIN) and RawConn.Read waits for data outside it.
func (s *outputStream) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n int
	var err error
	rerr := s.rc.Read(func(fd uintptr) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		for {
			n, err = syscall.Read(int(fd), b)
			if err != syscall.EINTR {
				break
			}
		}
		s.count(n)
		return err != syscall.EAGAIN
	})
	switch {
	case rerr != nil:
		return 0, rerr
	case err != nil:
		return 0, err
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}
