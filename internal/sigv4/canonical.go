package sigv4

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// canonicalRequest holds the parts of a canonical request (IAM User Guide, "Create a signed
// AWS API request", step 1):
//
//	HTTPMethod \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
//	SignedHeaders \n HashedPayload
type canonicalRequest struct {
	method        string
	uri           string // the path as sent, URI-encoded once more
	normalizedURI string // the same after removing empty, "." and ".." segments; "" if equal
	query         string
	headers       string // "name:value\n" per signed header
	signedList    string
	payloadHash   string
}

func newCanonical(r *Request, p *authParams, query []queryParam, payloadHash string) (*canonicalRequest, error) {
	headers, err := canonicalHeaders(r, p.signedHeaders)
	if err != nil {
		return nil, err
	}
	c := &canonicalRequest{
		method:      r.Method,
		uri:         canonicalURI(r.Path),
		query:       canonicalQuery(query, p.presigned),
		headers:     headers,
		signedList:  p.signedList,
		payloadHash: payloadHash,
	}
	if n := canonicalURI(normalizePath(r.Path)); n != c.uri {
		c.normalizedURI = n
	}
	return c, nil
}

// canonicalURI is the CanonicalURI of a path as sent on the wire (still percent-encoded):
// each byte but the unreserved characters and '/' is percent-encoded again. That is what
// "each path segment must be URI-encoded twice (except for Amazon S3)" amounts to on the
// server, and what the SDKs compute: aws-sdk-go-v2 escapes URL.EscapedPath() once more,
// aws4 and aws-sdk-js escape each already-encoded segment with encodeURIComponent. A path
// the client sent unencoded ("/example space/" in AWS's test suite) is so encoded once.
func canonicalURI(path string) string {
	if path == "" {
		return "/"
	}
	n := 0
	for i := 0; i < len(path); i++ {
		if !unreservedOrSlash(path[i]) {
			n++
		}
	}
	if n == 0 {
		return path
	}
	b := make([]byte, 0, len(path)+2*n)
	for i := 0; i < len(path); i++ {
		c := path[i]
		if unreservedOrSlash(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return string(b)
}

// normalizePath removes empty, "." and ".." segments as the AWS SDKs for JavaScript (v3)
// and the aws4 package do for every service but S3, keeping a leading and a trailing slash:
// "//example//" → "/example/", "/example/.." → "/" (AWS's test suite, normalize-path).
// aws-sdk-go-v2 does not normalize; Verify accepts either form.
func normalizePath(path string) string {
	if !strings.Contains(path, "//") && !strings.Contains(path, "/.") {
		return path
	}
	segs := make([]string, 0, strings.Count(path, "/")+1)
	for s := range strings.SplitSeq(path, "/") {
		switch s {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, s)
		}
	}
	var b strings.Builder
	b.Grow(len(path))
	if strings.HasPrefix(path, "/") {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(segs, "/"))
	if len(segs) > 0 && strings.HasSuffix(path, "/") {
		b.WriteByte('/')
	}
	return b.String()
}

// canonicalQuery is the CanonicalQueryString: each name and value URI-encoded (RFC 3986
// unreserved characters kept, a space as %20), sorted by encoded name then encoded value,
// joined with '&'. A presigned URL's X-Amz-Signature is left out.
func canonicalQuery(q []queryParam, presigned bool) string {
	if len(q) == 0 {
		return ""
	}
	enc := make([]queryParam, 0, len(q))
	for _, p := range q {
		if presigned && p.key == "X-Amz-Signature" {
			continue
		}
		enc = append(enc, queryParam{key: uriEncode(p.key), value: uriEncode(p.value)})
	}
	slices.SortFunc(enc, func(a, b queryParam) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.value, b.value)
	})
	n := 0
	for _, p := range enc {
		n += len(p.key) + len(p.value) + 2
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.key)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String()
}

// canonicalHeaders is the CanonicalHeaders block: for each signed header, in order, its
// lowercase name, ':', its values trimmed, runs of spaces collapsed to one, joined with ','
// in the order they came, and '\n'. host is the Host header (HTTP/2: :authority).
func canonicalHeaders(r *Request, names []string) (string, error) {
	var b strings.Builder
	b.Grow(64 * len(names))
	for _, name := range names {
		b.WriteString(name)
		b.WriteByte(':')
		if name == "host" {
			writeTrimmed(&b, r.Host)
		} else {
			for i, v := range headerValues(r.Header, name) {
				if i > 0 {
					b.WriteByte(',')
				}
				writeTrimmed(&b, v)
				if b.Len() > MaxSignedHeaderBytes {
					return "", refuse(IncompleteSignature, msgTooLongHeaders)
				}
			}
		}
		b.WriteByte('\n')
	}
	if b.Len() > MaxSignedHeaderBytes {
		return "", refuse(IncompleteSignature, msgTooLongHeaders)
	}
	return b.String(), nil
}

