package authorizer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/token"
)

const (
	roleAdmin     = "arn:aws:iam::123456789012:role/admin"
	roleOwner     = "arn:aws:iam::123456789012:role/app/owner"
	roleGuest     = "arn:aws:iam::123456789012:role/guest"
	roleSuspended = "arn:aws:iam::123456789012:role/suspended"
	tasksARN      = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/"
)

// fakeIAM is roles with inline policies and groups with roles, counting the reads.
type fakeIAM struct {
	mu         sync.Mutex
	roles      map[string][]PolicyDocument // role ARN → policies
	groups     map[string]string           // pool/group → role ARN
	roleReads  int
	groupReads int
	fail       error
}

func (f *fakeIAM) InlinePolicies(_ context.Context, arn string) ([]PolicyDocument, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roleReads++
	if f.fail != nil {
		return nil, false, f.fail
	}
	docs, ok := f.roles[arn]
	return docs, ok, nil
}

func (f *fakeIAM) GroupRoleARN(_ context.Context, pool, group string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groupReads++
	if f.fail != nil {
		return "", f.fail
	}
	return f.groups[pool+"/"+group], nil
}

func (f *fakeIAM) put(arn string, docs ...PolicyDocument) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roles[arn] = docs
}

func allowDocFor(effect string, actions ...string) string {
	var res []string
	for _, a := range actions {
		res = append(res, `"`+tasksARN+a+`"`)
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"` + effect + `","Action":"execute-api:Invoke","Resource":[` + strings.Join(res, ",") + `]}]}`
}

// newIAM is the example: admins may DELETE /tasks/*, owners GET and POST /tasks,
// guests only GET /tasks; suspended users are denied everything.
func newIAM() *fakeIAM {
	return &fakeIAM{
		roles: map[string][]PolicyDocument{
			roleAdmin:     {{"delete-tasks", allowDocFor("Allow", "DELETE/tasks/*")}},
			roleOwner:     {{"own-tasks", allowDocFor("Allow", "GET/tasks", "POST/tasks")}},
			roleGuest:     {{"read-tasks", allowDocFor("Allow", "GET/tasks")}},
			roleSuspended: {{"nothing", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`}},
		},
		groups: map[string]string{
			poolA + "/admins": roleAdmin, poolA + "/owners": roleOwner, poolA + "/guests": roleGuest,
			poolA + "/suspended": roleSuspended, poolA + "/no-role": "",
		},
	}
}

