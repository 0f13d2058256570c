// Signs in with amazon-cognito-identity-js (USER_SRP_AUTH, the library's default flow) against
// the endpoint given in the environment, and prints one JSON line: {"ok":true,"idToken":…} or
// {"ok":false,"code":…,"message":…}. Driven by cmd/gatehouse/e2e_js_test.go.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

const { GH_ENDPOINT, GH_POOL, GH_CLIENT, GH_USER, GH_PASS } = process.env;
const pool = new CognitoUserPool({ UserPoolId: GH_POOL, ClientId: GH_CLIENT, endpoint: GH_ENDPOINT });
const user = new CognitoUser({ Username: GH_USER, Pool: pool });
const details = new AuthenticationDetails({ Username: GH_USER, Password: GH_PASS });

user.authenticateUser(details, {
  onSuccess: (session) => {
    console.log(JSON.stringify({ ok: true, idToken: session.getIdToken().getJwtToken(), accessToken: session.getAccessToken().getJwtToken() }));
  },
  onFailure: (err) => {
    console.log(JSON.stringify({ ok: false, code: err.code || err.name, message: err.message }));
  },
  newPasswordRequired: () => {
    console.log(JSON.stringify({ ok: false, code: 'NEW_PASSWORD_REQUIRED' }));
  },
});
