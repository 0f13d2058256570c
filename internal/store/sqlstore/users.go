package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gatehouse/gatehouse/internal/store"
)

const userColumns = "pool_id, username_key, username, sub, status, enabled, attributes, " +
	"created_at, updated_at, password_hash, password_expires_at, failed_attempts, " +
	"last_failure_at, locked_until, extra"

func scanUser(row scanner) (store.User, error) {
	var (
		u     store.User
		attrs string
	)
	err := row.Scan(&u.PoolID, &u.UsernameKey, &u.Username, &u.Sub, &u.Status, &u.Enabled, &attrs,
		msTime{&u.CreatedAt}, msTime{&u.UpdatedAt}, &u.PasswordHash, msTime{&u.PasswordExpiresAt},
		&u.FailedAttempts, msTime{&u.LastFailureAt}, msTime{&u.LockedUntil}, rawJSON{&u.Extra})
	if err != nil {
		return store.User{}, err
	}
	if err := json.Unmarshal([]byte(attrs), &u.Attributes); err != nil {
		return store.User{}, fmt.Errorf("decode attributes of %q: %w", u.UsernameKey, err)
	}
	if len(u.Attributes) == 0 {
		u.Attributes = nil
	}
	return u, nil
}

// encodeAttributes keeps the attributes' order, which Cognito's responses preserve.
func encodeAttributes(attrs []store.Attribute) (string, error) {
	if len(attrs) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(attrs)
	if err != nil {
		return "", fmt.Errorf("encode attributes: %w", err)
	}
	return string(b), nil
}

// CreateUser stores a new user, indexes its attributes and claims its unique values.
// store.ErrAlreadyExists when the pool already has the UsernameKey or the Sub, a
// *store.ClaimConflictError when another user holds one of its unique values;
// store.ErrNotFound when the pool does not exist.
func (s *Store) CreateUser(ctx context.Context, u store.User) error {
	attrs, err := encodeAttributes(u.Attributes)
	if err != nil {
		return err
	}
	return s.inTx(ctx, "create user", func(tx *sql.Tx) error {
		rule, err := s.poolUniqueness(ctx, tx, u.PoolID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx,
			"INSERT INTO users ("+userColumns+") VALUES "+
				"($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
			u.PoolID, u.UsernameKey, u.Username, u.Sub, u.Status, u.Enabled, attrs,
			millis(u.CreatedAt), millis(u.UpdatedAt), u.PasswordHash, millis(u.PasswordExpiresAt),
			u.FailedAttempts, millis(u.LastFailureAt), millis(u.LockedUntil), jsonValue(u.Extra))
		if err != nil {
			return err
		}
		if err := indexAttributes(ctx, tx, u.PoolID, u.UsernameKey, u.Attributes); err != nil {
			return err
		}
		return claim(ctx, tx, u.PoolID, u.UsernameKey, rule.Claims(u.Attributes))
	})
}

// indexAttributes writes one user_attributes row per attribute. A user has a few dozen
// attributes at most (Cognito caps custom ones at 50), so this is a bounded loop of
// single-row inserts rather than one statement that grows with the input.
func indexAttributes(ctx context.Context, tx *sql.Tx, poolID, usernameKey string, attrs []store.Attribute) error {
	for _, a := range attrs {
		// A repeated (name, value) pair needs only one index row.
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO user_attributes (pool_id, username_key, name, value) VALUES ($1, $2, $3, $4) "+
				"ON CONFLICT DO NOTHING",
			poolID, usernameKey, a.Name, indexValue(a.Value)); err != nil {
			return err
		}
	}
	return nil
}

// GetUser returns the pool's user with the given UsernameKey, or store.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, poolID, usernameKey string) (store.User, error) {
	return getUser(ctx, s.rdb, poolID, usernameKey, "")
}

func getUser(ctx context.Context, q querier, poolID, usernameKey, lock string) (store.User, error) {
	return queryOne(ctx, q, scanUser, "SELECT "+userColumns+" FROM users WHERE pool_id = $1 AND username_key = $2"+lock,
		[]any{poolID, usernameKey}, "get user %q of pool %q", usernameKey, poolID)
}

// GetUserBySub returns the pool's user with the given sub, or store.ErrNotFound.
func (s *Store) GetUserBySub(ctx context.Context, poolID, sub string) (store.User, error) {
	return queryOne(ctx, s.rdb, scanUser, "SELECT "+userColumns+" FROM users WHERE pool_id = $1 AND sub = $2",
		[]any{poolID, sub}, "get user with sub %q of pool %q", sub, poolID)
}

// FindUsersByAttribute returns the users of the pool whose attribute name has exactly
// value (case-sensitive), ordered by UsernameKey, through the attribute index.
func (s *Store) FindUsersByAttribute(ctx context.Context, poolID, name, value string) ([]store.User, error) {
	rows, err := s.rdb.QueryContext(ctx,
		"SELECT "+userColumns+" FROM users WHERE pool_id = $1 AND username_key IN "+
			"(SELECT username_key FROM user_attributes WHERE pool_id = $1 AND name = $2 AND value = $3) "+
			"ORDER BY username_key",
		poolID, name, indexValue(value))
	if err != nil {
		return nil, mapErr("find users by attribute", err)
	}
	return collect(rows, "find users by attribute", scanUser)
}

