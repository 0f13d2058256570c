// Gatehouse's Node.js runtime for Lambda functions, written for Gatehouse.
//
// A client of the Lambda Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)
// that loads the handler named by _HANDLER from LAMBDA_TASK_ROOT and runs it as Lambda's Node.js
// runtimes do: async and callback handlers (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html),
// the context object (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html), errors
// reported as {errorType, errorMessage, stackTrace}.
//
// It shares the process with the function, so it uses only Node's built-in modules, and while a
// handler runs it holds nothing in the event loop: a callback handler's result can wait for the
// loop to empty (callbackWaitsForEmptyEventLoop) through 'beforeExit'.
'use strict';

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { pathToFileURL } = require('node:url');

const env = process.env;
const api = env.AWS_LAMBDA_RUNTIME_API || '';
const apiHost = api.slice(0, api.lastIndexOf(':'));
const apiPort = Number(api.slice(api.lastIndexOf(':') + 1));
const apiBase = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

// call makes one Runtime API request and resolves with {status, headers, body}.
function call(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const h = Object.assign({}, headers);
    if (body !== undefined) h['Content-Length'] = Buffer.byteLength(body);
    const req = http.request(
      { host: apiHost, port: apiPort, method, path: apiBase + route, agent, headers: h },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function fatal(err) {
  process.stderr.write(`gatehouse node runtime: ${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
}

// Keep a multi-line console message on one line (carriage returns for newlines), as Lambda's
// Node.js runtimes do; Gatehouse turns them back into newlines in one log record.
function patchConsole() {
  const writer = (stream) => (...args) => {
    stream.write(util.format(...args).replace(/\r?\n/g, '\r') + '\n');
  };
  console.log = writer(process.stdout);
  console.info = writer(process.stdout);
  console.debug = writer(process.stdout);
  console.warn = writer(process.stderr);
  console.error = writer(process.stderr);
}

// errorDoc is the Runtime API's error document for any thrown or passed value.
function errorDoc(err) {
  if (err instanceof Error || (err !== null && typeof err === 'object' && typeof err.message === 'string')) {
    return {
      errorType: err.name || 'Error',
      errorMessage: String(err.message),
      stackTrace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
    };
  }
  if (typeof err === 'string') return { errorType: 'string', errorMessage: err, stackTrace: [] };
  let message;
  try {
    message = JSON.stringify(err);
  } catch (_) {
    message = undefined;
  }
  return { errorType: typeof err, errorMessage: message === undefined ? String(err) : message, stackTrace: [] };
}

// runtimeError is an error of the runtime itself, with a Lambda errorType.
function runtimeError(type, message, cause) {
  const e = new Error(message);
  e.name = type;
  if (cause && cause.stack) e.stack = `${type}: ${message}\n${cause.stack}`;
  return e;
}

function postError(route, doc) {
  const body = JSON.stringify(doc);
  return call('POST', route, body, {
    'Content-Type': 'application/json',
    'Lambda-Runtime-Function-Error-Type': doc.errorType,
  });
}

// loadHandler resolves _HANDLER "dir/module.export[.nested]" against LAMBDA_TASK_ROOT, trying
// module.js, module.mjs and module.cjs; .mjs (and .js in an ES module package) is imported,
// the rest required.
async function loadHandler() {
  const root = env.LAMBDA_TASK_ROOT || process.cwd();
  const spec = env._HANDLER || '';
  const base = spec.lastIndexOf('/') + 1;
  const dot = spec.indexOf('.', base);
  if (dot <= base || dot === spec.length - 1) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = spec.slice(0, dot);
  const exportPath = spec.slice(dot + 1).split('.');

  const stem = path.resolve(root, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => stem + ext).find((f) => fs.existsSync(f));
  if (!file) throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);

  let mod;
  try {
    if (file.endsWith('.mjs')) {
      mod = await import(pathToFileURL(file).href);
    } else {
      try {
        mod = require(file);
      } catch (e) {
        if (!e || (e.code !== 'ERR_REQUIRE_ESM' && e.code !== 'ERR_REQUIRE_ASYNC_MODULE')) throw e;
        mod = await import(pathToFileURL(file).href);
      }
    }
  } catch (e) {
    if (e instanceof SyntaxError) throw runtimeError('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`, e);
    if (e && (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')) {
      throw runtimeError('Runtime.ImportModuleError', `Error: ${e.message}`, e);
    }
    throw e;
  }

  let fn = mod;
  for (const name of exportPath) fn = fn === null || fn === undefined ? undefined : fn[name];
  if (typeof fn !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${spec} is undefined or not exported`);
  return fn;
}

function parseHeaderJSON(value) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch (_) {
    return undefined;
  }
}

let handler;
let current = null; // the invocation whose outcome has not been posted

// Invocation is one event being handled, with its context object.
class Invocation {
  constructor(res) {
    const h = res.headers;
    this.id = h['lambda-runtime-aws-request-id'];
    this.deadline = Number(h['lambda-runtime-deadline-ms']);
    this.settled = false; // the handler produced its outcome
    this.sent = false; // the outcome was posted
    this.pending = null; // a callback outcome waiting for the event loop to empty
    const inv = this;
    this.callback = (err, result) => inv.settle(err !== undefined && err !== null, err, result, true);
    this.context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: this.id,
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
      identity: parseHeaderJSON(h['lambda-runtime-cognito-identity']),
      clientContext: parseHeaderJSON(h['lambda-runtime-client-context']),
      getRemainingTimeInMillis() {
        return Math.max(inv.deadline - Date.now(), 0);
      },
      done(err, result) {
        inv.callback(err, result);
      },
      succeed(result) {
        inv.callback(null, result);
      },
      fail(err) {
        inv.callback(err === undefined || err === null ? 'handled' : err);
      },
    };
  }

  // settle records the handler's outcome once; a callback outcome waits for an empty event
  // loop unless context.callbackWaitsForEmptyEventLoop was set to false.
  settle(failed, err, result, viaCallback) {
    if (this.settled) return;
    this.settled = true;
    const outcome = { failed, err, result };
    if (viaCallback && this.context.callbackWaitsForEmptyEventLoop) {
      this.pending = outcome;
      return;
    }
    this.post(outcome);
  }

  post({ failed, err, result }) {
    if (this.sent) return;
    this.sent = true;
    let sending;
    if (failed) {
      sending = postError(`/invocation/${this.id}/error`, errorDoc(err));
    } else {
      let body;
      try {
        body = JSON.stringify(result === undefined ? null : result);
      } catch (e) {
        body = undefined;
        sending = postError(`/invocation/${this.id}/error`, {
          errorType: 'Runtime.SerializationError',
          errorMessage: e.message,
          stackTrace: [],
        });
      }
      if (body !== undefined) {
        sending = call('POST', `/invocation/${this.id}/response`, body, { 'Content-Type': 'application/json' });
      }
    }
    sending.then((res) => {
      if (res.status !== 202) {
        process.stderr.write(`gatehouse node runtime: invocation ${this.id}: status ${res.status}: ${res.body}\n`);
      }
      if (current === this) current = null;
      next();
    }, fatal);
  }
}

function next() {
  call('GET', '/invocation/next').then((res) => {
    if (res.status !== 200) return fatal(new Error(`next invocation: status ${res.status}: ${res.body}`));
    invoke(res);
  }, fatal);
}

function invoke(res) {
  const inv = new Invocation(res);
  current = inv;
  const trace = res.headers['lambda-runtime-trace-id'];
  if (trace) env._X_AMZN_TRACE_ID = trace;
  else delete env._X_AMZN_TRACE_ID;

  let event;
  try {
    event = JSON.parse(res.body.toString('utf8'));
  } catch (e) {
    inv.settle(true, e, undefined, false);
    return;
  }
  let ret;
  try {
    ret = handler(event, inv.context, inv.callback);
  } catch (e) {
    inv.settle(true, e, undefined, false);
    return;
  }
  if (ret !== null && ret !== undefined && typeof ret.then === 'function') {
    ret.then(
      (value) => inv.settle(false, null, value, false),
      (e) => inv.settle(true, e, undefined, false),
    );
  }
  // Otherwise the handler calls back, or the loop empties and the result is null.
}

process.on('beforeExit', () => {
  const inv = current;
  if (!inv || inv.sent) return;
  if (inv.pending) {
    inv.post(inv.pending);
  } else {
    inv.settled = true;
    inv.post({ failed: false, err: null, result: null });
  }
});

// An exception nothing caught, or a rejection nothing handled, fails the invocation in
// progress and ends the process, as on Lambda.
function crash(doc) {
  process.stderr.write(`${doc.errorType}: ${doc.errorMessage}\n`);
  const inv = current;
  if (!inv || inv.sent) process.exit(129);
  inv.sent = true;
  postError(`/invocation/${inv.id}/error`, doc).finally(() => process.exit(129));
}

process.on('uncaughtException', (err) => crash(errorDoc(err)));
process.on('unhandledRejection', (reason) => {
  const doc = errorDoc(reason);
  crash({
    errorType: 'Runtime.UnhandledPromiseRejection',
    errorMessage: `${doc.errorType}: ${doc.errorMessage}`,
    stackTrace: doc.stackTrace,
  });
});

(async () => {
  patchConsole();
  try {
    handler = await loadHandler();
  } catch (e) {
    const doc = errorDoc(e);
    process.stderr.write(`INIT ${doc.errorType}: ${doc.errorMessage}\n`);
    await postError('/init/error', doc).catch(() => {});
    process.exit(1);
  }
  next();
})();
