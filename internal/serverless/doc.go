// Package serverless loads a project's serverless.yml into a checked, resolved description of
// the service Gatehouse serves: its functions, its REST API endpoints with their authorizers
// and integrations, and the CloudFormation resources (Cognito, IAM, API Gateway authorizers)
// and outputs it declares.
//
// It owns:
//   - reading the file (go.yaml.in/yaml/v4 nodes, so that every message names file:line:col),
//     with CloudFormation's short tags (!Ref, !GetAtt, !Sub, !Join …) kept as their long
//     form, YAML anchors and merge keys, and bounds on size, nesting and alias expansion;
//   - the Serverless Framework's variables
//     (https://www.serverless.com/framework/docs/guides/variables): ${self:…}, ${env:…},
//     ${opt:stage}/${opt:region}, ${sls:stage}, ${param:…}, ${aws:region}/${aws:accountId},
//     ${strToBool(…)}, fallbacks, variables inside addresses and inside longer strings, with
//     cycle detection and bounds on depth and expansion;
//   - the meaning of the settings Gatehouse serves, with the Framework's defaults and
//     normalisation (https://www.serverless.com/framework/docs/providers/aws/events/apigateway):
//     provider, functions, http events (path, method, cors, integration, private) and every
//     form of authorizer, resolved into one typed Authorizer;
//   - httpApi events and provider.httpApi (HTTP APIs, API Gateway v2,
//     https://www.serverless.com/framework/docs/providers/aws/events/http-api): the
//     'METHOD /path' and object forms, '*' ($default), cors, payload, jwt and request
//     authorizers and aws_iam, resolved into Service.HTTPAPI;
//   - the checks API Gateway and Lambda would make when the stack is deployed (duplicate
//     routes, path syntax, sibling path variables, authorizer settings and ranges, reserved
//     environment variables), so that a file that loads here deploys on AWS;
//   - diagnostics for everything accepted but not used (deployment settings, plugins) and
//     everything Gatehouse cannot honour (warnings), see docs/gateway.md ("serverless.yml reference").
//
// It never runs code (no plugins, no handlers, no JavaScript configuration files), never
// fetches anything (no ${ssm:…}, ${cf:…}, ${s3:…}: they are errors unless a fallback is
// given), never reads a file other than the one it is asked to load (no ${file(…)}, no .env),
// and never reads the process environment by itself: Options.Env is the only environment.
// It never silently ignores a setting that affects security: an unknown key in an authorizer
// is an error, and so is an authorizer setting that would have no effect.
//
// It does not create anything either: the Service it returns is a description for the
// packages that serve the API (gateway, authorizer, lambda) and create the resources.
package serverless
