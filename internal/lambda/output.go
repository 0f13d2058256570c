package lambda

import (
	"os"
	"sync"
	"syscall"
)

// maxMarks bounds the hand-overs an output stream remembers ahead of its reader. A runtime
// writes nothing while it waits in /next and blocks once its pipe is full, so the pending marks
// lie within a pipe's capacity plus a line of the reader; marks at the same offset (invocations
// that wrote nothing) are merged. The bound only matters for a reader stalled for a very long
// time: then the oldest mark is dropped, and the output before it is filed under its invocation.
const maxMarks = 256

// outputStream is the read end of one of a process's output pipes (stdout or stderr). It files
// every line under the invocation that was current when the line was WRITTEN, not when it was
// read: its reader may run late (a loaded machine, a long line), after /next has already handed
// out the next invocation, and Lambda files output written before /next under the invocation
// before it ("cold start" printed at load time belongs to no request).
//
// It works on byte offsets. consumed counts the bytes taken out of the pipe. When /next hands
// out an invocation, mark records a boundary: consumed plus the bytes still waiting in the pipe.
// The runtime is blocked in /next at that moment, so everything it wrote before lies below the
// boundary and everything after above it. A line is filed under the invocation of the last
// boundary at or below the offset where the line starts. Reading from the pipe and counting are
// one step under mu (a non-blocking read, see Read), so mark never sees bytes that left the pipe
// but are not counted yet.
//
// A write counts once it reached the pipe. Node.js writes process.stdout to a pipe at once and
// queues in the process only while the pipe is full (over 64 KiB unread), so only a runtime that
// outruns its reader by that much can have a line land after the next hand-over.
type outputStream struct {
	f  *os.File
	rc syscall.RawConn

	mu       sync.Mutex
	consumed int64      // bytes read out of the pipe
	id       string     // request id of lines starting below marks[0] ("" before the first /next)
	marks    []boundary // hand-overs the reader has not passed yet, offsets strictly increasing
}

// boundary is the stream offset at which invocation id was handed out.
type boundary struct {
	offset int64
	id     string
}

func newOutputStream(f *os.File) (*outputStream, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	return &outputStream{f: f, rc: rc}, nil
}

// mark records that invocation id is being handed out: output written from now on is its own.
// It must be called before the runtime learns of the invocation, that is before /next answers.
func (s *outputStream) mark(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	off := s.consumed + s.pending()
	if n := len(s.marks); n > 0 && s.marks[n-1].offset >= off {
		// Nothing was written since the last hand-over: that invocation wrote no output.
		s.marks[n-1].id = id
		return
	}
	if len(s.marks) == maxMarks {
		s.id = s.marks[0].id
		s.marks = append(s.marks[:0], s.marks[1:]...)
	}
	s.marks = append(s.marks, boundary{offset: off, id: id})
}

// pending returns the bytes waiting in the pipe, or 0 where the system cannot tell (then output
// still in the pipe at a hand-over is filed under the new invocation). The caller holds mu.
func (s *outputStream) pending() int64 {
	var n int
	var err error
	if cerr := s.rc.Control(func(fd uintptr) { n, err = pipePending(fd) }); cerr != nil || err != nil || n < 0 {
		return 0 // closed: its reader is done, nothing more will be filed
	}
	return int64(n)
}

// idAt returns the request id to file a line starting at offset start under. Lines come in
// order, so the marks it passes are dropped.
func (s *outputStream) idAt(start int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := 0
	for i < len(s.marks) && s.marks[i].offset <= start {
		s.id = s.marks[i].id
		i++
	}
	if i > 0 {
		s.marks = append(s.marks[:0], s.marks[i:]...)
	}
	return s.id
}

// count adds n bytes read out of the pipe. The caller holds mu.
func (s *outputStream) count(n int) {
	if n > 0 {
		s.consumed += int64(n)
	}
}
