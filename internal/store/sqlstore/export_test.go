package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

// OpenAtVersion opens url with only the migrations up to version applied, as an older
// Gatehouse left the database; Exec then writes rows in that schema.
func OpenAtVersion(ctx context.Context, url string, version int) (*Store, error) {
	var (
		s   *Store
		err error
	)
	if strings.HasPrefix(url, "postgres://") {
		s, err = openPostgres(url)
	} else {
		s, err = openSQLite(url)
	}
	if err != nil {
		return nil, err
	}
	ms, err := loadMigrations(s.dialect)
	if err != nil {
		return nil, err
	}
	err = s.inTx(ctx, "migrate to version", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"); err != nil {
			return err
		}
		for _, m := range ms {
			if m.version > version {
				break
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 0)", m.version); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Exec runs a statement on the writer.
func (s *Store) Exec(ctx context.Context, query string, args ...any) error {
	_, err := s.db.ExecContext(ctx, query, args...)
	return err
}
