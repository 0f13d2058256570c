package gateway

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxResponseBytes bounds a response read from an integration: API Gateway's 10 MB payload
// quota (developer guide: "Amazon API Gateway quotas and important notes").
const MaxResponseBytes = 10 * 1024 * 1024

// HTTPProxy is the HTTP_PROXY integration (serverless "http-proxy"): the request goes to URI,
// with {name} replaced by the path parameter of that name (a greedy {proxy+} value keeps its
// slashes), with the client's method, query string, headers (less hop-by-hop ones and Host)
// and body; the backend's status, headers and body come back (hop-by-hop headers dropped,
// Content-Length, Date, Server and Connection renamed x-amzn-Remapped-NAME) (developer guide: "Set up HTTP proxy integrations in API Gateway"). Redirects are not
// followed. Build it with NewHTTPProxy.
type HTTPProxy struct {
	uri    string    // the template, for errors
	parts  []uriPart // the template, split at its variables
	client *http.Client
}

type uriPart struct {
	text  string // literal text, or the variable's name when isVar
	isVar bool
}

// NewHTTPProxy parses an integration URI such as "http://127.0.0.1:8080/{proxy}". client is the
// HTTP client to use (share one between integrations); nil makes a new one with NewHTTPClient.
func NewHTTPProxy(uri string, client *http.Client) (*HTTPProxy, error) {
	u, err := url.Parse(strings.NewReplacer("{", "", "}", "", "+", "").Replace(uri))
	if err != nil {
		return nil, fmt.Errorf("gateway: integration uri %q: %w", uri, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("gateway: integration uri %q: want an absolute http(s) URL", uri)
	}
	p := &HTTPProxy{uri: uri, client: client}
	if p.client == nil {
		p.client = NewHTTPClient()
	}
	rest := uri
	for rest != "" {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			p.parts = append(p.parts, uriPart{text: rest})
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("gateway: integration uri %q: unclosed {", uri)
		}
		if i > 0 {
			p.parts = append(p.parts, uriPart{text: rest[:i]})
		}
		name := strings.TrimSuffix(rest[i+1:i+j], "+")
		if !paramName.MatchString(name) {
			return nil, fmt.Errorf("gateway: integration uri %q: invalid variable {%s}", uri, rest[i+1:i+j])
		}
		p.parts = append(p.parts, uriPart{text: name, isVar: true})
		rest = rest[i+j+1:]
	}
	return p, nil
}

// NewHTTPClient returns the client HTTP proxy integrations use by default: keep-alive
// connections (many per backend), no redirects, no transparent decompression, no proxy from
// the environment, and a 29 s ceiling as a last resort (the request's context sets the real
// integration timeout).
func NewHTTPClient() *http.Client {
	t := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		DisableCompression:    true,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport:     t,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       DefaultIntegrationTimeout,
	}
}

// hopHeaders are the hop-by-hop headers (RFC 9110 §7.6.1) a proxy must not forward.
func isHopHeader(name string) bool {
	switch name {
	case "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
		"Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// copyHeaders copies src to dst without hop-by-hop headers, nor those named in Connection.
func copyHeaders(dst, src http.Header, skip func(string) bool) {
	conn := src.Values("Connection")
	for k, v := range src {
		if isHopHeader(k) || skip(k) {
			continue
		}
		if len(conn) > 0 && namedIn(conn, k) {
			continue
		}
		dst[k] = append([]string(nil), v...)
	}
}

func namedIn(conn []string, name string) bool {
	for _, v := range conn {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

// target builds the backend URL for r, with r's query string when withQuery.
func (p *HTTPProxy) target(r *Request, withQuery bool) string {
	var b strings.Builder
	for _, part := range p.parts {
		if !part.isVar {
			b.WriteString(part.text)
			continue
		}
		v := r.PathParams[part.text]
		if strings.Contains(r.ResourcePath, "{"+part.text+"+}") {
			segs := strings.Split(v, "/")
			for i, s := range segs {
				if i > 0 {
					b.WriteByte('/')
				}
				b.WriteString(url.PathEscape(s))
			}
		} else {
			b.WriteString(url.PathEscape(v))
		}
	}
	if withQuery && r.RawQuery != "" {
		if strings.Contains(b.String(), "?") {
			b.WriteByte('&')
		} else {
			b.WriteByte('?')
		}
		b.WriteString(r.RawQuery)
	}
	return b.String()
}

// Invoke forwards r to the backend.
func (p *HTTPProxy) Invoke(ctx context.Context, r *Request, _ *Principal) (*IntegrationResponse, error) {
	var body io.Reader
	if len(r.Body) > 0 {
		body = bytes.NewReader(r.Body)
	}
	out, err := http.NewRequestWithContext(ctx, r.Method, p.target(r, true), body)
	if err != nil {
		return nil, fmt.Errorf("http proxy %s: %w", p.uri, err)
	}
	out.Header = make(http.Header, len(r.Headers))
	copyHeaders(out.Header, r.Headers, func(k string) bool { return k == "Host" || k == "Content-Length" })
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header.Set("User-Agent", "AmazonAPIGateway_"+r.API.ID) // what API Gateway sends for a client without one
	}
	res, err := p.client.Do(out)
	if err != nil {
		return nil, fmt.Errorf("http proxy %s: %w", p.uri, err)
	}
	data, err := readBackend(res, "http proxy "+p.uri)
	if err != nil {
		return nil, err
	}
	// The backend's headers go back as they are; the gateway drops the hop-by-hop ones and
	// remaps Content-Length, Date, Server and Connection as API Gateway does.
	return &IntegrationResponse{StatusCode: res.StatusCode, Header: res.Header, Body: data}, nil
}

// readBackend reads and closes a backend's response body, refusing one over
// MaxResponseBytes (what names the integration in errors).
func readBackend(res *http.Response, what string) ([]byte, error) {
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read response: %w", what, err)
	}
	if len(data) > MaxResponseBytes {
		return nil, NewResponse(IntegrationFailure).WithReason("%s: response over %d bytes", what, MaxResponseBytes)
	}
	return data, nil
}

var _ Integration = (*HTTPProxy)(nil)
