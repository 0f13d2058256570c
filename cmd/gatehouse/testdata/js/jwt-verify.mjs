// Verifies Gatehouse tokens with aws-jwt-verify, unmodified: JwtRsaVerifier for a Gatehouse
// with its default issuer (its own URL), CognitoJwtVerifier for one run with
// --issuer-url https://cognito-idp.{region}.amazonaws.com. Both get Gatehouse's JWKS with
// cacheJwks: the library fetches a JWKS over https only, and CognitoJwtVerifier from AWS.
// Prints one JSON line of results.
// Driven by cmd/gatehouse/e2e_amplify_test.go.
import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';

const e = process.env;
const result = async (p) => {
  try { const payload = await p; return { ok: true, sub: payload.sub }; } catch (err) { return { ok: false, name: err.name, message: err.message }; }
};
const tamper = (jwt) => { const [h, p, s] = jwt.split('.'); return [h, p, (s[0] === 'A' ? 'B' : 'A') + s.slice(1)].join('.'); };

const own = JwtRsaVerifier.create({
  issuer: `${e.GH_ENDPOINT}/${e.GH_POOL}`, jwksUri: `${e.GH_ENDPOINT}/${e.GH_POOL}/.well-known/jwks.json`, audience: e.GH_CLIENT,
});
const ownAccess = JwtRsaVerifier.create({
  issuer: `${e.GH_ENDPOINT}/${e.GH_POOL}`, jwksUri: `${e.GH_ENDPOINT}/${e.GH_POOL}/.well-known/jwks.json`, audience: null,
  customJwtCheck: ({ payload }) => { if (payload.client_id !== e.GH_CLIENT || payload.token_use !== 'access') throw new Error('not an access token of the client'); },
});
// aws-jwt-verify fetches a JWKS over https only: an http Gatehouse hands it over itself.
own.cacheJwks(JSON.parse(e.GH_JWKS));
ownAccess.cacheJwks(JSON.parse(e.GH_JWKS));
const cognito = CognitoJwtVerifier.create({ userPoolId: e.GH_AWS_POOL, tokenUse: 'id', clientId: e.GH_AWS_CLIENT });
cognito.cacheJwks(JSON.parse(e.GH_AWS_JWKS));

console.log(JSON.stringify({
  ownId: await result(own.verify(e.GH_ID_TOKEN)),
  ownAccess: await result(ownAccess.verify(e.GH_ACCESS_TOKEN)),
  ownTampered: await result(own.verify(tamper(e.GH_ID_TOKEN))),
  ownAccessAsId: await result(own.verify(e.GH_ACCESS_TOKEN)),
  cognitoId: await result(cognito.verify(e.GH_AWS_ID_TOKEN)),
  cognitoWrongIssuer: await result(cognito.verify(e.GH_ID_TOKEN)),
}));
