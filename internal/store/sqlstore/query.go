package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
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

// queryOne scans the single row of a query with scan; a failure (sql.ErrNoRows becoming
// store.ErrNotFound) is described by opFormat and opArgs, formatted only then.
func queryOne[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args []any, opFormat string, opArgs ...any) (T, error) {
	v, err := scan(q.QueryRowContext(ctx, query, args...))
	if err != nil {
		var zero T
		return zero, mapErr(fmt.Sprintf(opFormat, opArgs...), err)
	}
	return v, nil
}

// listPage runs a query through paged (ordered by orderBy, limited to the page) and scans
// every row with scan; op describes a failure.
func listPage[T any](ctx context.Context, q querier, op string, scan func(scanner) (T, error), query, orderBy string, page store.Page, args ...any) ([]T, error) {
	query, args = paged(query, orderBy, page, args...)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(op, err)
	}
	return collect(rows, op, scan)
}
