package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Rows per multi-row INSERT: well under both servers' bound on parameters in one statement
// (65,535 for PostgreSQL, 32,766 for SQLite since 3.32).
const (
	bulkUserRows  = 100 // × 15 parameters
	bulkOtherRows = 500 // attribute (× 4) and membership (× 3) rows
)

// CreateUsers stores a batch of users, their attribute index rows and their group
// memberships in one transaction (one fsync on SQLite instead of one per user). A user whose
// UsernameKey the pool already has is skipped; any other failure aborts the batch as a
// *store.UserBatchError naming the user.
//
// The rows go in multi-row INSERTs (a round trip to PostgreSQL per hundred users rather than
// several per user). Such a statement cannot say which of its rows broke a constraint, so a
// batch that fails that way is run again one row at a time, which names the user.
func (s *Store) CreateUsers(ctx context.Context, users []store.NewUser) ([]bool, error) {
	if len(users) == 0 {
		return nil, nil
	}
	attrs := make([]string, len(users))
	for i, nu := range users {
		a, err := encodeAttributes(nu.User.Attributes)
		if err != nil {
			return nil, &store.UserBatchError{Index: i, Err: err}
		}
		attrs[i] = a
	}
	created := make([]bool, len(users))
	err := s.inTx(ctx, "create users", func(tx *sql.Tx) error {
		clear(created) // a retry starts over
		return s.createUsersMultiRow(ctx, tx, users, attrs, created)
	})
	if err == nil {
		return created, nil
	}
	if !errors.Is(err, store.ErrAlreadyExists) && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	err = s.inTx(ctx, "create users", func(tx *sql.Tx) error {
		clear(created)
		return s.createUsersRowByRow(ctx, tx, users, attrs, created)
	})
	if err != nil {
		return nil, err
	}
	return created, nil // the conflict went away meanwhile
}

func userRow(u store.User, attrs string) []any {
	return []any{u.PoolID, u.UsernameKey, u.Username, u.Sub, u.Status, u.Enabled, attrs,
		millis(u.CreatedAt), millis(u.UpdatedAt), u.PasswordHash, millis(u.PasswordExpiresAt),
		u.FailedAttempts, millis(u.LastFailureAt), millis(u.LockedUntil), jsonValue(u.Extra)}
}

// valuesList is "($1, $2), ($3, $4)" for rows rows of cols columns; on SQLite
// "(?, ?), (?, ?)", which it numbers in order: it looks every $N up by name, in time that
// grows with the number of parameters before it, so that a statement of a thousand $N
// parameters takes longer to compile than to run.
func (s *Store) valuesList(rows, cols int) string {
	if s.dialect == dialectSQLite {
		row := "(?" + strings.Repeat(", ?", cols-1) + ")"
		return row + strings.Repeat(", "+row, rows-1)
	}
	var b strings.Builder
	n := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}

func (s *Store) createUsersMultiRow(ctx context.Context, tx *sql.Tx, users []store.NewUser, attrs []string, created []bool) error {
	type key struct{ pool, username string }
	for start := 0; start < len(users); start += bulkUserRows {
		chunk := users[start:min(start+bulkUserRows, len(users))]
		args := make([]any, 0, len(chunk)*15)
		for i, nu := range chunk {
			args = append(args, userRow(nu.User, attrs[start+i])...)
		}
		rows, err := tx.QueryContext(ctx, "INSERT INTO users ("+userColumns+") VALUES "+s.valuesList(len(chunk), 15)+
			" ON CONFLICT (pool_id, username_key) DO NOTHING RETURNING pool_id, username_key", args...)
		if err != nil {
			return mapErr("create users", err)
		}
		inserted := map[key]bool{}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.pool, &k.username); err != nil {
				rows.Close()
				return mapErr("create users", err)
			}
			inserted[k] = true
		}
		if err := rows.Close(); err != nil {
			return mapErr("create users", err)
		}
		if err := rows.Err(); err != nil {
			return mapErr("create users", err)
		}
		// Rows go in in order, so of two with one key the first was inserted.
		for i, nu := range chunk {
			k := key{nu.User.PoolID, nu.User.UsernameKey}
			if inserted[k] {
				created[start+i] = true
				delete(inserted, k)
			}
		}
	}

	var attrRows, memberRows []any
	for i, nu := range users {
		if !created[i] {
			continue
		}
		u := nu.User
		for _, a := range u.Attributes {
			attrRows = append(attrRows, u.PoolID, u.UsernameKey, a.Name, indexValue(a.Value))
		}
		for _, g := range nu.Groups {
			memberRows = append(memberRows, u.PoolID, g, u.UsernameKey)
		}
	}
	if err := s.insertMany(ctx, tx, "INSERT INTO user_attributes (pool_id, username_key, name, value) VALUES ", 4, attrRows); err != nil {
		return mapErr("index attributes of created users", err)
	}
	if err := s.insertMany(ctx, tx, "INSERT INTO group_members (pool_id, group_name, username_key) VALUES ", 3, memberRows); err != nil {
		return mapErr("add created users to groups", err)
	}
	return s.claimCreated(ctx, tx, users, created)
}

