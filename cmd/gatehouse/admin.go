package main

import (
	"net"

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
