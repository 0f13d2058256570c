package awsapi_test

import (
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// ByProtocol sends JSON 1.1 requests (X-Amz-Target) to the JSON handler and form posts
// without a target to the query handler, as the AWS SDKs send Cognito and IAM calls.
func TestByProtocol(t *testing.T) {
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(name)) })
	}
	h := awsapi.ByProtocol(named("json"), named("query"))
	for _, tc := range []struct {
		name, target, contentType, want string
	}{
		{"cognito", "AWSCognitoIdentityProviderService.ListUserPools", "application/x-amz-json-1.1", "json"},
		{"iam", "", "application/x-www-form-urlencoded; charset=utf-8", "query"},
		{"iam upper case", "", "Application/X-WWW-Form-Urlencoded", "query"},
		{"form with a target", "AWSCognitoIdentityService.GetId", "application/x-www-form-urlencoded", "json"},
		{"neither", "", "text/plain", "json"},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
		if tc.target != "" {
			r.Header.Set("X-Amz-Target", tc.target)
		}
		r.Header.Set("Content-Type", tc.contentType)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if got := w.Body.String(); got != tc.want {
			t.Errorf("%s: served by %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestQueryFraming(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/?Version=2010-05-08&Action=GetRole", strings.NewReader("Action=ListRoles&RoleName=a+b%2Fc&RoleName=second"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, p, err := awsapi.ReadQuery(httptest.NewRecorder(), r)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != "Action=ListRoles&RoleName=a+b%2Fc&RoleName=second" || p.Get("Action") != "GetRole" || p.Get("RoleName") != "a b/c" || p.Len() != 3 {
		t.Errorf("body %q, params Action=%q RoleName=%q (%d)", body, p.Get("Action"), p.Get("RoleName"), p.Len())
	}
	if _, ok := p.Lookup("Path"); ok || p.Optional("Path") != nil || p.Int("Version") != 0 {
		t.Error("an absent parameter reads as present")
	}
	for _, tc := range []struct {
		body, contentType, code string
		status                  int
	}{
		{"a=%zz", "application/x-www-form-urlencoded", "MalformedQueryString", 404},
		{"{}", "application/json", "ValidationError", 400},
		{strings.Repeat("x", awsapi.MaxBodyBytes+1), "application/x-www-form-urlencoded", "ValidationError", 413},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tc.body))
		r.Header.Set("Content-Type", tc.contentType)
		_, _, err := awsapi.ReadQuery(httptest.NewRecorder(), r)
		if err == nil || err.Type != tc.code || err.Status != tc.status {
			t.Errorf("%.20q: %v, want %s %d", tc.body, err, tc.code, tc.status)
		}
	}

	w := httptest.NewRecorder()
	awsapi.WriteQueryError(w, "https://iam.amazonaws.com/doc/2010-05-08/", "req-1", &awsapi.Error{Type: "ServiceFailure", Message: "x", Status: 500})
	var er struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		Type    string   `xml:"Error>Type"`
		Code    string   `xml:"Error>Code"`
		ReqID   string   `xml:"RequestId"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &er); err != nil || w.Code != 500 || er.Type != "Receiver" || er.Code != "ServiceFailure" ||
		er.ReqID != "req-1" || er.XMLName.Space != "https://iam.amazonaws.com/doc/2010-05-08/" {
		t.Errorf("%d %+v %v", w.Code, er, err)
	}

	buf, qerr := awsapi.QueryResponse("ns", "GetThing", "req-2", struct {
		Name string `xml:"Name"`
	}{"n"})
	if qerr != nil || string(buf) != `<?xml version="1.0" encoding="UTF-8"?><GetThingResponse xmlns="ns"><GetThingResult><Name>n</Name></GetThingResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></GetThingResponse>` {
		t.Errorf("%s %v", buf, qerr)
	}
}
