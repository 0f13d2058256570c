package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// MaxSkew is how far the signing time may be from the server's clock, either way: "the time
// stamp … must be within five minutes of the AWS system time" (IAM User Guide, "Elements of
// an AWS API request signature", Date).
const MaxSkew = 5 * time.Minute

// MaxPresignExpires is the largest X-Amz-Expires: one week, in seconds (IAM User Guide,
// "Authentication methods", query parameters).
const MaxPresignExpires = 604800

// Bounds on what Verify reads from a request; past them the request is refused as an
// IncompleteSignature before any hashing.
const (
	MaxAuthorizationBytes = 8 << 10  // the Authorization header
	MaxSignedHeaders      = 128      // names in SignedHeaders
	MaxSignedHeaderBytes  = 64 << 10 // the canonical headers block
	MaxQueryBytes         = 64 << 10 // the raw query string
	MaxQueryParams        = 1024     // parameters in the query string
	MaxPathBytes          = 16 << 10 // the raw path
)

// DefaultKeyCacheSize is how many derived signing keys a Verifier keeps when
// Config.KeyCacheSize is 0.
const DefaultKeyCacheSize = 4096

// Credentials finds the secret of an access key. It belongs to the consumer: the gateway
// backs it with the IAM package's temporary credentials, the admin endpoints with their
// configured keys.
type Credentials interface {
	// Lookup returns the secret of accessKeyID, or an error wrapping ErrUnknownKey when the
	// key does not exist (or no longer does). Any other error is a failure of the lookup
	// itself and is returned by Verify unchanged.
	Lookup(ctx context.Context, accessKeyID string) (Secret, error)
}

// Secret is what a Credentials lookup knows about one access key.
type Secret struct {
	// SecretAccessKey is the secret the request must be signed with.
	SecretAccessKey string
	// SessionToken, for temporary credentials, is the token the request must carry in
	// X-Amz-Security-Token (header, or query parameter when presigned). Empty for long-term
	// keys, and then the request must carry none.
	SessionToken string
	// SessionTokenSHA256, when set instead of SessionToken, is the SHA-256 of the token, for
	// stores that keep only a hash of it (as Gatehouse's temporary credentials do).
	SessionTokenSHA256 []byte
	// Expiration, when not zero, is when temporary credentials stop working.
	Expiration time.Time
}

// Config configures a Verifier.
type Config struct {
	// Service is the service name the credential scope must name: "execute-api" for API
	// Gateway, "cognito-idp", "cognito-identity", "iam"… Required.
	Service string
	// Region, when set, is the only region a credential scope may name. Empty accepts any
	// region and reports it in Result.Region.
	Region string
	// Credentials looks up access keys. Required.
	Credentials Credentials
	// Now is the clock (default time.Now).
	Now func() time.Time
	// KeyCacheSize bounds the derived-signing-key cache (default DefaultKeyCacheSize).
	KeyCacheSize int
}

// Verifier verifies AWS Signature Version 4 signatures for one service. It is safe for
// concurrent use.
type Verifier struct {
	service string
	region  string
	creds   Credentials
	now     func() time.Time
	keys    *keyCache
}

