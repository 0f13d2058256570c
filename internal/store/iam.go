package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// ErrInUse is returned when an entity cannot be deleted because others still hang off it
// (IAM's DeleteConflict: a role or user that still has inline policies or access keys).
var ErrInUse = errors.New("store: in use")

// IdentityPool is a Cognito identity pool. ID has the form "us-east-1:<uuid>". Spec is its
// configuration (AllowUnauthenticatedIdentities, identity providers, roles, role mappings, …)
// as a JSON document owned by the package that serves Cognito Identity: the store keeps it
// verbatim.
type IdentityPool struct {
	ID        string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Spec      json.RawMessage
}

// IdentityPools persists identity pools. DeleteIdentityPool removes the pool and its
// identities.
type IdentityPools interface {
	// CreateIdentityPool stores a new pool; store.ErrAlreadyExists when its ID is taken.
	CreateIdentityPool(ctx context.Context, p IdentityPool) error
	GetIdentityPool(ctx context.Context, id string) (IdentityPool, error)
	// ListIdentityPools pages through all pools ordered by ID.
	ListIdentityPools(ctx context.Context, page Page) ([]IdentityPool, error)
	// UpdateIdentityPool runs fn on the current pool inside a transaction and stores its
	// result; the ID stays the one given. fn may run more than once on a retry; an error from
	// fn aborts and is returned as is.
	UpdateIdentityPool(ctx context.Context, id string, fn func(old IdentityPool) (IdentityPool, error)) error
	DeleteIdentityPool(ctx context.Context, id string) error
}

