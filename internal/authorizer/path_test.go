package authorizer

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// adminSpellings are paths the gateway routes to resource /admin (internal/gateway:
// TestMethodARNAgreesWithRoute), as the Request reaches an authorizer.
var adminSpellings = []string{"/admin", "/admin/", "/adm%69n", "/%61%64%6D%69%6E", "/%61dmin/"}

// denyAdminDoc allows everything but GET /admin of the test API.
const denyAdminDoc = `{"Version":"2012-10-17","Statement":[
{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/*/*"},
{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/admin"}]}`

func TestDenyOnPathSpellings(t *testing.T) {
	t.Run("Lambda", func(t *testing.T) {
		fn := lambdaAnswering(denyAdminDoc)
		l := newTestLambda(t, fn, &clock{t: contextNow}, nil)
		for _, path := range adminSpellings {
			p, err := l.Authorize(context.Background(), apiRequest("GET", path, map[string]string{"Authorization": "tok"}, ""))
			wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
		}
		if _, err := l.Authorize(context.Background(), apiRequest("GET", "/admin/users", map[string]string{"Authorization": "tok"}, "")); err != nil {
			t.Fatalf("GET /admin/users: %v", err)
		}
	})
	t.Run("GroupPolicy", func(t *testing.T) {
		e := newEnv(t)
		iam := newIAM()
		iam.put(roleGuest, PolicyDocument{"no-admin", denyAdminDoc})
		g := e.groupPolicy(t, iam, nil)
		tok := e.roleToken(t, nil, []string{roleGuest}, "")
		for _, path := range adminSpellings {
			p, err := g.Authorize(context.Background(), apiRequest("GET", path, map[string]string{"Authorization": tok}, ""))
			wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageExplicitDeny)
		}
		if _, err := g.Authorize(context.Background(), apiRequest("GET", "/admin/users", map[string]string{"Authorization": tok}, "")); err != nil {
			t.Fatalf("GET /admin/users: %v", err)
		}
	})
}
