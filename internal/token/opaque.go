package token

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
)

// OpaqueTokenBytes is how much randomness an opaque token carries.
const OpaqueTokenBytes = 64

// NewOpaqueToken returns a new opaque token and its hash. The token is the unpadded base64url
// encoding of 64 bytes from r (86 characters, 512 bits): it has no structure to parse, so
// clients treat it as Cognito's refresh tokens are meant to be treated, an opaque string
// (Cognito's own look like a JWE; nothing may rely on that). Only the hash is to be stored;
// the same pair serves refresh tokens and challenge Session values.
func NewOpaqueToken(r io.Reader) (token string, hash []byte, err error) {
	b := make([]byte, OpaqueTokenBytes)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", nil, fmt.Errorf("token: reading random bytes: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of an opaque token, the form in which it is stored and looked
// up. A fast hash suffices: the token has 512 bits of entropy, nothing to brute-force.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
