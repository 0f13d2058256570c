package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// nameKey is the form IAM role and user names are unique by: IAM compares them without
// regard to case, and they are ASCII ([\w+=,.@-]).
func nameKey(name string) string { return strings.ToLower(name) }

// deleteUnlessInUse deletes the row of table whose name_key is key, in a transaction that
// first locks the row (on PostgreSQL this waits for, and then blocks, a concurrent insert
// of a dependent, whose foreign-key check share-locks the row) and counts its dependents:
// store.ErrInUse when any of deps ("table.column") has a row referring to it.
func (s *Store) deleteUnlessInUse(ctx context.Context, op, table, key string, deps ...string) error {
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		var k string
		if err := tx.QueryRowContext(ctx,
			"SELECT name_key FROM "+table+" WHERE name_key = $1"+s.forUpdate(), key).Scan(&k); err != nil {
			return mapErr(op, err)
		}
		for _, d := range deps {
			depTable, col, _ := strings.Cut(d, ".")
			var one int
			err := tx.QueryRowContext(ctx,
				"SELECT 1 FROM "+depTable+" WHERE "+col+" = $1 LIMIT 1", key).Scan(&one)
			if err == nil {
				return fmt.Errorf("%s: %w (%s)", op, store.ErrInUse, depTable)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE name_key = $1", key)
		if err != nil {
			return err
		}
		return mustAffect(op, res)
	})
}

// Inline policies of roles and users share one shape: table (owner_col, name, document).

func (s *Store) putPolicy(ctx context.Context, op, table, ownerCol, owner string, p store.InlinePolicy) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO "+table+" ("+ownerCol+", name, document) VALUES ($1, $2, $3) "+
			"ON CONFLICT ("+ownerCol+", name) DO UPDATE SET document = excluded.document",
		owner, p.Name, p.Document)
	return mapErr(op, err)
}

func (s *Store) getPolicy(ctx context.Context, op, table, ownerCol, owner, name string) (store.InlinePolicy, error) {
	return queryOne(ctx, s.rdb, scanInlinePolicy,
		"SELECT name, document FROM "+table+" WHERE "+ownerCol+" = $1 AND name = $2", []any{owner, name}, "%s", op)
}

func scanInlinePolicy(row scanner) (store.InlinePolicy, error) {
	var p store.InlinePolicy
	err := row.Scan(&p.Name, &p.Document)
	return p, err
}

func (s *Store) listPolicies(ctx context.Context, op, table, ownerCol, owner string, page store.Page) ([]store.InlinePolicy, error) {
	return listPage(ctx, s.rdb, op, scanInlinePolicy,
		"SELECT name, document FROM "+table+" WHERE "+ownerCol+" = $1 AND name > $2", "name", page, owner, page.After)
}

func (s *Store) deletePolicy(ctx context.Context, op, table, ownerCol, owner, name string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM "+table+" WHERE "+ownerCol+" = $1 AND name = $2", owner, name)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

// Roles.

const roleColumns = "name, id, arn, path, description, assume_role_policy, max_session_duration, created_at"

func scanRole(row scanner) (store.Role, error) {
	var r store.Role
	err := row.Scan(&r.Name, &r.ID, &r.ARN, &r.Path, &r.Description, &r.AssumeRolePolicy,
		&r.MaxSessionDuration, msTime{&r.CreatedAt})
	return r, err
}

// CreateRole stores a new role; store.ErrAlreadyExists when its name (in any case) or ID
// is taken.
func (s *Store) CreateRole(ctx context.Context, r store.Role) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO iam_roles (name_key, "+roleColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
		nameKey(r.Name), r.Name, r.ID, r.ARN, r.Path, r.Description, r.AssumeRolePolicy,
		r.MaxSessionDuration, millis(r.CreatedAt))
	return mapErr(fmt.Sprintf("create role %q", r.Name), err)
}

