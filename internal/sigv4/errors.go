package sigv4

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrUnknownKey is what a Credentials lookup returns (or wraps) for an access key ID it does
// not know. Verify turns it into an *Error of kind UnknownKey; any other lookup error is a
// failure of the store and is returned as it is.
var ErrUnknownKey = errors.New("sigv4: unknown access key")

// Kind says why a request was refused, so that each consumer can pick its own answer: the
// gateway its gateway responses (MISSING_AUTHENTICATION_TOKEN, INVALID_SIGNATURE,
// EXPIRED_TOKEN…), the AWS-protocol endpoints their __type (MissingAuthenticationToken,
// IncompleteSignature, InvalidSignatureException or SignatureDoesNotMatch,
// UnrecognizedClientException or InvalidClientTokenId, ExpiredTokenException).
type Kind uint8

const (
	// Missing: the request carries no signature at all (no Authorization header, no
	// X-Amz-Algorithm query parameter, or one that names another algorithm).
	Missing Kind = iota + 1
	// IncompleteSignature: a signature is there but malformed: a required part is missing,
	// unparsable, or past Gatehouse's size bounds.
	IncompleteSignature
	// InvalidSignature: well formed, but wrong: the signature does not match, the credential
	// scope names another date, region, service or terminator, host is not signed, or the
	// body does not match its signed X-Amz-Content-Sha256.
	InvalidSignature
	// Expired: the signing time is more than five minutes away from the server's clock, or a
	// presigned URL is past its X-Amz-Expires.
	Expired
	// UnknownKey: the access key ID is not known (AWS: "The security token included in the
	// request is invalid.").
	UnknownKey
	// InvalidToken: the session token is missing, wrong, or sent with a long-term key.
	InvalidToken
	// ExpiredToken: the temporary credentials the request was signed with have expired.
	ExpiredToken
)

