package gateway

import (
	"maps"
	"strings"
	"testing"
)

// matchRoutes is a resource tree with every kind of sibling: literal vs {param} vs {proxy+},
// exact method vs ANY, and a branch that needs backtracking.
func matchRoutes() []Route {
	ok := staticIntegration{200, "ok"}
	var routes []Route
	for _, r := range [][2]string{
		{"GET", "/"},
		{"GET", "tasks"},
		{"POST", "/tasks"},
		{"GET", "/tasks/{id}"},
		{"DELETE", "/tasks/{id}"},
		{"GET", "/tasks/mine"},
		{"GET", "/tasks/{id}/comments/{commentId}"},
		{"ANY", "/legacy/{proxy+}"},
		{"GET", "/legacy/status"},
		{"ANY", "/things/{id}"},
		{"GET", "/things/{id}"},
		{"GET", "/a/b/c"},
		{"GET", "/{x}/b/d"},
		{"GET", "/files/{name}"},
		{"get", "/Users"},
		{"GET", "/v1:batch"},
	} {
		routes = append(routes, Route{Method: r[0], Path: r[1], Integration: ok})
	}
	return routes
}

func compiledTestAPI(t testing.TB) *compiledAPI {
	t.Helper()
	tab, err := NewTable(testAPI(matchRoutes()...))
	if err != nil {
		t.Fatal(err)
	}
	return tab.apis[0]
}

