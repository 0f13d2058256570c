package identitypool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi/model"
)

// The golden payloads under testdata/aws-examples are AWS's published Cognito Identity
// examples and request/response syntax (testdata/README.md says which page each came from).

// awsExample is one file of testdata/aws-examples.
type awsExample struct {
	Operation string          `json:"operation"`
	Kind      string          `json:"kind"` // "example" or "syntax"
	Optional  []string        `json:"optional"`
	Request   json.RawMessage `json:"request"`
	Response  json.RawMessage `json:"response"`
}

func loadExample(t *testing.T, name string) awsExample {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "aws-examples", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var ex awsExample
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ex); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if ex.Operation == "" || (ex.Kind != "example" && ex.Kind != "syntax") {
		t.Fatalf("%s: operation %q kind %q", name, ex.Operation, ex.Kind)
	}
	return ex
}

// request returns the example's request as a map to substitute values in.
func (ex awsExample) request(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ex.Request, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// response returns the example's response, decoded.
func (ex awsExample) response(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(ex.Response, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// validate checks a request body against the service model, as the server does first.
func validate(t *testing.T, op string, body any) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if aerr := model.CognitoIdentity().Validate(op, raw); aerr != nil {
		t.Fatalf("model refuses the %s request %s: %v", op, raw, aerr)
	}
}

// call sends body as an SDK does (POST /, awsJson 1.1, X-Amz-Target) and returns the status
// and the response body.
func (e *env) call(t *testing.T, op string, body any) (int, []byte) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.srv.URL+"/", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityService."+op)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// send validates and sends the request, requires 200 and returns the decoded response.
func (e *env) send(t *testing.T, op string, body map[string]any) any {
	t.Helper()
	validate(t, op, body)
	status, out := e.call(t, op, body)
	if status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", op, status, out)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s: %v: %s", op, err, out)
	}
	return v
}

// checkShape fails the test where got's JSON shape differs from the example's response.
func checkShape(t *testing.T, ex awsExample, got any) {
	t.Helper()
	if diffs := shapeDiff("", ex.response(t), got, ex); len(diffs) > 0 {
		b, _ := json.Marshal(got)
		t.Errorf("%s response differs in shape from AWS's (%s):\n  %s\ngot %s", ex.Operation, ex.Kind, strings.Join(diffs, "\n  "), b)
	}
}

// freeKeyMaps are the members that are maps with caller-chosen keys; in a syntax block their
// one entry, keyed "string", stands for every entry.
var freeKeyMaps = map[string]bool{
	"Logins": true, "Roles": true, "RoleMappings": true, "IdentityPoolTags": true, "SupportedLoginProviders": true,
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

// shapeDiff lists where got's shape (member names, nesting, JSON types) differs from want's.
// An example's objects must have exactly its members; a syntax block's must have all of its
// members but ex.Optional, and no others. Array elements are compared with want's first.
func shapeDiff(path string, want, got any, ex awsExample) []string {
	if wt, gt := jsonType(want), jsonType(got); wt != gt {
		return []string{fmt.Sprintf("%s: %s, AWS has %s", or(path, "(body)"), gt, wt)}
	}
	var diffs []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		name := path[strings.LastIndex(path, ".")+1:]
		if ex.Kind == "syntax" && freeKeyMaps[name] {
			tmpl, ok := w["string"]
			if !ok || len(w) != 1 {
				return []string{path + ": syntax map without its one \"string\" entry"}
			}
			for _, k := range sortedKeys(g) {
				diffs = append(diffs, shapeDiff(path+"."+k, tmpl, g[k], ex)...)
			}
			return diffs
		}
		for _, k := range sortedKeys(w) {
			if _, ok := g[k]; !ok {
				if ex.Kind == "syntax" && slices.Contains(ex.Optional, k) {
					continue
				}
				diffs = append(diffs, fmt.Sprintf("%s: missing", join(path, k)))
				continue
			}
			diffs = append(diffs, shapeDiff(join(path, k), w[k], g[k], ex)...)
		}
		for _, k := range sortedKeys(g) {
			if _, ok := w[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: not in AWS's %s", join(path, k), ex.Kind))
			}
		}
	case []any:
		g := got.([]any)
		switch {
		case len(w) == 0 && len(g) > 0:
			diffs = append(diffs, path+": AWS's array is empty, ours has elements")
		case len(w) > 0 && len(g) == 0:
			diffs = append(diffs, path+": empty, AWS's array has elements")
		}
		for i, e := range g {
			if len(w) > 0 {
				diffs = append(diffs, shapeDiff(fmt.Sprintf("%s[%d]", path, i), w[0], e, ex)...)
			}
		}
	}
	return diffs
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// without returns a copy of a decoded object without the named members.
func without(v any, names ...string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		if !slices.Contains(names, k) {
			out[k] = x
		}
	}
	return out
}

