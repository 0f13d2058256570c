package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
)

// One-time codes: sign-up confirmation, forgot password and attribute verification.
//
// A code is 6 decimal digits drawn uniformly from s.rand. Only a salted HMAC-SHA256 of
// (pool, user, purpose, code) is stored, so the store never holds a usable code and a code
// issued for one user or flow cannot be replayed for another. There is one live code per
// (pool, user, purpose): issuing a new one replaces the old. A code lives 24 h for sign-up
// and attribute verification and 1 h for forgot password (developer guide: "Confirmation
// codes … valid for 24 hours"; API_ForgotPassword.html: "valid for one hour"); it allows at
// most maxCodeAttempts submissions, after which it is dead and every further submission,
// right or wrong, gets LimitExceededException until a new code is requested. The correct
// code is deleted when used.
//
// A six-digit code is weak against an offline search, so the hash protects codes at rest
// only against casual reading; what protects them online is the attempt limit.

// Code purposes (store.Code.Purpose).
const (
	purposeSignUp = "signup"
	purposeForgot = "forgot"
	// purposeVerify is followed by the attribute name: "verify:email", "verify:phone_number".
	purposeVerify = "verify:"
)

const (
	signUpCodeTTL   = 24 * time.Hour
	forgotCodeTTL   = time.Hour
	verifyCodeTTL   = 24 * time.Hour
	maxCodeAttempts = 5
	codeDigits      = 6
	codeSaltLen     = 16
)

// errAttemptLimit is Cognito's answer once a code (or a password change) was tried too often
// (captured in aws-amplify/aws-sdk-android#627 and aws-amplify/amplify-js#8013).
func errAttemptLimit() *awsapi.Error {
	return awsapi.NewError("LimitExceededException", "Attempt limit exceeded, please try after some time.")
}

// newCode draws a uniform 6-digit code. Rejection sampling avoids the modulo bias of
// uint32 % 10^6.
func newCode(rnd io.Reader) (string, error) {
	const space = 1_000_000
	const limit = (1 << 32) / space * space
	var b [4]byte
	for {
		if _, err := io.ReadFull(rnd, b[:]); err != nil {
			return "", fmt.Errorf("code: %w", err)
		}
		if v := binary.BigEndian.Uint32(b[:]); v < limit {
			return fmt.Sprintf("%0*d", codeDigits, v%space), nil
		}
	}
}

// codeMAC binds a code to its pool, user and purpose. Fields are length-prefixed so that no
// two different tuples hash alike.
func codeMAC(salt []byte, poolID, usernameKey, purpose, code string) []byte {
	m := hmac.New(sha256.New, salt)
	for _, f := range []string{"gatehouse-code-v1", poolID, usernameKey, purpose, code} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		m.Write(n[:])
		m.Write([]byte(f))
	}
	return m.Sum(nil)
}

// issueCode creates (or replaces) the live code for (pool, user, purpose) and returns it in
// the clear, for the message; only its hash is stored.
func (s *Service) issueCode(ctx context.Context, poolID, usernameKey, purpose string, ttl time.Duration) (string, error) {
	code, err := newCode(s.rand)
	if err != nil {
		return "", err
	}
	salt := make([]byte, codeSaltLen)
	if _, err := io.ReadFull(s.rand, salt); err != nil {
		return "", fmt.Errorf("code salt: %w", err)
	}
	now := s.nowUTC()
	err = s.store.PutCode(ctx, store.Code{
		PoolID: poolID, UsernameKey: usernameKey, Purpose: purpose,
		Hash:      append(salt, codeMAC(salt, poolID, usernameKey, purpose, code)...),
		ExpiresAt: now.Add(ttl), CreatedAt: now,
	})
	if err != nil {
		return "", fmt.Errorf("store code: %w", err)
	}
	return code, nil
}

// consumeCode checks a submitted code and deletes it when it is right. It answers
// CodeMismatchException for a wrong code or when no code is live, ExpiredCodeException for
// an expired one and LimitExceededException once the code was tried maxCodeAttempts times.
//
// The attempt is counted before the comparison, so concurrent guesses cannot exceed the
// limit. A correct code is single-use: of two concurrent correct submissions only the one
// that deletes it succeeds (when the store reports ErrNotFound for a second delete).
func (s *Service) consumeCode(ctx context.Context, poolID, usernameKey, purpose, submitted string) error {
	c, err := s.store.GetCode(ctx, poolID, usernameKey, purpose)
	if errors.Is(err, store.ErrNotFound) {
		return errCodeMismatch()
	}
	if err != nil {
		return fmt.Errorf("load code: %w", err)
	}
	if !s.nowUTC().Before(c.ExpiresAt) {
		return errExpiredCode()
	}
	if c.Attempts >= maxCodeAttempts {
		return errAttemptLimit()
	}
	n, err := s.store.IncrementCodeAttempts(ctx, poolID, usernameKey, purpose)
	if errors.Is(err, store.ErrNotFound) {
		return errCodeMismatch()
	}
	if err != nil {
		return fmt.Errorf("count code attempt: %w", err)
	}
	if n > maxCodeAttempts {
		return errAttemptLimit()
	}
	if len(c.Hash) != codeSaltLen+sha256.Size || len(submitted) > 64 {
		return errCodeMismatch()
	}
	salt, want := c.Hash[:codeSaltLen], c.Hash[codeSaltLen:]
	if !hmac.Equal(codeMAC(salt, poolID, usernameKey, purpose, submitted), want) {
		return errCodeMismatch()
	}
	err = s.store.DeleteCode(ctx, poolID, usernameKey, purpose)
	if errors.Is(err, store.ErrNotFound) {
		return errCodeMismatch()
	}
	if err != nil {
		return fmt.Errorf("delete code: %w", err)
	}
	return nil
}

// dropCodes deletes every code of a user (the user is deleted, or a flow was completed by
// other means). Missing codes are not an error.
func (s *Service) dropCodes(ctx context.Context, poolID, usernameKey string, purposes ...string) error {
	for _, p := range purposes {
		if err := s.store.DeleteCode(ctx, poolID, usernameKey, p); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("delete code: %w", err)
		}
	}
	return nil
}

// allCodePurposes lists every purpose a user may hold a code for.
func allCodePurposes() []string {
	return []string{purposeSignUp, purposeForgot, purposeVerify + "email", purposeVerify + "phone_number", purposeOTPEmail, purposeOTPSMS}
}
