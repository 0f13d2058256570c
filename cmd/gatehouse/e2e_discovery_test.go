package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The pool's discovery document names only endpoints that exist: every URL in it answers
// 200 on a real server (a generic OIDC client follows them after discovery).
func TestDiscoveryListsOnlyLiveEndpoints(t *testing.T) {
	ts := startTestServer(t, "")
	pool, _ := ts.emailPool(t, false)
	getJSON := func(url string) (int, map[string]any) {
		t.Helper()
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		_ = json.Unmarshal(b, &doc)
		return res.StatusCode, doc
	}
	status, doc := getJSON(ts.awsURL + "/" + pool + "/.well-known/openid-configuration")
	if status != http.StatusOK {
		t.Fatalf("discovery: %d", status)
	}
	if doc["issuer"] != ts.awsURL+"/"+pool {
		t.Fatalf("issuer %v", doc["issuer"])
	}
	urls := 0
	for k, v := range doc {
		s, ok := v.(string)
		if !ok || !strings.HasPrefix(s, "http") || k == "issuer" {
			continue
		}
		urls++
		if status, _ := getJSON(s); status != http.StatusOK {
			t.Errorf("%s %s answers %d", k, s, status)
		}
	}
	if urls != 1 { // jwks_uri
		t.Errorf("discovery names %d endpoints, want 1 (jwks_uri): %v", urls, doc)
	}
	for _, gone := range []string{"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint", "end_session_endpoint"} {
		if _, ok := doc[gone]; ok {
			t.Errorf("discovery names %s, which Gatehouse does not serve", gone)
		}
	}
}
