package mail

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
	"github.com/gatehouse/gatehouse/internal/userpool"
)

// The user-pool service declares the interface; the Outbox is what Gatehouse plugs into it.
var _ userpool.Deliverer = (*Outbox)(nil)

func TestParseSMTPURL(t *testing.T) {
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

// testSMTP is a minimal SMTP server (no STARTTLS, no AUTH) that records one message.
func testSMTP(t *testing.T) (addr string, got <-chan string) {
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

func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	st, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestOutboxSMTP(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	addr, got := testSMTP(t)
	host, port, _ := net.SplitHostPort(addr)
	cfg := &SMTPConfig{Host: host, Port: port, From: "noreply@app.test"}
	var logs bytes.Buffer
	o := NewOutbox(Config{Store: st, Log: slog.New(slog.NewTextHandler(&logs, nil)), SMTP: cfg})
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
	o = NewOutbox(Config{Store: st, Log: slog.New(slog.NewTextHandler(&logs, nil)), SMTP: &SMTPConfig{Host: "127.0.0.1", Port: deadPort, From: "noreply@app.test"}})
	if err := o.Deliver(ctx, m); err != nil {
		t.Fatalf("Deliver with SMTP down: %v", err)
	}
	o.Close()
	if !strings.Contains(logs.String(), "smtp: message not mailed") {
		t.Errorf("no warning logged: %s", logs.String())
	}
}

// The injected clock dates a message that comes without a time (in the outbox and in the
// mail's Date header); a message with its own time keeps it.
func TestOutboxClock(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	addr, got := testSMTP(t)
	host, port, _ := net.SplitHostPort(addr)
	clock := time.Date(2026, 3, 1, 12, 34, 56, 789_654_321, time.FixedZone("CET", 3600))
	o := NewOutbox(Config{Store: st, SMTP: &SMTPConfig{Host: host, Port: port, From: "noreply@app.test"},
		Now: func() time.Time { return clock }})
	undated := store.Message{PoolID: "us-east-1_clock", Username: "zoe", Medium: "EMAIL", Destination: "zoe@example.com", Body: "code 123456"}
	if err := o.Deliver(ctx, undated); err != nil {
		t.Fatal(err)
	}
	o.Close()
	select {
	case mail := <-got:
		if want := "Date: Sun, 01 Mar 2026 12:34:56 +0100\n"; !strings.Contains(mail, want) {
			t.Errorf("mail lacks %q:\n%s", want, mail)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no mail received")
	}
	dated := undated
	dated.Medium, dated.Destination = "SMS", "+15555550100"
	dated.CreatedAt = time.Date(2025, 12, 24, 8, 0, 0, 0, time.UTC)
	if err := o.Deliver(ctx, dated); err != nil {
		t.Fatal(err)
	}
	ms, err := o.Messages(ctx, "us-east-1_clock", 0, 0)
	if err != nil || len(ms) != 2 {
		t.Fatalf("Messages = %+v, %v", ms, err)
	}
	if want := time.Date(2026, 3, 1, 11, 34, 56, 789_000_000, time.UTC); !ms[0].CreatedAt.Equal(want) {
		t.Errorf("undated message stored at %v, want the clock's %v (UTC, milliseconds)", ms[0].CreatedAt, want)
	}
	if !ms[1].CreatedAt.Equal(dated.CreatedAt) {
		t.Errorf("dated message stored at %v, want its own %v", ms[1].CreatedAt, dated.CreatedAt)
	}
	if after, err := o.Messages(ctx, "", ms[0].ID, 0); err != nil || len(after) != 1 || after[0].ID != ms[1].ID {
		t.Errorf("Messages after %d = %+v, %v", ms[0].ID, after, err)
	}
	line := Format(ms[1])
	if want := ms[1].CreatedAt.Local().Format(time.DateTime) + "  us-east-1_clock  SMS zoe -> +15555550100\n  code 123456\n"; line != want {
		t.Errorf("Format = %q, want %q", line, want)
	}
}