// Identity is an identity of an identity pool. ID ("us-east-1:<uuid>") is unique across all
// pools. Logins are the names of the providers it has signed in with
// ("cognito-idp.us-east-1.amazonaws.com/us-east-1_xxx", "accounts.google.com", …), in the
// caller's order; an unauthenticated identity has none.
type Identity struct {
	PoolID    string
	ID        string
	Logins    []string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Identities persists identities. An identity is found again by a login key, a string the
// caller derives from a provider and the subject it vouches for (e.g. "<provider>:<sub>"),
// unique within the pool.
type Identities interface {
	// GetOrCreateIdentity returns the pool's identity for loginKey, creating it from candidate
	// (whose PoolID, ID, Logins and times the caller fills in, ID freshly generated) when
	// there is none; created reports which happened. It is atomic: callers racing with the
	// same (pool, loginKey), on one node or several, all get the one identity that won. An
	// empty loginKey (an unauthenticated identity) always creates. store.ErrNotFound when the
	// pool does not exist, store.ErrAlreadyExists when candidate.ID is taken.
	GetOrCreateIdentity(ctx context.Context, loginKey string, candidate Identity) (id Identity, created bool, err error)
	GetIdentity(ctx context.Context, id string) (Identity, error)
	// ListIdentities pages through a pool's identities ordered by ID.
	ListIdentities(ctx context.Context, poolID string, page Page) ([]Identity, error)
	// UpdateIdentity runs fn on the current identity inside a transaction and stores its
	// Logins and times; pool and ID stay. fn may run again on a retry; its error is
	// returned as is.
	UpdateIdentity(ctx context.Context, id string, fn func(old Identity) (Identity, error)) error
	// DeleteIdentities removes the identities (and their login keys) in one transaction and
	// returns the IDs among ids that did not exist.
	DeleteIdentities(ctx context.Context, ids []string) (missing []string, err error)
}

// InlinePolicy is an inline policy of an IAM role or user: a name unique within its owner
// (compared byte for byte) and a JSON policy document kept verbatim.
type InlinePolicy struct {
	Name     string
	Document string
}

// Role is an IAM role. Names are unique within the (single) account compared without
// regard to ASCII case, as IAM does; every call that takes a role name finds the role
// whatever the case. ID is the "AROA…" role id, unique too.
type Role struct {
	Name               string
	ID                 string
	ARN                string
	Path               string
	Description        string
	AssumeRolePolicy   string // the trust policy document
	MaxSessionDuration int    // seconds
	CreatedAt          time.Time
}

// Roles persists IAM roles and their inline policies. Listings are ordered by lower-cased
// name (roles) or name (policies); Page.After is such a value.
type Roles interface {
	// CreateRole stores a new role; store.ErrAlreadyExists when the name (in any case) or
	// the role ID is taken.
	CreateRole(ctx context.Context, r Role) error
	GetRole(ctx context.Context, name string) (Role, error)
	ListRoles(ctx context.Context, page Page) ([]Role, error)
	// UpdateRole runs fn on the current role inside a transaction and stores its result;
	// name and ID stay. fn may run again on a retry; its error is returned as is.
	UpdateRole(ctx context.Context, name string, fn func(old Role) (Role, error)) error
	// DeleteRole removes the role; store.ErrInUse while it has inline policies.
	DeleteRole(ctx context.Context, name string) error
	// PutRolePolicy creates or replaces an inline policy; store.ErrNotFound when the role
	// does not exist.
	PutRolePolicy(ctx context.Context, roleName string, p InlinePolicy) error
	GetRolePolicy(ctx context.Context, roleName, policyName string) (InlinePolicy, error)
	// ListRolePolicies pages through the role's inline policies ordered by name (none for a
	// role that does not exist).
	ListRolePolicies(ctx context.Context, roleName string, page Page) ([]InlinePolicy, error)
	DeleteRolePolicy(ctx context.Context, roleName, policyName string) error
}

// Credentials are temporary AWS credentials issued by Gatehouse (GetCredentialsForIdentity,
// AssumeRole…). SecretSealed is the secret access key sealed by the caller with the master
// key; the session token is kept only as a hash. IdentityID is "" when no identity-pool
// identity is behind them. Session is a JSON document owned by the issuer (session name,
// subject, session policy, …), kept verbatim.
type Credentials struct {
	AccessKeyID      string // "ASIA…"
	SecretSealed     []byte
	SessionTokenHash []byte
	IdentityID       string
	RoleARN          string
	Session          json.RawMessage
	CreatedAt        time.Time
	ExpiresAt        time.Time
}

// TemporaryCredentials persists temporary credentials by access key id.
type TemporaryCredentials interface {
	// PutCredentials stores new credentials; store.ErrAlreadyExists when the access key id
	// is taken.
	PutCredentials(ctx context.Context, c Credentials) error
	// GetCredentials returns the credentials, expired or not, or store.ErrNotFound.
	GetCredentials(ctx context.Context, accessKeyID string) (Credentials, error)
	// DeleteExpiredCredentials removes credentials that expired before t and returns how
	// many it removed.
	DeleteExpiredCredentials(ctx context.Context, t time.Time) (int, error)
}

// IAMUser is an IAM user. Names are unique compared without regard to ASCII case, like role
// names; ID is the "AIDA…" user id.
type IAMUser struct {
	Name      string
	ID        string
	ARN       string
	Path      string
	CreatedAt time.Time
}

// AccessKey is a long-term access key of an IAM user. SecretSealed is the secret access key
// sealed by the caller with the master key. Status is "Active" or "Inactive".
type AccessKey struct {
	ID           string // "AKIA…"
	UserName     string // the owner's name as it was created
	SecretSealed []byte
	Status       string
	CreatedAt    time.Time
}

// IAMUsers persists IAM users, their inline policies and access keys. The method names
// carry "IAM" where Users (user-pool users) already has the plain one.
type IAMUsers interface {
	// CreateIAMUser stores a new user; store.ErrAlreadyExists when the name (in any case) or
	// the ID is taken.
	CreateIAMUser(ctx context.Context, u IAMUser) error
	GetIAMUser(ctx context.Context, name string) (IAMUser, error)
	// ListIAMUsers pages through users ordered by lower-cased name.
	ListIAMUsers(ctx context.Context, page Page) ([]IAMUser, error)
	// DeleteIAMUser removes the user; store.ErrInUse while it has inline policies or access
	// keys.
	DeleteIAMUser(ctx context.Context, name string) error

	// PutUserPolicy creates or replaces an inline policy; store.ErrNotFound when the user
	// does not exist.
	PutUserPolicy(ctx context.Context, userName string, p InlinePolicy) error
	GetUserPolicy(ctx context.Context, userName, policyName string) (InlinePolicy, error)
	ListUserPolicies(ctx context.Context, userName string, page Page) ([]InlinePolicy, error)
	DeleteUserPolicy(ctx context.Context, userName, policyName string) error

	// CreateAccessKey stores a new key of k.UserName (any case); store.ErrNotFound when the
	// user does not exist, store.ErrAlreadyExists when the key ID is taken. UserName reads
	// back as the user's own spelling.
	CreateAccessKey(ctx context.Context, k AccessKey) error
	// GetAccessKey returns the key, whichever its status, or store.ErrNotFound.
	GetAccessKey(ctx context.Context, id string) (AccessKey, error)
	// ListAccessKeys returns the user's keys ordered by creation then ID (a user has two at
	// most, so there is no paging).
	ListAccessKeys(ctx context.Context, userName string) ([]AccessKey, error)
	// UpdateAccessKeyStatus sets the key's status; store.ErrNotFound when there is no key.
	UpdateAccessKeyStatus(ctx context.Context, id, status string) error
	DeleteAccessKey(ctx context.Context, id string) error
}