func TestShapeDiff(t *testing.T) {
	ex := awsExample{Kind: "syntax", Optional: []string{"NextToken"}}
	want := map[string]any{"A": "string", "N": 0.0, "NextToken": "string", "L": []any{map[string]any{"X": false}},
		"Roles": map[string]any{"string": "string"}}
	ok := map[string]any{"A": "a", "N": 3.0, "L": []any{map[string]any{"X": true}}, "Roles": map[string]any{"authenticated": "arn"}}
	if d := shapeDiff("", want, ok, ex); len(d) != 0 {
		t.Errorf("same shape reported: %v", d)
	}
	bad := map[string]any{"a": "a", "N": "3", "L": []any{map[string]any{"X": true, "Y": 1.0}}, "Roles": map[string]any{"authenticated": 1.0}}
	want4 := []string{"A: missing", "L[0].Y: not in AWS's syntax", "N: string, AWS has number", "Roles.authenticated: number, AWS has string", "a: not in AWS's syntax"}
	got := shapeDiff("", want, bad, ex)
	sort.Strings(got)
	if !slices.Equal(got, want4) {
		t.Errorf("diffs\n got %q\nwant %q", got, want4)
	}
	// In an example, a member the syntax marks optional is still required.
	if d := shapeDiff("", map[string]any{"NextToken": "x"}, map[string]any{}, awsExample{Kind: "example", Optional: []string{"NextToken"}}); len(d) != 1 {
		t.Errorf("example: %v", d)
	}
}