// GetRole returns the role of that name (in any case), or store.ErrNotFound.
func (s *Store) GetRole(ctx context.Context, name string) (store.Role, error) {
	return getRole(ctx, s.rdb, name, "")
}

func getRole(ctx context.Context, q querier, name, lock string) (store.Role, error) {
	return queryOne(ctx, q, scanRole, "SELECT "+roleColumns+" FROM iam_roles WHERE name_key = $1"+lock,
		[]any{nameKey(name)}, "get role %q", name)
}

// ListRoles pages through the roles ordered by lower-cased name.
func (s *Store) ListRoles(ctx context.Context, page store.Page) ([]store.Role, error) {
	return listPage(ctx, s.rdb, "list roles", scanRole,
		"SELECT "+roleColumns+" FROM iam_roles WHERE name_key > $1", "name_key", page, page.After)
}

// UpdateRole runs fn on the current role in a transaction and stores its result; name and
// ID stay the stored ones.
func (s *Store) UpdateRole(ctx context.Context, name string, fn func(old store.Role) (store.Role, error)) error {
	return updateRow(ctx, s, fmt.Sprintf("update role %q", name),
		func(q querier, lock string) (store.Role, error) { return getRole(ctx, q, name, lock) }, fn,
		func(tx *sql.Tx, r store.Role) (sql.Result, error) {
			return tx.ExecContext(ctx,
				"UPDATE iam_roles SET arn = $2, path = $3, description = $4, assume_role_policy = $5, "+
					"max_session_duration = $6, created_at = $7 WHERE name_key = $1",
				nameKey(name), r.ARN, r.Path, r.Description, r.AssumeRolePolicy, r.MaxSessionDuration, millis(r.CreatedAt))
		})
}

// DeleteRole removes the role; store.ErrInUse while it has inline policies.
func (s *Store) DeleteRole(ctx context.Context, name string) error {
	return s.deleteUnlessInUse(ctx, fmt.Sprintf("delete role %q", name), "iam_roles", nameKey(name),
		"iam_role_policies.role_key")
}

// PutRolePolicy creates or replaces an inline policy of the role; store.ErrNotFound when
// the role does not exist.
func (s *Store) PutRolePolicy(ctx context.Context, roleName string, p store.InlinePolicy) error {
	return s.putPolicy(ctx, fmt.Sprintf("put policy %q of role %q", p.Name, roleName),
		"iam_role_policies", "role_key", nameKey(roleName), p)
}

// GetRolePolicy returns an inline policy of the role, or store.ErrNotFound.
func (s *Store) GetRolePolicy(ctx context.Context, roleName, policyName string) (store.InlinePolicy, error) {
	return s.getPolicy(ctx, fmt.Sprintf("get policy %q of role %q", policyName, roleName),
		"iam_role_policies", "role_key", nameKey(roleName), policyName)
}

// ListRolePolicies pages through the role's inline policies ordered by name.
func (s *Store) ListRolePolicies(ctx context.Context, roleName string, page store.Page) ([]store.InlinePolicy, error) {
	return s.listPolicies(ctx, "list role policies", "iam_role_policies", "role_key", nameKey(roleName), page)
}

// DeleteRolePolicy removes an inline policy; store.ErrNotFound when the role has none of
// that name.
func (s *Store) DeleteRolePolicy(ctx context.Context, roleName, policyName string) error {
	return s.deletePolicy(ctx, fmt.Sprintf("delete policy %q of role %q", policyName, roleName),
		"iam_role_policies", "role_key", nameKey(roleName), policyName)
}

// Temporary credentials.

const credentialColumns = "access_key_id, secret_sealed, session_token_hash, identity_id, role_arn, session, created_at, expires_at"

