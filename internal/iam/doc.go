// Package iam owns the slice of AWS IAM and STS that Gatehouse speaks:
//
//   - temporary credentials (credentials.go): it mints the access key id, secret access key
//     and session token that GetCredentialsForIdentity hands out for an identity and role,
//     and stores them so that any node can verify requests signed with them;
//   - IAM's query API (API, an http.Handler and Go methods): roles and their trust and
//     inline policies, users, their inline policies and long-term access keys; and STS's
//     GetCallerIdentity;
//   - Principals: the SigV4 credential lookup for both kinds of keys, and who a key speaks
//     for (user or assumed role, with its parsed inline policies), from a bounded cache;
//   - Authenticator: admin authentication for every operation AWS authorises with IAM
//     credentials — Cognito user-pool and identity-pool management and Admin* calls (JSON
//     1.1, via awsapi), IAM and STS (the query API): a SigV4 check for the operation's
//     signing service, then the caller's policies on "{service}:{Operation}" and the pool,
//     role or user ARN the call names; in protected mode (AuthenticatorConfig.Open: every
//     listener on a loopback address) unsigned and unknown-key requests are let through,
//     while a known key is always checked in full;
//   - the first administrator (bootstrap.go): EnsureAdminKey creates the IAM user
//     gatehouse-admin, allowed everything, and writes an active key of theirs to an AWS
//     shared-credentials file (profile gatehouse), keeping the file's other profiles.
//
// Identifiers look like AWS's (IAM User Guide, "IAM identifiers"): temporary keys "ASIA" +
// 16 characters of [A-Z2-7], long-term keys "AKIA" + 16, role ids "AROA" + 17, user ids
// "AIDA" + 17, secrets 40 characters. Temporary credentials last one hour (Cognito Identity
// API reference, GetCredentialsForIdentity). Secrets are stored sealed with the master key
// (additional data "gatehouse/temporary-credentials/{id}" or "gatehouse/access-key/{id}"),
// session tokens only as their SHA-256: a copy of the database lets nobody sign as a caller.
//
// The query protocol (IAM API reference, "Making query requests"): POST / with an
// application/x-www-form-urlencoded body of Action, Version (2010-05-08 for IAM,
// 2011-06-15 for STS) and the action's parameters. Its framing — reading the bounded
// parameters, the XML answer in the service's namespace with a RequestId, and errors as
// <ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error>
// <RequestId>…</RequestId></ErrorResponse> — is package awsapi's, beside JSON 1.1; this
// package owns the actions. Policy documents are URL-encoded, dates ISO 8601. Parameters are
// checked by package awsapi/model against IAM's and STS's own models (ValidationError in
// Coral's words) before an action runs, and every policy document is parsed by package
// policy (MalformedPolicyDocument). The Go methods trust their caller's input: the
// constraints are checked at the protocol edge, as for the JSON services.
//
// Response shapes (types.go) are written by hand rather than generated: the query
// protocol's XML needs what a model does not say (policy documents URL-encoded, lists as
// <member> items, which empty members IAM leaves out), and the handful Gatehouse answers
// with are tested member by member against the model's output shapes (shapes_test.go).
//
// The cache bound. Principals keeps positive answers for CacheTTL (10 s), at most
// MaxEntries of them. A change made through this node's API empties the cache at once; a
// change made on another node sharing the database (a deleted or deactivated access key,
// a changed or deleted inline policy, a deleted user or role) takes effect here within
// CacheTTL. Temporary credentials whose role is gone keep verifying until they expire, with
// no policies: everything they ask is denied.
//
// It never evaluates policies itself (package policy does; the Authenticator and the
// gateway's AWS_IAM authorizer ask it), never logs a secret, and keeps no package-level mutable state: its
// action tables are fixed at compile time.
package iam