// claimCreated claims the unique values of the users the batch created, one row at a time
// so that a value another user holds names its user.
func (s *Store) claimCreated(ctx context.Context, tx *sql.Tx, users []store.NewUser, created []bool) error {
	rules := map[string]*store.Uniqueness{}
	for i, nu := range users {
		if !created[i] {
			continue
		}
		u := nu.User
		rule, ok := rules[u.PoolID]
		if !ok {
			var err error
			if rule, err = s.poolUniqueness(ctx, tx, u.PoolID); err != nil {
				return &store.UserBatchError{Index: i, Err: err}
			}
			rules[u.PoolID] = rule
		}
		if err := claim(ctx, tx, u.PoolID, u.UsernameKey, rule.Claims(u.Attributes)); err != nil {
			var ce *store.ClaimConflictError
			if errors.As(err, &ce) {
				return &store.UserBatchError{Index: i, Err: err}
			}
			return &store.UserBatchError{Index: i, Err: mapErr(fmt.Sprintf("claim values of user %q of pool %q", u.UsernameKey, u.PoolID), err)}
		}
	}
	return nil
}

// insertMany inserts flat rows of cols values each, bulkOtherRows at a time; a row already
// there is left alone.
func (s *Store) insertMany(ctx context.Context, tx *sql.Tx, insert string, cols int, flat []any) error {
	step := bulkOtherRows * cols
	for start := 0; start < len(flat); start += step {
		chunk := flat[start:min(start+step, len(flat))]
		if _, err := tx.ExecContext(ctx, insert+s.valuesList(len(chunk)/cols, cols)+" ON CONFLICT DO NOTHING", chunk...); err != nil {
			return err
		}
	}
	return nil
}

// createUsersRowByRow is CreateUsers one statement per row, so that a failure names its
// user.
func (s *Store) createUsersRowByRow(ctx context.Context, tx *sql.Tx, users []store.NewUser, attrs []string, created []bool) error {
	for i, nu := range users {
		u := nu.User
		fail := func(what string, err error) error {
			return &store.UserBatchError{Index: i, Err: mapErr(fmt.Sprintf("%s %q of pool %q", what, u.UsernameKey, u.PoolID), err)}
		}
		res, err := tx.ExecContext(ctx, "INSERT INTO users ("+userColumns+") VALUES "+s.valuesList(1, 15)+
			" ON CONFLICT (pool_id, username_key) DO NOTHING", userRow(u, attrs[i])...)
		if err != nil {
			return fail("create user", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fail("create user", err)
		}
		if n == 0 {
			continue // the pool has this username: leave it alone
		}
		created[i] = true
		if err := indexAttributes(ctx, tx, u.PoolID, u.UsernameKey, u.Attributes); err != nil {
			return fail("index attributes of user", err)
		}
		for _, g := range nu.Groups {
			if _, err := tx.ExecContext(ctx,
				"INSERT INTO group_members (pool_id, group_name, username_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
				u.PoolID, g, u.UsernameKey); err != nil {
				return fail(fmt.Sprintf("add to group %q: user", g), err)
			}
		}
	}
	return s.claimCreated(ctx, tx, users, created)
}

var _ store.BulkUsers = (*Store)(nil)
