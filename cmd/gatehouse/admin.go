package main

import (
	"net"
	"net/http"
	"strings"

	"github.com/gatehouse/gatehouse/internal/iam"
)

// loopbackOnly reports whether every address is a loopback one ("localhost", 127.0.0.0/8,
// ::1). An address without a host (":9229") listens on every interface.
func loopbackOnly(addrs ...string) bool {
	for _, a := range addrs {
		host, _, err := net.SplitHostPort(a)
		if err != nil || !iam.LoopbackHost(host) {
			return false
		}
	}
	return true
}

// protocolMux sends POST / to the protocol it speaks: JSON 1.1 with X-Amz-Target (Cognito)
// to json, form posts with Action= (IAM's and STS's query protocol, IAM API reference
// "Making query requests") to query.
type protocolMux struct{ json, query http.Handler }

func (m protocolMux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ct := strings.ToLower(r.Header.Get("Content-Type"))
	if r.Header.Get("X-Amz-Target") == "" && strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		m.query.ServeHTTP(w, r)
		return
	}
	m.json.ServeHTTP(w, r)
}