// New returns a Verifier for cfg.
func New(cfg Config) (*Verifier, error) {
	if cfg.Service == "" {
		return nil, errors.New("sigv4: Config.Service is required")
	}
	if cfg.Credentials == nil {
		return nil, errors.New("sigv4: Config.Credentials is required")
	}
	if cfg.KeyCacheSize < 0 {
		return nil, fmt.Errorf("sigv4: negative Config.KeyCacheSize %d", cfg.KeyCacheSize)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	size := cfg.KeyCacheSize
	if size == 0 {
		size = DefaultKeyCacheSize
	}
	return &Verifier{
		service: cfg.Service,
		region:  cfg.Region,
		creds:   cfg.Credentials,
		now:     now,
		keys:    newKeyCache(size),
	}, nil
}

// Request is what Verify needs of an HTTP request, exactly as the client sent it.
type Request struct {
	Method string
	// Path is the path as sent on the wire, still percent-encoded ("/dev/a%20b"), with the
	// stage: not decoded, not cleaned.
	Path string
	// RawQuery is the query string as sent, without '?'.
	RawQuery string
	// Host is the Host header (HTTP/2: :authority) as sent, port included.
	Host string
	// Header holds the request's headers (any Host entry is ignored in favour of Host).
	Header http.Header
	// Body is the request body. It is hashed only when PayloadHash is empty.
	Body []byte
	// PayloadHash, when set, is the lowercase hex SHA-256 of the body, for a caller that has
	// already hashed it; Body is then not read.
	PayloadHash string
}

// RequestFromHTTP returns the Request of an incoming server request and its body (already
// read by the caller). The path is taken from r.RequestURI, the exact bytes the client sent,
// when there is one.
func RequestFromHTTP(r *http.Request, body []byte) *Request {
	path := r.URL.EscapedPath()
	if p, ok := requestURIPath(r.RequestURI); ok {
		path = p
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	return &Request{
		Method:   r.Method,
		Path:     path,
		RawQuery: r.URL.RawQuery,
		Host:     host,
		Header:   r.Header,
		Body:     body,
	}
}

// requestURIPath returns the path of a request-target in origin form ("/a?b") or absolute
// form ("http://h/a?b").
func requestURIPath(uri string) (string, bool) {
	if uri == "" || uri == "*" {
		return "", false
	}
	if uri[0] != '/' {
		i := strings.Index(uri, "://")
		if i < 0 {
			return "", false
		}
		rest := uri[i+3:]
		j := strings.IndexAny(rest, "/?")
		if j < 0 || rest[j] == '?' {
			return "/", true
		}
		uri = rest[j:]
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return uri, true
}

// Result is a verified signature.
type Result struct {
	AccessKeyID   string
	Region        string // the region of the credential scope
	Service       string
	SessionToken  string    // "" for long-term keys
	SignedAt      time.Time // X-Amz-Date (or Date), UTC
	SignedHeaders []string  // lowercase, sorted
	// Presigned: the signature was in the query string, not the Authorization header.
	Presigned bool
	// UnsignedPayload: the client signed X-Amz-Content-Sha256: UNSIGNED-PAYLOAD, so the body
	// is not covered by the signature.
	UnsignedPayload bool
	// NormalizedPath: the signature covers the path with its empty, "." and ".." segments
	// removed ("/a/../b//c" signed as "/b/c", as aws4 and aws-sdk-js sign), not the path as
	// sent. A consumer that would route the two differently should route on the normalized
	// form or refuse.
	NormalizedPath bool
}

// Verify checks r's signature. A request that is not validly signed gets an *Error (check
// with errors.As) saying why, in AWS's words; any other error is a failure of the
// Credentials lookup or of ctx. The checks run in AWS's order: the signature's form, host
// signed, the timestamp and its window, the credential scope, the access key and session
// token, then the signature itself, compared in constant time.
func (v *Verifier) Verify(ctx context.Context, r *Request) (*Result, error) {
	if len(r.Path) > MaxPathBytes {
		return nil, refuse(IncompleteSignature, msgTooLongPath)
	}
	if len(r.RawQuery) > MaxQueryBytes {
		return nil, refuse(IncompleteSignature, msgTooLongQuery)
	}
	query, err := parseQuery(r.RawQuery)
	if err != nil {
		return nil, err
	}
	p, err := parseAuth(r, query)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(p.signedHeaders, "host") {
		return nil, refuse(InvalidSignature, msgHostNotSigned)
	}
	signedAt, err := parseAmzTime(p)
	if err != nil {
		return nil, err
	}
	now := v.now().UTC()
	if err := checkWindow(p, signedAt, now); err != nil {
		return nil, err
	}
	stamp := amzDate(signedAt)
	scope, err := v.checkScope(p.credential, stamp)
	if err != nil {
		return nil, err
	}

	payloadHash, unsigned, err := payloadHashOf(r, p)
	if err != nil {
		return nil, err
	}

	secret, err := v.lookup(ctx, scope.accessKeyID)
	if err != nil {
		return nil, err
	}
	if err := checkToken(secret, p.sessionToken, now); err != nil {
		return nil, err
	}

	c, err := newCanonical(r, p, query, payloadHash)
	if err != nil {
		return nil, err
	}
	key := v.keys.signingKey(secret.SecretAccessKey, scope.date, scope.region, v.service)
	credScope := p.credential[len(scope.accessKeyID)+1:]
	ok, normalized, canonical, sts := c.verify(key, p, stamp, credScope)
	if !ok {
		return nil, refuse(InvalidSignature, msgSignatureMismatch(canonical, sts))
	}
	// The signature covers the hash the client claimed; make sure the body is that body.
	if !unsigned && p.contentSHA256 != "" && payloadHash != actualPayloadHash(r) {
		return nil, refuse(InvalidSignature, msgContentMismatch)
	}
	return &Result{
		AccessKeyID:     scope.accessKeyID,
		Region:          scope.region,
		Service:         v.service,
		SessionToken:    p.sessionToken,
		SignedAt:        signedAt,
		SignedHeaders:   p.signedHeaders,
		Presigned:       p.presigned,
		UnsignedPayload: unsigned,
		NormalizedPath:  normalized,
	}, nil
}

// checkWindow applies the five-minute window (header form) or X-Amz-Expires (presigned).
func checkWindow(p *authParams, signedAt, now time.Time) error {
	if signedAt.After(now.Add(MaxSkew)) {
		return refuse(Expired, msgNotYetCurrent(signedAt, now))
	}
	if p.presigned && p.expires >= 0 {
		if now.After(signedAt.Add(time.Duration(p.expires) * time.Second)) {
			return refuse(Expired, msgRequestExpired)
		}
		return nil
	}
	if signedAt.Before(now.Add(-MaxSkew)) {
		return refuse(Expired, msgSignatureExpired(signedAt, now))
	}
	return nil
}

type credentialScope struct {
	accessKeyID, date, region string
}

// checkScope checks Credential=AKID/YYYYMMDD/region/service/aws4_request against the
// signing time and the Verifier's region and service.
func (v *Verifier) checkScope(cred, stamp string) (credentialScope, error) {
	var parts [5]string
	rest := cred
	for i := range parts {
		var found bool
		parts[i], rest, found = strings.Cut(rest, "/")
		if found == (i == len(parts)-1) {
			return credentialScope{}, refuse(IncompleteSignature, msgCredentialParts(cred))
		}
	}
	var msg strings.Builder
	if v.region != "" && parts[2] != v.region {
		msg.WriteString(msgScopeRegion(parts[2]))
	}
	if parts[3] != v.service {
		msg.WriteString(msgScopeService(v.service))
	}
	if parts[4] != "aws4_request" {
		msg.WriteString(msgScopeTerminator(parts[4]))
	}
	if parts[1] != stamp[:8] {
		msg.WriteString(msgScopeDate(parts[1], stamp[:8], stamp))
	}
	if msg.Len() > 0 {
		return credentialScope{}, refuse(InvalidSignature, msg.String())
	}
	if parts[2] == "" {
		// Only reachable with Config.Region empty: a scope must still name a region.
		return credentialScope{}, refuse(InvalidSignature, msgScopeRegion(""))
	}
	return credentialScope{accessKeyID: parts[0], date: parts[1], region: parts[2]}, nil
}

func (v *Verifier) lookup(ctx context.Context, accessKeyID string) (Secret, error) {
	if accessKeyID == "" {
		return Secret{}, refuse(UnknownKey, msgInvalidToken)
	}
	if err := ctx.Err(); err != nil {
		return Secret{}, err
	}
	s, err := v.creds.Lookup(ctx, accessKeyID)
	if errors.Is(err, ErrUnknownKey) {
		return Secret{}, refuse(UnknownKey, msgInvalidToken)
	}
	if err != nil {
		return Secret{}, err
	}
	if s.SecretAccessKey == "" {
		// Signing with "" is signing with a key everyone knows: a broken store, not a pass.
		return Secret{}, fmt.Errorf("sigv4: credentials lookup of %q returned an empty secret", accessKeyID)
	}
	return s, nil
}

// checkToken compares the request's session token with the key's, in constant time.
func checkToken(s Secret, got string, now time.Time) error {
	if len(s.SessionTokenSHA256) > 0 {
		sum := sha256.Sum256([]byte(got))
		if got == "" || subtle.ConstantTimeCompare(sum[:], s.SessionTokenSHA256) != 1 {
			return refuse(InvalidToken, msgInvalidToken)
		}
		if !s.Expiration.IsZero() && !now.Before(s.Expiration) {
			return refuse(ExpiredToken, msgExpiredToken)
		}
		return nil
	}
	if s.SessionToken == "" {
		if got != "" {
			return refuse(InvalidToken, msgInvalidToken)
		}
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.SessionToken)) != 1 {
		return refuse(InvalidToken, msgInvalidToken)
	}
	if !s.Expiration.IsZero() && !now.Before(s.Expiration) {
		return refuse(ExpiredToken, msgExpiredToken)
	}
	return nil
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// payloadHashOf is the last line of the canonical request: X-Amz-Content-Sha256 when the
// client signed it (header listed in SignedHeaders, or query parameter of a presigned URL),
// otherwise the hex SHA-256 of the body.
func payloadHashOf(r *Request, p *authParams) (hash string, unsigned bool, err error) {
	v := p.contentSHA256
	if v == "" {
		return actualPayloadHash(r), false, nil
	}
	if v == "UNSIGNED-PAYLOAD" {
		return v, true, nil
	}
	if !isLowerHex(v, sha256.Size*2) {
		return "", false, refuse(IncompleteSignature, msgContentInvalid)
	}
	return v, false, nil
}

func actualPayloadHash(r *Request) string {
	if r.PayloadHash != "" {
		return r.PayloadHash
	}
	if len(r.Body) == 0 {
		return emptySHA256
	}
	sum := sha256.Sum256(r.Body)
	return hex.EncodeToString(sum[:])
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// signatureEqual compares a computed signature with the client's, in constant time.
func signatureEqual(computed []byte, given string) bool {
	var buf [sha256.Size * 2]byte
	hex.Encode(buf[:], computed)
	return hmac.Equal(buf[:], []byte(given))
}

func amzDate(t time.Time) string { return t.UTC().Format(amzDateLayout) }
