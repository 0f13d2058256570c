package token

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"
	"testing/iotest"
)

func TestNewOpaqueToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, hash, err := NewOpaqueToken(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 86 {
			t.Fatalf("token has %d characters, want 86", len(tok))
		}
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) != OpaqueTokenBytes {
			t.Fatalf("token is not base64url of %d bytes: %v", OpaqueTokenBytes, err)
		}
		want := sha256.Sum256([]byte(tok))
		if !bytes.Equal(hash, want[:]) || !bytes.Equal(HashToken(tok), hash) {
			t.Fatal("hash is not SHA-256 of the token")
		}
		if seen[tok] {
			t.Fatal("token repeated")
		}
		seen[tok] = true
	}
}

func TestNewOpaqueTokenReaderFails(t *testing.T) {
	boom := errors.New("no entropy")
	if _, _, err := NewOpaqueToken(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, _, err := NewOpaqueToken(bytes.NewReader(make([]byte, 10))); err == nil {
		t.Fatal("short reader accepted")
	}
}
