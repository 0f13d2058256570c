// Package model validates requests against AWS's own service models, with the messages AWS's
// Coral framework answers: JSON 1.1 bodies (Validate: SerializationException for a body or
// member of the wrong JSON type) and query-protocol parameters (ValidateQuery, for IAM and
// STS), both with "N validation error(s) detected: Value … at '…' failed to satisfy
// constraint: …" for required members, lengths, ranges, patterns and enums.
//
// The models (cognito-idp, cognito-identity, iam, sts) are extracts of botocore's copies of
// AWS's models (see ../modelgen and gen.go), embedded in
// the binary; a Model is immutable and safe for concurrent use. It implements
// awsapi.Validator, and Public tells which operations AWS calls without IAM credentials
// (the model's "authtype": "none").
//
// It must never decide anything an operation means beyond its model: checks that depend on
// state (a pool's password policy, an unknown client) belong to the operations.
package model
