// Answers with what API Gateway told it about the caller.
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    path: event.path,
    method: event.httpMethod,
    body: event.body,
    identity: event.requestContext.identity,
    apiId: event.requestContext.apiId,
  }),
});

// v2 answers with the HTTP API's requestContext.authorizer.iam.
exports.v2 = async (event) => ({ route: event.routeKey, iam: event.requestContext.authorizer.iam, apiId: event.requestContext.apiId });
