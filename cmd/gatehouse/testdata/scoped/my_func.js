// The non-proxy (integration: lambda) handler: the gateway's default request template gives it
// the body and the caller's claims; it answers a JSON object.
exports.handler = async (event) => ({ ok: true, scope: event?.cognitoPoolClaims?.scope ?? null });
