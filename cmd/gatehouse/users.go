package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/token"
	"github.com/gatehouse/gatehouse/internal/userpool"
	"github.com/gatehouse/gatehouse/internal/userpool/userexport"
)

func newUsersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Export and import a user pool's users",
		Long: `users moves a pool's users out of and into Gatehouse, so that they are never locked in:
export writes them (with their password hashes, so they keep their passwords) as JSON Lines,
import reads such a file, or Cognito's user-import CSV, into a pool.

Both work on the store directly: pass the same --data or --store (and --master-key) as serve.
The format is described in docs/export-import.md.`,
	}
	cmd.AddCommand(newUsersExportCommand(), newUsersImportCommand())
	return cmd
}

func newUsersExportCommand() *cobra.Command {
	var (
		sf   storeFlags
		pool string
	)
	cmd := &cobra.Command{
		Use:   "export --pool POOL > users.jsonl",
		Short: "Write a pool's groups and users to stdout as JSON Lines",
		Long: `export writes the pool's groups and users to stdout, one JSON object a line, between a header
line {"format":"gatehouse-users","version":1,…} and an end line {"type":"end",…} that lets an
import tell a complete file from a cut-short one. Each user carries its attributes, status,
dates, group memberships, its argon2id password hash and its SRP verifier: the file holds
what signs your users in, so keep it as safe as the database.

Progress goes to stderr when it is a terminal; a summary line always does.`,
		Example: `  gatehouse users export --pool us-east-1_AbCdEf123 > users.jsonl
  gatehouse users export --pool us-east-1_AbCdEf123 --store 'postgres://gatehouse@db/gatehouse' | gzip > users.jsonl.gz`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUsersExport(cmd.Context(), sf, pool, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	sf.register(cmd.Flags())
	cmd.Flags().StringVar(&pool, "pool", "", "id of the user pool to export (required)")
	_ = cmd.MarkFlagRequired("pool")
	return cmd
}

func newUsersImportCommand() *cobra.Command {
	var (
		sf    storeFlags
		pool  string
		asCSV bool
	)
	cmd := &cobra.Command{
		Use:   "import --pool POOL [--csv] FILE",
		Short: "Create users from an export (or a Cognito user-import CSV) in a pool",
		Long: `import reads FILE ("-" for stdin) into the pool. When the pool does not exist and FILE is an
export of a pool with that id, the pool is recreated from the file (same id, name and
configuration, new signing keys; make app clients again). Users the pool does not have are
created; users it has (the same username) are left as they are, and so are
groups it has: running an import again changes nothing.

FILE is a gatehouse users export (JSON Lines): users keep their passwords and group
memberships, and groups missing from the pool are created. With --csv, FILE is Cognito's
user-import CSV (header: aws cognito-idp get-csv-header); its users are created in
RESET_REQUIRED status, without a password, and set one through ForgotPassword.

A malformed line stops the import with its line number; the batches before it stay
imported, so re-run after fixing it. Progress goes to stderr when it is a terminal; a
summary line always does.`,
		Example: `  gatehouse users import --pool us-east-1_AbCdEf123 users.jsonl
  gunzip -c users.jsonl.gz | gatehouse users import --pool us-east-1_AbCdEf123 -
  gatehouse users import --pool us-east-1_AbCdEf123 --csv users.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUsersImport(cmd.Context(), sf, pool, asCSV, args[0], cmd.InOrStdin(), cmd.ErrOrStderr())
		},
	}
	sf.register(cmd.Flags())
	cmd.Flags().StringVar(&pool, "pool", "", "id of the user pool to import into (required; recreated from the file when it is missing and the file exports that pool)")
	cmd.Flags().BoolVar(&asCSV, "csv", false, "FILE is a Cognito user-import CSV file, not a gatehouse users export")
	_ = cmd.MarkFlagRequired("pool")
	return cmd
}

// openUserExport opens the store and builds the user-pool service and the export/import
// service on it.
func openUserExport(ctx context.Context, sf storeFlags) (*userexport.Service, func(), error) {
	st, key, err := sf.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	log := slog.New(slog.DiscardHandler)
	// The issuer signs nothing here; the service needs one to be whole.
	issuer, err := token.NewIssuer(token.Config{Keys: st, Master: key, IssuerURL: "http://127.0.0.1:9229", Logger: log})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	svc, err := userpool.New(userpool.Config{Store: st, Tokens: issuer, Master: key, Log: log})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return userexport.New(userexport.Config{Pools: svc, Store: st}), func() { st.Close() }, nil
}

func runUsersExport(ctx context.Context, sf storeFlags, pool string, stdout, stderr io.Writer) error {
	ux, closeStore, err := openUserExport(ctx, sf)
	if err != nil {
		return err
	}
	defer closeStore()
	p := newProgress(stderr, "exported")
	stats, err := ux.Export(ctx, pool, stdout, p.report)
	p.done()
	if err != nil {
		return usersError(pool, err)
	}
	fmt.Fprintf(stderr, "exported %s and %s in %s\n", counted(stats.Users, "user"), counted(stats.Groups, "group"), p.elapsed())
	return nil
}

func runUsersImport(ctx context.Context, sf storeFlags, pool string, asCSV bool, file string, stdin io.Reader, stderr io.Writer) error {
	in := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	ux, closeStore, err := openUserExport(ctx, sf)
	if err != nil {
		return err
	}
	defer closeStore()
	p := newProgress(stderr, "read")
	var stats userexport.ImportStats
	if asCSV {
		stats, err = ux.ImportCSV(ctx, pool, in, p.report)
	} else {
		stats, err = ux.Import(ctx, pool, in, p.report)
	}
	p.done()
	summary := fmt.Sprintf("imported %s (%s skipped)", counted(stats.Created, "user"), thousands(stats.Skipped))
	if stats.Groups > 0 {
		summary += fmt.Sprintf(" and %s (%s skipped)", counted(stats.GroupsCreated, "group"), thousands(stats.Groups-stats.GroupsCreated))
	}
	if err != nil {
		var ie *userexport.ImportError
		if errors.As(err, &ie) && file != "-" {
			err = fmt.Errorf("%s:%w", file, err)
		}
		fmt.Fprintf(stderr, "%s before stopping, in %s\n", summary, p.elapsed())
		return usersError(pool, err)
	}
	fmt.Fprintf(stderr, "%s in %s\n", summary, p.elapsed())
	if stats.SRPDropped > 0 {
		fmt.Fprintf(stderr, "note: the SRP verifiers of %s were left out: SRP binds them to the id of the pool they were "+
			"exported from, and %s has another; those users sign in with USER_PASSWORD_AUTH (their passwords still work) "+
			"and get USER_SRP_AUTH back when they set a new password\n", counted(stats.SRPDropped, "user"), pool)
	}
	return nil
}

// usersError words a missing pool for the command line.
func usersError(pool string, err error) error {
	var ae *awsapi.Error
	if errors.As(err, &ae) && ae.Type == "ResourceNotFoundException" {
		return fmt.Errorf("user pool %s does not exist in this store (check --pool, and --data or --store)", pool)
	}
	return err
}

// progress prints "verb 12,000 users" on one terminal line, rewritten as the count grows;
// it prints nothing when w is not a terminal.
type progress struct {
	w     io.Writer
	verb  string
	tty   bool
	start time.Time
	shown bool
	last  time.Time
}

func newProgress(w io.Writer, verb string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
	}
	return &progress{w: w, verb: verb, tty: tty, start: time.Now()}
}

func (p *progress) report(n int) {
	if !p.tty {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		fmt.Fprintf(p.w, "\r%s %s", p.verb, counted(n, "user"))
		p.shown = true
	}
}

// done clears the progress line before the summary.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// elapsed is the time since the start in seconds, e.g. "14.2s".
func (p *progress) elapsed() string {
	return fmt.Sprintf("%.1fs", time.Since(p.start).Seconds())
}

// counted is n things: "1 user", "12,000 users".
func counted(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return thousands(n) + " " + thing + "s"
}

// thousands formats n with comma separators: 12000 → "12,000".
func thousands(n int) string {
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
