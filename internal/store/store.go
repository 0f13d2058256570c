// Package store defines Gatehouse's persistent entities, one narrow interface per aggregate,
// and the sentinel errors every backend returns. It holds no SQL and no business rules: what a
// field means is decided by the package that owns the aggregate (userpool, token, …); the store
// only keeps it durably and enforces uniqueness.
package store

import (
	"context"
	"encoding/json"
	"errors"
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
type Users interface {
	CreateUser(ctx context.Context, u User) error
	GetUser(ctx context.Context, poolID, usernameKey string) (User, error)
	GetUserBySub(ctx context.Context, poolID, sub string) (User, error)
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
// the refresh token revokes them too.
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
}

// RefreshTokens persists refresh tokens.
type RefreshTokens interface {
	CreateRefreshToken(ctx context.Context, t RefreshToken) error
	GetRefreshToken(ctx context.Context, hash []byte) (RefreshToken, error)
	GetRefreshTokenByOrigin(ctx context.Context, originJTI string) (RefreshToken, error)
	RevokeRefreshToken(ctx context.Context, hash []byte) error
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
