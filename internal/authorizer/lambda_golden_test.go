package authorizer

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// TestTokenEventMatchesAWS compares the TOKEN authorizer input with AWS's (the developer
// guide's "Input to an API Gateway Lambda authorizer" TOKEN example, as aws-lambda-go keeps it
// in events/testdata/apigw-custom-auth-request.json): the same keys, each a string, and the
// same methodArn form for the same kind of request (GET / of the stage).
func TestTokenEventMatchesAWS(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "aws-lambda-go", "apigw-custom-auth-request.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	fn := &fakeFunction{answer: byToken}
	l := newTestLambda(t, fn, &clock{t: time.Now()}, nil)
	if _, err := l.Authorize(context.Background(), apiRequest("GET", "/", map[string]string{"Authorization": "allow"}, "")); err != nil {
		t.Fatal(err)
	}
	got := fn.last(t)
	if len(got) != len(want) {
		t.Errorf("keys: got %v, AWS has %v", got, want)
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || reflect.TypeOf(g) != reflect.TypeOf(w) {
			t.Errorf("%s = %#v, AWS has %#v", k, g, w)
		}
	}
	// AWS's example is for GET / (its methodArn ends in "/GET/"); the values that are the
	// caller's own match.
	if got["type"] != want["type"] || got["authorizationToken"] != want["authorizationToken"] ||
		got["methodArn"] != "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/" {
		t.Errorf("event %v", got)
	}
}
