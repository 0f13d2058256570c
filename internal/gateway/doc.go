// Package gateway is the runtime of Gatehouse's REST APIs: it does what Amazon API Gateway
// (REST APIs, v1) does between a client's HTTP request and a method's integration, with API
// Gateway's observable behaviour.
//
// It owns:
//   - the route table (Table): APIs with one stage each, their resources ("/tasks/{id}",
//     "/legacy/{proxy+}") and methods (GET, …, ANY), compiled once into an immutable tree and
//     swapped atomically on reload (Gateway.Swap);
//   - matching, as the developer guide describes it ("Set up a proxy integration with a proxy
//     resource", "Set up REST API methods"): the stage prefix /{stage}/…, literal segments
//     before {param} before {proxy+}, an exact method before ANY; no resource or no method is
//     403 {"message":"Missing Authentication Token"};
//   - the request pipeline of ServeHTTP: limits → route → authorizer → integration → response,
//     with a request id on every answer;
//   - the contracts other packages implement: Authorizer (internal/authorizer) and Invoker
//     (internal/lambda, through an adapter), and the Integration implementations LambdaProxy
//     and HTTPProxy;
//   - the Lambda proxy event, payload format 1.0 ("Input format of a Lambda function for proxy
//     integration", set-up-lambda-proxy-integrations.html), and the validation of a function's
//     proxy response ("Output format of a Lambda function for proxy integration");
//   - API Gateway's default gateway responses ("Gateway response types for API Gateway",
//     supported-gateway-response-types.html) and their per-API overrides
//     (AWS::ApiGateway::GatewayResponse);
//   - CORS preflight as the Serverless Framework configures it for REST APIs (a MOCK OPTIONS
//     method per resource with cors).
//
// It must never pass a request to an integration when its authorizer failed, refused, panicked
// or returned no principal; never read a body or header section without a bound; never let an
// internal error's text reach a client (it is logged with the request id); and never keep
// package-level mutable state. It knows nothing of serverless.yml, tokens, SigV4 or function
// processes: those arrive as already-built Tables, Authorizers and Invokers.
package gateway
