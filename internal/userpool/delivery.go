package userpool

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Message delivery. Cognito sends codes and invitations by email (SES) or SMS (SNS);
// Gatehouse "sends" them to an outbox that developers read (`gatehouse outbox`, and one log
// line per message), and additionally mails EMAIL messages when an SMTP server is configured.
// SMS messages only ever reach the outbox.

// SMTPConfig is where EMAIL messages are mailed, parsed from --smtp-url.
type SMTPConfig struct {
	Host     string
	Port     string
	Username string
	Password string
	From     string
}

// String keeps the password out of logs.
func (c *SMTPConfig) String() string {
	if c == nil {
		return "<nil>"
	}
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, c.Port), RawQuery: url.Values{"from": {c.From}}.Encode()}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	return u.String()
}

// ParseSMTPURL parses smtp://[user[:password]@]host[:port]?from=address. The port defaults
// to 25; from defaults to the user name when that is an email address. The connection uses
// STARTTLS whenever the server offers it; net/smtp refuses to send a password over a
// connection that is neither TLS nor to localhost.
func ParseSMTPURL(raw string) (*SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("smtp url: cannot parse (want smtp://user:pass@host:port?from=address)")
	}
	if u.Scheme != "smtp" {
		return nil, fmt.Errorf("smtp url: scheme %q is not supported (want smtp://)", u.Scheme)
	}
	c := &SMTPConfig{Host: u.Hostname(), Port: u.Port(), From: u.Query().Get("from")}
	if c.Host == "" {
		return nil, errors.New("smtp url: missing host")
	}
	if c.Port == "" {
		c.Port = "25"
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if c.From == "" && strings.Contains(c.Username, "@") {
		c.From = c.Username
	}
	if c.From == "" {
		return nil, errors.New("smtp url: missing from= address")
	}
	if strings.ContainsAny(c.From, "\r\n<>") || !strings.Contains(c.From, "@") {
		return nil, errors.New("smtp url: from= is not an email address")
	}
	return c, nil
}

// Outbox is the Deliverer Gatehouse runs with: every message is recorded in the store's
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

// NewOutbox returns an Outbox writing to st; log and smtp may be nil.
func NewOutbox(st store.Outbox, log *slog.Logger, smtp *SMTPConfig) *Outbox {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Outbox{st: st, log: log, smtp: smtp, timeout: 30 * time.Second, now: time.Now}
}

// Deliver records m and, for EMAIL with SMTP configured, starts mailing it.
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

// Close waits for background mails to finish (each is bounded by a 30 s timeout).
func (o *Outbox) Close() error {
	o.wg.Wait()
	return nil
}

