// Package authorizer implements the authorizers of API Gateway REST API methods for Gatehouse's
// gateway: each is a gateway.Authorizer that turns a request's credential into a
// gateway.Principal or a gateway response the client sees (developer guide: "Control and manage
// access to REST APIs in API Gateway").
//
// It owns:
//   - authorization type NONE (gateway.None, re-exported here as None);
//   - COGNITO_USER_POOLS (Cognito): a user pool token from one request header, checked as API
//     Gateway checks it (developer guide: "Control access to REST APIs using Amazon Cognito user
//     pools as an authorizer", apigateway-integrate-with-cognito.html, and
//     apigateway-enable-cognito-user-pool.html): an ID token on methods without OAuth scopes, an
//     access token holding one of the method's scopes otherwise, of one of the authorizer's
//     pools (up to 1,000), whose app client exists;
//   - the verified-token cache of each Cognito authorizer, bounded in size and in time;
//   - the Lambda TOKEN and REQUEST authorizers (Lambda): identity sources (headers, query
//     strings, stage variables, context variables), the TOKEN and REQUEST events, the
//     function's result (principalId, policyDocument evaluated with package policy against
//     the method ARN, context, usageIdentifierKey) and the result cache keyed by the identity
//     source values, whose policy is applied to later requests for any method, as API
//     Gateway does;
//   - AWS_IAM (IAM): a Signature Version 4 signature for service execute-api, verified with
//     package sigv4 against credentials Gatehouse issued (package iam looks them up), and the
//     caller's identity-based policies evaluated with package policy for execute-api:Invoke on
//     the method ARN (developer guide: "Control access to a REST API with IAM permissions");
//   - Gatehouse's COGNITO_GROUP_POLICY authorizer (GroupPolicy): a Cognito-verified token
//     whose groups' IAM roles must allow execute-api:Invoke on the method ARN, with role
//     policies remembered for a short, documented time;
//   - the authorizers of HTTP APIs (httpapi.Authorizer): jwt (JWT: Gatehouse's pools through
//     the token verifier, any other issuer through OpenID discovery and a bounded JWKS cache,
//     JWKSCache), Lambda request authorizers with payload 2.0/1.0, simple or policy responses
//     (HTTPLambda), and aws_iam (HTTPIAM, the AWS_IAM check on the route ARN);
//   - parsing the authorizer settings that only it interprets: user pool ARNs and identity
//     sources.
//
// It never passes a request on an error: a wrong, missing or expired credential is a
// *gateway.Response (401 UNAUTHORIZED, 403 MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE or
// EXPIRED_TOKEN for a bad signature, or 403 ACCESS_DENIED after a policy), a broken Lambda
// authorizer is AUTHORIZER_CONFIGURATION_ERROR or AUTHORIZER_FAILURE, and a broken dependency
// (the token store, the client store, the role store) is a plain error, which the gateway
// answers 500 AUTHORIZER_FAILURE. It never verifies a signature itself (package token verifies
// tokens with its cached keys, package sigv4 request signatures), never logs, stores or echoes
// a token (caches are keyed by SHA-256, and refusal reasons name pools, clients, claims and
// roles, never the token), never caches a Cognito refusal (a Lambda authorizer's policy is
// cached whatever it decides, as API Gateway caches it), and keeps no package-level mutable
// state.
package authorizer

import "github.com/gatehouse/gatehouse/internal/gateway"

// None is authorization type NONE: every request passes, with no principal. It is
// gateway.None, re-exported so that wiring picks every authorizer from this package.
type None = gateway.None