func TestMatch(t *testing.T) {
	c := compiledTestAPI(t)
	long := "/dev/legacy/" + strings.Repeat("x/", 5000) + "end"
	cases := []struct {
		method, path string
		resource     string // "" for no match
		viaMethod    string
		params       map[string]string
		below        string // the path below the stage
	}{
		{"GET", "/dev", "/", "GET", nil, "/"},
		{"GET", "/dev/", "/", "GET", nil, "/"},
		{"GET", "/dev/tasks", "/tasks", "GET", nil, "/tasks"},
		{"POST", "/dev/tasks", "/tasks", "POST", nil, "/tasks"},
		{"PUT", "/dev/tasks", "", "", nil, ""}, // resource without that method, no ANY
		{"GET", "/dev/tasks/", "/tasks", "GET", nil, "/tasks/"},
		{"GET", "/dev/tasks//", "", "", nil, ""},
		{"GET", "/dev//tasks", "", "", nil, ""},
		{"GET", "/dev/tasks/42", "/tasks/{id}", "GET", map[string]string{"id": "42"}, "/tasks/42"},
		{"GET", "/dev/tasks/mine", "/tasks/mine", "GET", nil, "/tasks/mine"}, // literal beats {id}
		{"DELETE", "/dev/tasks/mine", "", "", nil, ""},                       // no fallback to {id}
		{"DELETE", "/dev/tasks/7", "/tasks/{id}", "DELETE", map[string]string{"id": "7"}, "/tasks/7"},
		{"GET", "/dev/tasks/a%20b", "/tasks/{id}", "GET", map[string]string{"id": "a b"}, "/tasks/a%20b"},
		{"GET", "/dev/tasks/a%2Fb", "/tasks/{id}", "GET", map[string]string{"id": "a/b"}, "/tasks/a%2Fb"}, // %2F does not split
		{"GET", "/dev/tasks/..", "/tasks/{id}", "GET", map[string]string{"id": ".."}, "/tasks/.."},
		{"GET", "/dev/tasks/%ZZ", "/tasks/{id}", "GET", map[string]string{"id": "%ZZ"}, "/tasks/%ZZ"},
		{"GET", "/dev/tasks/1/comments/2", "/tasks/{id}/comments/{commentId}", "GET", map[string]string{"id": "1", "commentId": "2"}, "/tasks/1/comments/2"},
		{"GET", "/dev/tasks/1/comments", "", "", nil, ""}, // an intermediate resource without methods
		{"GET", "/dev/tasks/1/2", "", "", nil, ""},
		{"GET", "/dev/legacy/a", "/legacy/{proxy+}", "ANY", map[string]string{"proxy": "a"}, "/legacy/a"},
		{"PATCH", "/dev/legacy/a/b/c", "/legacy/{proxy+}", "ANY", map[string]string{"proxy": "a/b/c"}, "/legacy/a/b/c"},
		{"GET", "/dev/legacy/a%2Fb/c%20d", "/legacy/{proxy+}", "ANY", map[string]string{"proxy": "a/b/c d"}, "/legacy/a%2Fb/c%20d"},
		{"GET", "/dev/legacy/a//b", "", "", nil, ""}, // no empty segments, even for {proxy+}
		{"GET", "/dev/legacy//a", "", "", nil, ""},
		{"GET", "/dev/legacy/a/b/", "/legacy/{proxy+}", "ANY", map[string]string{"proxy": "a/b"}, "/legacy/a/b/"},
		{"GET", "/dev/legacy/status", "/legacy/status", "GET", nil, "/legacy/status"}, // literal beats greedy
		{"POST", "/dev/legacy/status", "", "", nil, ""},
		{"GET", "/dev/legacy/status/x", "/legacy/{proxy+}", "ANY", map[string]string{"proxy": "status/x"}, "/legacy/status/x"},
		{"GET", "/dev/legacy", "", "", nil, ""}, // {proxy+} needs one segment at least
		{"GET", "/dev/legacy/", "", "", nil, ""},
		{"GET", "/dev/legacy//", "", "", nil, ""},
		{"GET", long, "/legacy/{proxy+}", "ANY", map[string]string{"proxy": long[len("/dev/legacy/"):]}, long[len("/dev"):]},
		{"GET", "/dev/things/1", "/things/{id}", "GET", map[string]string{"id": "1"}, "/things/1"}, // exact beats ANY
		{"PUT", "/dev/things/1", "/things/{id}", "ANY", map[string]string{"id": "1"}, "/things/1"},
		{"OPTIONS", "/dev/things/1", "/things/{id}", "ANY", map[string]string{"id": "1"}, "/things/1"},
		{"GET", "/dev/a/b/c", "/a/b/c", "GET", nil, "/a/b/c"},
		{"GET", "/dev/a/b/d", "/{x}/b/d", "GET", map[string]string{"x": "a"}, "/a/b/d"}, // backtracks from literal a
		{"GET", "/dev/z/b/d", "/{x}/b/d", "GET", map[string]string{"x": "z"}, "/z/b/d"},
		{"GET", "/dev/files/report.pdf", "/files/{name}", "GET", map[string]string{"name": "report.pdf"}, "/files/report.pdf"},
		{"GET", "/dev/Users", "/Users", "GET", nil, "/Users"},
		{"GET", "/dev/users", "", "", nil, ""}, // case-sensitive paths
		{"GET", "/dev/TASKS", "", "", nil, ""},
		{"get", "/dev/tasks", "", "", nil, ""}, // case-sensitive methods
		{"HEAD", "/dev/tasks", "", "", nil, ""},
		{"GET", "/dev/v1:batch", "/v1:batch", "GET", nil, "/v1:batch"},
		{"GET", "/dev/t%61sks", "/tasks", "GET", nil, "/t%61sks"}, // literals compare decoded
		{"GET", "/Dev/tasks", "", "", nil, ""},
		{"GET", "/devices", "", "", nil, ""},
		{"GET", "/prod/tasks", "", "", nil, ""},
		{"GET", "/tasks", "", "", nil, ""},
		{"GET", "/", "", "", nil, ""},
		{"GET", "", "", "", nil, ""},
		{"GET", "dev/tasks", "", "", nil, ""},
	}
	for _, tc := range cases {
		m, ok := c.match(tc.method, tc.path)
		name := tc.method + " " + tc.path
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		if tc.resource == "" {
			if ok {
				t.Errorf("%s: matched %s %s, want no match", name, m.method.route.Method, m.resource.path)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: no match, want %s", name, tc.resource)
			continue
		}
		if m.resource.path != tc.resource || m.method.route.Method != tc.viaMethod {
			t.Errorf("%s: matched %s %s, want %s %s", name, m.method.route.Method, m.resource.path, tc.viaMethod, tc.resource)
		}
		if !maps.Equal(m.params, tc.params) {
			t.Errorf("%s: params %v, want %v", name, m.params, tc.params)
		}
		if m.path != tc.below {
			t.Errorf("%s: path %q, want %q", name, m.path, tc.below)
		}
	}
}

// FuzzMatch: the matcher never panics, and whatever it matches is consistent: a resource with
// the method (or ANY), one non-empty parameter per variable of the resource path, a path
// below the stage that starts with a slash.
func FuzzMatch(f *testing.F) {
	c := compiledTestAPI(f)
	for _, s := range []string{
		"/dev", "/dev/", "/dev/tasks/42", "/dev/tasks/a%2Fb", "/dev/legacy/a//b", "/dev//", "/dev/tasks/..",
		"/dev/a/b/d", "/dev/legacy/%", "/dev/files/%E2%82%AC", "/dev/tasks/1/comments/2/", "//dev", "/dev/\x00",
	} {
		f.Add("GET", s)
	}
	f.Add("ANY", "/dev/things/1")
	f.Fuzz(func(t *testing.T, method, path string) {
		m, ok := c.match(method, path)
		if !ok {
			return
		}
		if m.resource.methods[method] != m.method && m.resource.methods["ANY"] != m.method {
			t.Fatalf("%s %s: method %s not on resource %s", method, path, m.method.route.Method, m.resource.path)
		}
		vars := strings.Count(m.resource.path, "{")
		if len(m.params) != vars {
			t.Fatalf("%s %s: %d params for %s", method, path, len(m.params), m.resource.path)
		}
		for k, v := range m.params {
			if v == "" || !strings.Contains(m.resource.path, "{"+k) {
				t.Fatalf("%s %s: param %s=%q for %s", method, path, k, v, m.resource.path)
			}
		}
		if !strings.HasPrefix(m.path, "/") || !strings.HasPrefix(path, "/dev") {
			t.Fatalf("%s %s: path below stage %q", method, path, m.path)
		}
	})
}

func TestNewTableRefuses(t *testing.T) {
	ok := staticIntegration{200, "ok"}
	cases := map[string]*API{
		"greedy not last":   testAPI(Route{Method: "GET", Path: "/a/{proxy+}/b", Integration: ok}),
		"sibling variables": testAPI(Route{Method: "GET", Path: "/a/{id}", Integration: ok}, Route{Method: "GET", Path: "/a/{name}/x", Integration: ok}),
		"param and greedy":  testAPI(Route{Method: "GET", Path: "/a/{id}", Integration: ok}, Route{Method: "GET", Path: "/a/{proxy+}", Integration: ok}),
		"duplicate method":  testAPI(Route{Method: "GET", Path: "/a", Integration: ok}, Route{Method: "get", Path: "a/", Integration: ok}),
		"bad method":        testAPI(Route{Method: "FETCH", Path: "/a", Integration: ok}),
		"no integration":    testAPI(Route{Method: "GET", Path: "/a"}),
		"bad segment":       testAPI(Route{Method: "GET", Path: "/a b", Integration: ok}),
		"empty segment":     testAPI(Route{Method: "GET", Path: "/a//b", Integration: ok}),
		"bad variable":      testAPI(Route{Method: "GET", Path: "/{a b}", Integration: ok}),
		"percent literal":   testAPI(Route{Method: "GET", Path: "/a%20b", Integration: ok}),
		"bad stage": func() *API {
			a := testAPI()
			a.Stage = "dev/x"
			return a
		}(),
		"bad gateway response": func() *API {
			a := testAPI()
			a.GatewayResponses = map[ResponseType]GatewayResponse{Default4XX: {Headers: map[string]string{"X": "unquoted"}}}
			return a
		}(),
	}
	for name, api := range cases {
		if _, err := NewTable(api); err == nil {
			t.Errorf("%s: NewTable accepted it", name)
		}
	}
	if _, err := NewTable(testAPI(), testAPI()); err == nil {
		t.Error("NewTable accepted two APIs with one id")
	}
}

func TestTableRoutes(t *testing.T) {
	tab, err := NewTable(testAPI(
		Route{Method: "get", Path: "tasks", Integration: staticIntegration{}, CORS: &CORS{}},
		Route{Method: "ANY", Path: "/legacy/{proxy+}", Integration: staticIntegration{}},
	))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tab.Routes("gy415nuibc"), "; ")
	want := "ANY /legacy/{proxy+}; GET /tasks; OPTIONS /tasks"
	if got != want {
		t.Errorf("routes %q, want %q", got, want)
	}
}

