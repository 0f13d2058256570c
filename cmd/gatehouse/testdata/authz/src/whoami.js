// Answers with what the authorizer told the integration.
exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ method: event.httpMethod, path: event.path, authorizer: event.requestContext.authorizer || null }),
});
