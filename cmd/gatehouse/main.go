// Command gatehouse runs Gatehouse: Amazon Cognito user pools and identity pools, IAM and STS,
// and API Gateway for a serverless.yml, as one self-hostable binary speaking AWS's own wire
// protocols.
//
// This package holds flags, option checks and wiring only: serve builds every part from its
// options step by step, each step pushing its undoing onto one stack (cleanup.go), then
// listens. Behaviour lives in internal/ (the API gateway's runtime in internal/apiruntime).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCommand().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(1)
	}
}

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "gatehouse",
		Short: "Amazon Cognito, IAM and API Gateway as one self-hostable binary",
		Long: `Gatehouse speaks the Amazon Cognito Identity Provider API (the JSON protocol the AWS CLI
and SDKs use), signs real JWTs and serves their JWKS, so you can develop and run against
real auth without an AWS account.

Start it, then point any AWS client at it:

  gatehouse serve
  aws --endpoint-url http://127.0.0.1:9229 cognito-idp create-user-pool --pool-name demo

Data lives in ./.gatehouse (SQLite) unless --store names a PostgreSQL database.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newOutboxCommand(), newUsersCommand(), newOutputsCommand(), newRemoveCommand())
	return root
}