func TestHostPicksAPI(t *testing.T) {
	a, b := testAPI(Route{Method: "GET", Path: "/who", Integration: staticIntegration{200, "a"}}),
		testAPI(Route{Method: "GET", Path: "/who", Integration: staticIntegration{200, "b"}})
	b.ID = "b2c3d4e5f6"
	g := newTestGateway(t, a, b)
	for host, want := range map[string]string{
		"127.0.0.1:3000":                                 "a",
		"localhost":                                      "a",
		"b2c3d4e5f6.execute-api.localhost:3000":          "b",
		"gy415nuibc.execute-api.localhost":               "a",
		"b2c3d4e5f6.execute-api.us-east-1.amazonaws.com": "b",
	} {
		rec := do(g, "GET", "/dev/who", nil, "Host", host)
		if rec.Code != 200 || rec.Body.String() != want {
			t.Errorf("Host %s: %d %s, want %s", host, rec.Code, rec.Body, want)
		}
	}
	rec := do(g, "GET", "/dev/who", nil, "Host", "nope.execute-api.localhost")
	wantGatewayResponse(t, rec, 403, `{"message":"Missing Authentication Token"}`, "MissingAuthenticationTokenException")
}

func BenchmarkRouteMatch(b *testing.B) {
	c := compiledTestAPI(b)
	paths := []struct{ method, path string }{
		{"GET", "/dev/tasks/42"},
		{"GET", "/dev/tasks/mine"},
		{"POST", "/dev/legacy/a/b/c"},
		{"GET", "/dev/a/b/d"},
		{"GET", "/dev/nope/x"},
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := paths[i%len(paths)]
		c.match(p.method, p.path)
	}
}
