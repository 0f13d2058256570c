package userpool

import (
	"context"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
	"github.com/gatehouse/gatehouse/internal/userpool/srp"
)

// srpExtraKey is the store.User.Extra key of the user's SRP verifier: its salt in the clear
// and the verifier sealed with the master key, bound to the pool and the user's sub so that a
// sealed verifier cannot be moved to another user.
const srpExtraKey = "SRP"

type srpRecord struct {
	Salt           []byte `json:"Salt"`
	SealedVerifier []byte `json:"SealedVerifier"`
}

func srpAAD(u store.User) []byte { return []byte("srp-verifier/" + u.PoolID + "/" + u.Sub) }

// srpVerifier returns the user's SRP salt and verifier; ok is false when the user has none
// (no password yet).
func (s *Service) srpVerifier(u store.User) (salt, verifier []byte, ok bool, err error) {
	var rec srpRecord
	if err := extraField(u.Extra, srpExtraKey, &rec); err != nil {
		return nil, nil, false, err
	}
	if len(rec.SealedVerifier) == 0 {
		return nil, nil, false, nil
	}
	v, err := s.master.Open(rec.SealedVerifier, srpAAD(u))
	if err != nil {
		return nil, nil, false, fmt.Errorf("open SRP verifier of %s/%s: %w", u.PoolID, u.UsernameKey, err)
	}
	return rec.Salt, v, true, nil
}

// setSRPVerifier stores salt and verifier in u.Extra (sealed); nil verifier removes it.
func (s *Service) setSRPVerifier(u *store.User, salt, verifier []byte) error {
	if verifier == nil {
		extra, err := withExtraField(u.Extra, srpExtraKey, nil)
		if err != nil {
			return err
		}
		u.Extra = extra
		return nil
	}
	sealed, err := s.master.Seal(verifier, srpAAD(*u))
	if err != nil {
		return err
	}
	extra, err := withExtraField(u.Extra, srpExtraKey, srpRecord{Salt: salt, SealedVerifier: sealed})
	if err != nil {
		return err
	}
	u.Extra = extra
	return nil
}

// credentials are what a password leaves in the store: its argon2id hash (USER_PASSWORD_AUTH)
// and its SRP salt and verifier (USER_SRP_AUTH), so that every way of setting a password
// enables both sign-in flows.
type credentials struct {
	hash     string
	salt     []byte
	verifier []byte
}

// newCredentials derives a password's credentials for a user. The SRP verifier is bound to
// the pool's name and the user's username, which Cognito sends as USER_ID_FOR_SRP.
func (s *Service) newCredentials(ctx context.Context, p *pool, username, password string) (credentials, error) {
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return credentials{}, err
	}
	v, err := srp.NewVerifier(s.rand, srp.PoolName(p.rec.ID), username, password)
	if err != nil {
		return credentials{}, fmt.Errorf("srp verifier: %w", err)
	}
	return credentials{hash: hash, salt: v.Salt, verifier: v.V.Bytes()}, nil
}

// setCredentials stores credentials in u.
func (s *Service) setCredentials(u *store.User, c credentials) error {
	u.PasswordHash = c.hash
	return s.setSRPVerifier(u, c.salt, c.verifier)
}
