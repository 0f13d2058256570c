package userpool

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
)

// Register takes every operation's authorisation from the model: an operation is public
// exactly when the model says "authtype": "none", and every registered operation is in the
// model.
func TestRegisterFollowsTheModel(t *testing.T) {
	e := newUsersTestEnv(t)
	m := model.CognitoIDP()
	api := awsapi.NewService(m.TargetPrefix(), m)
	e.s.Register(api)
	ops := api.Operations()
	if len(ops) < 50 {
		t.Fatalf("only %d operations registered", len(ops))
	}
	public := 0
	for _, op := range ops {
		if !m.Has(op) {
			t.Errorf("%s is not in the model", op)
		}
		if api.IsPublic(op) != m.Public(op) {
			t.Errorf("%s: registered public %v, model public %v", op, api.IsPublic(op), m.Public(op))
		}
		if api.IsPublic(op) {
			public++
		}
	}
	if public == 0 {
		t.Error("no operation registered public (SignUp, InitiateAuth, … are)")
	}
}

// An empty listing answers the list as [] (AWS: {"Users": []}), not {} — the paged results of
// every paginated operation are always sent (internal/awsapi/modelgen's emptiness rule).
func TestEmptyListsAreSentOverHTTP(t *testing.T) {
	e := newUsersTestEnv(t)
	m := model.CognitoIDP()
	api := awsapi.NewService(m.TargetPrefix(), m)
	e.s.Register(api)
	srv := httptest.NewServer(awsapi.NewServer(nil, nil, api))
	t.Cleanup(srv.Close)
	call := func(op, body string) map[string]json.RawMessage {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Amz-Target", m.TargetPrefix()+"."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", op, resp.StatusCode, raw)
		}
		var out map[string]json.RawMessage
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %v: %s", op, err, raw)
		}
		return out
	}
	wantEmpty := func(op, body, member string) {
		t.Helper()
		out := call(op, body)
		if got, ok := out[member]; !ok || string(got) != "[]" {
			t.Errorf("%s: %s = %s (present %v), want []", op, member, got, ok)
		}
	}
	wantEmpty("ListUserPools", `{"MaxResults":10}`, "UserPools")
	pool := call("CreateUserPool", `{"PoolName":"empty"}`)
	var up struct{ Id string }
	if err := json.Unmarshal(pool["UserPool"], &up); err != nil || up.Id == "" {
		t.Fatalf("CreateUserPool: %s %v", pool["UserPool"], err)
	}
	p := `"UserPoolId":"` + up.Id + `"`
	wantEmpty("ListUserPoolClients", `{`+p+`}`, "UserPoolClients")
	wantEmpty("ListUsers", `{`+p+`}`, "Users")
	wantEmpty("ListGroups", `{`+p+`}`, "Groups")
	call("CreateGroup", `{`+p+`,"GroupName":"g"}`)
	wantEmpty("ListUsersInGroup", `{`+p+`,"GroupName":"g"}`, "Users")
	call("AdminCreateUser", `{`+p+`,"Username":"alice","MessageAction":"SUPPRESS"}`)
	wantEmpty("AdminListGroupsForUser", `{`+p+`,"Username":"alice"}`, "Groups")
}
