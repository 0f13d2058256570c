// Package identitypool implements the Amazon Cognito Identity API (identity pools, "federated
// identities"): pools and their roles and role mappings, identities, and the exchange of a
// user-pool ID token for temporary AWS credentials or an OpenID token
// (https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/).
//
// It owns:
//   - the identity pool's configuration (the Spec document of store.IdentityPool);
//   - verifying the Logins map: each key must be a Cognito user pool configured on the pool,
//     each value an ID token of that pool, signed by its key, unexpired, for the configured
//     app client; with ServerSideTokenCheck, the user must still exist, be enabled, and the
//     sign-in must not have been revoked;
//   - one identity per user: the login key is the provider name + ":" + the token's sub;
//   - choosing the role (the pool's authenticated/unauthenticated role, or a role mapping of
//     type Token or Rules) and checking that the role's trust policy lets
//     cognito-identity.amazonaws.com assume it for this pool, identity and amr;
//   - the claims of the OpenID tokens GetOpenIdToken returns.
//
// It must never trust a login it could not verify: providers other than Cognito user pools
// (SupportedLoginProviders such as accounts.google.com, OpenID Connect and SAML provider ARNs)
// are refused when a pool is created or updated, never stored. It never speaks HTTP (package
// awsapi frames every operation), never signs or parses JWTs itself (package token does),
// never mints or stores credentials itself (package iam does), never evaluates policy
// language itself (package policy does), and never logs a token or a credential.
//
// Where AWS documents a behaviour, the code cites the API reference page; where AWS is silent
// or its message text is unknown, the comment says "guessed" and docs/identitypools.md lists
// the guess.
package identitypool

//go:generate go run ../awsapi/modelgen -go -model ../awsapi/model/cognito-identity.json -package identitypool -out shapes_gen.go
