// Package userexport moves a user pool's users out of and into Gatehouse, so that no
// installation locks its users in (`gatehouse users export` / `gatehouse users import`,
// docs/export-import.md).
//
// It owns the gatehouse-users file format (JSON Lines: a header, groups, users, an end line;
// format.go), writing a pool's groups and users to such a file (export.go), reading one into
// a pool (import.go), and reading Cognito's user-import CSV file into a pool (csv.go), and what the commands
// report (report.go: the import file or stdin, progress on a terminal, summary lines). Both
// directions stream: the export reads the store a page at a time, the import writes a batch
// at a time, so neither holds a pool's users in memory.
//
// It reaches the pool's rules (username keys, the attribute schema, unique contacts, sealed
// SRP verifiers, recreating a missing pool) only through userpool's exported BulkPool, and
// the store through the narrow Store interface below. It must never weaken a check that
// AdminCreateUser makes (an imported user is one AdminCreateUser would accept, with its
// password hash and dates kept), never write part of a user (a user and its group
// memberships go in one transaction), never overwrite a user or group the pool already has
// (running an import again changes nothing), and never log or print what signs users in:
// the files carry password hashes and SRP verifiers, and only the caller decides where
// they go.
package userexport
