// echo answers with the whole proxy event, and with pid so tests see process restarts.
exports.handler = async (event) => {
  if (event.queryStringParameters && event.queryStringParameters.binary) {
    return { statusCode: 200, headers: { "Content-Type": "image/png" }, isBase64Encoded: true, body: event.body };
  }
  return { statusCode: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ event, pid: process.pid }) };
};
