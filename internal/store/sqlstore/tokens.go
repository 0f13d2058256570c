package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

const refreshTokenColumns = "hash, pool_id, client_id, username_key, origin_jti, auth_time, created_at, expires_at, revoked, replaced_at, scopes"

func scanRefreshToken(row scanner) (store.RefreshToken, error) {
	var t store.RefreshToken
	err := row.Scan(&t.Hash, &t.PoolID, &t.ClientID, &t.UsernameKey, &t.OriginJTI,
		msTime{&t.AuthTime}, msTime{&t.CreatedAt}, msTime{&t.ExpiresAt}, &t.Revoked, msTime{&t.ReplacedAt}, &t.Scopes)
	return t, err
}

// CreateRefreshToken stores a new refresh token by its hash; store.ErrAlreadyExists when
// the hash is taken, store.ErrNotFound when the pool does not exist.
func (s *Store) CreateRefreshToken(ctx context.Context, t store.RefreshToken) error {
	return mapErr("create refresh token", insertRefreshToken(ctx, s.db, t))
}

func insertRefreshToken(ctx context.Context, q querier, t store.RefreshToken) error {
	_, err := q.ExecContext(ctx,
		"INSERT INTO refresh_tokens ("+refreshTokenColumns+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
		nonNil(t.Hash), t.PoolID, t.ClientID, t.UsernameKey, t.OriginJTI,
		millis(t.AuthTime), millis(t.CreatedAt), millis(t.ExpiresAt), t.Revoked, millis(t.ReplacedAt), t.Scopes)
	return err
}

// RotateRefreshToken stores the token fn returns and marks the token oldHash replaced at
// that token's CreatedAt (an earlier replacement time stays), in one transaction that
// holds the old token's row, so two rotations of one token run one after the other.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash []byte, fn func(old store.RefreshToken) (store.RefreshToken, error)) error {
	const op = "rotate refresh token"
	return s.inTx(ctx, op, func(tx *sql.Tx) error {
		old, err := scanRefreshToken(tx.QueryRowContext(ctx,
			"SELECT "+refreshTokenColumns+" FROM refresh_tokens WHERE hash = $1"+s.forUpdate(), nonNil(oldHash)))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w", op, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		next, err := fn(old)
		if err != nil {
			return callerError{err}
		}
		if _, err := tx.ExecContext(ctx,
			"UPDATE refresh_tokens SET replaced_at = $2 WHERE hash = $1 AND replaced_at IS NULL",
			nonNil(oldHash), millis(next.CreatedAt)); err != nil {
			return err
		}
		if err := insertRefreshToken(ctx, tx, next); err != nil {
			if mapped := mapErr(op, err); isSentinel(mapped) {
				return mapped
			}
			return err
		}
		return nil
	})
}

// RevokeRefreshTokenFamily revokes the pool's tokens that share originJTI and returns how
// many were not revoked before.
func (s *Store) RevokeRefreshTokenFamily(ctx context.Context, poolID, originJTI string) (int, error) {
	res, err := s.db.ExecContext(ctx,
		"UPDATE refresh_tokens SET revoked = TRUE WHERE pool_id = $1 AND origin_jti = $2 AND revoked = FALSE",
		poolID, originJTI)
	return affected("revoke refresh token family", res, err)
}

// GetRefreshToken returns the token with the given hash, revoked or not, or
// store.ErrNotFound. Expiry is the caller's to check.
func (s *Store) GetRefreshToken(ctx context.Context, hash []byte) (store.RefreshToken, error) {
	t, err := scanRefreshToken(s.rdb.QueryRowContext(ctx,
		"SELECT "+refreshTokenColumns+" FROM refresh_tokens WHERE hash = $1", nonNil(hash)))
	if err != nil {
		return store.RefreshToken{}, mapErr("get refresh token", err)
	}
	return t, nil
}

// GetRefreshTokenByOrigin returns the refresh token of the sign-in whose tokens carry
// originJTI (the newest, should several share it), or store.ErrNotFound.
func (s *Store) GetRefreshTokenByOrigin(ctx context.Context, originJTI string) (store.RefreshToken, error) {
	t, err := scanRefreshToken(s.rdb.QueryRowContext(ctx,
		"SELECT "+refreshTokenColumns+" FROM refresh_tokens WHERE origin_jti = $1 "+
			"ORDER BY created_at DESC, hash LIMIT 1", originJTI))
	if err != nil {
		return store.RefreshToken{}, mapErr("get refresh token by origin", err)
	}
	return t, nil
}

// RevokeRefreshToken marks the token revoked (again, harmlessly, when it already is);
// store.ErrNotFound when there is no such token.
func (s *Store) RevokeRefreshToken(ctx context.Context, hash []byte) error {
	res, err := s.db.ExecContext(ctx, "UPDATE refresh_tokens SET revoked = TRUE WHERE hash = $1", nonNil(hash))
	if err != nil {
		return mapErr("revoke refresh token", err)
	}
	return mustAffect("revoke refresh token", res)
}

// RevokeUserRefreshTokens revokes every live refresh token of the user and returns how
// many were not revoked before.
func (s *Store) RevokeUserRefreshTokens(ctx context.Context, poolID, usernameKey string) (int, error) {
	res, err := s.db.ExecContext(ctx,
		"UPDATE refresh_tokens SET revoked = TRUE WHERE pool_id = $1 AND username_key = $2 AND revoked = FALSE",
		poolID, usernameKey)
	return affected("revoke user refresh tokens", res, err)
}

// DeleteExpiredRefreshTokens removes the tokens whose expiry is before t (tokens without
// an expiry stay) and returns how many it removed.
func (s *Store) DeleteExpiredRefreshTokens(ctx context.Context, t time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx,
		"DELETE FROM refresh_tokens WHERE expires_at < $1", t.UnixMilli())
	return affected("delete expired refresh tokens", res, err)
}

func affected(op string, res interface{ RowsAffected() (int64, error) }, err error) (int, error) {
	if err != nil {
		return 0, mapErr(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, mapErr(op, err)
	}
	return int(n), nil
}
