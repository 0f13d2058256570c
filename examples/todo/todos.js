// The TODO API's one function: GET lists the caller's todos, POST adds one (editors only).
// The list lives in the function's memory: enough for a walk-through.
const lists = new Map();

exports.handler = async (event) => {
  const claims = event.requestContext.authorizer.claims;
  const sub = claims.sub;
  const list = lists.get(sub) || [];
  if (event.httpMethod === "POST") {
    const groups = (claims["cognito:groups"] || "").split(",");
    if (!groups.includes("editors")) {
      return reply(403, { message: "only editors add todos" });
    }
    const { title } = JSON.parse(event.body || "{}");
    list.push({ id: list.length + 1, title });
    lists.set(sub, list);
    return reply(201, list[list.length - 1]);
  }
  return reply(200, { owner: claims.email, todos: list });
};

function reply(statusCode, body) {
  return {
    statusCode,
    headers: { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" },
    body: JSON.stringify(body),
  };
}
