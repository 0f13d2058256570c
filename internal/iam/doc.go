// Package iam owns temporary AWS credentials: it mints the access key id, secret access key
// and session token that GetCredentialsForIdentity hands out for an identity and role, stores
// them so that any node can verify requests signed with them, and answers the SigV4
// verifier's credential lookups.
//
// Credentials look like AWS's: an access key id "ASIA" + 16 characters of [A-Z2-7] (the form
// of temporary keys: IAM User Guide, "Unique identifiers", prefix ASIA), a 40-character
// secret, an opaque session token, and an expiration one hour after issue (Cognito Identity
// API reference, GetCredentialsForIdentity: "credentials are valid for one hour"). The secret
// is stored sealed with the master key, the session token only as its SHA-256: a copy of the
// database lets nobody sign as a caller.
//
// It never decides what a caller may do: that is package policy's, over the role's policies.
package iam
