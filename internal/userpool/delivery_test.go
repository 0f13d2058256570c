package userpool

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/textproto"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

func TestUsersMaskDestination(t *testing.T) {
	tests := []struct{ medium, in, want string }{
		{"EMAIL", "alice@example.com", "a***@e***"},
		{"EMAIL", "todone_test@yahoo.co.jp", "t***@y***"},
		{"EMAIL", "ü@ö.de", "ü***@ö***"},
		{"EMAIL", "weird", "w***"},
		{"SMS", "+12065551234", "+*******1234"},
		{"SMS", "+1234", "+1234"},
		{"SMS", "123", "***"},
	}
	for _, tt := range tests {
		if got := maskDestination(tt.medium, tt.in); got != tt.want {
			t.Errorf("maskDestination(%s, %q) = %q, want %q", tt.medium, tt.in, got, tt.want)
		}
	}
}

func TestUsersMessageTemplates(t *testing.T) {
	p := &pool{}
	if s, b := p.verificationMessage("EMAIL"); s != "Your verification code" || b != "Your verification code is {####}. " {
		t.Errorf("default verification = %q, %q", s, b)
	}
	if s, b := p.invitationMessage("EMAIL"); s != "Your temporary password" || b != "Your username is {username} and temporary password is {####}. " {
		t.Errorf("default invitation = %q, %q", s, b)
	}
	p.spec.EmailVerificationMessage = "Code: {####}"
	p.spec.VerificationMessageTemplate = &VerificationMessageTemplateType{SmsMessage: "SMS {####}"}
	if _, b := p.verificationMessage("EMAIL"); b != "Code: {####}" {
		t.Errorf("legacy email template = %q", b)
	}
	if _, b := p.verificationMessage("SMS"); b != "SMS {####}" {
		t.Errorf("sms template = %q", b)
	}
	if got := renderMessage("Hi {username}, {####} / {####}", "zoe", "123456"); got != "Hi zoe, 123456 / 123456" {
		t.Errorf("renderMessage = %q", got)
	}
}

func TestUsersParseSMTPURL(t *testing.T) {
	tests := []struct {
		in      string
		want    SMTPConfig
		wantErr bool
	}{
		{in: "smtp://mail.test?from=noreply@app.test", want: SMTPConfig{Host: "mail.test", Port: "25", From: "noreply@app.test"}},
		{in: "smtp://u%40app.test:p%3Ass@mail.test:587", want: SMTPConfig{Host: "mail.test", Port: "587", Username: "u@app.test", Password: "p:ss", From: "u@app.test"}},
		{in: "smtp://user:pw@mail.test:2525?from=a@b.test", want: SMTPConfig{Host: "mail.test", Port: "2525", Username: "user", Password: "pw", From: "a@b.test"}},
		{in: "smtp://user:pw@mail.test", wantErr: true},             // no from
		{in: "smtps://mail.test?from=a@b.test", wantErr: true},      // scheme
		{in: "smtp://?from=a@b.test", wantErr: true},                // host
		{in: "smtp://mail.test?from=a%0D%0A@b.test", wantErr: true}, // header injection
		{in: "::", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseSMTPURL(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseSMTPURL(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || *got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		if strings.Contains(got.String(), "pw") || strings.Contains(got.String(), "p:ss") {
			t.Errorf("String() leaks the password: %s", got)
		}
	}
}

// usersTestSMTP is a minimal SMTP server (no STARTTLS, no AUTH) that records one message.
func usersTestSMTP(t *testing.T) (addr string, got <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	ch := make(chan string, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		tp := textproto.NewConn(conn)
		_ = tp.PrintfLine("220 test ESMTP")
		var data strings.Builder
		for {
			line, err := tp.ReadLine()
			if err != nil {
				return
			}
			cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
			switch cmd {
			case "EHLO", "HELO":
				_ = tp.PrintfLine("250 test")
			case "MAIL", "RCPT":
				data.WriteString(line + "\n")
				_ = tp.PrintfLine("250 OK")
			case "DATA":
				_ = tp.PrintfLine("354 go ahead")
				body, err := tp.ReadDotBytes()
				if err != nil {
					return
				}
				data.Write(body)
				_ = tp.PrintfLine("250 OK")
			case "QUIT":
				_ = tp.PrintfLine("221 bye")
				ch <- data.String()
				return
			default:
				_ = tp.PrintfLine("502 no")
			}
		}
	}()
	return ln.Addr().String(), ch
}

func TestUsersOutboxSMTP(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	addr, got := usersTestSMTP(t)
	host, port, _ := net.SplitHostPort(addr)
	cfg := &SMTPConfig{Host: host, Port: port, From: "noreply@app.test"}
	var logs bytes.Buffer
	o := NewOutbox(st, slog.New(slog.NewTextHandler(&logs, nil)), cfg)
	m := store.Message{PoolID: "", Username: "zoe", Medium: "EMAIL", Destination: "zoe@example.com",
		Subject: "Your verification code", Body: "Your verification code is 123456. \n.\nend"}
	if err := o.Deliver(ctx, m); err != nil {
		t.Fatal(err)
	}
	o.Close()
	select {
	case mail := <-got:
		for _, want := range []string{"MAIL FROM:<noreply@app.test>", "RCPT TO:<zoe@example.com>", "Subject: Your verification code\n",
			"Content-Type: text/plain; charset=utf-8", "\n\nYour verification code is 123456. \n.\nend\n"} { // ReadDotBytes turns CRLF into LF
			if !strings.Contains(mail, want) {
				t.Errorf("mail lacks %q:\n%s", want, mail)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no mail received")
	}
	ms, err := st.ListMessages(ctx, "", 0, 0)
	if err != nil || len(ms) != 1 || ms[0].Body != m.Body {
		t.Fatalf("outbox = %+v, %v", ms, err)
	}

	// A server that is down: the message is still in the outbox, Deliver succeeds, a warning
	// is logged.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	_, deadPort, _ := net.SplitHostPort(ln.Addr().String())
	ln.Close()
	o = NewOutbox(st, slog.New(slog.NewTextHandler(&logs, nil)), &SMTPConfig{Host: "127.0.0.1", Port: deadPort, From: "noreply@app.test"})
	if err := o.Deliver(ctx, m); err != nil {
		t.Fatalf("Deliver with SMTP down: %v", err)
	}
	o.Close()
	if !strings.Contains(logs.String(), "smtp: message not mailed") {
		t.Errorf("no warning logged: %s", logs.String())
	}
}
