package iam

import (
	"context"
	"encoding/xml"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/sigv4"
)

func wantErr(t *testing.T, what string, err error, code string, status int, msg string) {
	t.Helper()
	var ae *awsapi.Error
	if !errors.As(err, &ae) {
		t.Errorf("%s: %v, want %s", what, err, code)
		return
	}
	if ae.Type != code || ae.Status != status || msg != "" && ae.Message != msg {
		t.Errorf("%s: %s %d %q, want %s %d %q", what, ae.Type, ae.Status, ae.Message, code, status, msg)
	}
}

// TestValidationErrors: parameters that break the IAM model's constraints are refused with
// ValidationError in Coral's words, checked by package awsapi/model against IAM's model
// before the action runs.
func TestValidationErrors(t *testing.T) {
	e := newAPIEnv(t, "")
	h := openAPI(t, e)
	const allow = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	const patPath = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
	long := strings.Repeat("a", 65)
	form := func(action string, kv ...string) url.Values {
		v := url.Values{"Action": {action}, "Version": {"2010-05-08"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, tc := range []struct {
		name string
		form url.Values
		msg  string
	}{
		{"role name too long", form("GetRole", "RoleName", long),
			"1 validation error detected: Value '" + long + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"no role name", form("GetRole"),
			"1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null"},
		{"bad path and duration", form("CreateRole", "RoleName", "x", "Path", "nopath", "AssumeRolePolicyDocument", trustPolicy, "MaxSessionDuration", "60"),
			"2 validation errors detected: Value 'nopath' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: " + patPath +
				"; Value '60' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"bad policy name", form("PutRolePolicy", "RoleName", "Web", "PolicyName", "a b", "PolicyDocument", allow),
			"1 validation error detected: Value 'a b' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"},
		{"bad status", form("UpdateAccessKey", "UserName", "admin", "AccessKeyId", e.adminKey.AccessKeyID, "Status", "Off"),
			"1 validation error detected: Value 'Off' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"},
		{"short key id", form("UpdateAccessKey", "UserName", "admin", "AccessKeyId", "AKIA", "Status", "Active"),
			"1 validation error detected: Value 'AKIA' at 'accessKeyId' failed to satisfy constraint: Member must have length greater than or equal to 16"},
		{"bad integer", form("ListRoles", "MaxItems", "x"),
			"1 validation error detected: Value 'x' at 'maxItems' failed to satisfy constraint: Member must be an integer"},
		{"zero MaxItems", form("ListUsers", "MaxItems", "0"),
			"1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"STS", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := post(h, tc.form, nil)
			var er struct {
				Code    string `xml:"Error>Code"`
				Message string `xml:"Error>Message"`
			}
			if err := xml.Unmarshal(w.Body.Bytes(), &er); err != nil {
				t.Fatalf("%v: %s", err, w.Body)
			}
			if tc.msg == "" {
				// GetCallerIdentity takes no parameters: nothing to refuse but the caller.
				if er.Code == "ValidationError" {
					t.Errorf("%d %+v", w.Code, er)
				}
				return
			}
			if w.Code != 400 || er.Code != "ValidationError" || er.Message != tc.msg {
				t.Errorf("%d %s %q\nwant %q", w.Code, er.Code, er.Message, tc.msg)
			}
		})
	}
}

// TestOperationErrors: each action's refusals, with IAM's codes, statuses and texts, on
// the Go methods over a real SQLite store.
func TestOperationErrors(t *testing.T) {
	e := newAPIEnv(t, "")
	a, ctx := e.api, e.ctx
	if _, err := a.CreateRole(ctx, CreateRoleInput{RoleName: "Web", AssumeRolePolicyDocument: trustPolicy}); err != nil {
		t.Fatal(err)
	}
	const allow = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 2100) + `"}]}`
	cases := []struct {
		name   string
		call   func() error
		code   string
		status int
		msg    string
	}{
		{"duplicate role in another case", func() error {
			_, err := a.CreateRole(ctx, CreateRoleInput{RoleName: "WEB", AssumeRolePolicyDocument: trustPolicy})
			return err
		}, "EntityAlreadyExists", 409, "Role with name WEB already exists."},
		{"missing role", func() error { return a.DeleteRole(ctx, "nope") }, "NoSuchEntity", 404, "The role with name nope cannot be found."},
		{"trust policy with a resource", func() error {
			_, err := a.CreateRole(ctx, CreateRoleInput{RoleName: "x", AssumeRolePolicyDocument: allow})
			return err
		}, "MalformedPolicyDocument", 400, "Has prohibited field Resource"},
		{"trust policy not JSON", func() error { return a.UpdateAssumeRolePolicy(ctx, "Web", "{") }, "MalformedPolicyDocument", 400, ""},
		{"trust policy over quota", func() error {
			return a.UpdateAssumeRolePolicy(ctx, "Web", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"`+strings.Repeat("c", 2100)+`"},"Action":"sts:AssumeRole"}]}`)
		}, "LimitExceeded", 409, "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"identity policy with a principal", func() error { return a.PutRolePolicy(ctx, "Web", "p", trustPolicy) }, "MalformedPolicyDocument", 400,
			"Policy document should not specify a principal."},
		{"policy of a missing role", func() error { return a.PutRolePolicy(ctx, "nope", "p", allow) }, "NoSuchEntity", 404, "The role with name nope cannot be found."},
		{"missing role policy", func() error { _, err := a.GetRolePolicy(ctx, "Web", "nope"); return err }, "NoSuchEntity", 404,
			"The role policy with name nope cannot be found."},
		{"delete missing role policy", func() error { return a.DeleteRolePolicy(ctx, "Web", "nope") }, "NoSuchEntity", 404, ""},
		{"missing user", func() error { _, err := a.GetUser(ctx, "nope"); return err }, "NoSuchEntity", 404, "The user with name nope cannot be found."},
		{"duplicate user", func() error { _, err := a.CreateUser(ctx, "ADMIN", ""); return err }, "EntityAlreadyExists", 409, "User with name ADMIN already exists."},
		{"user with policies and keys", func() error { return a.DeleteUser(ctx, "admin") }, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first."},
		{"user inline quota", func() error { return a.PutUserPolicy(ctx, "admin", "big", big) }, "LimitExceeded", 409,
			"Maximum policy size of 2048 bytes exceeded for user admin"},
		{"GetUser without a caller", func() error { _, err := a.GetUser(ctx, ""); return err }, "InvalidClientTokenId", 403, msgInvalidClientToken},
		{"missing access key", func() error { return a.DeleteAccessKey(ctx, "admin", "AKIAAAAAAAAAAAAAAAAA") }, "NoSuchEntity", 404,
			"The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found."},
		{"GetCallerIdentity of an unknown key", func() error {
			_, err := a.GetCallerIdentity(WithCaller(ctx, "AKIAZZZZZZZZZZZZZZZZ"))
			return err
		}, "InvalidClientTokenId", 403, msgInvalidClientToken},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, tc.call(), tc.code, tc.status, tc.msg) })
	}

	t.Run("key of another user", func(t *testing.T) {
		if _, err := a.CreateUser(ctx, "other", "/team/"); err != nil {
			t.Fatal(err)
		}
		err := a.UpdateAccessKey(ctx, "other", e.adminKey.AccessKeyID, StatusInactive)
		wantErr(t, "UpdateAccessKey", err, "NoSuchEntity", 404, "The Access Key with id "+e.adminKey.AccessKeyID+" cannot be found.")
	})
	t.Run("role inline quota", func(t *testing.T) {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("d", 6000) + `"}]}`
		if err := a.PutRolePolicy(ctx, "Web", "one", doc); err != nil {
			t.Fatal(err)
		}
		if err := a.PutRolePolicy(ctx, "Web", "one", doc); err != nil {
			t.Errorf("replacing a policy counts it once: %v", err)
		}
		wantErr(t, "second", a.PutRolePolicy(ctx, "Web", "two", doc), "LimitExceeded", 409, "Maximum policy size of 10240 bytes exceeded for role Web")
	})
	t.Run("caller defaults", func(t *testing.T) {
		cctx := WithCaller(ctx, e.adminKey.AccessKeyID)
		u, err := a.GetUser(cctx, "")
		if err != nil || u.UserName != "admin" || u.Arn != "arn:aws:iam::123456789012:user/admin" {
			t.Errorf("GetUser of the caller: %+v %v", u, err)
		}
		ks, err := a.ListAccessKeys(cctx, ListAccessKeysInput{})
		if err != nil || len(ks.AccessKeyMetadata.Members) != 1 {
			t.Errorf("ListAccessKeys of the caller: %+v %v", ks, err)
		}
		creds, err := e.issuer.Mint(ctx, Session{RoleARN: "arn:aws:iam::123456789012:role/Web", SessionName: CognitoSessionName})
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.CreateAccessKey(WithCaller(ctx, creds.AccessKeyID), "")
		wantErr(t, "CreateAccessKey as a role", err, "ValidationError", 400, "Must specify userName when calling with non-User credentials")
	})
	t.Run("list users by path", func(t *testing.T) {
		out, err := a.ListUsers(ctx, ListInput{PathPrefix: "/team/"})
		if err != nil || len(out.Users.Members) != 1 || out.Users.Members[0].Arn != "arn:aws:iam::123456789012:user/team/other" || out.IsTruncated {
			t.Errorf("ListUsers: %+v %v", out, err)
		}
	})
}