// ListUsers pages through the pool's users ordered by UsernameKey, optionally filtered
// (see userFilter for what a filter may name).
func (s *Store) ListUsers(ctx context.Context, poolID string, filter *store.UserFilter, page store.Page) ([]store.User, error) {
	query := "SELECT " + userColumns + " FROM users WHERE pool_id = $1 AND username_key > $2"
	args := []any{poolID, page.After}
	if filter != nil {
		cond, condArgs, ok := userFilter(*filter, len(args)+1)
		if !ok {
			return nil, nil // nothing can match
		}
		query += cond
		args = append(args, condArgs...)
	}
	return listPage(ctx, s.rdb, "list users", scanUser, query, "username_key", page, args...)
}

// CountUsers returns how many users the pool has.
func (s *Store) CountUsers(ctx context.Context, poolID string) (int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE pool_id = $1", poolID).Scan(&n); err != nil {
		return 0, mapErr("count users", err)
	}
	return n, nil
}

// UpdateUser runs fn on the current user in a transaction and stores its result. The pool
// and UsernameKey stay the ones given; every other field, Username and Sub included, is
// fn's. The attribute index and the claims are rewritten when the attributes changed.
func (s *Store) UpdateUser(ctx context.Context, poolID, usernameKey string, fn func(old store.User) (store.User, error)) error {
	op := fmt.Sprintf("update user %q of pool %q", usernameKey, poolID)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		// FOR NO KEY UPDATE: DeclareUniqueness, holding the pool's row, may insert claims
		// referencing this row meanwhile (a key-share lock), so this lock must not conflict
		// with that, or the two would wait on each other.
		old, err := getUser(ctx, tx, poolID, usernameKey, s.forNoKeyUpdate())
		if err != nil {
			return err
		}
		// fn gets its own copy of the attributes, so that editing them in place cannot
		// hide a change from the comparison below.
		arg := old
		arg.Attributes = slices.Clone(old.Attributes)
		u, err := fn(arg)
		if err != nil {
			return callerError{err}
		}
		attrs, err := encodeAttributes(u.Attributes)
		if err != nil {
			return callerError{err}
		}
		res, err := tx.ExecContext(ctx,
			"UPDATE users SET username = $3, sub = $4, status = $5, enabled = $6, attributes = $7, "+
				"created_at = $8, updated_at = $9, password_hash = $10, password_expires_at = $11, "+
				"failed_attempts = $12, last_failure_at = $13, locked_until = $14, extra = $15 "+
				"WHERE pool_id = $1 AND username_key = $2",
			poolID, usernameKey, u.Username, u.Sub, u.Status, u.Enabled, attrs,
			millis(u.CreatedAt), millis(u.UpdatedAt), u.PasswordHash, millis(u.PasswordExpiresAt),
			u.FailedAttempts, millis(u.LastFailureAt), millis(u.LockedUntil), jsonValue(u.Extra))
		if err != nil {
			return err
		}
		if err := mustAffect(op, res); err != nil {
			return err
		}
		if slices.Equal(old.Attributes, u.Attributes) {
			return nil // the lockout and password paths leave the index alone
		}
		if _, err := tx.ExecContext(ctx,
			"DELETE FROM user_attributes WHERE pool_id = $1 AND username_key = $2",
			poolID, usernameKey); err != nil {
			return err
		}
		if err := indexAttributes(ctx, tx, poolID, usernameKey, u.Attributes); err != nil {
			return err
		}
		// The rule is read only now: the lockout and password paths, the common updates,
		// do not touch the pool's row at all.
		rule, err := s.poolUniqueness(ctx, tx, poolID)
		if err != nil {
			return err
		}
		return reclaim(ctx, tx, rule, poolID, usernameKey, old.Attributes, u.Attributes)
	})
}

// DeleteUser removes the user, its attribute index rows, and the codes, refresh tokens and
// challenge sessions issued to it: a user later created with the same username must not
// inherit them.
func (s *Store) DeleteUser(ctx context.Context, poolID, usernameKey string) error {
	op := fmt.Sprintf("delete user %q of pool %q", usernameKey, poolID)
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			"DELETE FROM users WHERE pool_id = $1 AND username_key = $2", poolID, usernameKey)
		if err != nil {
			return err
		}
		if err := mustAffect(op, res); err != nil {
			return err
		}
		for _, table := range []string{"codes", "refresh_tokens", "auth_sessions"} {
			if _, err := tx.ExecContext(ctx,
				"DELETE FROM "+table+" WHERE pool_id = $1 AND username_key = $2",
				poolID, usernameKey); err != nil {
				return err
			}
		}
		return nil
	})
}
