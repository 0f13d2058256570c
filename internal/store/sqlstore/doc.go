// Package sqlstore is Gatehouse's one SQL implementation of store.Store, with two dialects:
// SQLite (modernc.org/sqlite, the single-node default: a file in --data) and PostgreSQL
// (jackc/pgx through database/sql, for several nodes sharing one database).
//
// It owns:
//   - the schema of both dialects as embedded, versioned migrations (migrations/{dialect}),
//     applied by Open in one transaction and recorded in schema_migrations;
//   - the translation of driver errors into store's sentinels at its boundary
//     (unique violations → store.ErrAlreadyExists, missing rows → store.ErrNotFound,
//     repeated serialization failures → store.ErrConflict), so no driver type leaks out;
//   - the transactions behind the Update* methods and the atomic single-statement
//     operations (ConsumeAuthSession, IncrementCodeAttempts);
//   - the user_attributes index that keeps attribute look-ups and filters off a pool scan.
//
// It must never:
//   - hold business rules: what a Spec, Extra or Status means, when a code expires or a user
//     is locked out is decided by the package that owns the aggregate; this package stores
//     values verbatim and enforces only uniqueness and referential integrity;
//   - be imported by anything but cmd/ and tests: everything else asks for the narrow
//     store interfaces it needs;
//   - build SQL from input: every value is a bound parameter, and no query grows with the
//     size of its input (no IN lists built from caller data);
//   - keep package-level mutable state: every *Store is independent.
//
// An Update* function runs inside the write transaction and must not call back into the
// Store: on SQLite the transaction holds the only write connection, so a nested write
// would wait for itself.
package sqlstore
