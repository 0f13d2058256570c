package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi/model"
)

// post sends a raw JSON 1.1 request and returns the status and the decoded error body.
func post(t testing.TB, url, target string, body []byte) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: answer is not JSON: %q", target, raw)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("%s: no x-amzn-RequestId", target)
	}
	return resp.StatusCode, out
}

// Every registered operation answers hostile input with AWS's error: malformed JSON and
// wrong types get SerializationException, missing required members InvalidParameterException,
// and plausible values naming things that do not exist a modelled 4xx error — never a 500.
func TestEveryOperationRejectsBadInput(t *testing.T) {
	ts := startTestServer(t, "")
	m := model.CognitoIDP()
	ops := ts.idpAPI.Operations()
	slices.Sort(ops)
	if len(ops) < 40 {
		t.Fatalf("only %d operations registered", len(ops))
	}
	plausible := map[string]any{
		"UserPoolId": "us-east-1_NoSuchPool", "ClientId": "abcdefghijklmnopqrstuvwxyz", "Username": "nobody",
		"AccessToken": "eyJhbGciOiJub25lIn0.e30.", "Password": "Passw0rd!", "ConfirmationCode": "123456",
		"AuthFlow": "USER_PASSWORD_AUTH", "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": "x",
		"Token": "x", "PreviousPassword": "Passw0rd!", "ProposedPassword": "Passw0rd!", "PoolName": "p",
		"ClientName": "c", "MaxResults": 10, "UserAttributes": []any{map[string]string{"Name": "email", "Value": "a@example.com"}},
		"UserAttributeNames": []string{"email"}, "AttributeName": "email", "Code": "123456",
	}
	for _, op := range ops {
		target := "AWSCognitoIdentityProviderService." + op
		t.Run(op, func(t *testing.T) {
			if ts.idpAPI.IsPublic(op) != m.Public(op) {
				t.Errorf("registered public=%v, AWS's model says authtype none=%v", ts.idpAPI.IsPublic(op), m.Public(op))
			}
			for _, body := range []string{`{`, `[]`, `"x"`, `{"a":}`} {
				status, e := post(t, ts.awsURL, target, []byte(body))
				if status != 400 || e["__type"] != "SerializationException" {
					t.Errorf("body %s: %d %v", body, status, e)
				}
			}
			req := m.Required(op)
			if len(req) > 0 {
				status, e := post(t, ts.awsURL, target, []byte(`{}`))
				msg, _ := e["message"].(string)
				if status != 400 || e["__type"] != "InvalidParameterException" || !strings.Contains(msg, "Member must not be null") {
					t.Errorf("{}: %d %v", status, e)
				}
				wrong := map[string]any{}
				for _, r := range req {
					wrong[r] = map[string]any{"nested": true}
				}
				b, _ := json.Marshal(wrong)
				status, e = post(t, ts.awsURL, target, b)
				if status != 400 || e["__type"] != "SerializationException" {
					t.Errorf("wrong types: %d %v", status, e)
				}
			}
			in := map[string]any{}
			for _, r := range req {
				if v, ok := plausible[r]; ok {
					in[r] = v
				}
			}
			b, _ := json.Marshal(in)
			status, e := post(t, ts.awsURL, target, b)
			if status >= 500 || e["__type"] == "InternalErrorException" {
				t.Errorf("plausible input %s: %d %v", b, status, e)
			}
			if status == 200 && !strings.HasPrefix(op, "List") && op != "RevokeToken" && !strings.HasPrefix(op, "Create") && op != "SignUp" && op != "GetCSVHeader" && op != "ForgotPassword" {
				t.Errorf("plausible input naming nothing that exists succeeded: %s", b)
			}
		})
	}
	// An oversized body is refused before it is read whole.
	status, e := post(t, ts.awsURL, "AWSCognitoIdentityProviderService.SignUp", bytes.Repeat([]byte(" "), 2<<20))
	if status != http.StatusRequestEntityTooLarge || e["__type"] != "SerializationException" {
		t.Errorf("oversized body: %d %v", status, e)
	}
	status, e = post(t, ts.awsURL, "AWSCognitoIdentityProviderService.NoSuchOperation", []byte(`{}`))
	if status != 400 || e["__type"] != "UnknownOperationException" {
		t.Errorf("unknown operation: %d %v", status, e)
	}
}

// FuzzAPI throws arbitrary bodies at every operation of a real server: the answer is always
// JSON with a request id and never a 500.
func FuzzAPI(f *testing.F) {
	f.Add(uint8(0), []byte(`{"UserPoolId":"us-east-1_abc","Username":"x"}`))
	f.Add(uint8(3), []byte(`{"ClientId":"abc","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"a","PASSWORD":"b"}}`))
	f.Add(uint8(7), []byte(`{"Filter":"email ^= \"a","UserPoolId":"us-east-1_abcdefghi"}`))
	f.Add(uint8(9), []byte(`{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":1e309}}}`))
	ts := startTestServer(f, "")
	ops := ts.idpAPI.Operations()
	slices.Sort(ops)
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		target := "AWSCognitoIdentityProviderService." + ops[int(op)%len(ops)]
		status, e := post(t, ts.awsURL, target, body)
		if status >= 500 || e["__type"] == nil && status != 200 {
			t.Fatalf("%s %q: %d %v", target, body, status, e)
		}
	})
}
