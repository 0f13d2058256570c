package masterkey

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func testKey(t testing.TB, fill byte) *Key {
	t.Helper()
	k, err := New(bytes.Repeat([]byte{fill}, Size))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestParse(t *testing.T) {
	raw := bytes.Repeat([]byte{0xfb}, Size) // 0xfb makes '+'/'/' vs '-'/'_' differ
	tests := []struct {
		name    string
		in      string
		wantErr string // substring; "" means success
	}{
		{"base64 padded", base64.StdEncoding.EncodeToString(raw), ""},
		{"base64 unpadded", base64.RawStdEncoding.EncodeToString(raw), ""},
		{"base64url", base64.URLEncoding.EncodeToString(raw), ""},
		{"base64 with newline", base64.StdEncoding.EncodeToString(raw) + "\n", ""},
		{"hex lower", hex.EncodeToString(raw), ""},
		{"hex upper", strings.ToUpper(hex.EncodeToString(raw)), ""},
		{"empty", "", "empty"},
		{"blank", "  \n", "empty"},
		{"short base64", base64.StdEncoding.EncodeToString(raw[:16]), "decodes from base64 to 16 bytes, want 32"},
		{"long base64", base64.StdEncoding.EncodeToString(append(raw, 1)), "to 33 bytes"},
		{"short hex", hex.EncodeToString(raw[:31]), "has 62 hex characters, want 64"},
		{"long hex", hex.EncodeToString(append(raw, 1)), "has 66 hex characters, want 64"},
		{"not base64", "this is not a key!", "neither 64 hex characters nor valid base64"},
		{"hex with junk", strings.Repeat("z", 64), "decodes from base64 to 48 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := Parse(tt.in)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				// The parsed key must be the same key as raw.
				sealed, err := testKeyFrom(t, raw).Seal([]byte("x"), nil)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := k.Open(sealed, nil); err != nil {
					t.Fatalf("parsed key differs from the encoded one: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Parse error = %v, want it to contain %q", err, tt.wantErr)
			}
			if tt.in != "" && strings.TrimSpace(tt.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("error message repeats the key: %v", err)
			}
		})
	}
}

func testKeyFrom(t testing.TB, raw []byte) *Key {
	t.Helper()
	k, err := New(raw)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestNewRejectsWrongSize(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("New(%d bytes) succeeded", n)
		}
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKey(t, 1)
	for _, tt := range []struct {
		name      string
		plaintext []byte
		aad       []byte
	}{
		{"empty", nil, nil},
		{"empty with aad", []byte{}, []byte("us-east-1_AbC123xyz/kid")},
		{"short", []byte("secret"), []byte("pool/kid")},
		{"long", bytes.Repeat([]byte("0123456789"), 1000), []byte("aad")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := k.Seal(tt.plaintext, tt.aad)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(sealed), len(tt.plaintext)+Overhead; got != want {
				t.Errorf("sealed length = %d, want %d", got, want)
			}
			if sealed[0] != version1 {
				t.Errorf("version byte = %d, want %d", sealed[0], version1)
			}
			if len(tt.plaintext) > 0 && bytes.Contains(sealed, tt.plaintext) {
				t.Error("sealed value contains the plaintext")
			}
			got, err := k.Open(sealed, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	k := testKey(t, 1)
	a, _ := k.Seal([]byte("same"), nil)
	b, _ := k.Seal([]byte("same"), nil)
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are identical")
	}
}

func TestOpenRefuses(t *testing.T) {
	k := testKey(t, 1)
	aad := []byte("us-east-1_AbC123xyz/kid1")
	sealed, err := k.Seal([]byte("private key bytes"), aad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		return b
	}
	tests := []struct {
		name   string
		key    *Key
		sealed []byte
		aad    []byte
	}{
		{"wrong aad", k, sealed, []byte("us-east-1_AbC123xyz/kid2")},
		{"missing aad", k, sealed, nil},
		{"wrong key", testKey(t, 2), sealed, aad},
		{"flipped version", k, flip(0), aad},
		{"flipped nonce", k, flip(1), aad},
		{"flipped ciphertext", k, flip(1 + nonceSize), aad},
		{"flipped tag", k, flip(len(sealed) - 1), aad},
		{"truncated by one", k, sealed[:len(sealed)-1], aad},
		{"truncated to overhead", k, sealed[:Overhead], aad},
		{"truncated below overhead", k, sealed[:Overhead-1], aad},
		{"only version", k, sealed[:1], aad},
		{"empty", k, nil, aad},
		{"extended", k, append(bytes.Clone(sealed), 0), aad},
		{"version 0", k, append([]byte{0}, sealed[1:]...), aad},
		{"version 2", k, append([]byte{2}, sealed[1:]...), aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := tt.key.Open(tt.sealed, tt.aad)
			if err == nil {
				t.Fatalf("Open succeeded: %q", pt)
			}
			if !errors.Is(err, ErrOpen) {
				t.Errorf("error %v does not wrap ErrOpen", err)
			}
			if pt != nil {
				t.Errorf("Open returned plaintext %q with an error", pt)
			}
		})
	}
}

func TestKeyDoesNotPrint(t *testing.T) {
	raw := bytes.Repeat([]byte{0xab}, Size)
	k := testKeyFrom(t, raw)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k)} {
		if strings.Contains(s, "ab") && strings.Contains(s, hex.EncodeToString(raw[:4])) {
			t.Errorf("key formatted as %q", s)
		}
		if !strings.Contains(s, "redacted") {
			t.Errorf("key formatted as %q, want the redacted placeholder", s)
		}
	}
}

func FuzzOpen(f *testing.F) {
	k := testKey(f, 7)
	good, err := k.Seal([]byte("hello"), []byte("aad"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, []byte("aad"))
	f.Add(good[:Overhead], []byte{})
	f.Add([]byte{}, []byte{})
	f.Add([]byte{1}, []byte("aad"))
	f.Fuzz(func(t *testing.T, sealed, aad []byte) {
		pt, err := k.Open(sealed, aad)
		if err != nil {
			if !errors.Is(err, ErrOpen) {
				t.Fatalf("error %v does not wrap ErrOpen", err)
			}
			return
		}
		// Only genuine seals of "hello" under "aad" open (the fuzz workers each seal their own
		// copy of good, with its own nonce); anything else would be a forgery.
		if len(sealed) != len(good) || string(aad) != "aad" || string(pt) != "hello" {
			t.Fatalf("forged value opened: sealed=%x aad=%q pt=%q", sealed, aad, pt)
		}
	})
}

func TestDerive(t *testing.T) {
	a, b := testKey(t, 1), testKey(t, 2)
	if !bytes.Equal(a.Derive("x"), testKey(t, 1).Derive("x")) {
		t.Fatal("Derive is not stable for the same key and label")
	}
	if bytes.Equal(a.Derive("x"), a.Derive("y")) || bytes.Equal(a.Derive("x"), b.Derive("x")) {
		t.Fatal("Derive repeats across labels or keys")
	}
	if len(a.Derive("x")) != 32 {
		t.Fatal("Derive length")
	}
}
