package authorizer

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// conditionalDenies are Deny statements whose conditions read the request context, each with
// a request that the Deny must catch and one it must let through (to the Allow next to it).
var conditionalDenies = []struct {
	name      string
	condition string
	denied    func(r *gateway.Request)
	allowed   func(r *gateway.Request)
}{
	{
		name:      "NotIpAddress aws:SourceIp",
		condition: `{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`,
		denied:    func(r *gateway.Request) { r.SourceIP = "203.0.113.9" },
		allowed:   func(r *gateway.Request) { r.SourceIP = "10.1.2.3" },
	},
	{
		name:      "Bool aws:SecureTransport",
		condition: `{"Bool":{"aws:SecureTransport":"false"}}`,
		denied:    func(r *gateway.Request) { r.Headers.Del("X-Forwarded-Proto") },
		allowed:   func(r *gateway.Request) { r.Headers.Set("X-Forwarded-Proto", "https") },
	},
}

// timeDenies deny from contextNow plus one hour on, by aws:CurrentTime and aws:EpochTime.
var (
	contextNow = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	timeDenies = []string{
		`{"DateGreaterThan":{"aws:CurrentTime":"2026-05-01T13:00:00Z"}}`,
		`{"NumericGreaterThan":{"aws:EpochTime":"` + strconv.FormatInt(contextNow.Add(time.Hour).Unix(), 10) + `"}}`,
	}
)

// allowExceptDoc allows everything and denies whatever the condition catches.
func allowExceptDoc(condition string) string {
	return `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/*/*"},
{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/*/*","Condition":` + condition + `}]}`
}

// lambdaAnswering is a function answering every event with the document as its policy.
func lambdaAnswering(doc string) *fakeFunction {
	return &fakeFunction{answer: func(map[string]any) ([]byte, error) {
		return []byte(`{"principalId":"user","policyDocument":` + doc + `}`), nil
	}}
}

func TestLambdaPolicyConditions(t *testing.T) {
	for _, typ := range []LambdaType{LambdaToken, LambdaRequest} {
		for _, c := range conditionalDenies {
			t.Run(string(typ)+" "+c.name, func(t *testing.T) {
				fn := lambdaAnswering(allowExceptDoc(c.condition))
				l := newTestLambda(t, fn, &clock{t: contextNow}, func(cfg *LambdaConfig) {
					cfg.Type = typ
					if typ == LambdaRequest {
						cfg.IdentitySource = []string{"method.request.header.Authorization"}
					}
				})
				call := func(mod func(*gateway.Request)) (*gateway.Principal, error) {
					r := apiRequest("GET", "/tasks", map[string]string{"Authorization": "tok"}, "")
					mod(r)
					return l.Authorize(context.Background(), r)
				}
				// Allowed first, so the result is cached: the cached policy must still be
				// evaluated with the next request's context, not the first one's.
				if _, err := call(c.allowed); err != nil {
					t.Fatalf("allowed request refused: %v", err)
				}
				p, err := call(c.denied)
				wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
				if _, err := call(c.allowed); err != nil {
					t.Fatalf("allowed request refused after a denial: %v", err)
				}
				if fn.calls() != 1 {
					t.Fatalf("%d invocations, want 1 (the rest from the cache)", fn.calls())
				}
			})
		}
	}
	for _, cond := range timeDenies {
		t.Run("time "+cond, func(t *testing.T) {
			clk := &clock{t: contextNow}
			l := newTestLambda(t, lambdaAnswering(allowExceptDoc(cond)), clk, nil)
			r := apiRequest("GET", "/tasks", map[string]string{"Authorization": "tok"}, "")
			if _, err := l.Authorize(context.Background(), r); err != nil {
				t.Fatalf("before the time: %v", err)
			}
			clk.Advance(time.Hour + time.Second) // past the Deny's time
			p, err := l.Authorize(context.Background(), r)
			wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
		})
	}
}

func TestGroupPolicyConditions(t *testing.T) {
	for _, c := range conditionalDenies {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			iam := newIAM()
			iam.put(roleGuest, PolicyDocument{"guarded", allowExceptDoc(c.condition)})
			g := e.groupPolicy(t, iam, nil)
			tok := e.roleToken(t, nil, []string{roleGuest}, "")
			call := func(mod func(*gateway.Request)) (*gateway.Principal, error) {
				r := apiRequest("GET", "/tasks", map[string]string{"Authorization": tok}, "")
				mod(r)
				return g.Authorize(context.Background(), r)
			}
			if _, err := call(c.allowed); err != nil {
				t.Fatalf("allowed request refused: %v", err)
			}
			p, err := call(c.denied)
			wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
		})
	}
	for _, cond := range timeDenies {
		t.Run("time "+cond, func(t *testing.T) {
			e := newEnv(t)
			e.clock.t = contextNow
			iam := newIAM()
			iam.put(roleGuest, PolicyDocument{"until", allowExceptDoc(cond)})
			g := e.groupPolicy(t, iam, nil)
			tok := e.roleToken(t, nil, []string{roleGuest}, "")
			r := apiRequest("GET", "/tasks", map[string]string{"Authorization": tok}, "")
			if _, err := g.Authorize(context.Background(), r); err != nil {
				t.Fatalf("before the time: %v", err)
			}
			// Past the Deny's time, with a fresh token (the first one expires in an hour).
			e.clock.Advance(time.Hour + time.Second)
			r = apiRequest("GET", "/tasks", map[string]string{"Authorization": e.roleToken(t, nil, []string{roleGuest}, "")}, "")
			p, err := g.Authorize(context.Background(), r)
			wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
		})
	}
}
