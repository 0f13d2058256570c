// broken fails in each of the ways a handler can fail, chosen by the {mode} path parameter.
exports.handler = async (event) => {
  switch (event.pathParameters.mode) {
    case "throw":
      throw new Error("boom");
    case "timeout":
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return { statusCode: 200, body: "too late" };
    case "malformed":
      return { statusCode: "two hundred", body: { not: "a string" } };
    case "crash":
      process.exit(3);
    default:
      return { statusCode: 200, body: JSON.stringify({ pid: process.pid }) };
  }
};

// slow takes longer than the test's integration timeout but less than its function timeout.
exports.slow = async () => {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return { statusCode: 200, body: "slow" };
};
