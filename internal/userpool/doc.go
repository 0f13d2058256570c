// Package userpool implements the Cognito Identity Provider API (user pools): pools, app
// clients, users and their attributes, groups, sign-up and confirmation, passwords, the auth
// flows and their challenges (the SRP math itself is package userpool/srp's), lockout,
// one-time codes, the messages that carry codes and invitations, and the token claim sets.
//
// It owns the meaning of a user pool. It must never speak HTTP itself (package awsapi frames
// every operation), reach into a storage backend (it uses the narrow store interfaces), sign or
// parse JWTs by hand (package token does), or let a password, a token or a secret reach a log.
// It renders a message (template, destination) but never sends one: it hands it to a
// Deliverer, an interface it declares and package mail's outbox implements. It owns no file
// format: moving a pool's users out and in is package userpool/userexport's, which reaches the
// pool's rules only through BulkPool (bulk.go).
//
// Operations follow the Amazon Cognito API reference
// (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/) for shapes,
// validation and error text. Request and response types are generated from AWS's service model
// (shapes_gen.go).
package userpool

//go:generate go run ../awsapi/modelgen -go -model ../awsapi/model/cognito-idp.json -package userpool -out shapes_gen.go
