package gateway

import (
	"context"
	"testing"
)

// TestMethodARNAgreesWithRoute: for every spelling of a path the router sends to a resource,
// the method ARN an authorizer evaluates is the one of the plain spelling, so a policy naming
// …/GET/admin cannot be dodged with /admin/, /adm%69n or /%61dmin/; spellings the router
// refuses never reach an authorizer.
func TestMethodARNAgreesWithRoute(t *testing.T) {
	const prefix = "arn:aws:execute-api:us-east-1:123456789012:gy415nuibc/dev/GET/"
	var seen *Request
	auth := authorizerFunc(func(_ context.Context, r *Request) (*Principal, error) {
		seen = r
		return &Principal{}, nil
	})
	ok := staticIntegration{200, "ok"}
	g := newTestGateway(t, testAPI(
		Route{Method: "GET", Path: "/", Authorizer: auth, Integration: ok},
		Route{Method: "GET", Path: "/admin", Authorizer: auth, Integration: ok},
		Route{Method: "GET", Path: "/admin/users", Authorizer: auth, Integration: ok},
		Route{Method: "GET", Path: "/v1:batch", Authorizer: auth, Integration: ok},
		Route{Method: "GET", Path: "/files/{name}", Authorizer: auth, Integration: ok},
		Route{Method: "GET", Path: "/legacy/{proxy+}", Authorizer: auth, Integration: ok},
	))
	for _, tc := range []struct {
		path     string
		resource string // "" when the router refuses it (403 Missing Authentication Token)
		arn      string // below …/GET/
		below    string // Request.Path: the proxy event's path, as received
	}{
		{"/dev", "/", "", "/"},
		{"/dev/", "/", "", "/"},
		{"/dev/admin", "/admin", "admin", "/admin"},
		{"/dev/admin/", "/admin", "admin", "/admin/"},
		{"/dev/adm%69n", "/admin", "admin", "/adm%69n"},
		{"/dev/%61%64%6D%69%6E", "/admin", "admin", "/%61%64%6D%69%6E"},
		{"/dev/%61dmin/", "/admin", "admin", "/%61dmin/"},
		{"/dev/admin/%75sers", "/admin/users", "admin/users", "/admin/%75sers"},
		{"/dev/admin/users/", "/admin/users", "admin/users", "/admin/users/"},
		{"/dev/v1%3Abatch", "/v1:batch", "v1:batch", "/v1%3Abatch"},
		{"/dev/admin%2Fusers", "", "", ""}, // an encoded slash never splits a segment
		{"/dev//admin", "", "", ""},
		{"/dev/admin//", "", "", ""},
		{"/dev/ADMIN", "", "", ""},
		{"/dev/files/a%20b", "/files/{name}", "files/a%20b", "/files/a%20b"},
		{"/dev/files/%72eport", "/files/{name}", "files/report", "/files/%72eport"},
		{"/dev/files/a%2Fb", "/files/{name}", "files/a%2Fb", "/files/a%2Fb"},
		{"/dev/files/a%2fb", "/files/{name}", "files/a%2Fb", "/files/a%2fb"},
		{"/dev/files/%25", "/files/{name}", "files/%25", "/files/%25"},
		{"/dev/legacy/admin", "/legacy/{proxy+}", "legacy/admin", "/legacy/admin"},
		{"/dev/legacy/adm%69n/", "/legacy/{proxy+}", "legacy/admin", "/legacy/adm%69n/"},
		{"/dev/legacy/a/b", "/legacy/{proxy+}", "legacy/a/b", "/legacy/a/b"},
		{"/dev/legacy/a%2Fb", "/legacy/{proxy+}", "legacy/a%2Fb", "/legacy/a%2Fb"},
		{"/dev/legacy/a//b", "", "", ""}, // would be legacy/a/b's twin
		{"/dev/legacy//a", "", "", ""},
		{"/dev/legacy/a/b//", "", "", ""},
	} {
		seen = nil
		rec := do(g, "GET", tc.path, nil)
		if tc.resource == "" {
			if rec.Code != 403 || seen != nil {
				t.Errorf("%s: status %d, authorizer called %v; want 403 Missing Authentication Token", tc.path, rec.Code, seen != nil)
			}
			continue
		}
		if rec.Code != 200 || seen == nil {
			t.Errorf("%s: status %d, want 200 through the authorizer", tc.path, rec.Code)
			continue
		}
		if seen.ResourcePath != tc.resource || seen.MethodARN() != prefix+tc.arn || seen.Path != tc.below {
			t.Errorf("%s: resource %s, ARN %s, path %s; want %s, %s, %s", tc.path,
				seen.ResourcePath, seen.MethodARN(), seen.Path, tc.resource, prefix+tc.arn, tc.below)
		}
		if n := seen.methodARNLen(arnPath(seen.Path)); len(seen.MethodARN()) != n {
			t.Errorf("%s: methodARNLen %d, len %d", tc.path, n, len(seen.MethodARN()))
		}
	}
}

// TestARNPath: what the router cannot be sent through net/http (a malformed escape, an empty
// segment) still gets an ARN that no other decoded path has.
func TestARNPath(t *testing.T) {
	for in, want := range map[string]string{
		"":            "",
		"/":           "",
		"/admin":      "admin",
		"/admin/":     "admin",
		"/adm%69n":    "admin",
		"/a%20b/c":    "a%20b/c",
		"/%ZZ":        "%25ZZ",
		"/%25ZZ":      "%25ZZ", // the same decoded segment as "%ZZ", which the router leaves as is
		"/a%2fb":      "a%2Fb",
		"/a%2Fb%2F":   "a%2Fb%2F",
		"/caf%C3%A9":  "caf%C3%A9",
		"/a//b":       "a//b",
		"/v1:batch":   "v1:batch",
		"/x,y;z=1@!'": "x,y;z=1@!'",
		"/a\"b":       "a%22b",
	} {
		if got := arnPath(in); got != want {
			t.Errorf("arnPath(%q) = %q, want %q", in, got, want)
		}
	}
}