// TestPrincipals: what Resolve gives for both kinds of keys, and how long a change made
// behind the API's back takes to reach it (CacheTTL, with an injected clock).
func TestPrincipals(t *testing.T) {
	e := newAPIEnv(t, "")
	ctx, a, p := e.ctx, e.api, e.principals
	if _, err := a.CreateRole(ctx, CreateRoleInput{RoleName: "Auth", Path: "/cognito/", AssumeRolePolicyDocument: trustPolicy}); err != nil {
		t.Fatal(err)
	}
	const invoke = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}`
	if err := a.PutRolePolicy(ctx, "Auth", "invoke", invoke); err != nil {
		t.Fatal(err)
	}
	role, _ := a.GetRole(ctx, "Auth")
	creds, err := e.issuer.Mint(ctx, Session{RoleARN: role.Arn, SessionName: CognitoSessionName, IdentityID: "us-east-1:abc"})
	if err != nil {
		t.Fatal(err)
	}
	pr, err := p.Resolve(ctx, creds.AccessKeyID)
	if err != nil {
		t.Fatal(err)
	}
	if pr.Type != PrincipalAssumedRole || pr.ARN != "arn:aws:sts::123456789012:assumed-role/Auth/CognitoIdentityCredentials" ||
		pr.UserID != role.RoleID+":CognitoIdentityCredentials" || pr.RoleName != "Auth" || pr.RoleARN != role.Arn ||
		pr.Session.IdentityID != "us-east-1:abc" || len(pr.Policies) != 1 || pr.Policies[0].Name != "invoke" || pr.AccountID != "123456789012" {
		t.Errorf("assumed role: %+v", pr)
	}
	user, err := p.Resolve(ctx, e.adminKey.AccessKeyID)
	if err != nil || user.Type != PrincipalUser || user.UserName != "admin" || !strings.HasPrefix(user.UserID, "AIDA") || len(user.Policies) != 1 {
		t.Errorf("user: %+v %v", user, err)
	}
	secret, err := p.Lookup(ctx, e.adminKey.AccessKeyID)
	if err != nil || secret.SecretAccessKey != e.adminKey.SecretAccessKey || secret.SessionToken != "" {
		t.Errorf("Lookup: %v", err)
	}
	for _, id := range []string{"AKIAAAAAAAAAAAAAAAAA", "ASIAAAAAAAAAAAAAAAAA", "XXXX", ""} {
		if _, err := p.Lookup(ctx, id); !errors.Is(err, sigv4.ErrUnknownKey) {
			t.Errorf("Lookup(%q): %v", id, err)
		}
	}

	t.Run("changes behind the API's back last at most CacheTTL", func(t *testing.T) {
		// Straight in the store, as another node would: the cache does not see it…
		if err := e.store.UpdateAccessKeyStatus(ctx, e.adminKey.AccessKeyID, StatusInactive); err != nil {
			t.Fatal(err)
		}
		if err := e.store.DeleteRolePolicy(ctx, "Auth", "invoke"); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(CacheTTL - time.Second)
		if _, err := p.Lookup(ctx, e.adminKey.AccessKeyID); err != nil {
			t.Errorf("within the TTL: %v", err)
		}
		// …until the TTL has passed.
		e.clock.Advance(time.Second)
		if _, err := p.Lookup(ctx, e.adminKey.AccessKeyID); !errors.Is(err, sigv4.ErrUnknownKey) {
			t.Errorf("inactive key after the TTL: %v", err)
		}
		if pr, err := p.Resolve(ctx, creds.AccessKeyID); err != nil || len(pr.Policies) != 0 {
			t.Errorf("deleted policy after the TTL: %+v %v", pr, err)
		}
	})
	t.Run("deleted role: no policies, not an error", func(t *testing.T) {
		if err := a.DeleteRole(ctx, "Auth"); err != nil {
			t.Fatal(err)
		}
		pr, err := p.Resolve(ctx, creds.AccessKeyID)
		if err != nil || len(pr.Policies) != 0 || pr.Type != PrincipalAssumedRole {
			t.Errorf("after DeleteRole: %+v %v", pr, err)
		}
	})
	t.Run("deleted key through the API: at once", func(t *testing.T) {
		k, err := a.CreateAccessKey(ctx, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Lookup(ctx, k.AccessKeyID); err != nil {
			t.Fatal(err)
		}
		if err := a.DeleteAccessKey(ctx, "admin", k.AccessKeyID); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Lookup(ctx, k.AccessKeyID); !errors.Is(err, sigv4.ErrUnknownKey) {
			t.Errorf("deleted key: %v", err)
		}
	})
}

// TestCacheBound: the cache never holds more than MaxEntries.
func TestCacheBound(t *testing.T) {
	e := newAPIEnv(t, "")
	p, err := NewPrincipals(PrincipalsConfig{Store: e.store, Master: e.api.master, Issuer: e.issuer, Now: e.clock.Now, MaxEntries: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var ids []string
	for i := range 6 {
		c, err := e.issuer.Mint(ctx, Session{RoleARN: "arn:aws:iam::123456789012:role/r", SessionName: "s" + string(rune('a'+i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.AccessKeyID)
	}
	for _, id := range ids {
		if _, err := p.Resolve(ctx, id); err != nil {
			t.Fatal(err)
		}
		p.mu.RLock()
		n := len(p.entries)
		p.mu.RUnlock()
		if n > 3 {
			t.Fatalf("%d entries, more than 3", n)
		}
	}
}
