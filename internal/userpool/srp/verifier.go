package srp

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// SaltLen is the length of the random salt NewVerifier draws: 128 bits, what the JS client
// draws for the verifiers it makes itself (generateHashDevice: randomBytes(16)). Clients take
// SALT as a number of any length.
const SaltLen = 16

// maxSaltLen bounds a salt read back from storage.
const maxSaltLen = 64

// ErrInvalidVerifier is returned for a verifier that is not usable: no salt, or v outside
// 1 … N−1, or an encoding that does not decode.
var ErrInvalidVerifier = errors.New("srp: invalid verifier")

// Verifier is what the server stores for a user instead of the password: the salt and
// v = g^x mod N. The salt is not secret (it is sent as SALT); v is, and the caller seals it.
// A Verifier is bound to the pool name and the USER_ID_FOR_SRP it was made with.
type Verifier struct {
	Salt []byte
	V    *big.Int
}

// PoolName is the part of a user pool id that goes into x and the signature: what follows the
// "_" of "{region}_{id}" (getUserPoolName in amazon-cognito-identity-js). An id without "_" is
// returned whole.
func PoolName(poolID string) string {
	_, after, ok := strings.Cut(poolID, "_")
	if !ok {
		return poolID
	}
	name, _, _ := strings.Cut(after, "_")
	return name
}

// NewVerifier draws a SaltLen-byte salt from rand and computes the verifier of password for
// userID (the USER_ID_FOR_SRP the challenge will carry) in the pool named poolName (see
// PoolName).
func NewVerifier(rand io.Reader, poolName, userID, password string) (Verifier, error) {
	salt := make([]byte, SaltLen)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return Verifier{}, fmt.Errorf("srp: read salt: %w", err)
	}
	return verifierWithSalt(salt, poolName, userID, password), nil
}

func verifierWithSalt(salt []byte, poolName, userID, password string) Verifier {
	x := passwordX(salt, poolName, userID, password)
	return Verifier{Salt: salt, V: new(big.Int).Exp(groupG, x, groupN)}
}

func (v Verifier) valid() error {
	if len(v.Salt) == 0 || len(v.Salt) > maxSaltLen || !inGroup(v.V) {
		return ErrInvalidVerifier
	}
	return nil
}

// verifierVersion tags the binary encoding of a Verifier.
const verifierVersion = 1

// MarshalBinary encodes the verifier as version ‖ len(salt) ‖ salt ‖ v (big-endian).
func (v Verifier) MarshalBinary() ([]byte, error) {
	if err := v.valid(); err != nil {
		return nil, err
	}
	vb := v.V.Bytes()
	out := make([]byte, 0, 2+len(v.Salt)+len(vb))
	out = append(out, verifierVersion, byte(len(v.Salt)))
	out = append(out, v.Salt...)
	return append(out, vb...), nil
}

// UnmarshalBinary decodes what MarshalBinary produced, refusing anything else.
func (v *Verifier) UnmarshalBinary(data []byte) error {
	if len(data) < 2 || data[0] != verifierVersion {
		return ErrInvalidVerifier
	}
	n := int(data[1])
	if len(data) < 2+n || len(data)-2-n > nBytes {
		return ErrInvalidVerifier
	}
	dec := Verifier{
		Salt: append([]byte(nil), data[2:2+n]...),
		V:    new(big.Int).SetBytes(data[2+n:]),
	}
	if err := dec.valid(); err != nil {
		return err
	}
	*v = dec
	return nil
}
