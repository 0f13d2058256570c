package mail

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Config wires an Outbox.
type Config struct {
	// Store keeps the messages (required).
	Store store.Outbox
	// Log gets one info line per message and a warning per failed mail; nil discards.
	Log *slog.Logger
	// SMTP is where EMAIL messages are also mailed; nil mails nothing.
	SMTP *SMTPConfig
	// Now is the clock: the time of a message that comes without one, and a mail's Date
	// header. nil means time.Now.
	Now func() time.Time
}

// Outbox is the deliverer Gatehouse runs with: every message is recorded in the store's
// outbox and logged at info level (pool, username, medium, destination and body — the body
// carries the code or temporary password, which is what a developer needs to finish a flow;
// nothing else secret is logged). With SMTP configured, EMAIL messages are also mailed in
// the background: a send failure is logged and never fails the API call that caused it,
// because the message is already in the outbox, as Cognito does not fail SignUp when SES
// bounces. Close waits for mails still being sent.
type Outbox struct {
	st      store.Outbox
	log     *slog.Logger
	smtp    *SMTPConfig
	timeout time.Duration
	now     func() time.Time
	wg      sync.WaitGroup
}

// NewOutbox returns an Outbox writing to cfg.Store.
func NewOutbox(cfg Config) *Outbox {
	o := &Outbox{st: cfg.Store, log: cfg.Log, smtp: cfg.SMTP, timeout: 30 * time.Second, now: cfg.Now}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	if o.now == nil {
		o.now = time.Now
	}
	return o
}

// Deliver records m and, for EMAIL with SMTP configured, starts mailing it. A message without
// a CreatedAt gets the clock's time.
func (o *Outbox) Deliver(ctx context.Context, m store.Message) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = o.now().UTC().Truncate(time.Millisecond)
	}
	id, err := o.st.AddMessage(ctx, m)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	o.log.Info("message sent to outbox", "id", id, "pool", m.PoolID, "username", m.Username,
		"medium", m.Medium, "destination", m.Destination, "subject", m.Subject, "body", m.Body)
	if o.smtp != nil && m.Medium == "EMAIL" {
		o.wg.Add(1)
		go func() {
			defer o.wg.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.timeout)
			defer cancel()
			if err := sendMail(sctx, o.smtp, m, o.now()); err != nil {
				o.log.Warn("smtp: message not mailed (it is in the outbox)", "id", id, "pool", m.PoolID,
					"username", m.Username, "smtp", o.smtp.String(), "err", err)
			}
		}()
	}
	return nil
}

// Messages lists the outbox oldest first: the messages after the one with id afterID (0: from
// the first), of pool poolID ("": every pool), at most limit (<= 0: all).
func (o *Outbox) Messages(ctx context.Context, poolID string, afterID int64, limit int) ([]store.Message, error) {
	ms, err := o.st.ListMessages(ctx, poolID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return ms, nil
}

// Format renders m as `gatehouse outbox` prints it: a line with its time (local), pool,
// medium, username and destination, then its body indented.
func Format(m store.Message) string {
	return fmt.Sprintf("%s  %s  %s %s -> %s\n  %s\n", m.CreatedAt.Local().Format(time.DateTime), m.PoolID, m.Medium, m.Username, m.Destination, m.Body)
}

// Close waits for background mails to finish (each is bounded by a 30 s timeout).
func (o *Outbox) Close() error {
	o.wg.Wait()
	return nil
}

// Print writes the messages (of poolID; "" for all), oldest first, in Format's text: only
// the last ones when last > 0, "(no messages)" when there are none. With follow it then
// checks for new messages every poll and prints them until ctx ends.
func (o *Outbox) Print(ctx context.Context, w io.Writer, poolID string, last int, follow bool, poll time.Duration) error {
	msgs, err := o.Messages(ctx, poolID, 0, 0)
	if err != nil {
		return err
	}
	if last > 0 && len(msgs) > last {
		msgs = msgs[len(msgs)-last:]
	}
	var after int64
	for _, m := range msgs {
		fmt.Fprint(w, Format(m))
		after = m.ID
	}
	if len(msgs) == 0 && !follow {
		fmt.Fprintln(w, "(no messages)")
	}
	for follow {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(poll):
		}
		more, err := o.Messages(ctx, poolID, after, 100)
		if err != nil {
			if ctx.Err() != nil {
				return nil // stopped (Ctrl-C) while reading: not a failure
			}
			return err
		}
		for _, m := range more {
			fmt.Fprint(w, Format(m))
			after = m.ID
		}
	}
	return nil
}
