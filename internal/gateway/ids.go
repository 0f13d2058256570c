package gateway

import (
	"encoding/base64"
	"encoding/hex"
	"hash/fnv"
	"io"
	"net/http"
	"strconv"
	"time"
)

// requestIDs are the identifiers API Gateway gives every request: the request id (a UUID, the
// x-amzn-RequestId header and requestContext.requestId), the extended request id (the
// x-amz-apigw-id header and requestContext.extendedRequestId, e.g. "HiNnXXJkoAGF3fQ=") and the
// X-Ray trace id ("Root=1-5e1b4151-5ac6c58f5f3c4a2e1d8b6c3a").
type requestIDs struct {
	request  string
	extended string
	trace    string
}

// newRequestIDs draws the ids from random (which must be safe for concurrent use). A client's
// own X-Amzn-Trace-Id is kept, as API Gateway does.
func newRequestIDs(random io.Reader, now time.Time, clientTrace string) (requestIDs, error) {
	var b [16 + 11 + 12]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return requestIDs{}, err
	}
	ids := requestIDs{request: formatUUID(b[:16]), extended: base64.StdEncoding.EncodeToString(b[16:27])}
	if clientTrace != "" && len(clientTrace) <= 256 {
		ids.trace = clientTrace
	} else {
		ids.trace = "Root=1-" + strconv.FormatInt(now.Unix(), 16) + "-" + hex.EncodeToString(b[27:])
	}
	return ids, nil
}

// set adds the id headers API Gateway sends on every answer.
func (ids requestIDs) set(h http.Header) {
	h.Set("x-amzn-RequestId", ids.request)
	h.Set("x-amz-apigw-id", ids.extended)
	h.Set("X-Amzn-Trace-Id", ids.trace)
}

// formatUUID formats 16 random bytes as a version 4 UUID (RFC 9562 §5.4).
func formatUUID(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], u[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], u[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], u[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], u[8:10])
	s[23] = '-'
	hex.Encode(s[24:], u[10:])
	return string(s[:])
}

// resourceID derives a stable 6-character resource id ("roq9wj") from the API id and the
// resource path, so an event's requestContext.resourceId stays the same across reloads.
func resourceID(apiID, path string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := fnv.New64a()
	_, _ = io.WriteString(h, apiID)
	_, _ = io.WriteString(h, "\x00")
	_, _ = io.WriteString(h, path)
	n := h.Sum64()
	var s [6]byte
	for i := range s {
		s[i] = alphabet[n%uint64(len(alphabet))]
		n /= uint64(len(alphabet))
	}
	return string(s[:])
}
