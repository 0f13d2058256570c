package gateway

import (
	"net/http"
	"regexp"
	"testing"
)

// TestSelectStatus: a lambda integration's error message picks the status as the Serverless
// Framework's default integration responses do on API Gateway.
func TestSelectStatus(t *testing.T) {
	var defaults []StatusPattern // nil: DefaultLambdaResponses
	custom := []StatusPattern{
		{Status: 201},
		{Status: 409, Pattern: regexp.MustCompile(`^(?:.*exists.*)$`)},
	}
	for _, c := range []struct {
		name string
		l    []StatusPattern
		msg  string
		want int
	}{
		{"result: default response", defaults, "", http.StatusOK},
		{"[400] anywhere", defaults, "bad input [400] title missing", 400},
		{"[401]", defaults, "[401] who are you", 401},
		{"[403]", defaults, "[403]", 403},
		{"[404] over lines", defaults, "line one\n[404] gone\nline three", 404},
		{"[422]", defaults, "[422] invalid", 422},
		{"[500]", defaults, "[500] broke", 500},
		{"process exited", defaults, "RequestId: x Process exited before completing request", 500},
		{"[502]", defaults, "[502]", 502},
		{"[504]", defaults, "upstream [504]", 504},
		{"task timed out", defaults, "Task timed out after 1.00 seconds", 504},
		// The Framework's timeout pattern is (^[Task timed out].*): a character class, so any
		// message that begins with one of those letters is a 504 on AWS too.
		{"character-class quirk", defaults, "oops", 504},
		{"no pattern matches", defaults, "boom", http.StatusOK},
		{"status without brackets", defaults, "404 not found", http.StatusOK},
		{"file's default", custom, "", 201},
		{"file's pattern", custom, "task already exists", 409},
		{"file's default for other errors", custom, "[404] gone", 201},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := selectStatus(c.l, c.msg); got != c.want {
				t.Errorf("selectStatus(%q) = %d, want %d", c.msg, got, c.want)
			}
		})
	}
}
