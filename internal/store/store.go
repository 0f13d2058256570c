// Package store defines Gatehouse's persistent entities, one narrow interface per aggregate,
// and the sentinel errors every backend returns. It holds no SQL and no business rules: what a
// field means is decided by the package that owns the aggregate (userpool, token, …); the store
// only keeps it durably and enforces uniqueness.
package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors. Backends translate driver errors into these at their boundary
// (Postgres 23505 and SQLite's UNIQUE constraint → ErrAlreadyExists), so callers test with
// errors.Is and never see a driver type.
var (
	ErrNotFound      = errors.New("store: not found")
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict is returned when an optimistic update lost a race too many times.
	ErrConflict = errors.New("store: conflict")
)

// Page asks for one page of a listing ordered by the entity's key: entries whose key sorts
// after After, at most Limit of them (Limit <= 0 means no limit).
type Page struct {
	After string
	Limit int
}

// UserPool is a Cognito user pool. Spec is the pool's configuration (policies, schema,
// username attributes, messages, …) as a JSON document owned by package userpool: the store
// keeps it verbatim.
type UserPool struct {
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      json.RawMessage
	// Uniqueness declares which attribute values at most one user of the pool may hold; nil
	// for a pool stored before the store enforced it, until DeclareUniqueness sets it.
	// CreateUserPool stores it; UpdateUserPool leaves it as it was.
	Uniqueness *Uniqueness
}

// Uniqueness is a pool's rule for which attribute values are unique among its users, beside
// the UsernameKey and the Sub (always unique). The owner of the pool (package userpool)
// decides the rule; the store enforces it in the same transaction that writes a user, with a
// unique index, so that no interleaving of writers on any number of nodes can break it.
type Uniqueness struct {
	Attributes []UniqueAttribute `json:"Attributes"`
}

// UniqueAttribute makes one attribute's value unique within the pool.
type UniqueAttribute struct {
	// Name is the attribute ("email", "phone_number", "preferred_username").
	Name string `json:"Name"`
	// VerifiedBy, when set, names a flag attribute ("email_verified"): the value is claimed
	// only while the flag is "true" (compared case-insensitively, as Cognito compares
	// booleans). Empty: every non-empty value is claimed.
	VerifiedBy string `json:"VerifiedBy,omitempty"`
	// FoldCase compares values lower-cased (pools whose usernames are case-insensitive).
	FoldCase bool `json:"FoldCase,omitempty"`
}

// Claim is one unique value a user holds under a pool's Uniqueness.
type Claim struct {
	Attribute string
	Value     string // as the rule compares it (lower-cased under FoldCase)
}

// Claims lists the values attrs claim under u, in the rule's order.
func (u *Uniqueness) Claims(attrs []Attribute) []Claim {
	if u == nil {
		return nil
	}
	var out []Claim
	for _, ua := range u.Attributes {
		v := AttributeValue(attrs, ua.Name)
		if v == "" {
			continue
		}
		if ua.VerifiedBy != "" && !strings.EqualFold(AttributeValue(attrs, ua.VerifiedBy), "true") {
			continue
		}
		if ua.FoldCase {
			v = strings.ToLower(v)
		}
		out = append(out, Claim{Attribute: ua.Name, Value: v})
	}
	return out
}

// Key is the form value is looked up by under the rule for attribute name (lower-cased
// under FoldCase); ok is false when the rule makes name not unique.
func (u *Uniqueness) Key(name, value string) (key string, ok bool) {
	if u == nil {
		return "", false
	}
	for _, ua := range u.Attributes {
		if ua.Name == name {
			if ua.FoldCase {
				return strings.ToLower(value), true
			}
			return value, true
		}
	}
	return "", false
}

// ClaimConflictError says a write would give a user a unique value another user of the
// pool holds. It wraps ErrAlreadyExists.
type ClaimConflictError struct {
	Attribute string
}

func (e *ClaimConflictError) Error() string {
	return fmt.Sprintf("store: another user holds this %s: %v", e.Attribute, ErrAlreadyExists)
}

