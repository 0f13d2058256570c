package sigv4

import (
	"errors"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	amzDateLayout = "20060102T150405Z"
)

// authParams is a signature as the request states it, before any check of its values.
type authParams struct {
	presigned     bool
	credential    string   // AKID/date/region/service/terminator
	signature     string   // as sent
	signedHeaders []string // lowercase, sorted, unique
	signedList    string   // signedHeaders joined with ';'
	date          string   // X-Amz-Date (or Date) as sent
	dateHeader    bool     // date came from the Date header (HTTP-date allowed)
	sessionToken  string
	contentSHA256 string // the signed X-Amz-Content-Sha256, or ""
	expires       int64  // X-Amz-Expires in seconds, -1 when absent
}

// parseAuth finds the signature: the Authorization header (IAM User Guide, "Elements of an
// AWS API request signature") or the X-Amz-* query parameters of a presigned URL
// ("Authentication methods").
func parseAuth(r *Request, query []queryParam) (*authParams, error) {
	auth := strings.TrimSpace(headerFirst(r.Header, "Authorization"))
	alg, hasAlg := queryFirst(query, "X-Amz-Algorithm")
	switch {
	case auth != "" && hasAlg:
		return nil, refuse(IncompleteSignature, msgBothMechanisms)
	case auth != "":
		return parseHeaderAuth(r, auth)
	case hasAlg:
		return parseQueryAuth(r, query, alg)
	}
	return nil, refuse(Missing, msgMissing)
}

// parseHeaderAuth reads "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…".
// Like API Gateway, it splits the parameters on commas and white space, refuses a parameter
// without '=', reports every missing parameter (and a missing date) at once, and only then
// looks at the algorithm.
func parseHeaderAuth(r *Request, auth string) (*authParams, error) {
	if len(auth) > MaxAuthorizationBytes {
		return nil, refuse(IncompleteSignature, msgTooLongAuthorization)
	}
	alg, rest, _ := strings.Cut(auth, " ")
	var cred, sig, signed string
	var hasCred, hasSig, hasSigned bool
	for rest != "" {
		var tok string
		tok, rest = nextAuthField(rest)
		if tok == "" {
			continue
		}
		k, v, ok := strings.Cut(tok, "=")
		if !ok {
			return nil, refuse(IncompleteSignature, msgNotKeyValue(tok, auth))
		}
		switch k { // the last of each wins
		case "Credential":
			cred, hasCred = v, true
		case "Signature":
			sig, hasSig = v, true
		case "SignedHeaders":
			signed, hasSigned = v, true
		}
	}
	date, dateHeader := headerFirst(r.Header, "X-Amz-Date"), false
	if date == "" {
		date, dateHeader = headerFirst(r.Header, "Date"), true
	}
	missing := absent(part{hasCred, msgReqCredential}, part{hasSig, msgReqSignature},
		part{hasSigned, msgReqSignedHeaders}, part{date != "", msgReqDate})
	if len(missing) > 0 {
		return nil, refuse(IncompleteSignature, strings.Join(missing, " ")+" Authorization="+auth)
	}
	if alg != algorithm {
		return nil, refuse(IncompleteSignature, msgAlgorithm(alg))
	}
	p := &authParams{
		credential:   cred,
		signature:    sig,
		date:         date,
		dateHeader:   dateHeader,
		sessionToken: headerFirst(r.Header, "X-Amz-Security-Token"),
		expires:      -1,
	}
	if err := p.setSignedHeaders(signed); err != nil {
		return nil, err
	}
	if slices.Contains(p.signedHeaders, "x-amz-content-sha256") {
		p.contentSHA256 = strings.TrimSpace(headerFirst(r.Header, "X-Amz-Content-Sha256"))
	}
	return p, nil
}

// part is one required part of a signature and the message naming it when it is absent.
type part struct {
	present bool
	msg     string
}

// absent lists, in order, the messages of the parts that are not present: AWS names every
// missing part of an incomplete signature in one error.
func absent(parts ...part) []string {
	var missing []string
	for _, p := range parts {
		if !p.present {
			missing = append(missing, p.msg)
		}
	}
	return missing
}

// nextAuthField returns the text of s up to the first comma, space or tab, and what follows.
func nextAuthField(s string) (field, rest string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == ' ' || c == '\t' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// parseQueryAuth reads the X-Amz-* parameters of a presigned URL.
func parseQueryAuth(r *Request, query []queryParam, alg string) (*authParams, error) {
	if alg != algorithm {
		// Not a SigV4 presigned URL: as unsigned as a request without any signature.
		return nil, refuse(Missing, msgMissing)
	}
	cred, hasCred := queryFirst(query, "X-Amz-Credential")
	sig, hasSig := queryFirst(query, "X-Amz-Signature")
	signed, hasSigned := queryFirst(query, "X-Amz-SignedHeaders")
	date, hasDate := queryFirst(query, "X-Amz-Date")
	missing := absent(part{hasCred, msgQueryCredential}, part{hasSig, msgQuerySignature},
		part{hasSigned, msgQuerySignedHeaders}, part{hasDate, msgQueryDate})
	if len(missing) > 0 {
		return nil, refuse(IncompleteSignature, strings.Join(missing, " ")+" "+msgQueryReexamine)
	}
	p := &authParams{
		presigned:  true,
		credential: cred,
		signature:  sig,
		date:       date,
		expires:    -1,
	}
	p.sessionToken, _ = queryFirst(query, "X-Amz-Security-Token")
	if v, ok := queryFirst(query, "X-Amz-Expires"); ok {
		n, err := parseExpires(v)
		if err != nil {
			return nil, err
		}
		p.expires = n
	}
	if err := p.setSignedHeaders(signed); err != nil {
		return nil, err
	}
	if v, ok := queryFirst(query, "X-Amz-Content-Sha256"); ok {
		p.contentSHA256 = v // the query string is always signed
	} else if slices.Contains(p.signedHeaders, "x-amz-content-sha256") {
		p.contentSHA256 = strings.TrimSpace(headerFirst(r.Header, "X-Amz-Content-Sha256"))
	}
	return p, nil
}

func parseExpires(v string) (int64, error) {
	if strings.HasPrefix(v, "-") {
		return 0, refuse(IncompleteSignature, msgExpiresNegative)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, refuse(IncompleteSignature, msgExpiresTooLong)
		}
		return 0, refuse(IncompleteSignature, msgExpiresNumber)
	}
	if n > MaxPresignExpires {
		return 0, refuse(IncompleteSignature, msgExpiresTooLong)
	}
	return n, nil
}