var kindNames = [...]string{
	Missing:             "Missing",
	IncompleteSignature: "IncompleteSignature",
	InvalidSignature:    "InvalidSignature",
	Expired:             "Expired",
	UnknownKey:          "UnknownKey",
	InvalidToken:        "InvalidToken",
	ExpiredToken:        "ExpiredToken",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Error is a refusal: the request is not validly signed. Message is AWS's own text for the
// case where it is known (see doc.go for which are confirmed) and is safe to send to the
// client: it never contains a secret, only what the client sent or can compute itself.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return "sigv4: " + e.Kind.String() + ": " + e.Message }

func refuse(k Kind, msg string) *Error { return &Error{Kind: k, Message: msg} }

// AWS's messages. "Confirmed" ones were seen in real AWS answers (see doc.go).
const (
	// Confirmed (IAM, API Gateway: UnrecognizedClientException / InvalidClientTokenId).
	msgInvalidToken = "The security token included in the request is invalid."
	// Confirmed (ExpiredTokenException).
	msgExpiredToken = "The security token included in the request is expired"
	// Confirmed (MissingAuthenticationTokenException).
	msgMissing = "Request is missing Authentication Token"
	// Confirmed (API Gateway, Amazon Location).
	msgHostNotSigned = "'Host' must be a 'SignedHeader' in the AWS Authorization."

	// Confirmed, each part on its own and all together (API Gateway).
	msgReqCredential    = "Authorization header requires 'Credential' parameter."
	msgReqSignature     = "Authorization header requires 'Signature' parameter."
	msgReqSignedHeaders = "Authorization header requires 'SignedHeaders' parameter."
	msgReqDate          = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."

	// Seen in third-party reimplementations that mirror AWS; not confirmed.
	msgQueryCredential    = "AWS query-string parameters must include 'X-Amz-Credential'."
	msgQuerySignature     = "AWS query-string parameters must include 'X-Amz-Signature'."
	msgQuerySignedHeaders = "AWS query-string parameters must include 'X-Amz-SignedHeaders'."
	msgQueryDate          = "AWS query-string parameters must include 'X-Amz-Date'."
	msgQueryReexamine     = "Re-examine the query-string parameters."

	// Amazon S3's (AuthorizationQueryParametersError, InvalidArgument); not confirmed for
	// other services.
	msgExpiresTooLong  = "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"
	msgExpiresNumber   = "X-Amz-Expires should be a number"
	msgExpiresNegative = "X-Amz-Expires must be non-negative"
	msgRequestExpired  = "Request has expired"
	msgBothMechanisms  = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified"
	msgContentMismatch = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgContentInvalid  = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value."

	// Confirmed (the doc's prefix; the full text is in docs/dev/aws-behaviour.md#sigv4-errors).
	msgMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// msgNotKeyValue: confirmed (API Gateway), e.g. "'sometoken' not a valid key=value pair
// (missing equal-sign) in Authorization header: 'Bearer sometoken'."
func msgNotKeyValue(pair, header string) string {
	return "'" + pair + "' not a valid key=value pair (missing equal-sign) in Authorization header: '" + header + "'."
}

// msgAlgorithm: seen in reimplementations; not confirmed.
func msgAlgorithm(alg string) string {
	return "Unsupported AWS 'algorithm': '" + alg + "'."
}

// msgDateFormat: seen in reimplementations; not confirmed.
func msgDateFormat(v string) string {
	return "Date must be in ISO-8601 'basic format'. Got '" + v + "'. See http://en.wikipedia.org/wiki/ISO_8601"
}

// msgCredentialParts: seen in reimplementations; not confirmed.
func msgCredentialParts(cred string) string {
	return "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" + cred + "'"
}

// Credential scope messages. The first part of each is confirmed (AWS answers and the IAM
// User Guide's "Troubleshoot signed requests"); the details after the date one's colon are
// not. Every part ends with ". " and the parts are concatenated, as in the AWS answer
// "Credential should be scoped to correct service: 'batch'. ".
func msgScopeRegion(got string) string {
	return "Credential should be scoped to a valid region, not '" + got + "'. "
}

func msgScopeService(want string) string {
	return "Credential should be scoped to correct service: '" + want + "'. "
}

func msgScopeTerminator(got string) string {
	return "Credential should be scoped with a valid terminator: 'aws4_request', not '" + got + "'. "
}

func msgScopeDate(got, want, stamp string) string {
	return "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
		got + "' != '" + want + "', from '" + stamp + "'. "
}

// msgSignatureExpired: confirmed, e.g. "Signature expired: 20170517T062414Z is now earlier
// than 20170517T062840Z (20170517T063340Z - 5 min.)".
func msgSignatureExpired(signed, now time.Time) string {
	return "Signature expired: " + amzDate(signed) + " is now earlier than " + amzDate(now.Add(-MaxSkew)) +
		" (" + amzDate(now) + " - 5 min.)"
}

// msgNotYetCurrent: confirmed (the IAM User Guide gives its shape, the numbers are
// formatted as in msgSignatureExpired).
func msgNotYetCurrent(signed, now time.Time) string {
	return "Signature not yet current: " + amzDate(signed) + " is still later than " + amzDate(now.Add(MaxSkew)) +
		" (" + amzDate(now) + " + 5 min.)"
}

// msgSignatureMismatch is AWS's message for a wrong signature, with the canonical request
// and the string to sign it computed (confirmed, docs/dev/aws-behaviour.md#sigv4-errors).
func msgSignatureMismatch(canonical, stringToSign string) string {
	var b strings.Builder
	b.Grow(len(msgMismatch) + len(canonical) + len(stringToSign) + 128)
	b.WriteString(msgMismatch)
	b.WriteString("\n\nThe Canonical String for this request should have been\n'")
	b.WriteString(canonical)
	b.WriteString("'\n\nThe String-to-Sign should have been\n'")
	b.WriteString(stringToSign)
	b.WriteString("'\n")
	return b.String()
}

// Gatehouse's own messages for its bounds; AWS has its own limits but no known text.
const (
	msgTooLongAuthorization = "Authorization header is too long."
	msgTooManySignedHeaders = "Too many signed headers."
	msgTooLongQuery         = "Query string is too long."
	msgTooManyQueryParams   = "Too many query-string parameters."
	msgTooLongPath          = "Request path is too long."
	msgTooLongHeaders       = "Signed headers are too long."
	msgBadSignedHeaders     = "SignedHeaders must be a ';'-separated list of lowercase header names."
)
