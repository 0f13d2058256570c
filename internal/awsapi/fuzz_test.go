package awsapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// FuzzServe sends arbitrary targets and bodies through ServeHTTP: it never panics, always
// answers JSON with a request id, and answers 5xx only where the handler itself fails
// (AdminGetUser's handler always does).
func FuzzServe(f *testing.F) {
	srv := newServer(f, nil)
	targets := []string{
		idpPrefix + ".SignUp", idpPrefix + ".DescribeUserPool", idpPrefix + ".AdminGetUser",
		idpPrefix + ".AssociateSoftwareToken", identityPrefix + ".GetId", idpPrefix + ".CreateUserPool",
	}
	for i, body := range []string{
		``, `{}`, `{"ClientId":"abc","Username":"bob"}`, `{"UserPoolId":"us-east-1_abc","Username":"bob"}`,
		`[]`, `null`, `{"ClientId":`, `{"UserAttributes":[{"Name":"x"},null,{}]}`, `{"IdentityPoolId":"us-east-1:0f"}`,
		`{"UserPoolId":"us-east-1_missing"}`, "{\"UserPoolId\":\"a\\u0000\\n\"}",
	} {
		f.Add(uint8(i), "", []byte(body))
	}
	f.Add(uint8(0), "AWSCognitoIdentityProviderService.Nope", []byte(`{}`))
	f.Add(uint8(0), "..", []byte(`{}`))
	f.Fuzz(func(t *testing.T, pick uint8, target string, body []byte) {
		if target == "" {
			target = targets[int(pick)%len(targets)]
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header["X-Amz-Target"] = []string{target}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)

		if rec.Header().Get("x-amzn-RequestId") == "" {
			t.Fatal("no request id")
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("not JSON: %q", rec.Body.Bytes())
		}
		if rec.Code >= 500 && target != idpPrefix+".AdminGetUser" {
			t.Fatalf("%s: status %d: %s", target, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusOK {
			var e struct {
				Type string `json:"__type"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Type == "" || e.Type != rec.Header().Get("x-amzn-ErrorType") {
				t.Fatalf("error body %s, header %q", rec.Body, rec.Header().Get("x-amzn-ErrorType"))
			}
		}
	})
}

// FuzzParseParams: any text decodes or is refused, never panics, and never yields more
// than MaxQueryParams parameters.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{"", "Action=GetRole&Version=2010-05-08&RoleName=a", "a=%zz", "&&=&", "a+b=c+d&a=2", "%", strings.Repeat("x=1&", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var p awsapi.Params
		if err := awsapi.ParseParams(&p, s); err == nil && p.Len() > awsapi.MaxQueryParams {
			t.Fatalf("%d parameters", p.Len())
		}
	})
}