// setSignedHeaders parses SignedHeaders: names separated by ';', which AWS's signers send
// lowercase and sorted. They are lowercased, sorted and made unique here, the form the
// canonical request uses.
func (p *authParams) setSignedHeaders(s string) error {
	if strings.Count(s, ";") >= MaxSignedHeaders {
		return refuse(IncompleteSignature, msgTooManySignedHeaders)
	}
	names := make([]string, 0, strings.Count(s, ";")+1)
	canonical := true // s is already lowercase, sorted, unique, without empty names
	for name := range strings.SplitSeq(s, ";") {
		if name == "" {
			canonical = false
			continue
		}
		if !isToken(name) {
			return refuse(IncompleteSignature, msgBadSignedHeaders)
		}
		lower := strings.ToLower(name)
		if lower != name || (len(names) > 0 && names[len(names)-1] >= lower) {
			canonical = false
		}
		names = append(names, lower)
	}
	if canonical {
		p.signedHeaders, p.signedList = names, s
		return nil
	}
	slices.Sort(names)
	p.signedHeaders = slices.Compact(names)
	p.signedList = strings.Join(p.signedHeaders, ";")
	return nil
}

// isToken reports whether s is an HTTP field name (RFC 9110 §5.1, token).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// parseAmzTime reads X-Amz-Date, ISO 8601 basic format ("20150830T123600Z"); a Date header
// may also be an HTTP-date ("Sun, 30 Aug 2015 12:36:00 GMT").
func parseAmzTime(p *authParams) (time.Time, error) {
	if len(p.date) == len(amzDateLayout) {
		if t, err := time.Parse(amzDateLayout, p.date); err == nil {
			return t, nil
		}
	}
	if p.dateHeader {
		if t, err := http.ParseTime(p.date); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, refuse(IncompleteSignature, msgDateFormat(p.date))
}

// headerFirst returns the first value of a header, by canonical name or, for a map built
// by hand, by any spelling.
func headerFirst(h http.Header, canonicalName string) string {
	if v := h[canonicalName]; len(v) > 0 {
		return v[0]
	}
	if v := headerValuesFold(h, canonicalName); len(v) > 0 {
		return v[0]
	}
	return ""
}

// headerValues returns every value of the header named lowerName (a token).
func headerValues(h http.Header, lowerName string) []string {
	var buf [64]byte
	if len(lowerName) <= len(buf) {
		// The canonical form, as textproto.CanonicalMIMEHeaderKey makes it, without allocating.
		k := buf[:len(lowerName)]
		upper := true
		for i := 0; i < len(lowerName); i++ {
			c := lowerName[i]
			if upper && 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			k[i] = c
			upper = c == '-'
		}
		if v, ok := h[string(k)]; ok {
			return v
		}
	} else if v, ok := h[textproto.CanonicalMIMEHeaderKey(lowerName)]; ok {
		return v
	}
	return headerValuesFold(h, lowerName)
}

func headerValuesFold(h http.Header, name string) []string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

type queryParam struct {
	key, value string // decoded
}

// parseQuery splits a raw query string into its parameters, decoded as the AWS SDKs decode
// them ('+' is a space, %XX a byte), in order. A malformed escape is kept as it is, so that
// the canonical form encodes its '%'.
func parseQuery(raw string) ([]queryParam, error) {
	if raw == "" {
		return nil, nil
	}
	if strings.Count(raw, "&") >= MaxQueryParams {
		return nil, refuse(IncompleteSignature, msgTooManyQueryParams)
	}
	params := make([]queryParam, 0, strings.Count(raw, "&")+1)
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		params = append(params, queryParam{key: queryUnescape(k), value: queryUnescape(v)})
	}
	return params, nil
}

func queryFirst(q []queryParam, key string) (string, bool) {
	for _, p := range q {
		if p.key == key {
			return p.value, true
		}
	}
	return "", false
}

// queryUnescape decodes '+' and %XX; an invalid escape stays as it is.
func queryUnescape(s string) string {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// Claim is what a request's signature says of itself: the parts of its Credential.
type Claim struct {
	AccessKeyID, Date, Region, Service string
}

// Claimed returns the Credential a request's signature names, without checking anything
// else; the zero Claim when the request carries no signature or one whose form cannot be
// read. It is for callers that must know who a request claims to be from, or which region
// it was signed for, before or instead of verifying it (e.g. to tell an unknown key from a
// known one); it proves nothing.
func Claimed(r *Request) Claim {
	if len(r.RawQuery) > MaxQueryBytes {
		return Claim{}
	}
	query, err := parseQuery(r.RawQuery)
	if err != nil {
		return Claim{}
	}
	p, err := parseAuth(r, query)
	if err != nil {
		return Claim{}
	}
	parts := strings.SplitN(p.credential, "/", 5)
	for len(parts) < 4 {
		parts = append(parts, "")
	}
	return Claim{AccessKeyID: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
}
