// Signs in with Amplify JS v6 (aws-amplify, unmodified) through choice-based sign-in
// (authFlowType USER_AUTH) against the endpoint given in the environment. Driven by
// cmd/gatehouse/e2e_amplify_userauth_test.go.
//
// GH_CHALLENGE is the preferred challenge (PASSWORD_SRP, PASSWORD, EMAIL_OTP, SMS_OTP) or empty
// for none. Each sign-in step is printed as one JSON line; when Amplify asks for a code the
// script reads it as one line from stdin (the test takes it from the outbox) and answers with
// confirmSignIn. The last line is {"ok":true,"idToken":…} or {"ok":false,"code":…,"message":…}.
import { createInterface } from 'node:readline';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn } from 'aws-amplify/auth';

const { GH_ENDPOINT, GH_POOL, GH_CLIENT, GH_USER, GH_PASS, GH_CHALLENGE } = process.env;
Amplify.configure({ Auth: { Cognito: { userPoolId: GH_POOL, userPoolClientId: GH_CLIENT, userPoolEndpoint: GH_ENDPOINT } } });

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const print = (v) => console.log(JSON.stringify(v));

try {
  const options = { authFlowType: 'USER_AUTH' };
  if (GH_CHALLENGE) options.preferredChallenge = GH_CHALLENGE;
  let result = await signIn({ username: GH_USER, password: GH_PASS || undefined, options });
  for (let i = 0; i < 4 && !result.isSignedIn; i++) {
    const step = result.nextStep;
    print({ step: step.signInStep, codeDeliveryDetails: step.codeDeliveryDetails, availableChallenges: step.availableChallenges });
    switch (step.signInStep) {
      case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
      case 'CONFIRM_SIGN_IN_WITH_SMS_CODE': {
        const { value, done } = await lines.next();
        if (done) throw new Error('no code on stdin');
        result = await confirmSignIn({ challengeResponse: value.trim() });
        break;
      }
      case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION':
        result = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
        break;
      default:
        throw new Error(`unexpected step ${step.signInStep}`);
    }
  }
  if (!result.isSignedIn) throw new Error(`not signed in after ${result.nextStep.signInStep}`);
  const session = await fetchAuthSession();
  print({ ok: true, idToken: session.tokens.idToken.toString(), accessToken: session.tokens.accessToken.toString() });
} catch (err) {
  print({ ok: false, code: err.name, message: err.message });
}
process.exit(0);
