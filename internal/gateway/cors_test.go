package gateway

import (
	"context"
	"net/http"
	"testing"
)

func TestCORSPreflight(t *testing.T) {
	ok := staticIntegration{200, "ok"}
	deny := authorizerFunc(func(context.Context, *Request) (*Principal, error) { return nil, NewResponse(Unauthorized) })
	const defaultHeaders = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent,X-Amzn-Trace-Id"
	cases := []struct {
		name   string
		routes []Route
		path   string
		origin string
		want   map[string]string // "" means absent
	}{
		{
			name:   "cors true",
			routes: []Route{{Method: "GET", Path: "tasks", CORS: &CORS{}, Authorizer: deny, Integration: ok}},
			path:   "/dev/tasks",
			want: map[string]string{
				"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": defaultHeaders,
				"Access-Control-Allow-Methods": "OPTIONS,GET", "Access-Control-Allow-Credentials": "",
				"Access-Control-Max-Age": "", "Content-Type": "application/json",
			},
		},
		{
			name: "methods of one resource merged, newest first",
			routes: []Route{
				{Method: "GET", Path: "tasks", CORS: &CORS{}, Integration: ok},
				{Method: "POST", Path: "tasks", CORS: &CORS{}, Integration: ok},
				{Method: "DELETE", Path: "tasks/{id}", CORS: &CORS{}, Integration: ok},
			},
			path: "/dev/tasks",
			want: map[string]string{"Access-Control-Allow-Methods": "OPTIONS,POST,GET"},
		},
		{
			name: "object form",
			routes: []Route{{Method: "PUT", Path: "tasks/{id}", Integration: ok, CORS: &CORS{
				Origin: "https://app.example.com", Headers: []string{"Content-Type", "X-Custom"},
				Methods: []string{"GET"}, AllowCredentials: true, MaxAge: 86400, CacheControl: "max-age=600, s-maxage=600",
			}}},
			path: "/dev/tasks/9",
			want: map[string]string{
				"Access-Control-Allow-Origin": "https://app.example.com", "Access-Control-Allow-Headers": "Content-Type,X-Custom",
				"Access-Control-Allow-Methods": "GET,OPTIONS,PUT", "Access-Control-Allow-Credentials": "true",
				"Access-Control-Max-Age": "86400", "Cache-Control": "max-age=600, s-maxage=600",
			},
		},
		{
			name:   "ANY expands",
			routes: []Route{{Method: "any", Path: "/legacy/{proxy+}", CORS: &CORS{}, Integration: ok}},
			path:   "/dev/legacy/a/b",
			want:   map[string]string{"Access-Control-Allow-Methods": "OPTIONS,DELETE,GET,HEAD,PATCH,POST,PUT"},
		},
		{
			name:   "origins: a matching Origin is echoed",
			routes: []Route{{Method: "GET", Path: "x", CORS: &CORS{Origins: []string{"https://a.example.com", "https://*.example.org"}}, Integration: ok}},
			path:   "/dev/x", origin: "https://app.example.org",
			want: map[string]string{"Access-Control-Allow-Origin": "https://app.example.org"},
		},
		{
			name:   "origins: another Origin gets the first",
			routes: []Route{{Method: "GET", Path: "x", CORS: &CORS{Origins: []string{"https://a.example.com", "https://*.example.org"}}, Integration: ok}},
			path:   "/dev/x", origin: "https://evil.example.org.attacker.net",
			want: map[string]string{"Access-Control-Allow-Origin": "https://a.example.com"},
		},
		{
			name:   "origin list in one string",
			routes: []Route{{Method: "GET", Path: "x", CORS: &CORS{Origin: "https://a.com, https://b.com"}, Integration: ok}},
			path:   "/dev/x", origin: "https://b.com",
			want: map[string]string{"Access-Control-Allow-Origin": "https://b.com"},
		},
		{
			name: "an explicit OPTIONS method wins",
			routes: []Route{
				{Method: "GET", Path: "x", CORS: &CORS{}, Integration: ok},
				{Method: "OPTIONS", Path: "x", Integration: staticIntegration{204, ""}},
			},
			path: "/dev/x",
			want: map[string]string{"Access-Control-Allow-Origin": ""},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := newTestGateway(t, testAPI(tc.routes...))
			hdr := []string{"Access-Control-Request-Method", "GET"}
			if tc.origin != "" {
				hdr = append(hdr, "Origin", tc.origin)
			}
			rec := do(g, "OPTIONS", tc.path, nil, hdr...)
			if rec.Code != 200 && rec.Code != 204 {
				t.Fatalf("preflight %d %s", rec.Code, rec.Body)
			}
			if rec.Code == 200 && rec.Body.Len() != 0 {
				t.Errorf("preflight body %q", rec.Body)
			}
			for k, want := range tc.want {
				if got := rec.Header().Get(k); got != want {
					t.Errorf("%s: %q, want %q", k, got, want)
				}
			}
		})
	}
}

// TestCORSNotOnOtherResponses: as on AWS, the gateway adds no CORS header to a lambda-proxy
// response or to a default gateway response; the function, or the API's gateway response
// customisation, does.
func TestCORSNotOnOtherResponses(t *testing.T) {
	deny := authorizerFunc(func(context.Context, *Request) (*Principal, error) { return nil, NewResponse(Unauthorized) })
	g := newTestGateway(t, testAPI(
		Route{Method: "GET", Path: "open", CORS: &CORS{}, Integration: staticIntegration{200, "ok"}},
		Route{Method: "GET", Path: "closed", CORS: &CORS{}, Authorizer: deny, Integration: staticIntegration{200, "ok"}},
	))
	for _, path := range []string{"/dev/open", "/dev/closed", "/dev/nope"} {
		rec := do(g, "GET", path, nil, "Origin", "https://app.example.com")
		if v := rec.Header().Get("Access-Control-Allow-Origin"); v != "" {
			t.Errorf("%s (%d): Access-Control-Allow-Origin %q", path, rec.Code, v)
		}
	}
	// The preflight itself is not behind the authorizer.
	if rec := do(g, "OPTIONS", "/dev/closed", nil); rec.Code != http.StatusOK {
		t.Errorf("preflight of an authorized method: %d", rec.Code)
	}
}
