package apiruntime

import (
	"context"
	"crypto/subtle"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// apiKeyCheck is API Gateway's apiKeyRequired (serverless.yml "private: true"): after the
// method's authorizer, the x-api-key header must hold an enabled key of the API, else 403
// {"message":"Forbidden"} (gateway response INVALID_API_KEY; developer guide: "Usage plans and
// API keys for REST APIs in API Gateway").
type apiKeyCheck struct {
	next gateway.Authorizer // nil: NONE
	keys []APIKey
}

func (c *apiKeyCheck) Authorize(ctx context.Context, r *gateway.Request) (*gateway.Principal, error) {
	p := &gateway.Principal{}
	if c.next != nil {
		var err error
		if p, err = c.next.Authorize(ctx, r); err != nil {
			return nil, err
		}
	}
	got := r.Headers.Get("X-Api-Key")
	if got == "" {
		return nil, gateway.NewResponse(gateway.InvalidAPIKey).WithReason("no x-api-key header")
	}
	// Every key is compared, in constant time, so the answer's timing says nothing of which
	// key came close.
	match := ""
	for _, k := range c.keys {
		if subtle.ConstantTimeCompare([]byte(got), []byte(k.Value)) == 1 {
			match = k.Name
		}
	}
	if match == "" {
		return nil, gateway.NewResponse(gateway.InvalidAPIKey).WithReason("x-api-key is not an enabled key of this API")
	}
	if p.Reason != "" {
		p.Reason += "; "
	}
	p.Reason += "api key " + match
	return p, nil
}

var _ gateway.Authorizer = (*apiKeyCheck)(nil)
