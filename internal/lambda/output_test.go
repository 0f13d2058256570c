package lambda

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// filedLine is a line as the process's pipe goroutine files it.
type filedLine struct {
	msg, id   string
	truncated bool
}

// gated lets its reader read only when handed a token (or once tokens is closed), so that a
// test decides which bytes are still in the pipe at a hand-over, whatever the scheduler does.
type gated struct {
	r      io.Reader
	tokens chan struct{}
}

func (g gated) Read(b []byte) (int, error) {
	<-g.tokens
	return g.r.Read(b)
}

// readStream files the lines of a fresh pipe's read end on a goroutine, as process.pipe does,
// reading only when tokens allows. It returns the write end and the filed lines.
func readStream(t *testing.T) (*outputStream, *os.File, chan struct{}, <-chan filedLine) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	out, err := newOutputStream(r)
	if err != nil {
		t.Fatal(err)
	}
	tokens := make(chan struct{})
	lines := make(chan filedLine, 16)
	go func() {
		defer close(lines)
		defer r.Close()
		forwardLines(gated{out, tokens}, func(line string, start int64, truncated bool) {
			lines <- filedLine{line, out.idAt(start), truncated}
		})
	}()
	return out, w, tokens, lines
}

func write(t *testing.T, w *os.File, s string) {
	t.Helper()
	if _, err := w.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

func wantLine(t *testing.T, lines <-chan filedLine, want filedLine) {
	t.Helper()
	select {
	case got, ok := <-lines:
		if !ok {
			t.Fatalf("no line, want %.40q", want.msg)
		}
		if got != want {
			t.Errorf("line %.40q id=%q truncated=%v, want %.40q id=%q truncated=%v",
				got.msg, got.id, got.truncated, want.msg, want.id, want.truncated)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %.40q", want.msg)
	}
}

// TestOutputAttribution files lines by when they were written, not when they were read: the
// hand-overs (mark) happen while the lines still sit in the pipe, unread. Filing by the id
// current at read time would put every line under the last invocation.
func TestOutputAttribution(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the pipe's pending bytes (FIONREAD) are read on Linux only")
	}
	out, w, tokens, lines := readStream(t)

	// The reader takes "cold start\nhalf a " out of the pipe (one read takes all there is),
	// files the first line and keeps the half line in its buffer.
	write(t, w, "cold start\nhalf a ")
	tokens <- struct{}{}
	wantLine(t, lines, filedLine{"cold start", "", false})
	// More initialization output, left in the pipe unread when req-1 is handed out.
	write(t, w, "line\nstill init\n")
	out.mark("req-1")
	write(t, w, "req-1 says hi\n")
	out.mark("req-2")
	out.mark("req-3") // req-2 wrote nothing
	long := strings.Repeat("x", maxLogLine+100)
	write(t, w, long[:10])
	out.mark("req-4") // a line cut at maxLogLine, begun by req-3
	write(t, w, long[10:]+"\nreq-4\n")
	_ = w.Close()
	close(tokens) // only now is the rest read, after every hand-over

	for _, want := range []filedLine{
		{"half a line", "", false}, // half read, half pending at the hand-over
		{"still init", "", false},
		{"req-1 says hi", "req-1", false},
		{long[:maxLogLine], "req-3", true},
		{"req-4", "req-4", false},
	} {
		wantLine(t, lines, want)
	}
	if l, ok := <-lines; ok {
		t.Errorf("extra line %.40q", l.msg)
	}
}

// TestOutputAttributionBounded: hand-overs the reader has not reached yet are remembered up to
// maxMarks, and invocations that wrote nothing take no room.
func TestOutputAttributionBounded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the pipe's pending bytes (FIONREAD) are read on Linux only")
	}
	out, w, tokens, lines := readStream(t)
	for i := range maxMarks + 10 {
		write(t, w, "a")
		out.mark(fmt.Sprintf("req-%d", i))
		out.mark(fmt.Sprintf("empty-%d", i)) // no output since the last mark: replaces it
	}
	out.mu.Lock()
	n, first := len(out.marks), out.marks[0]
	out.mu.Unlock()
	if n != maxMarks || first.id != "empty-10" || first.offset != 11 {
		t.Errorf("%d marks remembered, the first %+v; want %d, the first empty-10 at 11", n, first, maxMarks)
	}
	write(t, w, "\nlast\n")
	_ = w.Close()
	close(tokens)
	// The ten oldest hand-overs were dropped: the line begun before them is filed under the
	// last one dropped. The next line follows every hand-over.
	wantLine(t, lines, filedLine{strings.Repeat("a", maxMarks+10), "empty-9", false})
	wantLine(t, lines, filedLine{"last", fmt.Sprintf("empty-%d", maxMarks+9), false})
}
