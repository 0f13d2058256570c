package sqlstore

import (
	"context"
	"fmt"
)

// PragmaInt reads an integer PRAGMA on the writer's and a reader's connection, and fails
// if they differ, so that a test sees what every connection was given.
func (s *Store) PragmaInt(ctx context.Context, name string) (int, error) {
	var w, r int
	if err := s.db.QueryRowContext(ctx, "PRAGMA "+name).Scan(&w); err != nil {
		return 0, err
	}
	if err := s.rdb.QueryRowContext(ctx, "PRAGMA "+name).Scan(&r); err != nil {
		return 0, err
	}
	if w != r {
		return 0, fmt.Errorf("PRAGMA %s: writer %d, reader %d", name, w, r)
	}
	return w, nil
}
