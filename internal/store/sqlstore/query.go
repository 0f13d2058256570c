package sqlstore

import (
	"database/sql"
	"strconv"

	"github.com/gatehouse/gatehouse/internal/store"
)

// paged appends the ordering and the page's limit to a query whose last placeholder takes
// after (the key that the page starts after). The limit is a bound parameter too.
func paged(query, orderBy string, page store.Page, args ...any) (string, []any) {
	query += " ORDER BY " + orderBy
	if page.Limit > 0 {
		args = append(args, page.Limit)
		query += " LIMIT $" + strconv.Itoa(len(args))
	}
	return query, args
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, op string, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(op, err)
	}
	return out, nil
}
