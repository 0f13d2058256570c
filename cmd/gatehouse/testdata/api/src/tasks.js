// Handlers of the end-to-end tests: they answer with what they were given, so the tests can
// check the proxy event API Gateway would have sent.
exports.list = async (event, context) => ({
  statusCode: 200,
  headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
  body: JSON.stringify({ tasks: ["write tests"], claims: event.requestContext.authorizer.claims, requestId: context.awsRequestId }),
});

exports.get = (event, context, callback) => {
  callback(null, {
    statusCode: 200,
    body: JSON.stringify({ id: event.pathParameters.id, authorizer: event.requestContext.authorizer, resourcePath: event.requestContext.resourcePath }),
  });
};
