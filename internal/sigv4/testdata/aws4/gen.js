// gen.js regenerates vectors.json: requests signed by the npm package aws4 (1.13.2) for
// execute-api at a fixed time. Run: npm install aws4@1.13.2 && node gen.js > vectors.json
const aws4 = require('aws4')
const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const temp = { accessKeyId: 'ASIAEXAMPLETEMPKEY01', secretAccessKey: 'tEmPsEcReT/K7MDENG+bPxRfiCYEXAMPLEKEY000', sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+with/slashes==' }
const host = 'abc123.execute-api.us-east-1.amazonaws.com'
const date = '20260115T101500Z'
function hdr(extra) { return Object.assign({ 'X-Amz-Date': date }, extra || {}) }
const cases = [
  ['get', { method: 'GET', path: '/dev/pets', headers: hdr() }, creds],
  ['get-empty-path', { method: 'GET', path: '', headers: hdr() }, creds],
  ['get-space', { method: 'GET', path: '/dev/pets/a b', headers: hdr() }, creds],
  ['get-unicode', { method: 'GET', path: '/dev/caf\u00e9/\u1234', headers: hdr() }, creds],
  ['get-encoded-slash', { method: 'GET', path: '/dev/files/a%2Fb%20c', headers: hdr() }, creds],
  ['get-sub-delims', { method: 'GET', path: "/dev/a+b=c@d:e,f;g!h*i'j(k)", headers: hdr() }, creds],
  ['get-dot-segments', { method: 'GET', path: '/dev/./a/../b//c/', headers: hdr() }, creds],
  ['get-query', { method: 'GET', path: "/dev/pets?b=2&a=1&a=0&c=x%20y&d=%2B&e=&flag&f=it's+fine&%E2%9C%93=%C3%A9", headers: hdr() }, creds],
  ['get-headers', { method: 'GET', path: '/dev/pets', headers: hdr({ 'X-Custom': '  a   b   c  ', 'Accept': 'application/json' }) }, creds],
  ['post-json', { method: 'POST', path: '/dev/pets', body: '{"name":"Rex","tags":["a","b"]}', headers: hdr({ 'Content-Type': 'application/json' }) }, creds],
  ['post-form', { method: 'POST', path: '/dev/forms?x=1', body: 'a=1&b=two%20words', headers: hdr() }, creds],
  ['session-token', { method: 'PUT', path: '/dev/pets/1', body: 'x', headers: hdr() }, temp],
  ['presigned', { method: 'GET', path: '/dev/socket?room=lobby&X-Amz-Date=' + date, signQuery: true, headers: {} }, creds],
  ['presigned-session-token', { method: 'GET', path: '/dev/socket?X-Amz-Expires=300&X-Amz-Date=' + date, signQuery: true, headers: {} }, temp],
]
const out = []
for (const [name, req, c] of cases) {
  const r = Object.assign({ host, service: 'execute-api', region: 'us-east-1' }, req)
  const s = aws4.sign(r, c)
  const headers = {}
  for (const k of Object.keys(s.headers)) headers[k] = String(s.headers[k])
  out.push({ name, method: s.method || 'GET', target: s.path, headers, body: s.body || '', accessKeyId: c.accessKeyId })
}
process.stdout.write(JSON.stringify({ generator: 'aws4 ' + require('aws4/package.json').version, signedAt: date, cases: out }, null, 2) + '\n')
