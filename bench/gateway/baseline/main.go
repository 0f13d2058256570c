// Command baseline is the yardstick of the gateway benchmark (bench/gateway/run.sh): a plain
// net/http/httputil.ReverseProxy in front of the benchmark's backend, with nothing else in the
// request path. Gatehouse's API gateway is measured against it in the same run.
//
//	baseline -addr 127.0.0.1:0 -target http://127.0.0.1:PORT
//
// Its transport keeps as many idle connections to the backend as Gatehouse's HTTP-proxy
// integration does (gateway.NewHTTPClient: 256 per host): with http.DefaultTransport's 2 per
// host, every load tool connection beyond the second would open a new backend connection per
// request and the yardstick would be artificially slow.
//
// When it listens it prints one line, "baseline: listening http://HOST:PORT".
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address; a port of 0 picks a free one")
	target := flag.String("target", "", "URL of the backend, e.g. http://127.0.0.1:8080")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Scheme == "" || u.Host == "" {
		log.Fatalf("-target %q: want an absolute URL such as http://127.0.0.1:8080", *target)
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			r.SetXForwarded()
		},
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 256,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
			ForceAttemptHTTP2:   true,
		},
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(os.Stdout, "baseline: listening http://%s\n", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
