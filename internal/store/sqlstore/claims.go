package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Unique attribute values (store.Uniqueness). Each value a user claims is a user_claims row
// whose primary key is (pool, attribute, value), so the database itself refuses a second
// holder: two transactions inserting one value cannot both commit, on SQLite (one writer at
// a time) or on PostgreSQL (the second insert waits for the first to commit and then finds
// the row), on one node or several.

func decodeUniqueness(raw json.RawMessage) (*store.Uniqueness, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var u store.Uniqueness
	if err := json.Unmarshal(raw, &u); err != nil {
		return nil, fmt.Errorf("decode uniqueness: %w", err)
	}
	return &u, nil
}

func encodeUniqueness(u *store.Uniqueness) (any, error) {
	if u == nil {
		return nil, nil
	}
	b, err := json.Marshal(u)
	if err != nil {
		return nil, fmt.Errorf("encode uniqueness: %w", err)
	}
	return string(b), nil
}

// poolUniqueness reads the pool's rule inside a user write. On PostgreSQL the row is share
// locked, so that the write waits for a DeclareUniqueness in progress (which locks it for
// update) and the claims it writes follow the rule that is committed. A pool that does not
// exist is store.ErrNotFound.
func (s *Store) poolUniqueness(ctx context.Context, tx *sql.Tx, poolID string) (*store.Uniqueness, error) {
	lock := ""
	if s.dialect == dialectPostgres {
		lock = " FOR SHARE"
	}
	var raw json.RawMessage
	err := tx.QueryRowContext(ctx, "SELECT uniqueness FROM user_pools WHERE id = $1"+lock, poolID).Scan(rawJSON{&raw})
	if err != nil {
		return nil, mapErr(fmt.Sprintf("get user pool %q", poolID), err)
	}
	return decodeUniqueness(raw)
}

// claim inserts the user's claims; a value another user holds is a *store.ClaimConflictError
// and, the caller's transaction being rolled back, nothing is written.
func claim(ctx context.Context, tx *sql.Tx, poolID, usernameKey string, claims []store.Claim) error {
	for _, c := range claims {
		taken, err := insertClaim(ctx, tx, poolID, usernameKey, c)
		if err != nil {
			return err
		}
		if taken {
			return &store.ClaimConflictError{Attribute: c.Attribute}
		}
	}
	return nil
}

// insertClaim inserts one claim; taken reports that another user holds the value. ON
// CONFLICT DO NOTHING rather than a failing insert keeps a PostgreSQL transaction usable and
// still waits for a concurrent, uncommitted insert of the same value to settle.
func insertClaim(ctx context.Context, tx *sql.Tx, poolID, usernameKey string, c store.Claim) (taken bool, err error) {
	res, err := tx.ExecContext(ctx,
		"INSERT INTO user_claims (pool_id, attribute, value, username_key) VALUES ($1, $2, $3, $4) "+
			"ON CONFLICT DO NOTHING",
		poolID, c.Attribute, indexValue(c.Value), usernameKey)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 0, nil
}

// reclaim replaces the user's claims when the claims that the old and the new attributes
// make under the rule differ. Comparing what the attributes make, not what is stored, keeps
// a user that DeclareUniqueness left without a duplicate value updatable in other ways.
func reclaim(ctx context.Context, tx *sql.Tx, rule *store.Uniqueness, poolID, usernameKey string, oldAttrs, newAttrs []store.Attribute) error {
	next := rule.Claims(newAttrs)
	if slices.Equal(rule.Claims(oldAttrs), next) {
		return nil
	}
	if _, err := tx.ExecContext(ctx,
		"DELETE FROM user_claims WHERE pool_id = $1 AND username_key = $2", poolID, usernameKey); err != nil {
		return err
	}
	return claim(ctx, tx, poolID, usernameKey, next)
}

// GetUserByClaim returns the user holding value of the unique attribute, or
// store.ErrNotFound.
func (s *Store) GetUserByClaim(ctx context.Context, poolID, attribute, value string) (store.User, error) {
	return queryOne(ctx, s.rdb, scanUser,
		"SELECT "+userColumns+" FROM users WHERE pool_id = $1 AND username_key = "+
			"(SELECT username_key FROM user_claims WHERE pool_id = $1 AND attribute = $2 AND value = $3)",
		[]any{poolID, attribute, indexValue(value)}, "get user by %s of pool %q", attribute, poolID)
}

// declarePage is how many users DeclareUniqueness reads at a time: a connection cannot run
// the inserts while a result set is open, so users are read in pages.
const declarePage = 500

// DeclareUniqueness stores the pool's rule and, when it changed, rebuilds the pool's claims
// in one transaction, older users first (see store.UserPools).
func (s *Store) DeclareUniqueness(ctx context.Context, poolID string, rule store.Uniqueness) ([]store.UniqueDuplicate, error) {
	want, err := encodeUniqueness(&rule)
	if err != nil {
		return nil, err
	}
	op := fmt.Sprintf("declare uniqueness of pool %q", poolID)
	var dups []store.UniqueDuplicate
	err = s.inTx(ctx, op, func(tx *sql.Tx) error {
		dups = nil // a retry starts over
		old, err := getPool(ctx, tx, poolID, s.forUpdate())
		if err != nil {
			return err
		}
		if cur, _ := encodeUniqueness(old.Uniqueness); cur == want {
			return nil // declared already: every user's claims follow it
		}
		if _, err := tx.ExecContext(ctx, "UPDATE user_pools SET uniqueness = $2 WHERE id = $1", poolID, want); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM user_claims WHERE pool_id = $1", poolID); err != nil {
			return err
		}
		type row struct {
			key     string
			created int64
			attrs   []store.Attribute
		}
		var after *row
		for {
			query := "SELECT username_key, COALESCE(created_at, 0), attributes FROM users WHERE pool_id = $1"
			args := []any{poolID}
			if after != nil {
				query += " AND (COALESCE(created_at, 0) > $2 OR (COALESCE(created_at, 0) = $2 AND username_key > $3))"
				args = append(args, after.created, after.key)
			}
			query += " ORDER BY COALESCE(created_at, 0), username_key LIMIT " + fmt.Sprint(declarePage)
			rows, err := tx.QueryContext(ctx, query, args...)
			if err != nil {
				return err
			}
			var page []row
			for rows.Next() {
				var (
					r     row
					attrs string
				)
				if err := rows.Scan(&r.key, &r.created, &attrs); err != nil {
					rows.Close()
					return err
				}
				if err := json.Unmarshal([]byte(attrs), &r.attrs); err != nil {
					rows.Close()
					return fmt.Errorf("decode attributes of %q: %w", r.key, err)
				}
				page = append(page, r)
			}
			if err := rows.Close(); err != nil {
				return err
			}
			if err := rows.Err(); err != nil {
				return err
			}
			for _, r := range page {
				for _, c := range rule.Claims(r.attrs) {
					taken, err := insertClaim(ctx, tx, poolID, r.key, c)
					if err != nil {
						return err
					}
					if !taken {
						continue
					}
					var holder string
					if err := tx.QueryRowContext(ctx,
						"SELECT username_key FROM user_claims WHERE pool_id = $1 AND attribute = $2 AND value = $3",
						poolID, c.Attribute, indexValue(c.Value)).Scan(&holder); err != nil {
						return err
					}
					dups = append(dups, store.UniqueDuplicate{Attribute: c.Attribute, Value: c.Value, Holder: holder, Other: r.key})
				}
			}
			if len(page) < declarePage {
				return nil
			}
			after = &page[len(page)-1]
		}
	})
	if err != nil {
		return nil, err
	}
	return dups, nil
}
