package gateway

import (
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Request is one API call as a method's authorizer and integration see it: what API Gateway
// puts in a Lambda proxy event and in $context. The gateway builds it once per call; authorizers
// and integrations must treat it, and everything it points to, as read-only.
type Request struct {
	// API is the API the call was routed to (stage variables, binary media types, region…).
	API *API

	Method       string            // the HTTP method as sent: "GET"
	Path         string            // the path below the stage, still percent-encoded: "/tasks/a%20b"
	StagePath    string            // the path with the stage, as received: "/dev/tasks/a%20b"
	ResourcePath string            // the matched resource: "/tasks/{id}"
	ResourceID   string            // the resource's id: "roq9wj"
	PathParams   map[string]string // decoded path parameters; nil when the resource has none

	// Headers are the request's headers (canonical names) with the ones API Gateway adds:
	// X-Forwarded-For, X-Forwarded-Port, X-Forwarded-Proto and X-Amzn-Trace-Id.
	Headers http.Header
	// Query holds the decoded query string parameters, in order; nil when there are none.
	// API Gateway splits on '&' and ';' (developer guide: "Amazon API Gateway important notes").
	Query    url.Values
	RawQuery string // the query string as received, without '?'

	Body     []byte // the whole body (at most MaxBodyBytes)
	IsBase64 bool   // the body is binary: the proxy event carries it base64-encoded

	SourceIP  string
	UserAgent string
	Protocol  string // "HTTP/1.1"
	Host      string // the Host header: requestContext.domainName without the port

	RequestID         string // UUID: x-amzn-RequestId, requestContext.requestId
	ExtendedRequestID string // x-amz-apigw-id, requestContext.extendedRequestId
	RequestTime       time.Time
}

// Stage is the API's stage name.
func (r *Request) Stage() string { return r.API.Stage }

// APIID is the REST API's id.
func (r *Request) APIID() string { return r.API.ID }

// MethodARN is the ARN of the method being called, as API Gateway builds the methodArn of a
// Lambda authorizer's input and the resource an AWS_IAM policy is evaluated against:
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path without its leading
// slash} (developer guide: "Input to an API Gateway Lambda authorizer", methodArn
// "…/{stage}/{httpVerb}/[{resource}/[{child-resources}]]", the actual path, not the resource
// template; "Control access to a REST API with IAM permissions").
//
// The path is the one the router matched, in the form it matched it (arnPath): AWS documents
// no encoding for it, and a policy that names …/GET/admin must not be dodged by a spelling
// the router sends to the same resource (/admin/, /adm%69n).
func (r *Request) MethodARN() string {
	p := arnPath(r.Path)
	var b strings.Builder
	b.Grow(r.methodARNLen(p))
	b.WriteString("arn:aws:execute-api:")
	b.WriteString(r.API.Region)
	b.WriteByte(':')
	b.WriteString(r.API.AccountID)
	b.WriteByte(':')
	b.WriteString(r.API.ID)
	b.WriteByte('/')
	b.WriteString(r.API.Stage)
	b.WriteByte('/')
	b.WriteString(r.Method)
	b.WriteByte('/')
	b.WriteString(p)
	return b.String()
}

// methodARNLen is len(r.MethodARN()) for p = arnPath(r.Path), without building it.
func (r *Request) methodARNLen(p string) int {
	return len("arn:aws:execute-api:") + len(r.API.Region) + 1 + len(r.API.AccountID) + 1 + len(r.API.ID) + 1 +
		len(r.API.Stage) + 1 + len(r.Method) + 1 + len(p)
}

// arnPath is a raw path below the stage as a method ARN carries it: in the form the router
// matches it (match.go), so that two spellings the router treats as one path give one ARN.
// Without its leading slash and without the one trailing slash the router ignores; each
// segment (what lies between two slashes of the raw path) percent-decoded as the router
// decodes it (unescapePath), then written back with every byte a resource path part may
// hold (literalSegment) as itself and every other byte as %XX: "/adm%69n/" is "admin",
// "/v1%3Abatch" is "v1:batch", "/files/a%20b" is "files/a%20b", "/files/a%2Fb" is
// "files/a%2Fb" (a slash inside a segment never reads as a separator), "%ZZ" is "%25ZZ".
// Distinct decoded paths keep distinct ARNs.
func arnPath(p string) string {
	p = strings.TrimPrefix(p, "/")
	p = strings.TrimSuffix(p, "/")
	if plainPath(p) {
		return p
	}
	var b strings.Builder
	b.Grow(len(p) + 8)
	for i, seg := range strings.Split(p, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		seg = unescapePath(seg)
		for j := 0; j < len(seg); j++ {
			c := seg[j]
			if pathPartByte(c) {
				b.WriteByte(c)
				continue
			}
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// plainPath reports whether arnPath has nothing to change in p: no escapes, no byte outside
// a path part's, no empty segment.
func plainPath(p string) bool {
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '/':
			if i == 0 || p[i-1] == '/' {
				return false
			}
		case !pathPartByte(c):
			return false
		}
	}
	return true
}

// parseQuery splits a raw query string the way API Gateway REST APIs do: pairs separated by '&'
// or ';', each name and value percent-decoded ('+' is a space); a malformed escape leaves the
// text as it came. Pairs without a name are dropped. It returns nil for an empty query.
func parseQuery(raw string) url.Values {
	if raw == "" {
		return nil
	}
	var q url.Values
	for raw != "" {
		var pair string
		if i := strings.IndexAny(raw, "&;"); i >= 0 {
			pair, raw = raw[:i], raw[i+1:]
		} else {
			pair, raw = raw, ""
		}
		name, value, _ := strings.Cut(pair, "=")
		name, value = unescapeQuery(name), unescapeQuery(value)
		if name == "" {
			continue
		}
		if q == nil {
			q = make(url.Values)
		}
		q[name] = append(q[name], value)
	}
	return q
}

func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// unescapePath decodes one path segment (or a greedy remainder); a malformed escape leaves the
// text as it came.
func unescapePath(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// matchMediaType reports whether a media type ("image/png; q=1") matches one of an API's
// binaryMediaTypes, which may use wildcards ("image/*", "*/*") (developer guide: "Binary media
// types for REST APIs in API Gateway").
func matchMediaType(binaryTypes []string, mediaType string) bool {
	if len(binaryTypes) == 0 || mediaType == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(mediaType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(mediaType, ";", 2)[0]))
	}
	typ, sub, _ := strings.Cut(mt, "/")
	for _, b := range binaryTypes {
		bt, bs, _ := strings.Cut(strings.ToLower(strings.TrimSpace(b)), "/")
		if (bt == "*" || bt == typ) && (bs == "*" || bs == sub) {
			return true
		}
	}
	return false
}

// acceptsBinary reports whether the client's Accept header names a binary media type of the
// API: only then does API Gateway decode a base64 response body ("Return binary media from a
// Lambda proxy integration").
func (r *Request) acceptsBinary() bool {
	if len(r.API.BinaryMediaTypes) == 0 {
		return false
	}
	for _, v := range r.Headers.Values("Accept") {
		for _, mt := range strings.Split(v, ",") {
			if matchMediaType(r.API.BinaryMediaTypes, mt) {
				return true
			}
		}
	}
	return false
}

// isUTF8 reports whether a body can travel as text in a proxy event; any other body is sent
// base64-encoded.
func isUTF8(b []byte) bool { return utf8.Valid(b) }
