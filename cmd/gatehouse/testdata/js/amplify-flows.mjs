// Drives aws-amplify 6 (unmodified) through a user's whole life against a Gatehouse endpoint:
// sign-up, confirmation, SRP sign-in, identity-pool credentials, forced refresh, attributes,
// password change and reset, sign-out and global sign-out, and a refresh on a client with
// refresh token rotation. Driven by cmd/gatehouse/e2e_amplify_test.go over a line protocol:
// the script prints one JSON object per line; {"need":"code:signup"} (or code:forgot) asks the
// test for the code Gatehouse put in its outbox, which the test writes back as one line on
// stdin. Every other line is a step's result; a failure prints {"error":…} and exits 1.
import readline from 'node:readline';
import { Amplify } from 'aws-amplify';
import {
  signUp, confirmSignUp, signIn, signOut, fetchAuthSession, fetchUserAttributes,
  updateUserAttributes, updatePassword, resetPassword, confirmResetPassword, getCurrentUser,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';

const { GH_ENDPOINT, GH_POOL, GH_CLIENT, GH_ROTATING_CLIENT, GH_IDENTITY_POOL, GH_EMAIL } = process.env;
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const out = (o) => console.log(JSON.stringify(o));
const ask = async (what) => {
  out({ need: what });
  const { value, done } = await lines.next();
  if (done) throw new Error(`no answer for ${what}`);
  return value.trim();
};

// Tokens live in memory, where the test can read the refresh token Amplify holds
// (Amplify.configure sets the default storage, so this is set after each configure).
const mem = new Map();
const memStorage = {
  setItem: async (k, v) => { mem.set(k, v); },
  getItem: async (k) => (mem.has(k) ? mem.get(k) : null),
  removeItem: async (k) => { mem.delete(k); },
  clear: async () => { mem.clear(); },
};
let currentClient = GH_CLIENT;
const heldRefreshToken = () => {
  for (const [k, v] of mem) if (k.startsWith(`CognitoIdentityServiceProvider.${currentClient}.`) && k.endsWith('.refreshToken')) return v;
  return null;
};

const configure = (clientId, identityPoolId) => { currentClient = clientId; Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: GH_POOL,
      userPoolClientId: clientId,
      userPoolEndpoint: GH_ENDPOINT,
      ...(identityPoolId ? { identityPoolId, identityPoolEndpoint: GH_ENDPOINT, allowGuestAccess: false } : {}),
      loginWith: { email: true },
      signUpVerificationMethod: 'code',
    },
  },
}); cognitoUserPoolsTokenProvider.setKeyValueStorage(memStorage); };

const check = (cond, what) => { if (!cond) throw new Error(`check failed: ${what}`); };
let step = 'configure';
const run = async (name, fn) => { step = name; const r = await fn(); out({ step: name, ...(r || {}) }); return r; };

try {
  configure(GH_CLIENT, GH_IDENTITY_POOL);
  const email = GH_EMAIL;
  let password = 'Passw0rd!first';

  await run('signUp', async () => {
    const r = await signUp({ username: email, password, options: { userAttributes: { email } } });
    check(!r.isSignUpComplete && r.nextStep.signUpStep === 'CONFIRM_SIGN_UP', `signUp nextStep ${JSON.stringify(r.nextStep)}`);
    return { userId: r.userId };
  });
  await run('confirmSignUp', async () => {
    const r = await confirmSignUp({ username: email, confirmationCode: await ask('code:signup') });
    check(r.isSignUpComplete, 'confirmSignUp complete');
  });
  await run('signIn', async () => {
    const r = await signIn({ username: email, password });
    check(r.isSignedIn, `signIn nextStep ${JSON.stringify(r.nextStep)}`);
    const u = await getCurrentUser();
    return { username: u.username, userId: u.userId };
  });
  const session = await run('fetchAuthSession', async () => {
    const s = await fetchAuthSession();
    check(s.tokens?.idToken && s.credentials?.accessKeyId, 'tokens and credentials');
    return {
      idToken: s.tokens.idToken.toString(), iss: s.tokens.idToken.payload.iss, identityId: s.identityId,
      accessKeyId: s.credentials.accessKeyId, secretKey: s.credentials.secretAccessKey, sessionToken: s.credentials.sessionToken,
      refreshToken: heldRefreshToken(),
    };
  });
  check(session.refreshToken, 'Amplify holds a refresh token');
  await run('forceRefresh', async () => {
    const s = await fetchAuthSession({ forceRefresh: true });
    check(s.tokens.idToken.toString() !== session.idToken, 'a new ID token');
    check(heldRefreshToken() === session.refreshToken, 'the refresh token kept (no rotation)');
    check(s.identityId === session.identityId && s.credentials?.accessKeyId, 'credentials after refresh');
    return { idToken: s.tokens.idToken.toString(), accessKeyId: s.credentials.accessKeyId };
  });
  await run('attributes', async () => {
    const before = await fetchUserAttributes();
    check(before.email === email && before.email_verified === 'true', `attributes ${JSON.stringify(before)}`);
    const r = await updateUserAttributes({ userAttributes: { name: 'Ada Lovelace' } });
    check(r.name?.isUpdated, `updateUserAttributes ${JSON.stringify(r)}`);
    const after = await fetchUserAttributes();
    check(after.name === 'Ada Lovelace', `name ${after.name}`);
    return { name: after.name, sub: after.sub };
  });
  await run('updatePassword', async () => {
    await updatePassword({ oldPassword: password, newPassword: 'Passw0rd!second' });
    password = 'Passw0rd!second';
  });
  await run('signOut', async () => {
    await signOut();
    let signedOut = false;
    try { await getCurrentUser(); } catch { signedOut = true; }
    check(signedOut, 'no current user after signOut');
    const r = await signIn({ username: email, password });
    check(r.isSignedIn, 'sign-in with the changed password');
  });
  await run('globalSignOut', async () => {
    const before = heldRefreshToken();
    const s = await fetchAuthSession();
    await signOut({ global: true });
    return { refreshToken: before, accessToken: s.tokens.accessToken.toString() };
  });
  await run('resetPassword', async () => {
    const r = await resetPassword({ username: email });
    check(r.nextStep.resetPasswordStep === 'CONFIRM_RESET_PASSWORD_WITH_CODE', `resetPassword ${JSON.stringify(r.nextStep)}`);
    await confirmResetPassword({ username: email, confirmationCode: await ask('code:forgot'), newPassword: 'Passw0rd!third' });
    password = 'Passw0rd!third';
    const s = await signIn({ username: email, password });
    check(s.isSignedIn, 'sign-in with the reset password');
    await signOut();
  });

  // A client with refresh token rotation: each refresh hands Amplify a new refresh token.
  configure(GH_ROTATING_CLIENT, '');
  await run('rotatingRefresh', async () => {
    const r = await signIn({ username: email, password });
    check(r.isSignedIn, 'sign-in on the rotating client');
    const first = heldRefreshToken();
    const s = await fetchAuthSession({ forceRefresh: true });
    const second = heldRefreshToken();
    check(first && second && first !== second, `a new refresh token after the refresh (${[...mem.keys()].join(' ')})`);
    const s2 = await fetchAuthSession({ forceRefresh: true });
    const third = heldRefreshToken();
    check(third && third !== second, 'a new refresh token after the second refresh');
    return { first, second, third, idToken: s2.tokens.idToken.toString(), clientId: s.tokens.accessToken.payload.client_id };
  });
  out({ done: true });
  process.exit(0);
} catch (err) {
  out({ error: String(err?.message || err), name: err?.name, step, underlying: String(err?.underlyingError?.message || '') });
  process.exit(1);
}
