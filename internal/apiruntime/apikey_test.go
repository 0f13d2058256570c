package apiruntime

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// refuseAll is an authorizer that refuses every request, to show that the key check runs
// after the method's authorizer and never overrides its refusal.
type refuseAll struct{}

func (refuseAll) Authorize(context.Context, *gateway.Request) (*gateway.Principal, error) {
	return nil, gateway.NewResponse(gateway.Unauthorized)
}

func TestAPIKeyCheck(t *testing.T) {
	keys := []APIKey{{Name: "first", Value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, {Name: "second", Value: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}}
	for _, tc := range []struct {
		name   string
		next   gateway.Authorizer
		header string
		want   gateway.ResponseType // "" for allowed
		reason string
	}{
		{"no header", nil, "", gateway.InvalidAPIKey, ""},
		{"unknown key", nil, "cccccccccccccccccccccccccccccc", gateway.InvalidAPIKey, ""},
		{"prefix of a key", nil, "aaaaaaaaaa", gateway.InvalidAPIKey, ""},
		{"first key", nil, keys[0].Value, "", "api key first"},
		{"second key", nil, keys[1].Value, "", "api key second"},
		{"authorizer refuses first", refuseAll{}, keys[0].Value, gateway.Unauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &apiKeyCheck{next: tc.next, keys: keys}
			h := http.Header{}
			if tc.header != "" {
				h.Set("X-Api-Key", tc.header)
			}
			p, err := c.Authorize(context.Background(), &gateway.Request{Headers: h})
			var res *gateway.Response
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want == "":
				if p.Reason != tc.reason {
					t.Fatalf("reason %q, want %q", p.Reason, tc.reason)
				}
			case !errors.As(err, &res) || res.Type != tc.want:
				t.Fatalf("got %v, %v; want %s", p, err, tc.want)
			}
		})
	}
}
