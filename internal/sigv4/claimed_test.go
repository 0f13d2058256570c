package sigv4

import (
	"net/http"
	"testing"
)

func TestClaimed(t *testing.T) {
	for _, tc := range []struct {
		name, auth, query, want string
	}{
		{name: "header", auth: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", want: "AKIDEXAMPLE"},
		{name: "presigned", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAQ%2F20150830%2Fus-east-1%2Fexecute-api%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Signature=abc", want: "ASIAQ"},
		{name: "none"},
		{name: "malformed header", auth: "AWS4-HMAC-SHA256 Credential"},
		{name: "other scheme", auth: "Bearer eyJ"},
		{name: "both mechanisms", auth: "AWS4-HMAC-SHA256 Credential=A/1/2/3/4, SignedHeaders=host, Signature=x", query: "X-Amz-Algorithm=AWS4-HMAC-SHA256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"X-Amz-Date": {"20150830T123600Z"}}
			if tc.auth != "" {
				h.Set("Authorization", tc.auth)
			}
			got := Claimed(&Request{Method: "GET", Path: "/", RawQuery: tc.query, Host: "h", Header: h})
			if tc.want != "" && (got.Date != "20150830" || got.Region != "us-east-1" || got.Service == "") {
				t.Errorf("scope %+v", got)
			}
			if got.AccessKeyID != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
