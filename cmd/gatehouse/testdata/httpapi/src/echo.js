// echo answers with the whole 2.0 (or 1.0) event, sets two cookies, and, for a binary body,
// answers it back base64-encoded.
exports.handler = async (event) => {
  if (event.isBase64Encoded) {
    return { statusCode: 200, headers: { "content-type": "application/octet-stream" }, isBase64Encoded: true, body: event.body };
  }
  return {
    statusCode: 200,
    headers: { "content-type": "application/json", "x-kind": "echo", "access-control-allow-origin": "https://ignored.example" },
    cookies: ["a=1; Path=/", "b=2; HttpOnly"],
    body: JSON.stringify({ event }),
  };
};

// plain returns what 2.0 turns into a 200 JSON response: a string or an object.
exports.plain = async (event) => {
  if (event.pathParameters.kind === "string") return "just text";
  return { hello: "world", route: event.routeKey };
};

exports.slow = async () => {
  await new Promise((r) => setTimeout(r, 4000));
  return "late";
};
