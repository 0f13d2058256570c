// Authorizer functions for the end-to-end tests. The token (TOKEN) or the Authorization header
// (REQUEST) picks the answer; every invocation appends a line to $COUNT_FILE so that the test
// can count them.
const fs = require('fs');

function policy(principalId, effect, resource, context) {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context,
  };
}

async function answer(kind, token, methodArn) {
  fs.appendFileSync(process.env.COUNT_FILE, `${kind} ${token}\n`);
  switch (token) {
    case 'allow':
      return policy('user-1', 'Allow', methodArn, { tenant: 'acme', level: 3, admin: false });
    case 'allow-all':
      return policy('user-2', 'Allow', methodArn.split('/').slice(0, 2).join('/') + '/*', {});
    case 'deny':
      return policy('user-1', 'Deny', methodArn, {});
    case 'other':
      return policy('user-1', 'Allow', 'arn:aws:execute-api:us-east-1:000000000000:elsewhere/dev/GET/x', {});
    case 'unauthorized':
      throw new Error('Unauthorized');
    case 'boom':
      throw new Error('database unreachable');
    case 'garbage':
      return 'not a policy';
    case 'timeout':
      await new Promise((r) => setTimeout(r, 5000));
      return policy('late', 'Allow', methodArn, {});
  }
  throw new Error('unexpected token ' + token);
}

exports.token = async (event) => {
  if (event.type !== 'TOKEN') throw new Error('not a TOKEN event');
  return answer('TOKEN', event.authorizationToken, event.methodArn);
};

exports.request = async (event) => {
  if (event.type !== 'REQUEST') throw new Error('not a REQUEST event');
  const tenant = event.queryStringParameters && event.queryStringParameters.tenant;
  const result = await answer('REQUEST', event.headers.Authorization, event.methodArn);
  if (result && result.context) result.context.tenantSeen = tenant;
  return result;
};
