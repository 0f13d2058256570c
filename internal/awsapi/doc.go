// Package awsapi speaks AWS's wire protocols. JSON 1.1 (Server): it dispatches POST / requests
// by their X-Amz-Target header to typed operation handlers, decodes and validates their
// input, encodes their output, and renders errors the way AWS does (`__type`, `message`, the
// `x-amzn-ErrorType` header, the status code) with an `x-amzn-RequestId` on every answer.
// The query protocol of IAM and STS (query.go): bounded form parameters (ReadQuery), the XML
// answer (QueryResponse) and XML errors (WriteQueryError). ByProtocol routes one endpoint's
// requests to the protocol each speaks.
//
// It owns framing only. It must never know what an operation means, touch the store, or let
// an internal error's text reach a client: anything that is not an *Error is logged with the
// request id and answered InternalErrorException without detail.
//
// Input validation against AWS's service models, with AWS's messages, lives in the model
// subpackage (model.CognitoIDP(), model.CognitoIdentity(), and model.IAM(), model.STS() with
// ValidateQuery for query parameters), which implements Validator;
// Service.Register registers an operation as public when the model says AWS calls it
// without IAM credentials.
//
// References: "AWS JSON 1.1 protocol" (smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html),
// "AWS query protocol" (smithy.io/2.0/aws/protocols/aws-query-protocol.html).
package awsapi
