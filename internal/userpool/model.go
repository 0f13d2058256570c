package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// loadPool loads a pool or answers ResourceNotFoundException.
func (s *Service) loadPool(ctx context.Context, id string) (*pool, error) {
	rec, err := s.store.GetUserPool(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPoolNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	return decodePool(rec)
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
// sign-in attributes"), and preferred_username always.
func (s *Service) findUser(ctx context.Context, p *pool, username string) (store.User, error) {
	u, err := s.store.GetUser(ctx, p.rec.ID, p.usernameKey(username))
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	if u, err := s.store.GetUserBySub(ctx, p.rec.ID, username); err == nil {
		return u, nil
	}
	type alias struct {
		attr     string
		verified string // attribute that must be "true", "" for none
	}
	var aliases []alias
	switch {
	case strings.Contains(username, "@"):
		if p.hasUsernameAttribute("email") {
			aliases = append(aliases, alias{"email", ""})
		} else if p.hasAliasAttribute("email") {
			aliases = append(aliases, alias{"email", "email_verified"})
		}
	case strings.HasPrefix(username, "+"):
		if p.hasUsernameAttribute("phone_number") {
			aliases = append(aliases, alias{"phone_number", ""})
		} else if p.hasAliasAttribute("phone_number") {
			aliases = append(aliases, alias{"phone_number", "phone_number_verified"})
		}
	}
	if p.hasAliasAttribute("preferred_username") {
		aliases = append(aliases, alias{"preferred_username", ""})
	}
	for _, a := range aliases {
		candidates := []string{username}
		if !p.caseSensitive() && strings.ToLower(username) != username {
			candidates = append(candidates, strings.ToLower(username))
		}
		for _, v := range candidates {
			users, err := s.store.FindUsersByAttribute(ctx, p.rec.ID, a.attr, v)
			if err != nil {
				return store.User{}, err
			}
			for _, u := range users {
				if a.verified == "" || attr(u.Attributes, a.verified) == "true" {
					return u, nil
				}
			}
		}
	}
	return store.User{}, store.ErrNotFound
}

// attr returns the value of the named attribute, "" when absent.
func attr(attrs []store.Attribute, name string) string {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// setAttr sets or adds an attribute, keeping order.
func setAttr(attrs []store.Attribute, name, value string) []store.Attribute {
	for i, a := range attrs {
		if a.Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, store.Attribute{Name: name, Value: value})
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
