package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

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

// sendMail mails one message with net/smtp, upgrading to TLS when the server offers STARTTLS.
// now is the mail's Date.
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
