package masterkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Size is the length of a master key in bytes (AES-256).
const Size = 32

// version1 prefixes every value sealed by this version of the package:
// version(1) ‖ nonce(12) ‖ AES-256-GCM ciphertext and tag(16).
const version1 byte = 1

const (
	nonceSize = 12
	tagSize   = 16
	// Overhead is how many bytes Seal adds to a plaintext.
	Overhead = 1 + nonceSize + tagSize
)

// ErrOpen is returned (wrapped) by Open for any sealed value it cannot authenticate: tampered,
// truncated, sealed with another key or with other additional data, or of an unknown version.
var ErrOpen = errors.New("masterkey: cannot open sealed value")

// Key is a master key. It is safe for concurrent use. Its zero value is not usable: get one
// from Load, Parse or New.
type Key struct {
	aead cipher.AEAD
	// derived is HKDF's pseudo-random key from the master key, for Derive; the master key
	// itself is kept only inside aead.
	derived []byte
}

// New returns a Key for 32 raw key bytes.
func New(raw []byte) (*Key, error) {
	if len(raw) != Size {
		return nil, fmt.Errorf("masterkey: key is %d bytes, want %d", len(raw), Size)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, fmt.Errorf("masterkey: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("masterkey: %w", err)
	}
	prk, err := hkdf.Extract(sha256.New, raw, []byte("gatehouse master key derivation"))
	if err != nil {
		return nil, fmt.Errorf("masterkey: %w", err)
	}
	return &Key{aead: aead, derived: prk}, nil
}

// Derive returns a 32-byte secret for one purpose, named by label (HKDF-SHA256, RFC 5869):
// stable for a given master key and label, unrelated across labels, and revealing nothing of
// the master key. Used where a deterministic secret is needed, e.g. to simulate SRP answers
// for unknown users consistently across restarts and nodes.
func (k *Key) Derive(label string) []byte {
	out, err := hkdf.Expand(sha256.New, k.derived, label, 32)
	if err != nil { // only for lengths over 255×32 bytes
		panic("masterkey: " + err.Error())
	}
	return out
}

// Parse reads a key given on the command line (--master-key): the standard base64 encoding of
// 32 bytes (padded or not), or 64 hexadecimal characters. Surrounding white space is ignored.
// Error messages say what is wrong without repeating the value.
func Parse(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("masterkey: master key is empty; want base64 of 32 bytes or 64 hex characters")
	}
	if len(s) == 2*Size && isHex(s) {
		raw, err := hex.DecodeString(s)
		if err != nil { // unreachable after isHex, kept for safety
			return nil, fmt.Errorf("masterkey: master key is not valid hex: %w", err)
		}
		return New(raw)
	}
	raw, err := decodeBase64(s)
	if (err != nil || len(raw) != Size) && isHex(s) {
		return nil, fmt.Errorf("masterkey: master key has %d hex characters, want 64", len(s))
	}
	if err != nil {
		return nil, fmt.Errorf("masterkey: master key (%d characters) is neither 64 hex characters nor valid base64", len(s))
	}
	if len(raw) != Size {
		return nil, fmt.Errorf("masterkey: master key decodes from base64 to %d bytes, want %d", len(raw), Size)
	}
	return New(raw)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// decodeBase64 accepts standard base64, padded or not; URL-safe alphabets are accepted too
// since a key pasted from another tool may use them.
func decodeBase64(s string) ([]byte, error) {
	var firstErr error
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding,
	} {
		raw, err := enc.Strict().DecodeString(s)
		if err == nil {
			return raw, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// Seal encrypts and authenticates plaintext, binding it to aad (which is authenticated but not
// stored: Open needs the same aad). Each call draws a fresh random nonce; with 96-bit random
// nonces one key should seal fewer than 2^32 values, far above Gatehouse's use.
func (k *Key) Seal(plaintext, aad []byte) ([]byte, error) {
	out := make([]byte, 1+nonceSize, Overhead+len(plaintext))
	out[0] = version1
	// crypto/rand.Read never returns an error (Go 1.24+) but the signature keeps one.
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("masterkey: reading random nonce: %w", err)
	}
	return k.aead.Seal(out, out[1:], plaintext, k.fullAAD(out[0], aad)), nil
}

// Open authenticates and decrypts a value made by Seal with the same key and aad. Any failure
// wraps ErrOpen; Open never panics on malformed input.
func (k *Key) Open(sealed, aad []byte) ([]byte, error) {
	if len(sealed) < Overhead {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrOpen, len(sealed))
	}
	if sealed[0] != version1 {
		return nil, fmt.Errorf("%w: unknown version %d", ErrOpen, sealed[0])
	}
	nonce, ct := sealed[1:1+nonceSize], sealed[1+nonceSize:]
	pt, err := k.aead.Open(nil, nonce, ct, k.fullAAD(sealed[0], aad))
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed (wrong key, wrong owner or tampered)", ErrOpen)
	}
	return pt, nil
}

// fullAAD authenticates the version byte along with the caller's data, so a value cannot be
// relabelled as another format version.
func (k *Key) fullAAD(version byte, aad []byte) []byte {
	b := make([]byte, 0, 1+len(aad))
	b = append(b, version)
	return append(b, aad...)
}

// String keeps the key out of logs and error messages.
func (k *Key) String() string { return "masterkey.Key(redacted)" }

// GoString keeps the key out of %#v output.
func (k *Key) GoString() string { return k.String() }
