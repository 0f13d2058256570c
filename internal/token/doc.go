// Package token signs and verifies the JSON Web Tokens of Gatehouse's user pools the way
// Amazon Cognito does, serves each pool's JWKS and OpenID discovery document, and makes the
// opaque values used as refresh tokens and challenge sessions.
//
// It owns:
//   - the pools' signing keys: RS256, RSA-2048, one active key per (pool, use) where use is
//     "id" or "access" (Cognito signs the two token kinds with different keys), private keys
//     sealed with the master key, rotation that keeps retired keys in the JWKS;
//   - the JWS format: compact serialization, header {"alg":"RS256","kid":…};
//   - verification as AWS prescribes it
//     (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html):
//     signature by a key of the token's pool, iss, exp, token_use, and aud (ID tokens) or
//     client_id (access tokens);
//   - GET /{poolId}/.well-known/jwks.json and /.well-known/openid-configuration;
//   - NewOpaqueToken and HashToken, so that only hashes of refresh tokens and sessions are stored.
//
// It never decides what a token says: package userpool builds every claim set (sub, groups,
// scopes, lifetimes), and Sign only checks that token_use and iss agree with the key it signs
// with. It never logs, stores or echoes a token or a private key, and it never accepts a token
// whose algorithm is not RS256.
package token
