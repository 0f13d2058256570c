package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
)

// pool is a loaded user pool: its record and its decoded configuration. Spec never carries
// Id, Name, dates or EstimatedNumberOfUsers; those come from the record.
type pool struct {
	rec  store.UserPool
	spec UserPoolType
}

func decodePool(rec store.UserPool) (*pool, error) {
	p := &pool{rec: rec}
	if len(rec.Spec) > 0 {
		if err := json.Unmarshal(rec.Spec, &p.spec); err != nil {
			return nil, fmt.Errorf("decode pool %s spec: %w", rec.ID, err)
		}
	}
	return p, nil
}

func encodePoolSpec(spec UserPoolType) (json.RawMessage, error) {
	spec.Id, spec.Name, spec.CreationDate, spec.LastModifiedDate, spec.EstimatedNumberOfUsers, spec.Arn = "", "", nil, nil, nil, ""
	return json.Marshal(spec)
}

// loadPool loads a pool or answers ResourceNotFoundException. A pool stored before the
// store enforced uniqueness gets its rule declared first (see DeclareUniqueness).
func (s *Service) loadPool(ctx context.Context, id string) (*pool, error) {
	rec, err := s.store.GetUserPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	p, err := decodePool(rec)
	if err != nil {
		return nil, err
	}
	if !sameUniqueness(rec.Uniqueness, p.uniqueness()) {
		if err := s.declareUniqueness(ctx, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sameUniqueness reports whether the stored rule is the one the pool's settings make. It
// differs for a pool stored before the store enforced uniqueness (nil), and would for every
// pool if a later Gatehouse changed what uniqueness derives: either way the rule is declared
// again, and the store rebuilds the claims.
func sameUniqueness(stored, want *store.Uniqueness) bool {
	return stored != nil && reflect.DeepEqual(*stored, *want)
}

// DeclareUniqueness gives every pool stored before the store enforced uniqueness (migration
// 0008), or with a rule other than its settings make (sameUniqueness), its rule, so that the values Cognito keeps unique are unique from now on. A value
// that two users already share stays with the older user (by creation time); each such
// duplicate is logged as a warning naming both users, whose attributes are left as they
// were: the other user keeps signing in by username (or sub) and can be given a value of
// their own with AdminUpdateUserAttributes. `serve` calls this before it listens; a pool
// it misses is declared when first loaded.
func (s *Service) DeclareUniqueness(ctx context.Context) error {
	after := ""
	for {
		recs, err := s.store.ListUserPools(ctx, store.Page{After: after, Limit: 100})
		if err != nil {
			return fmt.Errorf("list user pools: %w", err)
		}
		for _, rec := range recs {
			p, err := decodePool(rec)
			if err != nil {
				return err
			}
			if sameUniqueness(rec.Uniqueness, p.uniqueness()) {
				continue
			}
			if err := s.declareUniqueness(ctx, p); err != nil {
				return err
			}
		}
		if len(recs) < 100 {
			return nil
		}
		after = recs[len(recs)-1].ID
	}
}

func (s *Service) declareUniqueness(ctx context.Context, p *pool) error {
	rule := p.uniqueness()
	dups, err := s.store.DeclareUniqueness(ctx, p.rec.ID, *rule)
	if errors.Is(err, store.ErrNotFound) {
		return errPoolNotFound(p.rec.ID)
	}
	if err != nil {
		return fmt.Errorf("declare uniqueness of pool %s: %w", p.rec.ID, err)
	}
	for _, d := range dups {
		// The value itself (an email address, a phone number) is not logged: the two
		// usernames find it.
		s.log.Warn("userpool: two users share a value that must be unique; the older keeps it",
			"pool", p.rec.ID, "attribute", d.Attribute, "kept_by", d.Holder, "not_claimed_by", d.Other)
	}
	p.rec.Uniqueness = rule
	return nil
}

// caseSensitive reports whether usernames are case-sensitive. Pools created through the API
// without UsernameConfiguration are case-sensitive (API reference: UsernameConfigurationType).
func (p *pool) caseSensitive() bool {
	if p.spec.UsernameConfiguration == nil || p.spec.UsernameConfiguration.CaseSensitive == nil {
		return true
	}
	return *p.spec.UsernameConfiguration.CaseSensitive
}

// usernameKey is the form a username is stored and looked up by.
func (p *pool) usernameKey(username string) string {
	if p.caseSensitive() {
		return username
	}
	return strings.ToLower(username)
}

func (p *pool) hasUsernameAttribute(name string) bool {
	for _, a := range p.spec.UsernameAttributes {
		if a == name {
			return true
		}
	}
	return false
}

func (p *pool) hasAliasAttribute(name string) bool {
	for _, a := range p.spec.AliasAttributes {
		if a == name {
			return true
		}
	}
	return false
}

func (p *pool) arn(region, account string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", region, account, p.rec.ID)
}

// client is a loaded app client. secret is the decrypted client secret ("" for public clients).
type client struct {
	rec    store.Client
	spec   UserPoolClientType
	secret string
}

// clientDoc is how a client's configuration is stored: the AWS shape without the secret, and
// the secret sealed with the master key (bound to the client id).
type clientDoc struct {
	Spec         UserPoolClientType `json:"Spec"`
	SealedSecret []byte             `json:"SealedSecret,omitempty"`
}

func (s *Service) decodeClient(rec store.Client) (*client, error) {
	var doc clientDoc
	if len(rec.Spec) > 0 {
		if err := json.Unmarshal(rec.Spec, &doc); err != nil {
			return nil, fmt.Errorf("decode client %s: %w", rec.ID, err)
		}
	}
	c := &client{rec: rec, spec: doc.Spec}
	if len(doc.SealedSecret) > 0 {
		plain, err := s.master.Open(doc.SealedSecret, []byte("client-secret/"+rec.ID))
		if err != nil {
			return nil, fmt.Errorf("open client %s secret: %w", rec.ID, err)
		}
		c.secret = string(plain)
	}
	return c, nil
}

func (s *Service) encodeClient(id string, spec UserPoolClientType, secret string) (json.RawMessage, error) {
	spec.ClientSecret, spec.ClientId, spec.UserPoolId, spec.ClientName = "", "", "", ""
	spec.CreationDate, spec.LastModifiedDate = nil, nil
	doc := clientDoc{Spec: spec}
	if secret != "" {
		sealed, err := s.master.Seal([]byte(secret), []byte("client-secret/"+id))
		if err != nil {
			return nil, err
		}
		doc.SealedSecret = sealed
	}
	return json.Marshal(doc)
}

// loadClient loads a client by its id alone (InitiateAuth, SignUp, … carry only ClientId).
func (s *Service) loadClient(ctx context.Context, clientID string) (*client, *pool, error) {
	rec, err := s.store.GetClientByID(ctx, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, errClientNotFound(clientID)
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := s.decodeClient(rec)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.loadPool(ctx, rec.PoolID)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

// loadPoolClient loads a client that must belong to poolID (the Admin* calls).
func (s *Service) loadPoolClient(ctx context.Context, p *pool, clientID string) (*client, error) {
	rec, err := s.store.GetClient(ctx, p.rec.ID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errClientNotFound(clientID)
	}
	if err != nil {
		return nil, err
	}
	return s.decodeClient(rec)
}

// findUser resolves what a caller typed as a username: the username itself (or the sub, which
// is the username in pools whose UsernameAttributes are email/phone), or an email, phone
// number or preferred_username that the pool accepts as a sign-in name. It returns
// store.ErrNotFound when no user matches.
//
// With UsernameAttributes any user's email/phone signs in; with AliasAttributes only a
// verified email/phone does (developer guide: user-pool-settings-attributes, "Customizing
// sign-in attributes"), and preferred_username always. These are exactly the values the
// pool's uniqueness rule makes users claim (uniqueness), so the lookup goes through the
// claims: one user at most, compared as the rule compares (case-insensitively in pools
// whose usernames are).
func (s *Service) findUser(ctx context.Context, p *pool, username string) (store.User, error) {
	u, err := s.store.GetUser(ctx, p.rec.ID, p.usernameKey(username))
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	if u, err := s.store.GetUserBySub(ctx, p.rec.ID, username); err == nil {
		return u, nil
	}
	var names []string
	switch {
	case strings.Contains(username, "@"):
		names = append(names, "email")
	case strings.HasPrefix(username, "+"):
		names = append(names, "phone_number")
	}
	names = append(names, "preferred_username")
	rule := p.uniqueness()
	for _, name := range names {
		key, ok := rule.Key(name, username)
		if !ok {
			continue
		}
		u, err := s.store.GetUserByClaim(ctx, p.rec.ID, name, key)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return u, err
		}
	}
	return store.User{}, store.ErrNotFound
}

// uniqueness is the pool's rule for the attribute values at most one user may hold
// (developer guide: user-pool-settings-attributes, "Customizing sign-in attributes"):
//   - an email or phone number that UsernameAttributes makes a sign-in name, in any state:
//     SignUp refuses a second one with UsernameExistsException;
//   - an email or phone number alias (AliasAttributes) only while verified: "the value can be
//     in a verified state in only one account"; an unverified one may be shared, and
//     confirming or verifying it answers AliasExistsException (API reference:
//     AliasExistsException, ConfirmSignUp's ForceAliasCreation);
//   - a preferred_username alias, which signs in without verification, always.
//
// Emails and preferred usernames compare case-insensitively where usernames do
// (UsernameConfiguration.CaseSensitive false: "users can sign in as the same user when they
// enter a different capitalization"). Sub and the username are unique through the store's
// keys. The settings this depends on cannot change after the pool is created.
func (p *pool) uniqueness() *store.Uniqueness {
	fold := !p.caseSensitive()
	var u store.Uniqueness
	for _, name := range []string{"email", "phone_number", "preferred_username"} {
		ua := store.UniqueAttribute{Name: name, FoldCase: fold && name != "phone_number"}
		switch {
		case p.hasUsernameAttribute(name):
		case p.hasAliasAttribute(name):
			if name != "preferred_username" {
				ua.VerifiedBy = name + "_verified"
			}
		default:
			continue
		}
		u.Attributes = append(u.Attributes, ua)
	}
	if u.Attributes == nil {
		u.Attributes = []store.UniqueAttribute{}
	}
	return &u
}

// isTrue reads a Boolean attribute (email_verified, phone_number_verified) as Cognito does:
// "true" in any case.
func isTrue(v string) bool { return strings.EqualFold(v, "true") }

// verified reports whether the user's email or phone_number (attrName) is verified.
func verified(attrs []store.Attribute, attrName string) bool {
	return isTrue(attr(attrs, attrName+"_verified"))
}

// attr returns the value of the named attribute, "" when absent.
func attr(attrs []store.Attribute, name string) string { return store.AttributeValue(attrs, name) }

// setAttr sets or adds an attribute, keeping order.
func setAttr(attrs []store.Attribute, name, value string) []store.Attribute {
	return store.SetAttribute(attrs, name, value)
}

// delAttr removes an attribute.
func delAttr(attrs []store.Attribute, name string) []store.Attribute {
	out := attrs[:0]
	for _, a := range attrs {
		if a.Name != name {
			out = append(out, a)
		}
	}
	return out
}
