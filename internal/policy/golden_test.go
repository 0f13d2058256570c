package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The documents in testdata are real policies: the Cognito identity pool role policies of
// the Cognito developer guide (iam-roles.html), the IAM User Guide's home-folder
// (reference_policies_variables.html), source-IP (reference_policies_examples_aws_deny-ip.html)
// and MFA (reference_policies_examples_aws_my-sec-creds-self-manage.html) examples, and an
// execute-api policy as API Gateway's developer guide writes them
// (api-gateway-iam-policy-examples-for-api-execution.html).

const goldenAPI = "arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5"

type goldenRequest struct {
	action, resource string
	ctx              map[string][]string
	want             Effect
	sid              string // the deciding statement's Sid, checked when set
}

func TestGoldenPolicies(t *testing.T) {
	const (
		sub = "us-east-1:0c3e4b5a-1111-2222-3333-444455556666"
		aud = "us-east-1:12345678-dead-beef-cafe-123456789012"
	)
	secure := map[string][]string{KeySecureTransport: {"true"}, KeyCognitoSub: {sub}}
	cases := map[string]struct {
		statements int
		requests   []goldenRequest
	}{
		"cognito-authenticated-role.json": {3, []goldenRequest{
			{invoke, goldenAPI + "/dev/GET/pets", secure, Allow, "InvokeOwnUserRoutes"},
			{invoke, goldenAPI + "/dev/GET/pets/7", secure, Allow, "InvokeOwnUserRoutes"},
			{invoke, goldenAPI + "/dev/PUT/users/" + sub + "/avatar", secure, Allow, "InvokeOwnUserRoutes"},
			{invoke, goldenAPI + "/dev/PUT/users/us-east-1:someone-else", secure, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/POST/pets", secure, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/GET/pets", map[string][]string{KeySecureTransport: {"false"}}, ExplicitDeny, "DenyInsecureTransport"},
			{"cognito-sync:ListRecords", "arn:aws:cognito-sync:us-east-1:000000000000:identitypool/x", secure, Allow, "CognitoDefault"},
			{"s3:GetObject", "arn:aws:s3:::b/k", secure, ImplicitDeny, ""},
		}},
		"cognito-trust-policy.json": {1, []goldenRequest{
			{"sts:AssumeRoleWithWebIdentity", "arn:aws:iam::000000000000:role/auth", map[string][]string{KeyCognitoAud: {aud}, KeyCognitoAmr: {"authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab129faBb"}}, Allow, ""},
			{"sts:AssumeRoleWithWebIdentity", "arn:aws:iam::000000000000:role/auth", map[string][]string{KeyCognitoAud: {aud}, KeyCognitoAmr: {"unauthenticated"}}, ImplicitDeny, ""},
			{"sts:AssumeRoleWithWebIdentity", "arn:aws:iam::000000000000:role/auth", map[string][]string{KeyCognitoAud: {"us-east-1:other"}, KeyCognitoAmr: {"authenticated"}}, ImplicitDeny, ""},
			{"sts:AssumeRole", "arn:aws:iam::000000000000:role/auth", map[string][]string{KeyCognitoAud: {aud}, KeyCognitoAmr: {"authenticated"}}, ImplicitDeny, ""},
		}},
		"s3-home-folder.json": {2, []goldenRequest{
			{"s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", map[string][]string{KeyUsername: {"alice"}, "s3:prefix": {"home/alice/docs/"}}, Allow, "ListHomeFolder"},
			{"s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", map[string][]string{KeyUsername: {"alice"}, "s3:prefix": {""}}, Allow, "ListHomeFolder"},
			{"s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket", map[string][]string{KeyUsername: {"alice"}, "s3:prefix": {"home/bob/"}}, ImplicitDeny, ""},
			{"s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/cv.pdf", map[string][]string{KeyUsername: {"alice"}}, Allow, "ReadWriteHomeFolder"},
			{"s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/bob/cv.pdf", map[string][]string{KeyUsername: {"alice"}}, ImplicitDeny, ""},
			{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/home/alice/cv.pdf", nil, ImplicitDeny, ""},
		}},
		"deny-outside-ip.json": {1, []goldenRequest{
			{invoke, goldenAPI + "/dev/GET/pets", map[string][]string{KeySourceIP: {"198.51.100.7"}, "aws:ViaAWSService": {"false"}}, ExplicitDeny, ""},
			{invoke, goldenAPI + "/dev/GET/pets", map[string][]string{KeySourceIP: {"203.0.113.7"}, "aws:ViaAWSService": {"false"}}, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/GET/pets", map[string][]string{KeySourceIP: {"2001:db8:ffff::1"}, "aws:ViaAWSService": {"false"}}, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/GET/pets", map[string][]string{KeySourceIP: {"198.51.100.7"}, "aws:ViaAWSService": {"true"}}, ImplicitDeny, ""},
		}},
		"mfa-notaction.json": {4, []goldenRequest{
			{"iam:ListUsers", "*", nil, ExplicitDeny, "DenyAllExceptListedIfNoMFA"},
			{"iam:EnableMFADevice", "arn:aws:iam::000000000000:mfa/alice", map[string][]string{KeyUsername: {"alice"}}, Allow, "AllowIndividualUserToManageTheirOwnMFA"},
			{"ec2:RunInstances", "*", map[string][]string{"aws:MultiFactorAuthPresent": {"true"}}, Allow, "AllowAllWithMFA"},
			{"ec2:RunInstances", "*", map[string][]string{"aws:MultiFactorAuthPresent": {"false"}}, ExplicitDeny, "DenyAllExceptListedIfNoMFA"},
		}},
		"execute-api-stages.json": {2, []goldenRequest{
			{invoke, goldenAPI + "/dev/POST/pets", map[string][]string{KeyCurrentTime: {"2026-05-01T12:00:00Z"}}, Allow, "InvokeDevAndTest"},
			{invoke, goldenAPI + "/test/GET/pets", map[string][]string{KeyCurrentTime: {"2026-05-01T12:00:00Z"}}, Allow, "InvokeDevAndTest"},
			{invoke, goldenAPI + "/test/PUT/pets", map[string][]string{KeyCurrentTime: {"2026-05-01T12:00:00Z"}}, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/GET/pets", map[string][]string{KeyCurrentTime: {"2031-01-01T00:00:00Z"}}, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/GET/pets", nil, ImplicitDeny, ""},
			{invoke, goldenAPI + "/dev/DELETE/pets/1", map[string][]string{KeyCurrentTime: {"2026-05-01T12:00:00Z"}}, ExplicitDeny, "NoAdminWrites"},
			{invoke, goldenAPI + "/dev/POST/admin/users", map[string][]string{KeyCurrentTime: {"2026-05-01T12:00:00Z"}}, ExplicitDeny, "NoAdminWrites"},
		}},
	}
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) != len(cases) {
		t.Fatalf("testdata holds %v (%v), want the %d documents this test knows", files, err, len(cases))
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			tc, ok := cases[name]
			if !ok {
				t.Fatalf("no requests for %s", name)
			}
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Statements) != tc.statements {
				t.Errorf("%d statements, want %d", len(p.Statements), tc.statements)
			}
			for _, r := range tc.requests {
				req := Request{Action: r.action, Resource: r.resource}
				for k, v := range r.ctx {
					req.Context.Set(k, v...)
				}
				d := Evaluate(&req, Named{Name: strings.TrimSuffix(name, ".json"), Policy: p})
				if d.Effect != r.want || (r.sid != "" && d.Matched.Sid != r.sid) {
					t.Errorf("%s %s %v: %v by %q (%s), want %v by %q", r.action, r.resource, r.ctx, d.Effect, d.Matched.Sid, d.Reason, r.want, r.sid)
				}
			}
		})
	}
}
