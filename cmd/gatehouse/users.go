package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/services"
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
	// The issuer signs nothing here; the services need one to be whole.
	set, err := services.New(services.Config{Store: st, Master: key, IssuerURL: "http://127.0.0.1:9229"})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return set.Export, func() { _ = set.Close(); st.Close() }, nil
}

func runUsersExport(ctx context.Context, sf storeFlags, pool string, stdout, stderr io.Writer) error {
	ux, closeStore, err := openUserExport(ctx, sf)
	if err != nil {
		return err
	}
	defer closeStore()
	p := userexport.NewProgress(stderr, "exported")
	stats, err := ux.Export(ctx, pool, stdout, p.Report)
	p.Done()
	if err != nil {
		return usersError(pool, err)
	}
	fmt.Fprintf(stderr, "%s in %s\n", stats.Summary(), p.Elapsed())
	return nil
}

func runUsersImport(ctx context.Context, sf storeFlags, pool string, asCSV bool, file string, stdin io.Reader, stderr io.Writer) error {
	in, err := userexport.OpenFile(file, stdin)
	if err != nil {
		return err
	}
	defer in.Close()
	ux, closeStore, err := openUserExport(ctx, sf)
	if err != nil {
		return err
	}
	defer closeStore()
	p := userexport.NewProgress(stderr, "read")
	stats, err := ux.ImportFile(ctx, pool, file, in, asCSV, p.Report)
	p.Done()
	if err != nil {
		fmt.Fprintf(stderr, "%s before stopping, in %s\n", stats.Summary(), p.Elapsed())
		return usersError(pool, err)
	}
	fmt.Fprintf(stderr, "%s in %s\n%s", stats.Summary(), p.Elapsed(), stats.SRPNote(pool))
	return nil
}

func usersError(pool string, err error) error {
	var ae *awsapi.Error
	if errors.As(err, &ae) && ae.Type == "ResourceNotFoundException" {
		return fmt.Errorf("user pool %s does not exist in this store (check --pool, and --data or --store)", pool)
	}
	return err
}
