// Package sigv4 verifies AWS Signature Version 4 signatures on incoming requests, as AWS
// services do: the gateway's AWS_IAM methods (service execute-api) and, with another
// service name, Gatehouse's AWS-protocol endpoints (cognito-idp, cognito-identity, iam).
//
// It owns, following the IAM User Guide:
//   - both ways of carrying a signature ("Authentication methods",
//     reference_sigv-authentication-methods.html): the Authorization header
//     "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/execute-api/aws4_request,
//     SignedHeaders=host;x-amz-date, Signature=…" with X-Amz-Date (or Date), and presigned
//     URLs (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires up to 604800,
//     X-Amz-SignedHeaders, X-Amz-Signature), each with an optional X-Amz-Security-Token;
//   - the canonical request, string to sign and signing key ("Create a signed AWS API
//     request", reference_sigv-create-signed-request.html), for every service but S3: the
//     path as sent URI-encoded once more ("each path segment must be URI-encoded twice"),
//     accepted as is (aws-sdk-go-v2) or with empty, "." and ".." segments removed (aws4,
//     aws-sdk-js, AWS's test suite; reported as Result.NormalizedPath); the query sorted by encoded name and value; the signed
//     headers only, trimmed, runs of spaces collapsed, repeated values joined with ','; the
//     body's SHA-256, or the signed X-Amz-Content-Sha256 (UNSIGNED-PAYLOAD included, and
//     reported);
//   - the checks, in AWS's order, each refusal an *Error with a Kind and AWS's message: form
//     of the signature, host signed, the timestamp within five minutes of the clock
//     ("Elements of an AWS API request signature", reference_sigv-signing-elements.html:
//     Date) or within X-Amz-Expires, the credential scope (date of the timestamp, region,
//     service, aws4_request), the access key and session token, then the signature,
//     compared in constant time (hmac.Equal);
//   - a bounded cache of derived signing keys per (secret, date, region, service).
//
// Messages. Confirmed in AWS answers or AWS documentation ("Troubleshoot signed requests for
// AWS APIs", reference_sigv-troubleshooting.html; docs/dev/aws-behaviour.md#sigv4-errors): the
// signature mismatch text with its canonical string and string to sign; "Signature expired: …
// is now earlier than … (… - 5 min.)" and "Signature not yet current: … is still later than …
// (… + 5 min.)"; "Authorization header requires 'Credential' parameter." (and 'Signature',
// 'SignedHeaders', the X-Amz-Date/Date one), all missing ones together, followed by
// " Authorization=" and the header; "'…' not a valid key=value pair (missing equal-sign) in
// Authorization header: '…'."; "'Host' must be a 'SignedHeader' in the AWS
// Authorization."; "Credential should be scoped to a valid region, not '…'. ",
// "Credential should be scoped to correct service: '…'. ", "Credential should be scoped
// with a valid terminator: 'aws4_request'…", "Date in Credential scope does not match
// YYYYMMDD from ISO-8601 version of date from HTTP…"; "The security token included in the
// request is invalid." (unknown key, wrong or missing session token); "The security token
// included in the request is expired"; "Request is missing Authentication Token". Taken
// from Amazon S3 (AWS-confirmed there, guessed for other services): the X-Amz-Expires ones,
// "Request has expired", "Only one auth mechanism allowed…", the x-amz-content-sha256
// ones. Seen only in reimplementations: the query-string "AWS query-string parameters must
// include 'X-Amz-…'. … Re-examine the query-string parameters.", "Unsupported AWS
// 'algorithm': '…'.", "Date must be in ISO-8601 'basic format'…", "Credential must have
// exactly 5 slash-delimited elements…", and the details after the colon of the scope-date
// message. Gatehouse's own, for its size bounds: "… is too long.", "Too many …".
//
// It never logs, never echoes a secret or a signing key (a mismatch message carries only
// what the client can compute itself), never decides what a verified caller may do (package
// policy does), never reads a request body itself (the caller passes the bytes or their
// hash), and keeps no package-level mutable state. It never passes a request on an error:
// an *Error is a refusal, any other error a failure of the Credentials lookup.
package sigv4
