//go:build !unix

package lambda

import "errors"

// Read reads from the pipe, then counts. Without a non-blocking read the two are not one step,
// and without FIONREAD pending is 0: a hand-over may file a late-read line under the new
// invocation, as if it had been written after /next.
func (s *outputStream) Read(b []byte) (int, error) {
	n, err := s.f.Read(b)
	s.mu.Lock()
	s.count(n)
	s.mu.Unlock()
	return n, err
}

func pipePending(uintptr) (int, error) { return 0, errors.ErrUnsupported }
