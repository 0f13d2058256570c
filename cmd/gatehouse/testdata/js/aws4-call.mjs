// Signs one request with the npm aws4 package (as the JavaScript API Gateway clients sign)
// and sends it; prints {"status": …, "body": …}. Input from the environment.
import http from 'node:http';
import aws4 from 'aws4';

const url = new URL(process.env.GH_URL);
const body = process.env.GH_BODY || undefined;
const opts = {
  host: url.host,
  path: url.pathname + url.search,
  method: process.env.GH_METHOD || 'GET',
  service: 'execute-api',
  region: process.env.GH_REGION || 'us-east-1',
  headers: body ? { 'Content-Type': 'application/json' } : {},
  body,
};
aws4.sign(opts, {
  accessKeyId: process.env.GH_AK,
  secretAccessKey: process.env.GH_SK,
  sessionToken: process.env.GH_ST,
});
const req = http.request({ hostname: url.hostname, port: url.port, path: opts.path, method: opts.method, headers: opts.headers }, (res) => {
  let data = '';
  res.setEncoding('utf8');
  res.on('data', (c) => { data += c; });
  res.on('end', () => { process.stdout.write(JSON.stringify({ status: res.statusCode, body: data })); });
});
req.on('error', (e) => { process.stdout.write(JSON.stringify({ status: 0, body: String(e) })); });
if (body) req.write(body);
req.end();
