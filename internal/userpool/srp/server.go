package srp

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/big"
)

var (
	// ErrInvalidA is returned by Challenge for an SRP_A that is not hex, is too long, or is not
	// a group element (A mod N = 0, or A ≥ N, which no client sends).
	ErrInvalidA = errors.New("srp: invalid SRP_A")
	// ErrInvalidSignature is returned by Verify for a PASSWORD_CLAIM_SIGNATURE that is not
	// standard base64 of 32 bytes.
	ErrInvalidSignature = errors.New("srp: malformed PASSWORD_CLAIM_SIGNATURE")
	// ErrInvalidSession is returned for a Session that was not made by Challenge or
	// FakeChallenge, or an encoding that does not decode to one.
	ErrInvalidSession = errors.New("srp: invalid session")
)

// bLen is the length in bytes of the server's secret ephemeral b: 256 bits, the minimum of
// RFC 5054 §2.5.3; it is the exponent of both of the server's costly exponentiations.
const bLen = 32

// maxTries bounds the redraws of b when B or u come out zero (probability about 2^-256).
const maxTries = 4

// ChallengeOut is what the PASSWORD_VERIFIER challenge parameters carry from this step: SALT and
// SRP_B, both lowercase hex as the client's padHex prints them. The caller adds SECRET_BLOCK,
// USER_ID_FOR_SRP and USERNAME.
type ChallengeOut struct {
	SaltHex string
	SRPBHex string
}

// Session is the server's state between the challenge and the answer: A, B, b and v. It holds
// the secret b; the caller seals its MarshalBinary form and must use it at most once.
type Session struct {
	a, bigB, b, v *big.Int
	// fake marks a simulated challenge for an unknown user: Verify does the same work and
	// then always reports false.
	fake bool
}

// Challenge is the server's first step of USER_SRP_AUTH: it checks the client's SRP_A, draws b
// from rand and returns the session to keep and the SALT and SRP_B to send.
func Challenge(rand io.Reader, v Verifier, srpAHex string) (*Session, ChallengeOut, error) {
	if err := v.valid(); err != nil {
		return nil, ChallengeOut{}, err
	}
	return challenge(rand, v, srpAHex, false)
}

func challenge(rand io.Reader, v Verifier, srpAHex string, fake bool) (*Session, ChallengeOut, error) {
	a, ok := parseHexInt(srpAHex)
	if !ok || !inGroup(a) {
		// RFC 5054 §2.5.4: abort if A % N == 0; A ≥ N is refused as well.
		return nil, ChallengeOut{}, ErrInvalidA
	}
	kv := new(big.Int).Mul(groupK, v.V)
	for range maxTries {
		var buf [bLen]byte
		if _, err := io.ReadFull(rand, buf[:]); err != nil {
			return nil, ChallengeOut{}, fmt.Errorf("srp: read b: %w", err)
		}
		b := new(big.Int).SetBytes(buf[:])
		if b.Sign() == 0 {
			continue
		}
		bigB := new(big.Int).Exp(groupG, b, groupN)
		bigB.Add(bigB, kv).Mod(bigB, groupN)
		if bigB.Sign() == 0 || hashInts(a, bigB).Sign() == 0 {
			continue
		}
		s := &Session{a: a, bigB: bigB, b: b, v: new(big.Int).Set(v.V), fake: fake}
		out := ChallengeOut{
			SaltHex: padHex(new(big.Int).SetBytes(v.Salt)),
			SRPBHex: padHex(bigB),
		}
		return s, out, nil
	}
	return nil, ChallengeOut{}, errors.New("srp: could not draw a usable b")
}

// FakeChallenge answers USER_SRP_AUTH for a user that does not exist when the client prevents
// user existence errors: a salt and a verifier derived from HMAC-SHA256 keyed with secret over
// poolID and username, so the same username always gets the same SALT, and a fresh B that is
// distributed like a real one. It costs what Challenge costs. Verify on its session always
// reports false. secret is a server key of at least 16 bytes that never changes (a change
// changes every fake salt); the caller normalizes username as the pool compares usernames.
func FakeChallenge(rand io.Reader, secret []byte, poolID, username, srpAHex string) (*Session, ChallengeOut, error) {
	if len(secret) < 16 {
		return nil, ChallengeOut{}, errors.New("srp: fake challenge secret shorter than 16 bytes")
	}
	v, err := fakeVerifier(secret, poolID, username)
	if err != nil {
		return nil, ChallengeOut{}, err
	}
	return challenge(rand, v, srpAHex, true)
}

