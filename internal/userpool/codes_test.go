package userpool

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

func TestUsersCodes(t *testing.T) {
	e := newUsersTestEnv(t)
	poolID := e.pool(&CreateUserPoolRequest{})
	for _, name := range []string{"user", "other"} {
		if err := e.st.CreateUser(e.ctx, store.User{PoolID: poolID, Username: name, UsernameKey: name, Sub: name + "-sub",
			Status: statusConfirmed, Enabled: true}); err != nil {
			t.Fatal(err)
		}
	}
	code, err := e.s.issueCode(e.ctx, poolID, "user", purposeForgot, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.st.GetCode(e.ctx, poolID, "user", purposeForgot)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(c.Hash, []byte(code)) || len(c.Hash) != codeSaltLen+32 {
		t.Fatalf("stored code hash %x reveals the code or has the wrong size", c.Hash)
	}
	// A code is bound to its user and purpose.
	wantUserErr(t, e.s.consumeCode(e.ctx, poolID, "other", purposeForgot, code), "CodeMismatchException", "Invalid verification code provided, please try again.")
	wantUserErr(t, e.s.consumeCode(e.ctx, poolID, "user", purposeSignUp, code), "CodeMismatchException", "Invalid verification code provided, please try again.")
	e.clock.Advance(time.Hour - time.Millisecond)
	if err := e.s.consumeCode(e.ctx, poolID, "user", purposeForgot, code); err != nil {
		t.Fatalf("code 1 ms before expiry: %v", err)
	}
	wantUserErr(t, e.s.consumeCode(e.ctx, poolID, "user", purposeForgot, code), "CodeMismatchException", "Invalid verification code provided, please try again.")

	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		c, err := newCode(e.s.rand)
		if err != nil || !regexp.MustCompile(`^\d{6}$`).MatchString(c) {
			t.Fatalf("newCode = %q, %v", c, err)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Fatalf("only %d distinct codes in 200", len(seen))
	}
}
