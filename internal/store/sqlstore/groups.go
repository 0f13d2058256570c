package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gatehouse/gatehouse/internal/store"
)

const groupColumns = "pool_id, name, description, role_arn, precedence, created_at, updated_at"

func scanGroup(row scanner) (store.Group, error) {
	var (
		g    store.Group
		prec sql.NullInt64
	)
	err := row.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleArn, &prec, msTime{&g.CreatedAt}, msTime{&g.UpdatedAt})
	if err != nil {
		return store.Group{}, err
	}
	if prec.Valid {
		g.Precedence = &prec.Int64
	}
	return g, nil
}

// precedenceValue is a group's precedence as a column value: NULL when it has none.
func precedenceValue(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// CreateGroup stores a new group. store.ErrAlreadyExists when the pool already has a group
// of that name; store.ErrNotFound when the pool does not exist.
func (s *Store) CreateGroup(ctx context.Context, g store.Group) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO pool_groups ("+groupColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7)",
		g.PoolID, g.Name, g.Description, g.RoleArn, precedenceValue(g.Precedence),
		millis(g.CreatedAt), millis(g.UpdatedAt))
	return mapErr(fmt.Sprintf("create group %q of pool %q", g.Name, g.PoolID), err)
}

// GetGroup returns the pool's group of that name, or store.ErrNotFound.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (store.Group, error) {
	return getGroup(ctx, s.rdb, poolID, name, "")
}

func getGroup(ctx context.Context, q querier, poolID, name, lock string) (store.Group, error) {
	return queryOne(ctx, q, scanGroup, "SELECT "+groupColumns+" FROM pool_groups WHERE pool_id = $1 AND name = $2"+lock,
		[]any{poolID, name}, "get group %q of pool %q", name, poolID)
}

// ListGroups pages through a pool's groups ordered by name.
func (s *Store) ListGroups(ctx context.Context, poolID string, page store.Page) ([]store.Group, error) {
	return listPage(ctx, s.rdb, "list groups", scanGroup,
		"SELECT "+groupColumns+" FROM pool_groups WHERE pool_id = $1 AND name > $2", "name", page, poolID, page.After)
}

// UpdateGroup runs fn on the current group in a transaction and stores its result; the
// pool and name stay the ones given.
func (s *Store) UpdateGroup(ctx context.Context, poolID, name string, fn func(old store.Group) (store.Group, error)) error {
	return updateRow(ctx, s, fmt.Sprintf("update group %q of pool %q", name, poolID),
		func(q querier, lock string) (store.Group, error) { return getGroup(ctx, q, poolID, name, lock) }, fn,
		func(tx *sql.Tx, g store.Group) (sql.Result, error) {
			return tx.ExecContext(ctx,
				"UPDATE pool_groups SET description = $3, role_arn = $4, precedence = $5, created_at = $6, updated_at = $7 "+
					"WHERE pool_id = $1 AND name = $2",
				poolID, name, g.Description, g.RoleArn, precedenceValue(g.Precedence),
				millis(g.CreatedAt), millis(g.UpdatedAt))
		})
}

// DeleteGroup removes the group and, through ON DELETE CASCADE, its memberships.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	op := fmt.Sprintf("delete group %q of pool %q", name, poolID)
	res, err := s.db.ExecContext(ctx, "DELETE FROM pool_groups WHERE pool_id = $1 AND name = $2", poolID, name)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

// AddUserToGroup makes the user a member of the group; adding a member again changes
// nothing. store.ErrNotFound when the group or the user does not exist (the foreign keys
// refuse the row; ON CONFLICT covers only the primary key).
func (s *Store) AddUserToGroup(ctx context.Context, poolID, usernameKey, group string) error {
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO group_members (pool_id, group_name, username_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
		poolID, group, usernameKey)
	return mapErr(fmt.Sprintf("add user %q to group %q of pool %q", usernameKey, group, poolID), err)
}

// RemoveUserFromGroup ends a membership; store.ErrNotFound when there was none.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, usernameKey, group string) error {
	op := fmt.Sprintf("remove user %q from group %q of pool %q", usernameKey, group, poolID)
	res, err := s.db.ExecContext(ctx,
		"DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND username_key = $3",
		poolID, group, usernameKey)
	if err != nil {
		return mapErr(op, err)
	}
	return mustAffect(op, res)
}

// ListGroupsForUser pages through the groups the user is a member of, ordered by name,
// through the group_members_user index.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, usernameKey string, page store.Page) ([]store.Group, error) {
	return listPage(ctx, s.rdb, "list groups for user", scanGroup,
		"SELECT "+groupColumns+" FROM pool_groups WHERE pool_id = $1 AND name IN "+
			"(SELECT group_name FROM group_members WHERE pool_id = $1 AND username_key = $2) AND name > $3",
		"name", page, poolID, usernameKey, page.After)
}

// ListUsersInGroup pages through the group's members ordered by UsernameKey.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group string, page store.Page) ([]store.User, error) {
	return listPage(ctx, s.rdb, "list users in group", scanUser,
		"SELECT "+userColumns+" FROM users WHERE pool_id = $1 AND username_key IN "+
			"(SELECT username_key FROM group_members WHERE pool_id = $1 AND group_name = $2) AND username_key > $3",
		"username_key", page, poolID, group, page.After)
}

var _ store.Groups = (*Store)(nil)
