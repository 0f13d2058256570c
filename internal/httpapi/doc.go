// Package httpapi is the runtime of Gatehouse's HTTP APIs (Amazon API Gateway v2, protocol
// HTTP): what API Gateway does between a client's request and a route's Lambda integration,
// with its observable behaviour. It is separate from package gateway (REST APIs, v1) because
// the two differ in everything a client or a function sees: no stage prefix ($default stage),
// other route matching, other events (payload format 2.0), other error bodies, CORS answered
// by the API itself.
//
// It owns:
//   - the route table (Table): route keys "GET /tasks/{id}", "ANY /admin/{proxy+}" and
//     "$default", matched most specific first as the developer guide describes it ("Working
//     with routes for HTTP APIs", http-api-develop-routes.html): literal segments before
//     {param} before {proxy+}, segment by segment from the left, an exact method before ANY,
//     $default last; no route is 404 {"message":"Not Found"};
//   - the request pipeline of ServeHTTP: limits → CORS preflight → route → authorizer →
//     integration → response, with an apigw-requestid on every answer;
//   - the Authorizer contract the HTTP API authorizers implement (package authorizer) and the
//     Authorization they return (requestContext.authorizer);
//   - the Lambda proxy events, payload formats 2.0 and 1.0, and the function's response read
//     by the rules of each format ("Working with AWS Lambda proxy integrations for HTTP APIs",
//     http-api-develop-integrations-lambda.html);
//   - HTTP API error answers ({"message":"Not Found"} 404, Unauthorized 401, Forbidden 403,
//     Internal Server Error 500, Service Unavailable 503 when the integration times out) and
//     CORS as the API's CorsConfiguration answers it ("Configuring CORS for an HTTP API",
//     http-api-cors.html).
//
// It must never pass a request to an integration when its authorizer failed, refused or
// panicked; never read a body or header section without a bound; never let an internal
// error's text reach a client; never keep package-level mutable state. It knows nothing of
// serverless.yml, tokens, SigV4 or function processes: Tables, Authorizers and the Invoker
// arrive built (package apiruntime builds them).
package httpapi
