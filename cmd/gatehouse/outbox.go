package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse/gatehouse/internal/mail"
)

func newOutboxCommand() *cobra.Command {
	var (
		sf     storeFlags
		pool   string
		last   int
		follow bool
	)
	cmd := &cobra.Command{
		Use:   "outbox",
		Short: "List the codes and invitations Gatehouse has sent",
		Long: `outbox prints the messages Gatehouse "sent" (sign-up confirmation codes, forgot-password
codes, attribute verification codes, invitations with temporary passwords), oldest first,
straight from the store, so a developer can finish a sign-up without a mail server.

It reads the same store as serve: pass the same --data or --store.`,
		Example: `  gatehouse outbox
  gatehouse outbox --pool us-east-1_AbCdEf123 --last 5
  gatehouse outbox --follow`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if last < 0 {
				return fmt.Errorf("--last %d: must be 0 (all) or more", last)
			}
			return runOutbox(cmd.Context(), sf, pool, last, follow, cmd.OutOrStdout())
		},
	}
	sf.register(cmd.Flags())
	cmd.Flags().StringVar(&pool, "pool", "", "only messages of this user pool")
	cmd.Flags().IntVar(&last, "last", 0, "only the last N messages (0: all)")
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "keep printing new messages as they arrive (Ctrl-C stops)")
	return cmd
}

func runOutbox(ctx context.Context, sf storeFlags, pool string, last int, follow bool, out io.Writer) error {
	st, _, err := sf.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	return mail.NewOutbox(mail.Config{Store: st}).Print(ctx, out, pool, last, follow, time.Second)
}
