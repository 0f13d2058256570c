package userexport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// OpenFile opens an import file; "-" is stdin.
func OpenFile(file string, stdin io.Reader) (io.ReadCloser, error) {
	if file == "-" {
		return io.NopCloser(stdin), nil
	}
	return os.Open(file)
}

// ImportFile imports in, read from file ("-": stdin), into the pool: a gatehouse users
// export, or with asCSV a Cognito user-import CSV. A malformed line's error names the file.
func (s *Service) ImportFile(ctx context.Context, poolID, file string, in io.Reader, asCSV bool, progress func(users int)) (ImportStats, error) {
	var stats ImportStats
	var err error
	if asCSV {
		stats, err = s.ImportCSV(ctx, poolID, in, progress)
	} else {
		stats, err = s.Import(ctx, poolID, in, progress)
	}
	var ie *ImportError
	if errors.As(err, &ie) && file != "-" {
		err = fmt.Errorf("%s:%w", file, err)
	}
	return stats, err
}

// Summary says what an export wrote, e.g. "exported 1,200 users and 1 group".
func (s ExportStats) Summary() string {
	return fmt.Sprintf("exported %s and %s", Counted(s.Users, "user"), Counted(s.Groups, "group"))
}

// Summary says what an import created and skipped.
func (s ImportStats) Summary() string {
	summary := fmt.Sprintf("imported %s (%s skipped)", Counted(s.Created, "user"), Thousands(s.Skipped))
	if s.Groups > 0 {
		summary += fmt.Sprintf(" and %s (%s skipped)", Counted(s.GroupsCreated, "group"), Thousands(s.Groups-s.GroupsCreated))
	}
	return summary
}

// SRPNote explains dropped SRP verifiers to the person who ran the import; "" when none were.
func (s ImportStats) SRPNote(poolID string) string {
	if s.SRPDropped == 0 {
		return ""
	}
	return fmt.Sprintf("note: the SRP verifiers of %s were left out: SRP binds them to the id of the pool they were "+
		"exported from, and %s has another; those users sign in with USER_PASSWORD_AUTH (their passwords still work) "+
		"and get USER_SRP_AUTH back when they set a new password\n", Counted(s.SRPDropped, "user"), poolID)
}

// Progress shows a running count of users on a terminal (and nothing elsewhere), at most
// ten times a second.
type Progress struct {
	w     io.Writer
	verb  string
	tty   bool
	start time.Time
	shown bool
	last  time.Time
}

// NewProgress returns a Progress writing "{verb} N users" to w when w is a terminal.
func NewProgress(w io.Writer, verb string) *Progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	return &Progress{w: w, verb: verb, tty: tty, start: time.Now()}
}

// Report is the progress callback of Export and Import.
func (p *Progress) Report(n int) {
	if !p.tty {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		fmt.Fprintf(p.w, "\r%s %s", p.verb, Counted(n, "user"))
		p.shown = true
	}
}

// Done clears the progress line.
func (p *Progress) Done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// Elapsed is the time since NewProgress, e.g. "1.2s".
func (p *Progress) Elapsed() string {
	return fmt.Sprintf("%.1fs", time.Since(p.start).Seconds())
}

// Counted is "1 user", "2 users", "1,000 users".
func Counted(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return Thousands(n) + " " + thing + "s"
}

// Thousands writes n with commas between groups of three digits.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
