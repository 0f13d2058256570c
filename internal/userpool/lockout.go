package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool/srp"
)

// Cognito's lockout (developer guide: authentication, "Lockout behavior for failed sign-in
// attempts"): after five failed sign-in attempts the user is locked out for one second; each
// further failure doubles the lockout (2^(n-5) s) up to about 15 minutes. Attempts while locked
// are refused with "Password attempts exceeded" and do not extend the lockout. The count
// resets after a successful sign-in, or after 15 minutes without a failure.
const (
	lockoutFreeAttempts = 5
	lockoutMax          = 15 * time.Minute
	lockoutQuietReset   = 15 * time.Minute
)

var timeZero time.Time

func lockoutFor(failures int) time.Duration {
	if failures < lockoutFreeAttempts {
		return 0
	}
	shift := failures - lockoutFreeAttempts
	if shift >= 10 { // 2^10 s > 15 min
		return lockoutMax
	}
	d := time.Duration(1<<shift) * time.Second
	if d > lockoutMax {
		d = lockoutMax
	}
	return d
}

func errAttemptsExceeded() *awsapi.Error {
	return awsapi.NotAuthorized("Password attempts exceeded")
}

// verifyUserPassword finds the user and checks the password, applying lockout. An unknown user
// costs one password hash like a known one, and answers as the client's
// PreventUserExistenceErrors setting says (developer guide: cognito-user-pool-managing-errors).
// A disabled user is refused only after the password checked out, so that "User is disabled."
// tells nothing to someone who does not know the password.
func (s *Service) verifyUserPassword(ctx context.Context, p *pool, c *client, username, password string) (store.User, error) {
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, store.ErrNotFound) {
		if _, err := s.verifyPassword(ctx, s.dummyHash, password); err != nil {
			return store.User{}, err
		}
		if c.preventUserExistenceErrors() {
			return store.User{}, errIncorrectCredentials()
		}
		return store.User{}, errUserNotFound()
	}
	if err != nil {
		return store.User{}, err
	}
	now := s.nowUTC()
	if now.Before(u.LockedUntil) {
		return store.User{}, errAttemptsExceeded()
	}
	if u.PasswordHash == "" && u.Status == "RESET_REQUIRED" {
		// Imported without a password (Cognito's CSV import): the only way in is a reset,
		// which is what Cognito answers such users.
		return store.User{}, errPasswordResetRequired()
	}
	ok := false
	if u.PasswordHash != "" {
		ok, err = s.verifyPassword(ctx, u.PasswordHash, password)
		if err != nil {
			s.log.Error("stored password hash unreadable", "pool", p.rec.ID, "err", err)
			ok = false
		}
	} else if _, err := s.verifyPassword(ctx, s.dummyHash, password); err != nil {
		return store.User{}, err
	}
	if !ok {
		if err := s.recordFailure(ctx, p, u.UsernameKey, now); err != nil {
			return store.User{}, err
		}
		return store.User{}, errIncorrectCredentials()
	}
	if err := s.admit(ctx, p, &u); err != nil {
		return store.User{}, err
	}
	if err := s.backfillSRPVerifier(ctx, p, &u, password); err != nil {
		return store.User{}, err
	}
	return u, nil
}

// backfillSRPVerifier gives a user who has a password but no SRP verifier one, from the
// password just proven. Users imported into a pool with another name (SRP verifiers are bound
// to the pool's name) thereby regain USER_SRP_AUTH at their first password sign-in.
func (s *Service) backfillSRPVerifier(ctx context.Context, p *pool, u *store.User, password string) error {
	if _, _, ok, err := s.srpVerifier(*u); err != nil || ok {
		return err
	}
	v, err := srp.NewVerifier(s.rand, srp.PoolName(p.rec.ID), u.Username, password)
	if err != nil {
		return err
	}
	salt, verifier := v.Salt, v.V.Bytes()
	err = s.store.UpdateUser(ctx, p.rec.ID, u.UsernameKey, func(old store.User) (store.User, error) {
		if old.PasswordHash != u.PasswordHash {
			return old, nil // the password changed meanwhile; its own verifier came with it
		}
		if err := s.setSRPVerifier(&old, salt, verifier); err != nil {
			return old, err
		}
		*u = old
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// admit completes a sign-in whose secret was right: a disabled user is refused (checked only
// after the secret, on every sign-in path alike) and the lockout count is reset.
func (s *Service) admit(ctx context.Context, p *pool, u *store.User) error {
	if !u.Enabled {
		return errUserDisabled()
	}
	return s.clearFailures(ctx, p, u)
}

// clearFailures resets the lockout count after a successful sign-in.
func (s *Service) clearFailures(ctx context.Context, p *pool, u *store.User) error {
	if u.FailedAttempts == 0 && u.LockedUntil.IsZero() {
		return nil
	}
	err := s.store.UpdateUser(ctx, p.rec.ID, u.UsernameKey, func(old store.User) (store.User, error) {
		old.FailedAttempts, old.LastFailureAt, old.LockedUntil = 0, timeZero, timeZero
		return old, nil
	})
	if err != nil {
		return err
	}
	u.FailedAttempts, u.LockedUntil = 0, timeZero
	return nil
}

// recordFailure counts a failed attempt and locks the user when the count calls for it.
func (s *Service) recordFailure(ctx context.Context, p *pool, usernameKey string, now time.Time) error {
	err := s.store.UpdateUser(ctx, p.rec.ID, usernameKey, func(old store.User) (store.User, error) {
		if now.Before(old.LockedUntil) {
			return old, nil // a concurrent failure already locked it; don't extend
		}
		if !old.LastFailureAt.IsZero() && now.Sub(old.LastFailureAt) >= lockoutQuietReset {
			old.FailedAttempts = 0
		}
		old.FailedAttempts++
		old.LastFailureAt = now
		if d := lockoutFor(old.FailedAttempts); d > 0 {
			old.LockedUntil = now.Add(d)
		}
		return old, nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile
	}
	return err
}