func (e *ClaimConflictError) Unwrap() error { return ErrAlreadyExists }

// UniqueDuplicate is a value two users held when DeclareUniqueness first applied a rule to
// a pool: Holder (the older user, by CreatedAt then UsernameKey) keeps it, Other does not.
type UniqueDuplicate struct {
	Attribute string
	Value     string
	Holder    string // UsernameKey
	Other     string // UsernameKey
}

// UserPools persists user pools. DeleteUserPool removes the pool and everything in it
// (clients, users, codes, tokens, keys, sessions, groups).
type UserPools interface {
	CreateUserPool(ctx context.Context, p UserPool) error
	GetUserPool(ctx context.Context, id string) (UserPool, error)
	ListUserPools(ctx context.Context, page Page) ([]UserPool, error)
	// UpdateUserPool runs fn on the current pool inside a transaction and stores its result.
	// fn may run more than once on a retry; an error from fn aborts and is returned as is.
	UpdateUserPool(ctx context.Context, id string, fn func(old UserPool) (UserPool, error)) error
	DeleteUserPool(ctx context.Context, id string) error
	// DeclareUniqueness sets the pool's Uniqueness and, when it differs from the stored one,
	// recomputes every user's claims in one transaction, older users (by CreatedAt, then
	// UsernameKey) first: a value two users hold stays with the older one and is reported as
	// a duplicate; the other user's attributes are left as they are. Concurrent user writes
	// wait for it.
	DeclareUniqueness(ctx context.Context, poolID string, u Uniqueness) ([]UniqueDuplicate, error)
}

// Client is a user-pool app client. Spec is its configuration as a JSON document owned by
// package userpool. The client secret, when any, lives in Spec encrypted with the master key.
type Client struct {
	PoolID    string
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      json.RawMessage
}

// Clients persists app clients. Client IDs are unique across all pools, so sign-in calls that
// carry only a ClientId find their client with GetClientByID.
type Clients interface {
	CreateClient(ctx context.Context, c Client) error
	GetClient(ctx context.Context, poolID, clientID string) (Client, error)
	GetClientByID(ctx context.Context, clientID string) (Client, error)
	ListClients(ctx context.Context, poolID string, page Page) ([]Client, error)
	UpdateClient(ctx context.Context, poolID, clientID string, fn func(old Client) (Client, error)) error
	DeleteClient(ctx context.Context, poolID, clientID string) error
}

// Attribute is one user attribute as Cognito names it ("email", "custom:team", "sub", …).
type Attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// User is a user-pool user.
//
// UsernameKey is the form the pool looks the username up by (lower-cased when the pool's
// usernames are case-insensitive); it is unique within the pool, as is Sub. Attributes hold
// every attribute including sub, in a stable order; the store indexes them so that
// FindUsersByAttribute and attribute filters do not scan the pool.
type User struct {
	PoolID      string
	Username    string
	UsernameKey string
	Sub         string
	Status      string // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, …
	Enabled     bool
	Attributes  []Attribute
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// PasswordHash is a PHC-format argon2id string ("" when the user has no password).
	PasswordHash string
	// PasswordExpiresAt bounds a temporary password (zero: no bound).
	PasswordExpiresAt time.Time

	// Lockout state (developer guide: "Lockout behavior for failed sign-in attempts").
	FailedAttempts int
	LastFailureAt  time.Time
	LockedUntil    time.Time

	// Extra is a JSON document for user state owned by package userpool that needs no index
	// (SRP verifier, MFA settings, …).
	Extra json.RawMessage
}

// UserFilter narrows ListUsers. Attribute is a Cognito attribute name, or one of the pseudo
// attributes "username", "cognito:user_status" and "status" (Enabled/Disabled) which the
// backend maps to the user's own fields. Prefix selects "starts with" instead of equality.
type UserFilter struct {
	Attribute string
	Value     string
	Prefix    bool
}