// PutCredentials stores new credentials; store.ErrAlreadyExists when the access key id is
// taken.
func (s *Store) PutCredentials(ctx context.Context, c store.Credentials) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO temporary_credentials ("+credentialColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		c.AccessKeyID, nonNil(c.SecretSealed), nonNil(c.SessionTokenHash), c.IdentityID, c.RoleARN,
		jsonValue(c.Session), millis(c.CreatedAt), millis(c.ExpiresAt))
	return mapErr("put credentials", err)
}

// GetCredentials returns the credentials, expired or not, or store.ErrNotFound.
func (s *Store) GetCredentials(ctx context.Context, accessKeyID string) (store.Credentials, error) {
	var c store.Credentials
	err := s.rdb.QueryRowContext(ctx,
		"SELECT "+credentialColumns+" FROM temporary_credentials WHERE access_key_id = $1", accessKeyID).
		Scan(&c.AccessKeyID, &c.SecretSealed, &c.SessionTokenHash, &c.IdentityID, &c.RoleARN,
			rawJSON{&c.Session}, msTime{&c.CreatedAt}, msTime{&c.ExpiresAt})
	if err != nil {
		return store.Credentials{}, mapErr(fmt.Sprintf("get credentials %q", accessKeyID), err)
	}
	return c, nil
}

// DeleteExpiredCredentials removes the credentials whose expiry is before t (credentials
// without one stay) and returns how many it removed.
func (s *Store) DeleteExpiredCredentials(ctx context.Context, t time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, "DELETE FROM temporary_credentials WHERE expires_at < $1", t.UnixMilli())
	return affected("delete expired credentials", res, err)
}

// IAM users and access keys.

const iamUserColumns = "name, id, arn, path, created_at"

func scanIAMUser(row scanner) (store.IAMUser, error) {
	var u store.IAMUser
	err := row.Scan(&u.Name, &u.ID, &u.ARN, &u.Path, msTime{&u.CreatedAt})
	return u, err
}

// CreateIAMUser stores a new user; store.ErrAlreadyExists when the name (in any case) or
// the ID is taken.
func (s *Store) CreateIAMUser(ctx context.Context, u store.IAMUser) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO iam_users (name_key, "+iamUserColumns+") VALUES ($1, $2, $3, $4, $5, $6)",
		nameKey(u.Name), u.Name, u.ID, u.ARN, u.Path, millis(u.CreatedAt))
	return mapErr(fmt.Sprintf("create IAM user %q", u.Name), err)
}

// GetIAMUser returns the user of that name (in any case), or store.ErrNotFound.
func (s *Store) GetIAMUser(ctx context.Context, name string) (store.IAMUser, error) {
	return queryOne(ctx, s.rdb, scanIAMUser, "SELECT "+iamUserColumns+" FROM iam_users WHERE name_key = $1",
		[]any{nameKey(name)}, "get IAM user %q", name)
}

// ListIAMUsers pages through the users ordered by lower-cased name.
func (s *Store) ListIAMUsers(ctx context.Context, page store.Page) ([]store.IAMUser, error) {
	return listPage(ctx, s.rdb, "list IAM users", scanIAMUser,
		"SELECT "+iamUserColumns+" FROM iam_users WHERE name_key > $1", "name_key", page, page.After)
}

// DeleteIAMUser removes the user; store.ErrInUse while it has inline policies or access
// keys.
func (s *Store) DeleteIAMUser(ctx context.Context, name string) error {
	return s.deleteUnlessInUse(ctx, fmt.Sprintf("delete IAM user %q", name), "iam_users", nameKey(name),
		"iam_user_policies.user_key", "iam_access_keys.user_key")
}

// PutUserPolicy creates or replaces an inline policy of the user; store.ErrNotFound when
// the user does not exist.
func (s *Store) PutUserPolicy(ctx context.Context, userName string, p store.InlinePolicy) error {
	return s.putPolicy(ctx, fmt.Sprintf("put policy %q of IAM user %q", p.Name, userName),
		"iam_user_policies", "user_key", nameKey(userName), p)
}

