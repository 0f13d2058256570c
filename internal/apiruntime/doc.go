// Package apiruntime turns a loaded serverless.yml into the REST API the gateway serves and the
// HTTP API package httpapi serves, and keeps them current while the file changes.
//
// It owns:
//   - Compile: one serverless.Service → an immutable Snapshot (the gateway's route table, the
//     Lambda functions behind it, the API keys, the authorizers with their statistics), built
//     whole or not at all (Pomerium's rule: configuration is compiled into a snapshot that is
//     swapped only when all of it is good);
//   - the mapping of each endpoint to its integration (lambda-proxy, lambda, http-proxy, http)
//     and to its authorizer (AWS_IAM, COGNITO_USER_POOLS, COGNITO_GROUP_POLICY, TOKEN,
//     REQUEST), one authorizer instance (and cache) per authorizer the file names;
//   - the HTTP API (httpApi events): its routes, their jwt, request and aws_iam authorizers
//     (one instance per authorizer the file names), the JWKS cache kept across reloads, and
//     ServeHTTP, which splits the API listener between the REST API (/{stage}/…) and the HTTP
//     API (everything else), see docs/http-api.md;
//   - API Gateway's API-key check for private endpoints;
//   - the app-client existence cache the Cognito authorizers consult, and the store adapters
//     behind COGNITO_GROUP_POLICY;
//   - MetricsHandler: /metrics in the Prometheus text format, the authorizers' cache
//     counters read at scrape time from a registry of its own;
//   - Runtime: loading the file, registering its functions, swapping the table, and polling
//     the file for edits, keeping the last good snapshot when an edit does not load.
//
// It never parses serverless.yml values itself (the serverless package gives them typed),
// never listens on a socket or starts a function process (the caller owns the listener and
// the lambda.Manager), and never serves a route whose authorizer could not be built: a file
// that would open a route is refused whole.
package apiruntime
