package userpool

import (
	"cmp"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// argon2id parameters: OWASP's Password Storage Cheat Sheet minimum (m=19 MiB, t=2, p=1),
// which DESIGN.md sets as the floor.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// hashPassword returns a PHC-format argon2id hash
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), the format other systems import.
func hashPassword(rnd io.Reader, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("unrecognised password hash")

// verifyPassword checks password against a PHC argon2id hash in constant time. Parameters
// come from the hash, so imported hashes with other costs verify too (within bounds that stop
// a hostile import from exhausting memory).
func verifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, errBadHash
	}
	if m < 1024 || m > 1024*1024 || t < 1 || t > 16 || p < 1 || p > 16 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// argonSlots bounds concurrent argon2id work to the number of cores. Each hash allocates
// 19 MiB and keeps a core busy for ~25 ms: running more at once than there are cores adds no
// throughput, multiplies memory (a burst of 200 sign-ins would want 3.7 GiB) and makes the
// runtime return and re-fault that memory, which measurably lowers sign-ins per second
// (docs/benchmarks.md). Waiters give up when their request is cancelled.
type argonSlots chan struct{}

func (a argonSlots) acquire(ctx context.Context) error {
	select {
	case a <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a argonSlots) release() { <-a }

// hashPassword hashes within the service's argon2id slots.
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	if err := s.argon.acquire(ctx); err != nil {
		return "", err
	}
	defer s.argon.release()
	return hashPassword(s.rand, password)
}

// verifyPassword verifies within the service's argon2id slots.
func (s *Service) verifyPassword(ctx context.Context, hash, password string) (bool, error) {
	if err := s.argon.acquire(ctx); err != nil {
		return false, err
	}
	defer s.argon.release()
	return verifyPassword(hash, password)
}

// passwordPolicy returns the pool's policy with AWS's defaults filled in: minimum length 8,
// all four character classes, temporary passwords valid 7 days (API reference:
// PasswordPolicyType).
func (p *pool) passwordPolicy() PasswordPolicyType {
	t := true
	pol := PasswordPolicyType{MinimumLength: ptr(int64(8)), RequireUppercase: &t, RequireLowercase: &t,
		RequireNumbers: &t, RequireSymbols: &t, TemporaryPasswordValidityDays: ptr(int64(7))}
	if p.spec.Policies != nil && p.spec.Policies.PasswordPolicy != nil {
		got := p.spec.Policies.PasswordPolicy
		// A member the pool's policy leaves out (nil) keeps the default, except that the
		// character classes are then not required. cmp.Or takes the first non-nil pointer.
		f := false
		pol.MinimumLength = cmp.Or(got.MinimumLength, pol.MinimumLength)
		pol.RequireUppercase = cmp.Or(got.RequireUppercase, &f)
		pol.RequireLowercase = cmp.Or(got.RequireLowercase, &f)
		pol.RequireNumbers = cmp.Or(got.RequireNumbers, &f)
		pol.RequireSymbols = cmp.Or(got.RequireSymbols, &f)
		pol.TemporaryPasswordValidityDays = cmp.Or(got.TemporaryPasswordValidityDays, pol.TemporaryPasswordValidityDays)
		pol.PasswordHistorySize = got.PasswordHistorySize
	}
	return pol
}

// passwordSymbols are the special characters Cognito counts as symbols (developer guide:
// user-pool-settings-policies, "Password requirements").
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// checkPassword applies the pool's password policy with Cognito's InvalidPasswordException
// messages ("Password did not conform with policy: …").
func (p *pool) checkPassword(password string) *awsapi.Error {
	pol := p.passwordPolicy()
	fail := func(why string) *awsapi.Error {
		return awsapi.NewError("InvalidPasswordException", "Password did not conform with policy: %s", why)
	}
	if int64(len([]rune(password))) < *pol.MinimumLength {
		return fail("Password not long enough")
	}
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	switch {
	case *pol.RequireLowercase && !lower:
		return fail("Password must have lowercase characters")
	case *pol.RequireUppercase && !upper:
		return fail("Password must have uppercase characters")
	case *pol.RequireNumbers && !digit:
		return fail("Password must have numeric characters")
	case *pol.RequireSymbols && !symbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