// Users persists users. Usernames are addressed by UsernameKey.
//
// CreateUser, UpdateUser and BulkUsers.CreateUsers enforce the pool's Uniqueness: a write
// that would give a user a value another user of the pool claims fails with a
// *ClaimConflictError (which is ErrAlreadyExists) and writes nothing. UpdateUser re-claims
// only when the claims that the old and the new attributes make differ, so that a user
// left without a claim by DeclareUniqueness (a duplicate) can still sign in and be updated
// in other ways.
type Users interface {
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, poolID, usernameKey string) (User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (User, error)
	// GetUserByClaim returns the user that holds the unique attribute's value, or
	// ErrNotFound. value is in the form the pool's rule compares (Uniqueness.Key).
	GetUserByClaim(ctx context.Context, poolID, attribute, value string) (User, error)
	// FindUsersByAttribute returns the users whose attribute name equals value exactly.
	FindUsersByAttribute(ctx context.Context, poolID, name, value string) ([]User, error)
	// ListUsers pages through a pool's users ordered by UsernameKey; Page.After is a
	// UsernameKey. A nil filter lists everyone.
	ListUsers(ctx context.Context, poolID string, filter *UserFilter, page Page) ([]User, error)
	CountUsers(ctx context.Context, poolID string) (int, error)
	UpdateUser(ctx context.Context, poolID, usernameKey string, fn func(old User) (User, error)) error
	DeleteUser(ctx context.Context, poolID, usernameKey string) error
}

