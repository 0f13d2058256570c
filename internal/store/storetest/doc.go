// Package storetest is the conformance suite every store.Store backend passes, modelled on
// dex's storage/conformance: a backend's own test is a few lines that hand Run a
// constructor for empty stores.
//
// The suite states the contract more exactly than the interfaces' comments can. Beyond
// those comments it holds backends to these choices:
//   - times come back in UTC with at least millisecond precision; the zero time comes back
//     as the zero time;
//   - a nil or empty json.RawMessage comes back nil; any other comes back byte for byte;
//     no attributes come back as an empty (nil) slice; attributes keep their order;
//   - Update* keeps the key fields it was called with (pool ID, client ID, UsernameKey)
//     whatever fn returns, stores every other field of fn's result, does not call fn for a
//     missing row (store.ErrNotFound), and returns fn's error itself, leaving the row as it was;
//   - creating a row in a pool that does not exist is store.ErrNotFound;
//   - DeleteUser also removes the user's codes, refresh tokens and auth sessions, and
//     DeleteClient the refresh tokens and auth sessions issued through the client, so a
//     later user or client of the same name never inherits them;
//   - ListUsers filters are case-sensitive; a prefix filter's value is literal (no
//     character in it is a wildcard).
//
// It is imported by tests only.
package storetest
