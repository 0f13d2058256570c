package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gatehouse/gatehouse/internal/apiruntime"
	"github.com/gatehouse/gatehouse/internal/serverless"
	"github.com/gatehouse/gatehouse/internal/services"
	"github.com/gatehouse/gatehouse/internal/stack"
)

// stackOptions are the flags of outputs and remove: which file, stage and store.
type stackOptions struct {
	storeFlags
	config, stage, region, account string
}

func (o *stackOptions) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	o.storeFlags.register(fs)
	fs.StringVarP(&o.config, "config", "c", "serverless.yml", "serverless.yml of the stack")
	fs.StringVar(&o.stage, "stage", "", "stage, as serverless --stage (default: provider.stage, else dev)")
	fs.StringVar(&o.region, "region", "us-east-1", "the region gatehouse serve runs with (--region)")
	fs.StringVar(&o.account, "account", "000000000000", "the account gatehouse serve runs with (--account)")
}

// open loads the file and builds the stack deployer on the store, with the services the
// AWS API uses; the caller runs the returned close.
func (o *stackOptions) open(ctx context.Context, log *slog.Logger) (*serverless.Service, *stack.Deployer, func(), error) {
	svc, _, err := serverless.Load(o.config, serverless.Options{Stage: o.stage, Region: o.region, Env: os.LookupEnv, AccountID: o.account})
	if err != nil {
		return nil, nil, nil, err
	}
	st, key, err := o.storeFlags.open(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	// The issuer signs nothing here; the services need one to be whole.
	set, err := services.New(services.Config{Store: st, Master: key, Region: o.region, Account: o.account,
		IssuerURL: "http://127.0.0.1:9229", DataDir: o.data, Log: log})
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return svc, set.Stack, func() { _ = set.Close(); st.Close() }, nil
}

func newOutputsCommand() *cobra.Command {
	var (
		o      stackOptions
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "outputs [-c serverless.yml] [--json]",
		Short: "Print the Stack Outputs of a deployed serverless.yml, as serverless deploy -v does",
		Long: `outputs resolves resources.Outputs of the file against the resources gatehouse serve -c
created for it (same --data or --store, --stage, --region), and prints them as the "Stack
Outputs" section of serverless deploy -v, ServiceEndpoint included (from the last serve,
{data}/outputs.json). With --json it prints one object, output name → value.`,
		Example: `  gatehouse outputs -c serverless.yml
  gatehouse outputs -c serverless.yml --json | jq -r .UserPoolId`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runOutputs(cmd.Context(), o, asJSON, cmd.OutOrStdout())
		},
	}
	o.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object, output name → value")
	return cmd
}

func runOutputs(ctx context.Context, o stackOptions, asJSON bool, stdout io.Writer) error {
	svc, d, closeAll, err := o.open(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer closeAll()
	outs, err := d.Outputs(ctx, svc, apiruntime.RestAPIID(svc, o.account))
	if err != nil {
		return err
	}
	// ServiceEndpoint is the listener of the last serve, which only it knows.
	return stack.PrintOutputs(stdout, stack.WithEndpoint(outs, stack.LastEndpoint(o.data)), asJSON)
}

func newRemoveCommand() *cobra.Command {
	var (
		o   stackOptions
		yes bool
	)
	cmd := &cobra.Command{
		Use:   "remove [-c serverless.yml] [--yes]",
		Short: "Delete every resource gatehouse serve -c created for a serverless.yml, as serverless remove",
		Long: `remove deletes the user pools, app clients, identity pools, roles and policies that
gatehouse serve -c created for the file's stack (service and stage), in dependency order,
and forgets the stack. Resources with DeletionPolicy: Retain are kept; resources the stack
did not create are never touched. The users of a pool that has any are exported to
{data}/removed/ first. On a terminal it asks for confirmation unless --yes.
Stop gatehouse serve first: a running serve deploys the stack again on its next reload.`,
		Example: `  gatehouse remove -c serverless.yml
  gatehouse remove -c serverless.yml --stage prod --yes`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRemove(cmd.Context(), o, yes, os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.register(cmd)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func runRemove(ctx context.Context, o stackOptions, yes bool, stdin *os.File, stdout, stderr io.Writer) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	svc, d, closeAll, err := o.open(ctx, log)
	if err != nil {
		return err
	}
	defer closeAll()
	name := stack.StackName(svc)
	if !yes && isTerminal(stdin) {
		fmt.Fprintf(stdout, "Remove stack %s and every resource it created? [y/N] ", name)
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return errors.New("remove cancelled")
		}
	}
	gone, err := d.Remove(ctx, svc, apiruntime.RestAPIID(svc, o.account))
	if err != nil {
		return err
	}
	_ = os.Remove(filepath.Join(o.data, stack.OutputsFile))
	fmt.Fprintf(stdout, "gatehouse: stack %s removed (%d resources)\n", name, len(gone))
	return nil
}