// writeTrimmed writes v without leading and trailing white space and with each run of
// spaces as one space (IAM User Guide: "Trim any leading or trailing spaces, convert
// sequential spaces to a single space").
func writeTrimmed(b *strings.Builder, v string) {
	v = strings.TrimSpace(v)
	for {
		i := strings.Index(v, "  ")
		if i < 0 {
			b.WriteString(v)
			return
		}
		b.WriteString(v[:i+1])
		v = strings.TrimLeft(v[i+1:], " ")
	}
}

// string builds the canonical request with the given CanonicalURI.
func (c *canonicalRequest) string(uri string) string {
	var b strings.Builder
	b.Grow(len(c.method) + len(uri) + len(c.query) + len(c.headers) + len(c.signedList) + len(c.payloadHash) + 5)
	b.WriteString(c.method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(c.query)
	b.WriteByte('\n')
	b.WriteString(c.headers)
	b.WriteByte('\n')
	b.WriteString(c.signedList)
	b.WriteByte('\n')
	b.WriteString(c.payloadHash)
	return b.String()
}

// stringToSign is "AWS4-HMAC-SHA256\n{timestamp}\n{scope}\n{hex SHA-256 of the canonical
// request}" (IAM User Guide, "Create a signed AWS API request", step 3).
func stringToSign(timestamp, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	var b strings.Builder
	b.Grow(len(algorithm) + len(timestamp) + len(scope) + 3 + 2*len(sum))
	b.WriteString(algorithm)
	b.WriteByte('\n')
	b.WriteString(timestamp)
	b.WriteByte('\n')
	b.WriteString(scope)
	b.WriteByte('\n')
	var h [2 * sha256.Size]byte
	hex.Encode(h[:], sum[:])
	b.Write(h[:])
	return b.String()
}

// verify computes the signature of the canonical request, with the path as sent and then,
// if it differs, normalized, and compares each with the client's in constant time. Only on
// a mismatch does it build the canonical request and string to sign, for AWS's message.
func (c *canonicalRequest) verify(key []byte, p *authParams, timestamp, scope string) (ok, normalized bool, canonical, sts string) {
	if signatureEqual(c.signature(key, timestamp, scope, c.uri), p.signature) {
		return true, false, "", ""
	}
	if c.normalizedURI != "" && signatureEqual(c.signature(key, timestamp, scope, c.normalizedURI), p.signature) {
		return true, true, "", ""
	}
	canonical = c.string(c.uri)
	return false, false, canonical, stringToSign(timestamp, scope, canonical)
}

// signature is HMAC(key, string to sign), computed without building either as a string.
func (c *canonicalRequest) signature(key []byte, timestamp, scope, uri string) []byte {
	buf := make([]byte, 0, len(c.method)+len(uri)+len(c.query)+len(c.headers)+len(c.signedList)+len(c.payloadHash)+5)
	buf = append(append(buf, c.method...), '\n')
	buf = append(append(buf, uri...), '\n')
	buf = append(append(buf, c.query...), '\n')
	buf = append(append(buf, c.headers...), '\n')
	buf = append(append(buf, c.signedList...), '\n')
	buf = append(buf, c.payloadHash...)
	sum := sha256.Sum256(buf)

	var stsBuf [256]byte
	sts := append(stsBuf[:0], algorithm...)
	sts = append(append(sts, '\n'), timestamp...)
	sts = append(append(sts, '\n'), scope...)
	sts = hex.AppendEncode(append(sts, '\n'), sum[:])
	m := hmac.New(sha256.New, key)
	m.Write(sts)
	return m.Sum(nil)
}

const upperHex = "0123456789ABCDEF"

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

func unreservedOrSlash(c byte) bool { return c == '/' || unreserved(c) }

// uriEncode percent-encodes every byte of s but the RFC 3986 unreserved characters, with
// uppercase hex.
func uriEncode(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return string(b)
}
