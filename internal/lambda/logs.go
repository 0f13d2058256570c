package lambda

import (
	"bufio"
	"bytes"
	"io"
	"strings"
)

// maxLogLine bounds one log record; the rest of a longer line is dropped.
const maxLogLine = 16 << 10

// forwardLines calls emit for every line read from r until EOF, without its line ending, with
// the offset in r at which the line starts (which invocation wrote it depends on it). A line
// longer than maxLogLine is cut there (truncated is true) and its rest skipped. The Node.js
// bootstrap writes a multi-line console message as one line with carriage returns in place of
// newlines, as Lambda's Node.js runtimes do for CloudWatch; they become newlines again here.
func forwardLines(r io.Reader, emit func(line string, start int64, truncated bool)) {
	br := bufio.NewReaderSize(r, maxLogLine)
	skipping := false
	var off int64
	for {
		chunk, err := br.ReadSlice('\n')
		start := off
		off += int64(len(chunk))
		full := err == bufio.ErrBufferFull
		switch {
		case len(chunk) == 0:
		case skipping:
			// the rest of a line already cut
		case full:
			emit(text(chunk), start, true)
		default:
			emit(text(chunk), start, false)
		}
		if full {
			skipping = true
			continue
		}
		skipping = false
		if err != nil {
			return
		}
	}
}

func text(line []byte) string {
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	s := string(line)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}
