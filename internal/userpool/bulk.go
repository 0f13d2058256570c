package userpool

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Bulk access to a pool, for package userpool/userexport, which writes a pool's groups and
// users to a file and reads such files (and Cognito's user-import CSV) into a pool. That
// package owns the file formats, the batching and the writes; this file gives it the pool's
// rules, so that an imported user passes the checks AdminCreateUser makes: the username key,
// the attribute schema, contacts that must be unique, the SRP verifier sealed with the master
// key. Nothing here writes a user.

// MaxPrecedence is the largest group Precedence, 2^31-1 (API reference: CreateGroup,
// "The maximum Precedence value is 2^31-1").
const MaxPrecedence = maxPrecedence

// SRPExtraKey is the key of store.User.Extra that holds the user's sealed SRP verifier: an
// export carries the verifier in the clear instead, and an import must not set the key.
const SRPExtraKey = srpExtraKey

// BulkPool is one user pool opened for an export or an import.
type BulkPool struct {
	s *Service
	p *pool
}

// BulkPool opens the pool poolID; ResourceNotFoundException ("User pool … does not exist.")
// when there is none.
func (s *Service) BulkPool(ctx context.Context, poolID string) (*BulkPool, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, err
	}
	return &BulkPool{s: s, p: p}, nil
}

// RestorePool recreates a pool under id from an exported configuration (UserPoolType as
// Spec returns it), with new signing keys. AWS has no such call; it is what lets a pool move
// between installations with its id, so that app configuration, token issuers and SRP
// verifiers (bound to the pool's name) stay valid. A pool that exists meanwhile is opened as
// it is.
func (s *Service) RestorePool(ctx context.Context, id, name string, spec json.RawMessage) (*BulkPool, error) {
	p, err := s.restorePool(ctx, id, name, spec)
	if err != nil {
		return nil, err
	}
	return &BulkPool{s: s, p: p}, nil
}

// ID is the pool's id.
func (b *BulkPool) ID() string { return b.p.rec.ID }

// Name is the pool's name.
func (b *BulkPool) Name() string { return b.p.rec.Name }

// Spec is the pool's configuration as stored: a UserPoolType document, defaults filled in.
func (b *BulkPool) Spec() json.RawMessage { return b.p.rec.Spec }

// UsernameKey is the key the pool stores a username under (folded unless the pool is case
// sensitive).
func (b *BulkPool) UsernameKey(username string) string { return b.p.usernameKey(username) }

// NewSub returns a fresh sub (a version 4 UUID from the service's randomness).
func (b *BulkPool) NewSub() (string, error) { return b.s.newSub() }

// CheckAttributes checks a new user's attributes as AdminCreateUser does: each against the
// pool's schema, then the schema's required ones present. The errors are Cognito's.
func (b *BulkPool) CheckAttributes(in []AttributeType) ([]store.Attribute, error) {
	attrs, err := b.p.checkAttributes(in, nil, true)
	if err != nil {
		return nil, err
	}
	if problems := b.p.missingRequired(attrs); len(problems) > 0 {
		return nil, errSchema(problems)
	}
	return attrs, nil
}

// SRPVerifier returns u's SRP salt and verifier in the clear; ok is false when u has none.
// It fails when the master key is not the one that sealed the verifier.
func (b *BulkPool) SRPVerifier(u store.User) (salt, verifier []byte, ok bool, err error) {
	return b.s.srpVerifier(u)
}

// SetSRPVerifier seals salt and verifier into u.Extra, bound to u's pool and sub.
func (b *BulkPool) SetSRPVerifier(u *store.User, salt, verifier []byte) error {
	return b.s.setSRPVerifier(u, salt, verifier)
}

// PortableExtra is a user's Extra document without its sealed SRP verifier, which only this
// installation's master key opens.
func PortableExtra(extra json.RawMessage) (json.RawMessage, error) {
	return withExtraField(extra, srpExtraKey, nil)
}

