package iam

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// TestAWSCLI drives the API with the real AWS CLI v1: create-role, get-role and
// get-caller-identity, signed with the bootstrapped admin's key.
func TestAWSCLI(t *testing.T) {
	bin := testclient.RequireAWSCLI(t)
	e := newAPIEnv(t, "")
	home := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_ACCESS_KEY_ID=" + e.adminKey.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + e.adminKey.SecretAccessKey,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"), "AWS_PAGER=",
	}
	run := func(args ...string) (map[string]any, string) {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--endpoint-url", e.url, "--output", "json")...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, string(out)
		}
		var v map[string]any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("aws %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return v, ""
	}
	out, fail := run("iam", "create-role", "--role-name", "cli-role", "--path", "/cli/", "--assume-role-policy-document", trustPolicy)
	if fail != "" {
		t.Fatalf("create-role: %s", fail)
	}
	role := out["Role"].(map[string]any)
	if role["Arn"] != "arn:aws:iam::123456789012:role/cli/cli-role" {
		t.Errorf("create-role: %v", out)
	}
	// The CLI decodes the URL-encoded document back into JSON.
	doc, _ := json.Marshal(role["AssumeRolePolicyDocument"])
	var want any
	_ = json.Unmarshal([]byte(trustPolicy), &want)
	wantDoc, _ := json.Marshal(want)
	if string(doc) != string(wantDoc) {
		t.Errorf("trust policy as the CLI shows it: %s, want %s", doc, wantDoc)
	}
	out, fail = run("iam", "get-role", "--role-name", "CLI-ROLE")
	if fail != "" || out["Role"].(map[string]any)["RoleName"] != "cli-role" {
		t.Fatalf("get-role: %v %s", out, fail)
	}
	if _, fail = run("iam", "get-role", "--role-name", "missing"); !strings.Contains(fail, "An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name missing cannot be found.") {
		t.Errorf("get-role of a missing role: %s", fail)
	}
	out, fail = run("sts", "get-caller-identity")
	if fail != "" || out["Arn"] != "arn:aws:iam::123456789012:user/admin" || out["Account"] != "123456789012" ||
		!strings.HasPrefix(out["UserId"].(string), "AIDA") {
		t.Errorf("get-caller-identity: %v %s", out, fail)
	}
}
