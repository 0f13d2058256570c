package gateway

import (
	"context"
	"net/http"
)

// Integration answers a request that its method's authorizer let through: LambdaProxy,
// HTTPProxy, or the MOCK of a CORS preflight (developer guide: "Integrations for REST APIs in
// API Gateway").
//
// Invoke returns the response to send, or an error:
//   - a *Response for a gateway response (502 for a failed or malformed Lambda response,
//     413 for an event too large for Lambda, …);
//   - any other error is logged and answered 500 {"message": "Internal server error"}, or 504
//     {"message": "Endpoint request timed out"} when ctx's deadline (the integration timeout)
//     has passed.
//
// p is the caller's principal; nil when the method has no authorizer. Invoke must be safe for
// concurrent use and must not modify r.
type Integration interface {
	Invoke(ctx context.Context, r *Request, p *Principal) (*IntegrationResponse, error)
}

// IntegrationResponse is what goes back to the client: status, headers (canonical names) and
// the whole body. The gateway adds its own headers (request id, trace id) and remaps the ones
// API Gateway remaps.
type IntegrationResponse struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}
