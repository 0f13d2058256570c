// Command backend is the origin server of the gateway benchmark (bench/gateway/run.sh): it
// answers every request, whatever its method and path, 200 with a small fixed JSON body, so
// that what the benchmark measures is the proxy in front of it.
//
//	backend -addr 127.0.0.1:0
//
// When it listens it prints one line, "backend: listening http://HOST:PORT".
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// body is what every request gets: small, like a typical API answer.
const body = `{"ok":true,"service":"bench-backend","items":[1,2,3]}` + "\n"

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address; a port of 0 picks a free one")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Drain the request body so that the connection can be reused.
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", length)
		_, _ = io.WriteString(w, body)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(os.Stdout, "backend: listening http://%s\n", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
