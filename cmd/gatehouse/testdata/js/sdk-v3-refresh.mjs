// Refresh and refresh token rotation through the AWS SDK for JavaScript v3
// (@aws-sdk/client-cognito-identity-provider), unmodified, against a Gatehouse endpoint.
// Driven by cmd/gatehouse/e2e_amplify_test.go with the line protocol of amplify-flows.mjs:
// {"need":"advance:5"} asks the test to move Gatehouse's clock 5 seconds on.
import readline from 'node:readline';
import {
  CognitoIdentityProviderClient, InitiateAuthCommand, GetTokensFromRefreshTokenCommand, RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';

const { GH_ENDPOINT, GH_CLIENT, GH_ROTATING_CLIENT, GH_USER, GH_PASS, GH_GRACE } = process.env;
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const out = (o) => console.log(JSON.stringify(o));
const ask = async (what) => {
  out({ need: what });
  const { value, done } = await lines.next();
  if (done) throw new Error(`no answer for ${what}`);
  return value.trim();
};
const idp = new CognitoIdentityProviderClient({
  region: 'us-east-1', endpoint: GH_ENDPOINT, maxAttempts: 1,
  credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
});
const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };
const failure = async (p) => {
  try { await p; } catch (err) { return { name: err.name, message: err.message }; }
  throw new Error('the call succeeded');
};
const signIn = async (ClientId) => (await idp.send(new InitiateAuthCommand({
  ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: GH_USER, PASSWORD: GH_PASS },
}))).AuthenticationResult;
const refresh = async (ClientId, RefreshToken) => (await idp.send(new GetTokensFromRefreshTokenCommand({
  ClientId, RefreshToken, ClientMetadata: { app: 'sdk-v3' },
}))).AuthenticationResult;

let step = 'start';
try {
  step = 'withoutRotation';
  const plain = await signIn(GH_CLIENT);
  const p1 = await refresh(GH_CLIENT, plain.RefreshToken);
  check(p1.IdToken && p1.AccessToken && !p1.RefreshToken, 'no new refresh token without rotation');
  const p2 = (await idp.send(new InitiateAuthCommand({
    ClientId: GH_CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: plain.RefreshToken },
  }))).AuthenticationResult;
  check(p2.IdToken && !p2.RefreshToken, 'REFRESH_TOKEN_AUTH still works without rotation');
  out({ step });

  step = 'rotation';
  const r0 = (await signIn(GH_ROTATING_CLIENT)).RefreshToken;
  const a = await refresh(GH_ROTATING_CLIENT, r0);
  check(a.RefreshToken && a.RefreshToken !== r0, 'a new refresh token');
  const retry = await refresh(GH_ROTATING_CLIENT, r0);
  check(retry.RefreshToken && retry.RefreshToken !== a.RefreshToken, 'a retry within the grace period');
  await ask(`advance:${GH_GRACE}`);
  const reused = await failure(refresh(GH_ROTATING_CLIENT, r0));
  const b = await refresh(GH_ROTATING_CLIENT, a.RefreshToken);
  const refreshAuth = await failure(idp.send(new InitiateAuthCommand({
    ClientId: GH_ROTATING_CLIENT, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: b.RefreshToken },
  })));
  await idp.send(new RevokeTokenCommand({ ClientId: GH_ROTATING_CLIENT, Token: b.RefreshToken }));
  const revoked = await failure(refresh(GH_ROTATING_CLIENT, a.RefreshToken));
  out({ step, reused, refreshAuth, revoked });
  out({ done: true });
  process.exit(0);
} catch (err) {
  out({ error: String(err?.message || err), name: err?.name, step });
  process.exit(1);
}