// sendMail mails one message with net/smtp, upgrading to TLS when the server offers STARTTLS.
func sendMail(ctx context.Context, cfg *SMTPConfig, m store.Message, now time.Time) error {
	to := headerValue(m.Destination)
	if to == "" || !strings.Contains(to, "@") {
		return errors.New("destination is not an email address")
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(cfg.Host, cfg.Port))
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host)); err != nil {
			return fmt.Errorf("auth: %w", err)
		}
	}
	if err := c.Mail(cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(formatMail(cfg.From, to, m.Subject, m.Body, now)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// formatMail renders an RFC 5322 message. Cognito templates may be HTML; a body that looks
// like HTML is sent as text/html.
func formatMail(from, to, subject, body string, now time.Time) []byte {
	ctype := "text/plain"
	if lb := strings.ToLower(body); strings.Contains(lb, "<html") || strings.Contains(lb, "<br") || strings.Contains(lb, "</") {
		ctype = "text/html"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\n", headerValue(from))
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", headerValue(subject)))
	fmt.Fprintf(&b, "Date: %s\r\n", now.Format(time.RFC1123Z))
	b.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: %s; charset=utf-8\r\n", ctype)
	b.WriteString("Content-Transfer-Encoding: 8bit\r\n\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))
	b.WriteString("\r\n")
	return []byte(b.String())
}

// headerValue removes line breaks, so that no value can inject a header.
func headerValue(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ").Replace(s))
}

// Message templates (API reference: VerificationMessageTemplateType, MessageTemplateType,
// CreateUserPool's EmailVerificationMessage/Subject and SmsVerificationMessage). Pools get
// Cognito's default texts filled in when they are created (pools_defaults.go); the same
// defaults apply here to a pool stored without them.

// verificationMessage returns the subject and body template of a code message (sign-up
// confirmation, attribute verification and forgot password all use it). A pool set to
// CONFIRM_WITH_LINK still gets a code: Gatehouse has no link-confirmation endpoint.
func (p *pool) verificationMessage(medium string) (subject, body string) {
	t := p.spec.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplateType{}
	}
	if medium == "SMS" {
		return "", firstNonEmpty(t.SmsMessage, p.spec.SmsVerificationMessage, poolDefaultVerifyMessage)
	}
	return firstNonEmpty(t.EmailSubject, p.spec.EmailVerificationSubject, poolDefaultVerifySubject),
		firstNonEmpty(t.EmailMessage, p.spec.EmailVerificationMessage, poolDefaultVerifyMessage)
}

// invitationMessage returns the subject and body template of an AdminCreateUser invitation.
func (p *pool) invitationMessage(medium string) (subject, body string) {
	var t MessageTemplateType
	if p.spec.AdminCreateUserConfig != nil && p.spec.AdminCreateUserConfig.InviteMessageTemplate != nil {
		t = *p.spec.AdminCreateUserConfig.InviteMessageTemplate
	}
	if medium == "SMS" {
		return "", firstNonEmpty(t.SMSMessage, poolDefaultInviteMessage)
	}
	return firstNonEmpty(t.EmailSubject, poolDefaultInviteSubject), firstNonEmpty(t.EmailMessage, poolDefaultInviteMessage)
}

// renderMessage fills the {username} and {####} placeholders.
func renderMessage(tmpl, username, code string) string {
	return strings.NewReplacer("{username}", username, "{####}", code).Replace(tmpl)
}

func firstNonEmpty(v ...string) string { return poolFirstNonEmpty(v...) }

// mediumFor is the delivery medium of a contact attribute.
func mediumFor(attrName string) string {
	if attrName == "phone_number" {
		return "SMS"
	}
	return "EMAIL"
}

// maskDestination hides a destination the way Cognito's CodeDeliveryDetails do: an email keeps
// the first character of its local part and of its domain ("a***@e***", as captured SignUp
// responses show), a phone number keeps "+" and its last four digits ("+*******1234").
func maskDestination(medium, dest string) string {
	if medium == "SMS" {
		r := []rune(dest)
		if len(r) <= 4 {
			return strings.Repeat("*", len(r))
		}
		keep := r[len(r)-4:]
		prefix := ""
		if r[0] == '+' {
			prefix, r = "+", r[1:]
		}
		return prefix + strings.Repeat("*", len(r)-4) + string(keep)
	}
	local, domain, ok := cutLast(dest, "@")
	if !ok {
		return firstRune(dest) + "***"
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***"
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// sendMessage sends one message for user u of pool p through the Service's Deliverer and
// returns the CodeDeliveryDetails the API answers with. attrName is the contact attribute
// ("email" or "phone_number") and dest its value.
func (s *Service) sendMessage(ctx context.Context, p *pool, u store.User, attrName, dest, subject, body string) (*CodeDeliveryDetailsType, error) {
	medium := mediumFor(attrName)
	m := store.Message{PoolID: p.rec.ID, Username: u.Username, Medium: medium, Destination: dest,
		Subject: subject, Body: body, CreatedAt: s.nowUTC()}
	if s.deliver == nil {
		s.log.Warn("no deliverer configured; message dropped", "pool", p.rec.ID, "username", u.Username, "medium", medium)
	} else if err := s.deliver.Deliver(ctx, m); err != nil {
		return nil, fmt.Errorf("deliver %s message: %w", medium, err)
	}
	return &CodeDeliveryDetailsType{Destination: maskDestination(medium, dest), DeliveryMedium: medium, AttributeName: attrName}, nil
}

// sendCodeMessage issues a code for purpose and sends it with the pool's verification
// template to the contact attribute attrName (value dest).
func (s *Service) sendCodeMessage(ctx context.Context, p *pool, u store.User, purpose string, ttl time.Duration, attrName, dest string) (*CodeDeliveryDetailsType, error) {
	code, err := s.issueCode(ctx, p.rec.ID, u.UsernameKey, purpose, ttl)
	if err != nil {
		return nil, err
	}
	subject, tmpl := p.verificationMessage(mediumFor(attrName))
	return s.sendMessage(ctx, p, u, attrName, dest, subject, renderMessage(tmpl, u.Username, code))
}

var _ Deliverer = (*Outbox)(nil)