// HasUniqueContacts reports whether an email or phone number may belong to one user only in
// the pool (it signs in with them, as UsernameAttributes or AliasAttributes).
func (b *BulkPool) HasUniqueContacts() bool {
	p := b.p
	return len(p.spec.UsernameAttributes) > 0 || p.hasAliasAttribute("email") || p.hasAliasAttribute("phone_number")
}

// ContactSet holds the unique contacts of users checked but not written yet (an import's
// batch): "attribute\x00value" to the UsernameKey that has it.
type ContactSet map[string]string

// Has reports whether a user of the set has attribute name with value v.
func (c ContactSet) Has(name, v string) bool {
	_, ok := c[name+"\x00"+v]
	return ok
}

// CheckContacts refuses, as AdminCreateUser does, an email or phone number of u that must be
// unique in the pool and that another user has, in the pool or in pending
// (AliasExistsException "An account with the given email already exists."). u's unique
// contacts are added to pending.
func (b *BulkPool) CheckContacts(ctx context.Context, u store.User, pending ContactSet) error {
	p := b.p
	for _, name := range []string{"email", "phone_number"} {
		v := attr(u.Attributes, name)
		if v == "" {
			continue
		}
		if !p.hasUsernameAttribute(name) && !(p.hasAliasAttribute(name) && attr(u.Attributes, name+"_verified") == "true") {
			continue
		}
		k := name + "\x00" + v
		if other, ok := pending[k]; ok && other != u.UsernameKey {
			return errAliasExists(name)
		}
		pending[k] = u.UsernameKey
	}
	if err := b.s.uniqueContact(ctx, p, u.UsernameKey, u.Attributes); err != nil {
		return err
	}
	return b.s.checkAliases(ctx, p, u.UsernameKey, u.Attributes, false)
}

// CSVHeader is the pool's user-import CSV header, as GetCSVHeader answers it.
func (b *BulkPool) CSVHeader() []string { return b.p.csvHeader() }

// SignInName checks a new username against the pool's sign-in attributes as SignUp does.
// In pools with UsernameAttributes it returns the attribute (email or phone_number) the
// username is a value of.
func (b *BulkPool) SignInName(username string) (impliedAttr string, err error) {
	return b.p.signInName(username)
}

// UserExists reports whether a user signs in with username: by username, sub, or an email,
// phone number or preferred_username the pool accepts for sign-in.
func (b *BulkPool) UserExists(ctx context.Context, username string) (bool, error) {
	_, err := b.s.findUser(ctx, b.p, username)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrNotFound):
		return false, nil
	}
	return false, err
}

// NewUser builds a user without a password, as SignUp and AdminCreateUser build one: a fresh
// sub, first among the attributes; with impliedAttr (see SignInName) the username becomes the
// sub and impliedAttr takes the name as its value.
func (b *BulkPool) NewUser(ctx context.Context, username, impliedAttr string, attrs []store.Attribute, status string) (store.User, error) {
	return b.s.newUser(ctx, b.p, username, impliedAttr, attrs, status, "")
}

// SetSMSMFA turns on SMS MFA for u, to its phone_number, as AdminGetUser then shows it.
func SetSMSMFA(u *store.User) error {
	m := userMFA{
		MFAOptions:          []MFAOptionType{{DeliveryMedium: "SMS", AttributeName: "phone_number"}},
		PreferredMfaSetting: "SMS_MFA", UserMFASettingList: []string{"SMS_MFA"},
	}
	for _, kv := range []struct {
		key string
		v   any
	}{{"MFAOptions", m.MFAOptions}, {"PreferredMfaSetting", m.PreferredMfaSetting}, {"UserMFASettingList", m.UserMFASettingList}} {
		extra, err := withExtraField(u.Extra, kv.key, kv.v)
		if err != nil {
			return err
		}
		u.Extra = extra
	}
	return nil
}
