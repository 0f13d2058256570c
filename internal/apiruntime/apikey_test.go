package apiruntime

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/serverless"
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

// TestAPIKeyValues: a key the file gives no value gets one derived from the master key, the
// service, the stage and its name (40 characters, as API Gateway's, the same on every start
// and node); disabled keys are not served.
func TestAPIKeyValues(t *testing.T) {
	const file = `service: s
provider:
  name: aws
  apiGateway:
    apiKeys:
      - name: given
        value: given-value-0123456789
      - derived
      - name: off
        enabled: false
`
	load := func(stage string) *serverless.Service {
		svc, _, err := serverless.Parse("serverless.yml", []byte(file), serverless.Options{Stage: stage})
		if err != nil {
			t.Fatal(err)
		}
		return svc
	}
	keys, err := apiKeys(load("dev"), testKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0] != (APIKey{"given", "given-value-0123456789"}) || keys[1].Name != "derived" || len(keys[1].Value) != 40 {
		t.Fatalf("keys %+v", keys)
	}
	again, _ := apiKeys(load("dev"), testKey(t))
	prod, _ := apiKeys(load("prod"), testKey(t))
	if again[1] != keys[1] || prod[1] == keys[1] {
		t.Errorf("derived values: dev %s, dev again %s, prod %s; want the same per stage", keys[1].Value, again[1].Value, prod[1].Value)
	}
	if _, err := apiKeys(load("dev"), nil); err == nil || !strings.HasPrefix(err.Error(), "serverless.yml:8:") {
		t.Errorf("no master key: %v, want serverless.yml:8: …", err)
	}
}