// TestAWSExamples sends AWS's published requests through the service, with the ids, tokens
// and role ARNs the test creates, and checks each response's shape against AWS's.
func TestAWSExamples(t *testing.T) {
	backends(t, func(t *testing.T, e *env) {
		pool := e.createPool(t, true)
		auth := e.role(t, "Auth", trustFor(pool, "authenticated"))
		unauth := e.role(t, "Unauth", trustFor(pool, "unauthenticated"))
		logins := map[string]any{providerName: e.idToken(t, userPoolID, clientID, "sub-golden")}

		t.Run("cli-create-identity-pool", func(t *testing.T) {
			ex := loadExample(t, "cli-create-identity-pool")
			// The example applies as it is: its provider is a well-formed user pool.
			got := e.send(t, ex.Operation, ex.request(t))
			// The CLI example shows no IdentityPoolTags; the API Reference's CreateIdentityPool
			// example (apiref-create-identity-pool.json) shows "IdentityPoolTags": {} for a
			// pool without tags, and Gatehouse follows that one.
			checkShape(t, ex, without(got, "IdentityPoolTags"))
			if tags, ok := got.(map[string]any)["IdentityPoolTags"]; !ok || jsonType(tags) != "object" {
				t.Errorf("IdentityPoolTags = %v (present %v), want {}", tags, ok)
			}
			// The CLI's describe-identity-pool example prints the same pool.
			id := got.(map[string]any)["IdentityPoolId"]
			desc := e.send(t, "DescribeIdentityPool", map[string]any{"IdentityPoolId": id})
			checkShape(t, ex, without(desc, "IdentityPoolTags"))
		})

		t.Run("apiref-create-identity-pool", func(t *testing.T) {
			ex := loadExample(t, "apiref-create-identity-pool")
			req := ex.request(t)
			// The model accepts AWS's request; Gatehouse refuses SupportedLoginProviders by
			// design (it cannot verify Facebook, Google, Amazon or Twitter tokens).
			validate(t, ex.Operation, req)
			if status, out := e.call(t, ex.Operation, req); status != http.StatusBadRequest || !bytes.Contains(out, []byte("InvalidParameterException")) {
				t.Fatalf("SupportedLoginProviders: status %d: %s", status, out)
			}
			// Without them the example applies, and the response is AWS's without them.
			delete(req, "SupportedLoginProviders")
			got := e.send(t, ex.Operation, req)
			ex.Response, _ = json.Marshal(without(ex.response(t), "SupportedLoginProviders"))
			checkShape(t, ex, got)
		})

		t.Run("cli-set-identity-pool-roles", func(t *testing.T) {
			ex := loadExample(t, "cli-set-identity-pool-roles")
			req := ex.request(t)
			req["IdentityPoolId"] = pool
			req["Roles"] = map[string]any{"authenticated": auth}
			validate(t, ex.Operation, req)
			status, out := e.call(t, ex.Operation, req)
			// AWS documents an empty body; an awsJson 1.1 empty output "{}" reads the same
			// to every SDK.
			if status != http.StatusOK || (len(out) != 0 && string(out) != "{}") {
				t.Fatalf("status %d: %s", status, out)
			}
		})

		t.Run("cli-get-identity-pool-roles", func(t *testing.T) {
			ex := loadExample(t, "cli-get-identity-pool-roles")
			e.send(t, "SetIdentityPoolRoles", map[string]any{"IdentityPoolId": pool,
				"Roles": map[string]any{"authenticated": auth, "unauthenticated": unauth}})
			req := ex.request(t)
			req["IdentityPoolId"] = pool
			checkShape(t, ex, e.send(t, ex.Operation, req))
		})

		t.Run("syntax-set-and-get-identity-pool-roles", func(t *testing.T) {
			set := loadExample(t, "syntax-set-identity-pool-roles")
			req := set.request(t)
			req["IdentityPoolId"] = pool
			req["Roles"] = map[string]any{"authenticated": auth}
			m := req["RoleMappings"].(map[string]any)["string"].(map[string]any)
			m["Type"], m["AmbiguousRoleResolution"] = "Rules", "AuthenticatedRole"
			rule := m["RulesConfiguration"].(map[string]any)["Rules"].([]any)[0].(map[string]any)
			rule["Claim"], rule["MatchType"], rule["Value"], rule["RoleARN"] = "custom:tenant", "Equals", "acme", auth
			req["RoleMappings"] = map[string]any{providerName + ":" + clientID: m}
			e.send(t, set.Operation, req)

			get := loadExample(t, "syntax-get-identity-pool-roles")
			greq := get.request(t)
			greq["IdentityPoolId"] = pool
			checkShape(t, get, e.send(t, get.Operation, greq))
		})

		var identity string
		t.Run("syntax-get-id", func(t *testing.T) {
			ex := loadExample(t, "syntax-get-id")
			req := ex.request(t)
			req["AccountId"], req["IdentityPoolId"], req["Logins"] = testAccount, pool, logins
			got := e.send(t, ex.Operation, req)
			checkShape(t, ex, got)
			identity, _ = got.(map[string]any)["IdentityId"].(string)
		})
		if identity == "" {
			t.Fatal("GetId gave no identity")
		}

		t.Run("syntax-get-open-id-token", func(t *testing.T) {
			ex := loadExample(t, "syntax-get-open-id-token")
			req := ex.request(t)
			req["IdentityId"], req["Logins"] = identity, logins
			checkShape(t, ex, e.send(t, ex.Operation, req))
		})

		t.Run("syntax-get-credentials-for-identity", func(t *testing.T) {
			ex := loadExample(t, "syntax-get-credentials-for-identity")
			req := ex.request(t)
			req["IdentityId"], req["Logins"], req["CustomRoleArn"] = identity, logins, auth
			validate(t, ex.Operation, req)
			// CustomRoleArn applies only to a Token role mapping whose token lists the role in
			// cognito:roles (credentials.go: chooseRole); the pool maps by Rules, so the live
			// request leaves it out.
			delete(req, "CustomRoleArn")
			checkShape(t, ex, e.send(t, ex.Operation, req))
		})

		t.Run("syntax-describe-identity", func(t *testing.T) {
			ex := loadExample(t, "syntax-describe-identity")
			req := ex.request(t)
			req["IdentityId"] = identity
			checkShape(t, ex, e.send(t, ex.Operation, req))
		})

		t.Run("syntax-list-identities", func(t *testing.T) {
			ex := loadExample(t, "syntax-list-identities")
			req := ex.request(t)
			req["IdentityPoolId"], req["MaxResults"], req["NextToken"] = pool, 60, "c29tZS1pZA"
			validate(t, ex.Operation, req)
			delete(req, "NextToken") // the first page
			checkShape(t, ex, e.send(t, ex.Operation, req))
		})

		t.Run("cli-delete-identities", func(t *testing.T) {
			ex := loadExample(t, "cli-delete-identities")
			req := ex.request(t)
			req["IdentityIdsToDelete"] = []any{identity}
			checkShape(t, ex, e.send(t, ex.Operation, req))
		})
	})
}

// TestAWSExampleFilesUsed keeps every golden file under a test.
func TestAWSExampleFilesUsed(t *testing.T) {
	src, err := os.ReadFile("golden_test.go")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "aws-examples", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if !bytes.Contains(src, []byte(`"`+name+`"`)) {
			t.Errorf("%s is not used by a test", f)
		}
		loadExample(t, name)
	}
}

// Empty lists are sent as [], as AWS's JSON services send them, not left out.
func TestEmptyListsAreSent(t *testing.T) {
	for _, tc := range []struct {
		op   string
		body func(e *env) map[string]any
		want string
	}{
		{"ListIdentityPools", func(*env) map[string]any { return map[string]any{"MaxResults": 10} }, `{"IdentityPools":[]}`},
		{"ListIdentities", func(e *env) map[string]any {
			return map[string]any{"IdentityPoolId": e.createPool(t, true), "MaxResults": 10}
		}, `"Identities":[]`},
	} {
		t.Run(tc.op, func(t *testing.T) {
			e := newEnv(t, t.TempDir()+"/db")
			status, out := e.call(t, tc.op, tc.body(e))
			if status != 200 || !strings.Contains(string(out), tc.want) {
				t.Fatalf("%d %s, want %s", status, out, tc.want)
			}
		})
	}
}