// fakeVerifier derives the simulated salt and verifier of an unknown user. The verifier is a
// pseudo-random element of the group rather than g^x: B hides it either way, and this skips an
// exponentiation the real path does not make (the real path loads v instead).
func fakeVerifier(secret []byte, poolID, username string) (Verifier, error) {
	info := func(label string) string {
		b := []byte(label)
		b = binary.BigEndian.AppendUint32(b, uint32(len(poolID)))
		b = append(b, poolID...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(username)))
		b = append(b, username...)
		return string(b)
	}
	salt, err := hkdf.Key(sha256.New, secret, nil, info("gatehouse srp fake salt\x00"), SaltLen)
	if err != nil {
		return Verifier{}, fmt.Errorf("srp: derive fake salt: %w", err)
	}
	// 64 bits beyond N make the reduction's bias negligible.
	vb, err := hkdf.Key(sha256.New, secret, nil, info("gatehouse srp fake verifier\x00"), nBytes+8)
	if err != nil {
		return Verifier{}, fmt.Errorf("srp: derive fake verifier: %w", err)
	}
	v := new(big.Int).SetBytes(vb)
	v.Mod(v, groupN)
	if v.Sign() == 0 {
		v.SetInt64(1)
	}
	return Verifier{Salt: salt, V: v}, nil
}

// valid reports whether s holds a usable state; a nil or zero Session does not.
func (s *Session) valid() bool {
	return s != nil && inGroup(s.a) && inGroup(s.bigB) && inGroup(s.v) &&
		s.b != nil && s.b.Sign() > 0 && s.b.BitLen() <= 8*bLen
}

// Verify is the server's second step: it checks PASSWORD_CLAIM_SIGNATURE against the key of
// this session. poolName (see PoolName) and userID (USER_ID_FOR_SRP) are those the challenge
// was made for, secretBlock is the base64-decoded PASSWORD_CLAIM_SECRET_BLOCK and timestamp
// the TIMESTAMP as sent.
//
// A malformed timestamp is ErrInvalidTimestamp (Cognito: InvalidParameterException); a
// signature that is not base64 of 32 bytes is ErrInvalidSignature. Otherwise Verify reports
// whether the signature matches, computed over the canonical form of the timestamp
// (FormatTimestamp of its parsed value), as Cognito does; the comparison is constant-time.
func (s *Session) Verify(poolName, userID string, secretBlock []byte, timestamp, signatureB64 string) (bool, error) {
	if !s.valid() {
		return false, ErrInvalidSession
	}
	ts, err := ParseTimestamp(timestamp)
	if err != nil {
		return false, err
	}
	if len(signatureB64) != base64.StdEncoding.EncodedLen(sha256.Size) {
		return false, ErrInvalidSignature
	}
	sig, err := base64.StdEncoding.Strict().DecodeString(signatureB64)
	if err != nil || len(sig) != sha256.Size {
		return false, ErrInvalidSignature
	}
	key, err := s.key()
	if err != nil {
		return false, err
	}
	want := claimSignature(key, poolName, userID, secretBlock, FormatTimestamp(ts))
	ok := hmac.Equal(sig, want)
	return ok && !s.fake, nil
}

// key is the session key HKDF-SHA256(pad(S), salt pad(u), "Caldera Derived Key")[:16] with
// S = (A · v^u)^b mod N.
func (s *Session) key() ([]byte, error) {
	u := hashInts(s.a, s.bigB)
	sv := new(big.Int).Exp(s.v, u, groupN)
	sv.Mul(sv, s.a).Mod(sv, groupN)
	sv.Exp(sv, s.b, groupN)
	return sessionKey(sv, u)
}

func sessionKey(secretS, u *big.Int) ([]byte, error) {
	k, err := hkdf.Key(sha256.New, pad(secretS), pad(u), "Caldera Derived Key", 16)
	if err != nil {
		return nil, fmt.Errorf("srp: derive session key: %w", err)
	}
	return k, nil
}

// claimSignature is HMAC-SHA256(key, poolName ‖ userID ‖ secretBlock ‖ timestamp).
func claimSignature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// sessionVersion tags the binary encoding of a Session.
const sessionVersion = 1

// MarshalBinary encodes the session (it contains the secret b: seal it) as
// version ‖ flags ‖ A ‖ B ‖ b ‖ v, each number as a 2-byte length and its big-endian bytes.
func (s *Session) MarshalBinary() ([]byte, error) {
	if !s.valid() {
		return nil, ErrInvalidSession
	}
	var flags byte
	if s.fake {
		flags = 1
	}
	out := []byte{sessionVersion, flags}
	for _, x := range []*big.Int{s.a, s.bigB, s.b, s.v} {
		xb := x.Bytes()
		out = binary.BigEndian.AppendUint16(out, uint16(len(xb)))
		out = append(out, xb...)
	}
	return out, nil
}

// UnmarshalBinary decodes what MarshalBinary produced, refusing anything else.
func (s *Session) UnmarshalBinary(data []byte) error {
	if len(data) < 2 || data[0] != sessionVersion || data[1] > 1 {
		return ErrInvalidSession
	}
	dec := Session{fake: data[1] == 1}
	rest := data[2:]
	for _, dst := range []**big.Int{&dec.a, &dec.bigB, &dec.b, &dec.v} {
		if len(rest) < 2 {
			return ErrInvalidSession
		}
		n := int(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
		if n > nBytes || len(rest) < n {
			return ErrInvalidSession
		}
		*dst = new(big.Int).SetBytes(rest[:n])
		rest = rest[n:]
	}
	if len(rest) != 0 || !dec.valid() {
		return ErrInvalidSession
	}
	*s = dec
	return nil
}
