// Package mail delivers the messages a user pool sends (sign-up and verification codes,
// forgot-password codes, invitations with temporary passwords). Cognito sends them by email
// (SES) or SMS (SNS); Gatehouse records every message in the store's outbox, where developers
// read it (`gatehouse outbox`, and one log line per message), and additionally mails EMAIL
// messages when an SMTP server is configured (--smtp-url). SMS messages only ever reach the
// outbox.
//
// It owns the outbox (recording, logging, listing, and printing it for `gatehouse outbox`,
// --follow included), the SMTP client and the --smtp-url
// syntax. Its Outbox satisfies userpool.Deliverer, the interface the user-pool service (its
// consumer) declares; this package does not import userpool. The clock is injected
// (Config.Now), so a message's time and a mail's Date header are testable.
//
// It must never decide what a message says or to whom it goes (package userpool renders the
// templates and picks the destination), never fail the API call that caused a message
// because mailing it failed (the message is in the outbox; Cognito does not fail SignUp when
// SES bounces), never send a password over a connection that is neither TLS nor to
// localhost, and never log the SMTP password. It deliberately logs each message's body at
// info level: the body carries the code or temporary password, and reading it there is how a
// developer finishes a sign-up without a mail server; nothing else secret is logged.
package mail
