package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestHTTPAPIIAM: an HTTP API route with authorizer {type: aws_iam} takes a request signed
// with identity-pool credentials by the AWS SDK's signer, checks the role's policy on the
// route's ARN (…/$default/GET/v2/allowed) and puts the caller in
// requestContext.authorizer.iam; the REST API of the same file stays under /dev.
func TestHTTPAPIIAM(t *testing.T) {
	env := startIAMEnv(t)
	identityID, creds := env.credentials(t)
	now := env.clock.Now()
	base := strings.TrimSuffix(env.apiURL, "/dev")
	var ready strings.Builder
	printAPIReady(&ready, env.server)
	if ready.String() != "gatehouse: api endpoint "+env.apiURL+"\ngatehouse: http api endpoint "+base+"\n" {
		t.Errorf("ready lines %q", ready.String())
	}
	send := func(method, path string, tamper func(*http.Request)) (int, []byte) {
		req, err := http.NewRequest(method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sendSigned(t, req, nil, creds, "execute-api", now, tamper)
	}
	status, body := send("GET", "/v2/allowed", nil)
	if status != 200 {
		t.Fatalf("signed: %d %s", status, body)
	}
	var got struct {
		Route string `json:"route"`
		IAM   struct {
			AccessKey       string         `json:"accessKey"`
			UserARN         string         `json:"userArn"`
			CognitoIdentity map[string]any `json:"cognitoIdentity"`
		} `json:"iam"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Route != "ANY /v2/{proxy+}" || got.IAM.AccessKey != creds.AccessKeyID || !strings.Contains(got.IAM.UserARN, "assumed-role/"+authRole) ||
		got.IAM.CognitoIdentity["identityId"] != identityID {
		t.Errorf("event: %s", body)
	}
	for _, tc := range []struct {
		name, method, path string
		tamper             func(*http.Request)
	}{
		{"policy does not allow", "GET", "/v2/other", nil},
		{"method not allowed", "POST", "/v2/allowed", nil},
		{"unsigned", "GET", "/v2/allowed", func(r *http.Request) { r.Header.Del("Authorization") }},
		{"tampered", "GET", "/v2/allowed", func(r *http.Request) { r.URL.RawQuery = "x=1" }},
	} {
		if status, body := send(tc.method, tc.path, tc.tamper); status != 403 || string(body) != `{"message":"Forbidden"}` {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
	// The REST API is still reached under its stage.
	if status, body := env.signed(t, creds, "GET", "/whoami", nil, now, nil); status != 200 {
		t.Errorf("REST whoami: %d %s", status, body)
	}
}
