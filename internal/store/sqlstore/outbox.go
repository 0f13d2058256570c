package sqlstore

import (
	"context"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/store"
)

// AddMessage appends a message to the outbox and returns its ID, which is greater than
// every earlier message's. m.ID is ignored.
func (s *Store) AddMessage(ctx context.Context, m store.Message) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx,
		"INSERT INTO outbox (pool_id, username, medium, destination, subject, body, created_at) "+
			"VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		m.PoolID, m.Username, m.Medium, m.Destination, m.Subject, m.Body, millis(m.CreatedAt)).Scan(&id)
	if err != nil {
		return 0, mapErr("add outbox message", err)
	}
	return id, nil
}

// ListMessages returns messages with ID > afterID, of one pool or (poolID "") of all,
// oldest first, at most limit of them (limit <= 0: all).
func (s *Store) ListMessages(ctx context.Context, poolID string, afterID int64, limit int) ([]store.Message, error) {
	query := "SELECT id, pool_id, username, medium, destination, subject, body, created_at FROM outbox WHERE id > $1"
	args := []any{afterID}
	if poolID != "" {
		args = append(args, poolID)
		query += " AND pool_id = $" + strconv.Itoa(len(args))
	}
	query += " ORDER BY id"
	if limit > 0 {
		args = append(args, limit)
		query += " LIMIT $" + strconv.Itoa(len(args))
	}
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr("list outbox messages", err)
	}
	return collect(rows, "list outbox messages", func(row scanner) (store.Message, error) {
		var m store.Message
		err := row.Scan(&m.ID, &m.PoolID, &m.Username, &m.Medium, &m.Destination, &m.Subject, &m.Body,
			msTime{&m.CreatedAt})
		return m, err
	})
}