func (e *env) groupPolicy(t *testing.T, iam *fakeIAM, mod func(*GroupPolicyConfig)) *GroupPolicy {
	t.Helper()
	cfg := GroupPolicyConfig{
		Token:    CognitoConfig{Name: "rbac", PoolIDs: []string{poolA}, Verifier: e.iss, Clients: storeClients{e.st}, Now: e.clock.Now, ResultTTL: 5 * time.Minute},
		Groups:   iam,
		Policies: iam,
	}
	if mod != nil {
		mod(&cfg)
	}
	g, err := NewGroupPolicy(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func (e *env) roleToken(t *testing.T, groups []string, roles []string, preferred string) string {
	t.Helper()
	c := with(e.idClaims(poolA, clientA), "cognito:groups", groups, "cognito:roles", roles)
	if preferred != "" {
		c["cognito:preferred_role"] = preferred
	}
	if roles == nil {
		delete(c, "cognito:roles")
	}
	return e.sign(t, poolA, token.UseID, c)
}

func TestGroupPolicyDecisions(t *testing.T) {
	e := newEnv(t)
	g := e.groupPolicy(t, newIAM(), nil)
	for _, tc := range []struct {
		name      string
		roles     []string
		preferred string
		method    string
		path      string
		want      string // role ARN allowed, or the 403 message
	}{
		{"guest reads", []string{roleGuest}, "", "GET", "/tasks", roleGuest},
		{"guest may not post", []string{roleGuest}, "", "POST", "/tasks", gateway.MessageImplicitDeny},
		{"guest may not delete", []string{roleGuest}, "", "DELETE", "/tasks/1", gateway.MessageImplicitDeny},
		{"owner posts", []string{roleOwner}, "", "POST", "/tasks", roleOwner},
		{"owner may not delete", []string{roleOwner}, "", "DELETE", "/tasks/1", gateway.MessageImplicitDeny},
		{"admin deletes", []string{roleAdmin}, "", "DELETE", "/tasks/1", roleAdmin},
		{"admin's wildcard is not /tasks", []string{roleAdmin}, "", "DELETE", "/tasks", gateway.MessageImplicitDeny},
		{"first allowing role decides", []string{roleGuest, roleOwner}, "", "GET", "/tasks", roleGuest},
		{"preferred role first", []string{roleGuest, roleOwner}, roleOwner, "GET", "/tasks", roleOwner},
		{"any role allowing is enough", []string{roleGuest, roleAdmin}, "", "DELETE", "/tasks/9", roleAdmin},
		{"explicit deny wins", []string{roleAdmin, roleSuspended}, "", "DELETE", "/tasks/1", gateway.MessageExplicitDeny},
		{"unknown role", []string{"arn:aws:iam::123456789012:role/ghost"}, "", "GET", "/tasks", gateway.MessageImplicitDeny},
		{"no roles", nil, "", "GET", "/tasks", gateway.MessageImplicitDeny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := e.roleToken(t, []string{"whatever"}, tc.roles, tc.preferred)
			p, err := g.Authorize(context.Background(), apiRequest(tc.method, tc.path, map[string]string{"Authorization": tok}, ""))
			if strings.HasPrefix(tc.want, "arn:") {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if p.Context[ContextRole] != tc.want || p.Claims["sub"] == nil || !strings.Contains(p.Reason, tc.want) {
					t.Fatalf("principal %+v, want role %s", p, tc.want)
				}
				return
			}
			wantResponse(t, p, err, gateway.AccessDenied, 403, tc.want)
		})
	}
}

func TestGroupPolicyToken(t *testing.T) {
	e := newEnv(t)
	g := e.groupPolicy(t, newIAM(), nil)
	// Whatever the Cognito authorizer refuses, this one refuses the same way.
	p, err := g.Authorize(context.Background(), apiRequest("GET", "/tasks", nil, ""))
	wantRefused(t, p, err, "Unauthorized")
	expired := e.sign(t, poolA, token.UseID, with(e.idClaims(poolA, clientA), "cognito:roles", []string{roleGuest}, "exp", e.clock.Now().Add(-time.Minute).Unix()))
	p, err = g.Authorize(context.Background(), apiRequest("GET", "/tasks", map[string]string{"Authorization": expired}, ""))
	wantRefused(t, p, err, MessageTokenExpired)
	access := e.sign(t, poolA, token.UseAccess, e.accessClaims(poolA, clientA, "openid"))
	p, err = g.Authorize(context.Background(), apiRequest("GET", "/tasks", map[string]string{"Authorization": access}, ""))
	wantRefused(t, p, err, "Unauthorized")
}

func TestGroupPolicyFromGroups(t *testing.T) {
	e := newEnv(t)
	iam := newIAM()
	g := e.groupPolicy(t, iam, func(c *GroupPolicyConfig) { c.RolesFromGroups = true })
	// cognito:roles says admin, but with roles from groups only the groups count.
	tok := e.roleToken(t, []string{"guests", "no-role", "missing"}, []string{roleAdmin}, "")
	call := func(method, path string) (*gateway.Principal, error) {
		return g.Authorize(context.Background(), apiRequest(method, path, map[string]string{"Authorization": tok}, ""))
	}
	if p, err := call("GET", "/tasks"); err != nil || p.Context[ContextRole] != roleGuest {
		t.Fatalf("GET: %+v, %v", p, err)
	}
	p, err := call("DELETE", "/tasks/1")
	wantResponse(t, p, err, gateway.AccessDenied, 403, gateway.MessageImplicitDeny)
	if iam.groupReads != 3 {
		t.Errorf("%d group reads, want 3 (then remembered)", iam.groupReads)
	}

	// Access tokens (a method with scopes) have no cognito:roles: their groups are used.
	scoped := e.groupPolicy(t, iam, func(c *GroupPolicyConfig) { c.Token.Scopes = []string{"tasks/write"} })
	access := e.sign(t, poolA, token.UseAccess, with(e.accessClaims(poolA, clientA, "tasks/write"), "cognito:groups", []string{"owners"}))
	p, err = scoped.Authorize(context.Background(), apiRequest("POST", "/tasks", map[string]string{"Authorization": access}, ""))
	if err != nil || p.Context[ContextRole] != roleOwner || p.Scopes[0] != "tasks/write" {
		t.Fatalf("access token: %+v, %v", p, err)
	}
}

// TestGroupPolicyChanges: a policy change takes effect within the policy TTL, and not before.
func TestGroupPolicyChanges(t *testing.T) {
	e := newEnv(t)
	iam := newIAM()
	g := e.groupPolicy(t, iam, func(c *GroupPolicyConfig) { c.PolicyTTL = 10 * time.Second })
	tok := e.roleToken(t, []string{"guests"}, []string{roleGuest}, "")
	post := func() error {
		_, err := g.Authorize(context.Background(), apiRequest("POST", "/tasks", map[string]string{"Authorization": tok}, ""))
		return err
	}
	if post() == nil {
		t.Fatal("guest may post before the change")
	}
	iam.put(roleGuest, PolicyDocument{"read-write", allowDocFor("Allow", "GET/tasks", "POST/tasks")})
	e.clock.Advance(9 * time.Second)
	if post() == nil {
		t.Fatal("the change took effect before the policy TTL")
	}
	e.clock.Advance(time.Second)
	if err := post(); err != nil {
		t.Fatalf("the change did not take effect after the policy TTL: %v", err)
	}
	if s := g.Stats(); s.RoleMisses != 2 || s.RoleHits != 1 || s.Allowed != 1 || s.Denied != 2 || s.Token.Hits != 2 {
		t.Errorf("stats %+v", s)
	}
}

func TestGroupPolicyStoreErrors(t *testing.T) {
	e := newEnv(t)
	iam := newIAM()
	iam.fail = errors.New("database is down")
	g := e.groupPolicy(t, iam, nil)
	tok := e.roleToken(t, nil, []string{roleGuest}, "")
	p, err := g.Authorize(context.Background(), apiRequest("GET", "/tasks", map[string]string{"Authorization": tok}, ""))
	var resp *gateway.Response
	if p != nil || err == nil || errors.As(err, &resp) || !strings.Contains(err.Error(), "database is down") {
		t.Fatalf("store failure: %+v, %v; want a plain error (500 AUTHORIZER_FAILURE)", p, err)
	}
	// A stored policy that does not parse fails closed, not half-read.
	iam.fail = nil
	iam.put(roleGuest, PolicyDocument{"broken", `{"Statement":`})
	if p, err := g.Authorize(context.Background(), apiRequest("GET", "/tasks", map[string]string{"Authorization": tok}, "")); p != nil || err == nil {
		t.Fatalf("broken policy: %+v, %v", p, err)
	}
	if _, err := NewGroupPolicy(GroupPolicyConfig{Token: CognitoConfig{PoolIDs: []string{poolA}, Verifier: e.iss, Clients: storeClients{e.st}}, Policies: iam, RolesFromGroups: true}); err == nil {
		t.Fatal("roles from groups without a group reader")
	}
}
