// Package lambda runs Lambda functions on this machine the way AWS Lambda runs them: each
// function's code runs in its own operating-system processes, which fetch invocations from and
// return results to an implementation of the Lambda Runtime API
// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html). Anything that speaks that API
// runs unchanged: the Node.js bootstrap shipped inside this package (bootstrap/node.cjs), an
// executable `bootstrap` built with aws-lambda-go, or any other custom runtime.
//
// It owns:
//   - the Runtime API server, one listener on 127.0.0.1 per function process, found by the
//     process through AWS_LAMBDA_RUNTIME_API (server.go);
//   - function processes: their environment as Lambda sets it, their output (one log record per
//     line, tagged with the function name and the request it was written during, output.go),
//     their process group (process.go);
//   - the execution environments of each function: warm processes reused one invocation at a
//     time, concurrency up to a per-function limit, a bounded queue beyond it, the function
//     timeout, replacement of crashed processes (pool.go);
//   - the runtimes: nodejs* through the embedded bootstrap (node.go), provided, provided.al2,
//     provided.al2023 and go1.x through the function's own executable (function.go).
//
// Results keep Lambda's distinction: an error the function reported (a thrown Error, a callback
// error, a failed module load) is a *FunctionError inside the Result, as Lambda's Invoke returns
// it with X-Amz-Function-Error; what went wrong around the function (timeout, runtime exit,
// throttling, shutdown) is a returned error wrapping an *InvokeError, tested with errors.Is
// against ErrTimeout, ErrRuntimeExit, ErrTooManyRequests….
//
// It must never:
//   - pass Gatehouse's own environment to a function (least of all AWS credentials): a function
//     sees PATH, the variables Lambda defines, and Function.Env — nothing else;
//   - leave a process behind: every function process leads its own process group, and the whole
//     group is killed on timeout, crash, replacement and Close;
//   - spawn anything on the warm path, or let one invocation see another's result;
//   - decide what a payload means: events and responses are opaque bytes here (package gateway
//     builds and reads them).
package lambda
