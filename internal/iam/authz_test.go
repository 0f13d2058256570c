package iam

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// userWithPolicy creates a user with one inline policy and returns an access key of theirs.
func (e *apiEnv) userWithPolicy(t *testing.T, name, doc string) *AccessKey {
	t.Helper()
	if _, err := e.api.CreateUser(e.ctx, name, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.api.PutUserPolicy(e.ctx, name, "p", doc); err != nil {
		t.Fatal(err)
	}
	k, err := e.api.CreateAccessKey(e.ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// post sends a query-protocol form signed by the SDK's signer with key; tamper may change
// the signed request before it is sent.
func (e *apiEnv) post(t *testing.T, key *AccessKey, form url.Values, tamper func(*http.Request)) (int, string) {
	t.Helper()
	body := form.Encode()
	req, err := http.NewRequest("POST", e.url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "iam", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		tamper(req)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func form(name string, kv ...string) url.Values {
	v := url.Values{"Action": {name}, "Version": {iamVersion}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// The resource an action is authorised on comes from the parameter that action takes: a
// RoleName added to a user action does not move the check to a role.
func TestAuthorizeResourceFromTheActionsOwnParameter(t *testing.T) {
	e := newAPIEnv(t, "")
	bob := e.userWithPolicy(t, "bob", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:role/*"}]}`)
	status, body := e.post(t, bob, form("PutUserPolicy", "UserName", "bob", "PolicyName", "esc",
		"PolicyDocument", adminPolicy, "RoleName", "x"), nil)
	if status != 403 || !strings.Contains(body, "<Code>AccessDenied</Code>") || !strings.Contains(body, "on resource: arn:aws:iam::123456789012:user/bob") {
		t.Fatalf("PutUserPolicy with a stray RoleName: %d %s", status, body)
	}
	status, body = e.post(t, bob, form("CreateAccessKey", "UserName", "admin", "RoleName", "x"), nil)
	if status != 403 {
		t.Fatalf("CreateAccessKey for admin with a stray RoleName: %d %s", status, body)
	}
	if _, err := e.store.GetUserPolicy(e.ctx, "bob", "esc"); err == nil {
		t.Fatal("the policy was stored")
	}
}

// The caller an action defaults to is the one whose signature was verified, not another
// Credential= slipped into the Authorization header.
func TestAuthorizeCallerIsTheVerifiedOne(t *testing.T) {
	e := newAPIEnv(t, "")
	bob := e.userWithPolicy(t, "bob", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*AccessKey*","Resource":"arn:aws:iam::123456789012:user/bob"}]}`)
	status, body := e.post(t, bob, form("CreateAccessKey"), func(r *http.Request) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ",
			"AWS4-HMAC-SHA256 Credential="+e.adminKey.AccessKeyID+"/20260101/us-east-1/iam/aws4_request, ", 1))
	})
	if status == 200 && !strings.Contains(body, "<UserName>bob</UserName>") {
		t.Fatalf("a key was created for someone other than the signer: %s", body)
	}
	keys, err := e.store.ListAccessKeys(e.ctx, "admin")
	if err != nil || len(keys) != 1 {
		t.Fatalf("admin has %d keys (%v), want 1", len(keys), err)
	}
}

// A Deny on a user cannot be dodged by writing the name in another case (IAM names are
// case-insensitive, policy resources are not).
func TestAuthorizeNameCase(t *testing.T) {
	e := newAPIEnv(t, "")
	bob := e.userWithPolicy(t, "bob", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:*","Resource":"*"},
		{"Effect":"Deny","Action":"iam:*","Resource":"arn:aws:iam::123456789012:user/admin"}]}`)
	for _, name := range []string{"admin", "ADMIN", "Admin"} {
		status, body := e.post(t, bob, form("CreateAccessKey", "UserName", name), nil)
		if status != 403 || !strings.Contains(body, "with an explicit deny") {
			t.Fatalf("CreateAccessKey UserName=%s: %d %s", name, status, body)
		}
	}
}

// Protected mode's open door is for local tools, not web pages: a request with an Origin,
// a cross-site Sec-Fetch-Site or a Host that is not a loopback name must be signed.
func TestProtectedModeRefusesBrowsers(t *testing.T) {
	e := newAPIEnv(t, "")
	open, err := NewAuthenticator(AuthenticatorConfig{Principals: e.principals, AccountID: "123456789012", Open: true})
	if err != nil {
		t.Fatal(err)
	}
	e.api.auth = open
	unsigned := func(h map[string]string) int {
		req, _ := http.NewRequest("POST", e.url+"/", strings.NewReader(form("ListUsers").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range h {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"local tool", nil, 200},
		{"localhost", map[string]string{"Host": "localhost:9229"}, 200},
		{"web page", map[string]string{"Origin": "https://evil.example"}, 403},
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"typed in the address bar", map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"DNS rebinding", map[string]string{"Host": "rebind.evil.example:9229"}, 403},
	} {
		if got := unsigned(tc.header); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