// Group is a user-pool group (API reference: GroupType). Precedence is nil when the group has
// none; Description and RoleArn are "" when absent.
type Group struct {
	PoolID      string
	Name        string
	Description string
	RoleArn     string
	Precedence  *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Groups persists groups and their members. Names are unique within a pool and compared
// byte for byte; listings are ordered by name (groups) or UsernameKey (members), and
// Page.After is a group name or a UsernameKey accordingly. A membership goes with its group
// (DeleteGroup), its user (DeleteUser) and its pool (DeleteUserPool).
type Groups interface {
	// CreateGroup stores a new group: store.ErrAlreadyExists when the pool has one of that
	// name, store.ErrNotFound when the pool does not exist.
	CreateGroup(ctx context.Context, g Group) error
	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	ListGroups(ctx context.Context, poolID string, page Page) ([]Group, error)
	// UpdateGroup runs fn on the current group inside a transaction and stores its result;
	// the pool and name stay the ones given. fn may run more than once on a retry; an error
	// from fn aborts and is returned as is.
	UpdateGroup(ctx context.Context, poolID, name string, fn func(old Group) (Group, error)) error
	// DeleteGroup removes the group and its memberships.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// AddUserToGroup makes the user a member; adding a member again is not an error.
	// store.ErrNotFound when the group or the user does not exist.
	AddUserToGroup(ctx context.Context, poolID, usernameKey, group string) error
	// RemoveUserFromGroup ends a membership; store.ErrNotFound when there was none.
	RemoveUserFromGroup(ctx context.Context, poolID, usernameKey, group string) error
	// ListGroupsForUser pages through the groups the user is a member of, ordered by name
	// (none for a user that does not exist).
	ListGroupsForUser(ctx context.Context, poolID, usernameKey string, page Page) ([]Group, error)
	// ListUsersInGroup pages through the group's members ordered by UsernameKey (none for a
	// group that does not exist).
	ListUsersInGroup(ctx context.Context, poolID, group string, page Page) ([]User, error)
}

// Code is a one-time code (sign-up confirmation, forgot password, attribute verification),
// stored as a hash. Purpose names the flow, e.g. "signup", "forgot", "verify:email".
type Code struct {
	PoolID      string
	UsernameKey string
	Purpose     string
	Hash        []byte
	ExpiresAt   time.Time
	Attempts    int
	CreatedAt   time.Time
}

// Codes persists one live code per (pool, user, purpose): PutCode replaces any earlier one.
type Codes interface {
	PutCode(ctx context.Context, c Code) error
	GetCode(ctx context.Context, poolID, usernameKey, purpose string) (Code, error)
	// IncrementCodeAttempts adds one to the code's attempt count and returns the new count.
	IncrementCodeAttempts(ctx context.Context, poolID, usernameKey, purpose string) (int, error)
	DeleteCode(ctx context.Context, poolID, usernameKey, purpose string) error
}

// Message is a code or invitation Gatehouse "sent": kept in an outbox a developer can read
// with `gatehouse outbox` (and also mailed when SMTP is configured).
type Message struct {
	ID          int64
	PoolID      string
	Username    string
	Medium      string // EMAIL or SMS
	Destination string
	Subject     string
	Body        string
	CreatedAt   time.Time
}

// Outbox persists delivered messages, newest last.
type Outbox interface {
	AddMessage(ctx context.Context, m Message) (int64, error)
	// ListMessages returns messages with ID > afterID (all pools when poolID is ""), oldest
	// first, at most limit (<= 0: all).
	ListMessages(ctx context.Context, poolID string, afterID int64, limit int) ([]Message, error)
}

// SigningKey is a token-signing key of a user pool, or of another owner of the token
// package's (PoolID "cognito-identity": the identity pools' OpenID tokens). A pool's keys go
// with the pool. Private is the PKCS#8 DER key sealed with
// the master key. Use is "id" or "access": Cognito signs the two token kinds with different keys.
type SigningKey struct {
	PoolID    string
	KID       string
	Use       string
	Alg       string
	Private   []byte
	Public    []byte // PKIX DER, in the clear, for JWKS
	CreatedAt time.Time
	// RetiredAt is set when a newer key of the same use took over signing; retired keys stay
	// in the JWKS so tokens they signed still verify until they expire.
	RetiredAt time.Time
}

// SigningKeys persists signing keys.
type SigningKeys interface {
	CreateSigningKey(ctx context.Context, k SigningKey) error
	ListSigningKeys(ctx context.Context, poolID string) ([]SigningKey, error)
	RetireSigningKey(ctx context.Context, poolID, kid string, at time.Time) error
}

// RefreshToken is an issued refresh token, stored by the hash of its opaque value. OriginJTI
// is the origin_jti shared by every ID and access token minted from this sign-in, so revoking
// the refresh token revokes them too. A token rotated in by RotateRefreshToken keeps the
// OriginJTI of the one it replaced: the tokens of one sign-in form a family, which
// revocation and sign-out treat as one.
type RefreshToken struct {
	Hash        []byte
	PoolID      string
	ClientID    string
	UsernameKey string
	OriginJTI   string
	AuthTime    time.Time
	CreatedAt   time.Time
	ExpiresAt   time.Time
	Revoked     bool
	// ReplacedAt is when a rotation first replaced this token with a new one (zero while
	// no rotation has). How long a replaced token still serves is the caller's rule.
	ReplacedAt time.Time
	// Scopes are the OAuth scopes the token endpoint granted, space-separated; "" for a
	// sign-in through the user-pools API.
	Scopes string
}

// RefreshTokens persists refresh tokens.
type RefreshTokens interface {
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	GetRefreshToken(ctx context.Context, hash []byte) (RefreshToken, error)
	GetRefreshTokenByOrigin(ctx context.Context, originJTI string) (RefreshToken, error)
	RevokeRefreshToken(ctx context.Context, hash []byte) error
	// RotateRefreshToken replaces the token oldHash in one transaction: it runs fn on the
	// token as stored (locked against concurrent rotations), stores the token fn returns,
	// and records that token's CreatedAt as the old one's ReplacedAt unless an earlier
	// rotation already set it. fn may run more than once on a retry; an error from fn
	// aborts and is returned as is. store.ErrNotFound when there is no token oldHash.
	RotateRefreshToken(ctx context.Context, oldHash []byte, fn func(old RefreshToken) (RefreshToken, error)) error
	// RevokeRefreshTokenFamily revokes every token of the pool that shares originJTI (a
	// sign-in and its rotations) and returns how many were not revoked before.
	RevokeRefreshTokenFamily(ctx context.Context, poolID, originJTI string) (int, error)
	// RevokeUserRefreshTokens revokes every refresh token of a user (GlobalSignOut) and
	// returns how many it revoked.
	RevokeUserRefreshTokens(ctx context.Context, poolID, usernameKey string) (int, error)
	// DeleteExpiredRefreshTokens removes tokens that expired before t.
	DeleteExpiredRefreshTokens(ctx context.Context, t time.Time) (int, error)
}

// AuthSession is the state behind a challenge's Session string (NEW_PASSWORD_REQUIRED, …),
// stored by the hash of the Session value. It is single-use: ConsumeAuthSession deletes it.
type AuthSession struct {
	Hash        []byte
	PoolID      string
	ClientID    string
	UsernameKey string
	Challenge   string
	Data        json.RawMessage
	ExpiresAt   time.Time
	CreatedAt   time.Time
}

// AuthSessions persists challenge sessions.
type AuthSessions interface {
	CreateAuthSession(ctx context.Context, s AuthSession) error
	// ConsumeAuthSession atomically removes the session and returns it; ErrNotFound when it
	// does not exist or was already consumed. Expiry is the caller's to check.
	ConsumeAuthSession(ctx context.Context, hash []byte) (AuthSession, error)
	DeleteExpiredAuthSessions(ctx context.Context, t time.Time) (int, error)
}

// Store is everything a backend provides. Consumers ask for the narrowest interface they use.
type Store interface {
	UserPools
	Clients
	Users
	Groups
	Codes
	Outbox
	SigningKeys
	RefreshTokens
	AuthSessions
	ResourceServers
	Domains
	IdentityPools
	Identities
	Roles
	TemporaryCredentials
	IAMUsers
	Stacks
	// Ping checks the backend is reachable; Close releases it.
	Ping(ctx context.Context) error
	Close() error
}

// ResourceServer is a user-pool resource server: an API whose custom scopes
// ("{Identifier}/{scope}") app clients may request. Spec is its name and scopes as a JSON
// document owned by package userpool. It goes with its pool.
type ResourceServer struct {
	PoolID     string
	Identifier string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Spec       json.RawMessage
}

// ResourceServers persists resource servers, unique by identifier within a pool (compared
// byte for byte) and listed in identifier order; Page.After is an identifier.
type ResourceServers interface {
	// CreateResourceServer stores a new resource server: store.ErrAlreadyExists when the pool
	// has one with that identifier, store.ErrNotFound when the pool does not exist.
	CreateResourceServer(ctx context.Context, r ResourceServer) error
	GetResourceServer(ctx context.Context, poolID, identifier string) (ResourceServer, error)
	ListResourceServers(ctx context.Context, poolID string, page Page) ([]ResourceServer, error)
	// UpdateResourceServer runs fn on the current resource server inside a transaction and
	// stores its result; the pool and identifier stay the ones given. fn may run more than
	// once; an error from fn aborts and is returned as is.
	UpdateResourceServer(ctx context.Context, poolID, identifier string, fn func(old ResourceServer) (ResourceServer, error)) error
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error
}

// Domain is a user pool's domain: the prefix of its hosted pages
// ({Domain}.auth.{region}.amazoncognito.com) or a custom domain name. Domains are unique
// across all pools, and a pool has at most one (Spec says which kind; it is owned by package
// userpool). A domain goes with its pool.
type Domain struct {
	Domain    string
	PoolID    string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      json.RawMessage
}

// Domains persists user-pool domains.
type Domains interface {
	// CreateDomain stores a new domain: store.ErrAlreadyExists when the name is taken or the
	// pool already has a domain, store.ErrNotFound when the pool does not exist.
	CreateDomain(ctx context.Context, d Domain) error
	GetDomain(ctx context.Context, domain string) (Domain, error)
	// GetPoolDomain returns the pool's domain, store.ErrNotFound when it has none.
	GetPoolDomain(ctx context.Context, poolID string) (Domain, error)
	// UpdateDomain runs fn on the current domain inside a transaction and stores its result;
	// the name and pool stay the ones given.
	UpdateDomain(ctx context.Context, domain string, fn func(old Domain) (Domain, error)) error
	DeleteDomain(ctx context.Context, domain string) error
}
