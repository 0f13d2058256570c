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
//   - parsing the authorizer settings that only it interprets: user pool ARNs and the
//     method.request.header.NAME identity source.
//
// Later it will also own AWS_IAM, the Lambda TOKEN and REQUEST authorizers and Gatehouse's
// group-policy authorizer; none of them is implemented yet.
//
// It never passes a request on an error: a wrong, missing or expired credential is a
// *gateway.Response (401 UNAUTHORIZED for Cognito), and a broken dependency (the token
// store, the client store) is a plain error, which the gateway answers 500 AUTHORIZER_FAILURE.
// It never verifies a signature itself (package token does, with its cached keys), never logs,
// stores or echoes a token (the cache is keyed by the token's SHA-256, and refusal reasons
// name pools, clients and claims, never the token), never caches a refusal, and keeps no
// package-level mutable state.
package authorizer

import "github.com/gatehouse/gatehouse/internal/gateway"

// None is authorization type NONE: every request passes, with no principal. It is
// gateway.None, re-exported so that wiring picks every authorizer from this package.
type None = gateway.None
