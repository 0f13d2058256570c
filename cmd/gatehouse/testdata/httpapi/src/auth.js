// simple is a 2.0 simple-response authorizer; calls counts its invocations in this process,
// so that the test sees API Gateway's cache answer instead of the function.
let calls = 0;
exports.simple = async (event) => {
  calls++;
  const ok = event.type === "REQUEST" && event.version === "2.0" && event.identitySource[0] === "open-sesame";
  return { isAuthorized: ok, context: { calls, user: "u1", routeArn: event.routeArn } };
};

// policy is a 1.0 authorizer answering with an IAM policy for GET /policy/ok only.
exports.policy = async (event) => ({
  principalId: "p-" + event.identitySource,
  policyDocument: {
    Version: "2012-10-17",
    Statement: [{ Action: "execute-api:Invoke", Effect: event.identitySource === "open-sesame" ? "Allow" : "Deny", Resource: event.methodArn.replace(/\/[^/]*$/, "/ok") }],
  },
  context: { kind: "policy" },
});