// GetUserPolicy returns an inline policy of the user, or store.ErrNotFound.
func (s *Store) GetUserPolicy(ctx context.Context, userName, policyName string) (store.InlinePolicy, error) {
	return s.getPolicy(ctx, fmt.Sprintf("get policy %q of IAM user %q", policyName, userName),
		"iam_user_policies", "user_key", nameKey(userName), policyName)
}

// ListUserPolicies pages through the user's inline policies ordered by name.
func (s *Store) ListUserPolicies(ctx context.Context, userName string, page store.Page) ([]store.InlinePolicy, error) {
	return s.listPolicies(ctx, "list IAM user policies", "iam_user_policies", "user_key", nameKey(userName), page)
}

// DeleteUserPolicy removes an inline policy; store.ErrNotFound when the user has none of
// that name.
func (s *Store) DeleteUserPolicy(ctx context.Context, userName, policyName string) error {
	return s.deletePolicy(ctx, fmt.Sprintf("delete policy %q of IAM user %q", policyName, userName),
		"iam_user_policies", "user_key", nameKey(userName), policyName)
}

const accessKeyColumns = "k.id, u.name, k.secret_sealed, k.status, k.created_at"

func scanAccessKey(row scanner) (store.AccessKey, error) {
	var k store.AccessKey
	err := row.Scan(&k.ID, &k.UserName, &k.SecretSealed, &k.Status, msTime{&k.CreatedAt})
	return k, err
}

// CreateAccessKey stores a new key of the user; store.ErrNotFound when the user does not
// exist, store.ErrAlreadyExists when the key ID is taken.
func (s *Store) CreateAccessKey(ctx context.Context, k store.AccessKey) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO iam_access_keys (id, user_key, secret_sealed, status, created_at) VALUES ($1, $2, $3, $4, $5)",
		k.ID, nameKey(k.UserName), nonNil(k.SecretSealed), k.Status, millis(k.CreatedAt))
	return mapErr(fmt.Sprintf("create access key of IAM user %q", k.UserName), err)
}

// GetAccessKey returns the key, whichever its status, or store.ErrNotFound.
func (s *Store) GetAccessKey(ctx context.Context, id string) (store.AccessKey, error) {
	return queryOne(ctx, s.rdb, scanAccessKey,
		"SELECT "+accessKeyColumns+" FROM iam_access_keys k JOIN iam_users u ON u.name_key = k.user_key WHERE k.id = $1",
		[]any{id}, "get access key %q", id)
}

// ListAccessKeys returns the user's keys ordered by creation time, then ID.
func (s *Store) ListAccessKeys(ctx context.Context, userName string) ([]store.AccessKey, error) {
	rows, err := s.rdb.QueryContext(ctx,
		"SELECT "+accessKeyColumns+" FROM iam_access_keys k JOIN iam_users u ON u.name_key = k.user_key "+
			"WHERE k.user_key = $1 ORDER BY k.created_at, k.id", nameKey(userName))
	if err != nil {
		return nil, mapErr("list access keys", err)
	}
	return collect(rows, "list access keys", scanAccessKey)
}

// UpdateAccessKeyStatus sets the key's status; store.ErrNotFound when there is no such key.
func (s *Store) UpdateAccessKeyStatus(ctx context.Context, id, status string) error {
	op := fmt.Sprintf("update access key %q", id)
	res, err := s.db.ExecContext(ctx, "UPDATE iam_access_keys SET status = $2 WHERE id = $1", id, status)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

// DeleteAccessKey removes the key; store.ErrNotFound when there is no such key.
func (s *Store) DeleteAccessKey(ctx context.Context, id string) error {
	op := fmt.Sprintf("delete access key %q", id)
	res, err := s.db.ExecContext(ctx, "DELETE FROM iam_access_keys WHERE id = $1", id)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

var (
	_ store.Roles                = (*Store)(nil)
	_ store.TemporaryCredentials = (*Store)(nil)
	_ store.IAMUsers             = (*Store)(nil)
)
