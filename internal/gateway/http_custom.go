package gateway

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// HTTPCustom is the HTTP (non-proxy) integration as the Serverless Framework deploys
// `integration: http` without templates of its own: the backend at the URI (path parameters
// substituted, as the Framework maps them) receives the Framework's default request template
// rendered — the same document a lambda integration's function gets — as a JSON body, with the
// integration's method; the client's headers and query string are not forwarded (a non-proxy
// integration passes only what it maps). The backend's body comes back as application/json;
// its status selects the integration response (the selection pattern is matched against the
// status code for HTTP integrations), else the default response (API Gateway developer guide,
// "Set up an integration response in API Gateway").
type HTTPCustom struct {
	proxy     *HTTPProxy
	method    string
	responses []StatusPattern
}

// NewHTTPCustom parses uri as NewHTTPProxy does. method "" uses the request's method;
// responses nil is DefaultLambdaResponses (the Framework gives both integrations the same).
func NewHTTPCustom(uri, method string, responses []StatusPattern, client *http.Client) (*HTTPCustom, error) {
	p, err := NewHTTPProxy(uri, client)
	if err != nil {
		return nil, err
	}
	return &HTTPCustom{proxy: p, method: method, responses: responses}, nil
}

// Invoke renders the request, calls the backend and selects the response.
func (h *HTTPCustom) Invoke(ctx context.Context, r *Request, p *Principal) (*IntegrationResponse, error) {
	payload, err := customEvent(r, p)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	method := h.method
	if method == "" {
		method = r.Method
	}
	out, err := http.NewRequestWithContext(ctx, method, h.proxy.target(r, false), bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("http integration %s: %w", h.proxy.uri, err)
	}
	out.Header.Set("Content-Type", "application/json")
	out.Header.Set("User-Agent", "AmazonAPIGateway_"+r.API.ID)
	res, err := h.proxy.client.Do(out)
	if err != nil {
		return nil, fmt.Errorf("http integration %s: %w", h.proxy.uri, err)
	}
	data, err := readBackend(res, "http integration "+h.proxy.uri)
	if err != nil {
		return nil, err
	}
	return jsonResponse(selectStatus(h.responses, strconv.Itoa(res.StatusCode)), data), nil
}

var _ Integration = (*HTTPCustom)(nil)
