// The one function of the reservation example: it says who called, as API Gateway's
// AWS_IAM authorizer put it in the event.
exports.handler = async (event) => {
  const id = event.requestContext.identity;
  return {
    statusCode: 200,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      message: "hello from reservation",
      cognitoIdentityId: id.cognitoIdentityId,
      cognitoIdentityPoolId: id.cognitoIdentityPoolId,
      userArn: id.userArn,
      userPoolId: process.env.USER_POOL_ID,
    }),
  };
};
