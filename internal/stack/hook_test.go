package stack

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestPrintOutputs(t *testing.T) {
	outs := WithEndpoint([]Output{{Name: "UserPoolId", Value: "us-east-1_abc"}, {Name: "ServiceEndpoint", Value: "stale"}}, "http://127.0.0.1:3000/dev")
	for _, tc := range []struct {
		asJSON bool
		want   string
	}{
		{false, "Stack Outputs:\n  UserPoolId: us-east-1_abc\n  ServiceEndpoint: http://127.0.0.1:3000/dev\n"},
		{true, "{\n  \"ServiceEndpoint\": \"http://127.0.0.1:3000/dev\",\n  \"UserPoolId\": \"us-east-1_abc\"\n}\n"},
	} {
		var b bytes.Buffer
		if err := PrintOutputs(&b, outs, tc.asJSON); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("asJSON=%v: got %q, want %q", tc.asJSON, b.String(), tc.want)
		}
	}
	var b bytes.Buffer
	if err := PrintOutputs(&b, nil, false); err != nil || b.Len() != 0 {
		t.Errorf("no outputs printed %q, %v; want nothing", b.String(), err)
	}
}

// TestHookEndpoint: the endpoint a serve sets is in outputs.json, where outputs reads it.
func TestHookEndpoint(t *testing.T) {
	dir := t.TempDir()
	if got := LastEndpoint(dir); got != "" {
		t.Errorf("LastEndpoint without a file = %q", got)
	}
	h := NewHook(New(Config{}), dir)
	if err := h.SetEndpoint("http://127.0.0.1:3000/dev"); err != nil {
		t.Fatal(err)
	}
	if got := LastEndpoint(dir); got != "http://127.0.0.1:3000/dev" {
		t.Errorf("LastEndpoint = %q", got)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, OutputsFile)); string(b) != "{\n  \"ServiceEndpoint\": \"http://127.0.0.1:3000/dev\"\n}\n" {
		t.Errorf("outputs.json = %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, OutputsFile+".tmp")); !os.IsNotExist(err) {
		t.Errorf("the temporary file stayed: %v", err)
	}
}
