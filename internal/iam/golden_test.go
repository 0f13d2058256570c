package iam

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// openAPI is the env's API in protected mode (requests are sent from a loopback Host), with
// a fixed request id.
func openAPI(t testing.TB, e *apiEnv) *API {
	t.Helper()
	auth, err := NewAuthenticator(AuthenticatorConfig{Principals: e.principals, AccountID: "123456789012", Open: true, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewAPI(APIConfig{Store: e.store, Master: e.api.master, Principals: e.principals, AccountID: "123456789012",
		Authenticator: auth, Now: e.clock.Now, NewRequestID: func() string { return "req-1" }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func post(h http.Handler, form url.Values, header map[string]string) *httptest.ResponseRecorder {
	return postSigned(h, form, header, nil)
}

// postSigned is post, signed with key (nil: unsigned) by the AWS SDK's signer for the
// service the form's Version names.
func postSigned(h http.Handler, form url.Values, header map[string]string, key *AccessKey) *httptest.ResponseRecorder {
	body := form.Encode()
	r := httptest.NewRequest("POST", "http://127.0.0.1/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	for k, v := range header {
		r.Header.Set(k, v)
	}
	if key != nil {
		// A server request carries its Content-Length header; httptest's does not.
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		service := "iam"
		if form.Get("Version") == stsVersion {
			service = "sts"
		}
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: key.AccessKeyID, SecretAccessKey: key.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, "us-east-1", time.Now()); err != nil {
			panic(err)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// shape is an XML document's structure: the root's namespace and the sorted set of
// element paths, each with "#" when it holds text.
func shape(t *testing.T, doc []byte) (string, []string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack, paths []string
	var ns string
	text := map[string]bool{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%v in %s", err, doc)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				ns = tok.Name.Space
			}
			stack = append(stack, tok.Name.Local)
			p := strings.Join(stack, "/")
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(bytes.TrimSpace(tok)) > 0 {
				text[strings.Join(stack, "/")] = true
			}
		}
	}
	for i, p := range paths {
		if text[p] {
			paths[i] = p + "#"
		}
	}
	slices.Sort(paths)
	return ns, paths
}

// TestGolden compares the structure of Gatehouse's answers with the example responses of
// the IAM and STS API references (testdata/*.xml: CreateRole, ListRolePolicies,
// CreateAccessKey, DeleteRole, GetCallerIdentity, and an error).
func TestGolden(t *testing.T) {
	e := newAPIEnv(t, "")
	h := openAPI(t, e)
	const ec2Trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}`
	iam := func(action string, kv ...string) url.Values {
		v := url.Values{"Action": {action}, "Version": {"2010-05-08"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	steps := []struct {
		golden string
		form   url.Values
		header map[string]string
		status int
	}{
		{"CreateRole.xml", iam("CreateRole", "RoleName", "S3Access", "Path", "/application_abc/component_xyz/", "AssumeRolePolicyDocument", ec2Trust), nil, 200},
		{"", iam("PutRolePolicy", "RoleName", "S3Access", "PolicyName", "S3AccessPolicy", "PolicyDocument", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), nil, 200},
		{"", iam("PutRolePolicy", "RoleName", "S3Access", "PolicyName", "CloudwatchPutMetricPolicy", "PolicyDocument", `{"Statement":[{"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*"}]}`), nil, 200},
		{"ListRolePolicies.xml", iam("ListRolePolicies", "RoleName", "S3Access"), nil, 200},
		{"CreateAccessKey.xml", iam("CreateAccessKey", "UserName", "admin"), nil, 200},
		{"error-NoSuchEntity.xml", iam("GetRole", "RoleName", "Nobody"), nil, 404},
		{"GetCallerIdentity.xml", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}, nil, 200},
		{"", iam("DeleteRolePolicy", "RoleName", "S3Access", "PolicyName", "S3AccessPolicy"), nil, 200},
		{"", iam("DeleteRolePolicy", "RoleName", "S3Access", "PolicyName", "CloudwatchPutMetricPolicy"), nil, 200},
		{"DeleteRole.xml", iam("DeleteRole", "RoleName", "S3Access"), nil, 200},
	}
	for _, s := range steps {
		var key *AccessKey
		if s.form.Get("Action") == "GetCallerIdentity" {
			key = e.adminKey // the caller is the verified signer
		}
		w := postSigned(h, s.form, s.header, key)
		if w.Code != s.status {
			t.Fatalf("%s: %d %s", s.form.Get("Action"), w.Code, w.Body)
		}
		if w.Header().Get("x-amzn-RequestId") != "req-1" || !strings.Contains(w.Body.String(), "req-1") {
			t.Errorf("%s: request id missing: %s", s.form.Get("Action"), w.Body)
		}
		if s.golden == "" {
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata", s.golden))
		if err != nil {
			t.Fatal(err)
		}
		wantNS, wantPaths := shape(t, want)
		gotNS, gotPaths := shape(t, w.Body.Bytes())
		if gotNS != wantNS || !slices.Equal(gotPaths, wantPaths) {
			t.Errorf("%s:\n got %s %v\nwant %s %v\n%s", s.golden, gotNS, gotPaths, wantNS, wantPaths, w.Body)
		}
		if s.golden == "CreateRole.xml" {
			var out struct {
				Doc string `xml:"CreateRoleResult>Role>AssumeRolePolicyDocument"`
			}
			if err := xml.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if doc, err := url.PathUnescape(out.Doc); err != nil || doc != ec2Trust || strings.ContainsAny(out.Doc, "{\" +") {
				t.Errorf("URL-encoded document %q", out.Doc)
			}
		}
	}
}

// TestProtocolErrors: the query protocol's own refusals.
func TestProtocolErrors(t *testing.T) {
	e := newAPIEnv(t, "")
	h := openAPI(t, e)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		code   string
		msg    string
		ns     string
	}{
		{"no action", url.Values{"Version": {"2010-05-08"}}, 400, "MissingAction", "Missing Action", iamNamespace},
		{"unknown action", url.Values{"Action": {"CreateGroup"}, "Version": {"2010-05-08"}}, 400, "InvalidAction", "Could not find operation CreateGroup for version 2010-05-08", iamNamespace},
		{"unknown version", url.Values{"Action": {"GetRole"}, "Version": {"2099-01-01"}}, 400, "InvalidAction", "Could not find operation GetRole for version 2099-01-01", iamNamespace},
		{"STS without a key", url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}, 403, "InvalidClientTokenId", msgInvalidClientToken, stsNamespace},
		{"bad integer", url.Values{"Action": {"ListRoles"}, "Version": {"2010-05-08"}, "MaxItems": {"x"}}, 400, "ValidationError",
			"1 validation error detected: Value 'x' at 'maxItems' failed to satisfy constraint: Member must be an integer", iamNamespace},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := post(h, tc.form, nil)
			var er struct {
				XMLName xml.Name `xml:"ErrorResponse"`
				Type    string   `xml:"Error>Type"`
				Code    string   `xml:"Error>Code"`
				Message string   `xml:"Error>Message"`
				ReqID   string   `xml:"RequestId"`
			}
			if err := xml.Unmarshal(w.Body.Bytes(), &er); err != nil {
				t.Fatalf("%v: %s", err, w.Body)
			}
			if w.Code != tc.status || er.Code != tc.code || tc.msg != "" && er.Message != tc.msg || er.Type != "Sender" ||
				er.XMLName.Space != tc.ns || er.ReqID != "req-1" {
				t.Errorf("%d %+v", w.Code, er)
			}
		})
	}
	t.Run("too many parameters", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("Action=ListRoles&Version=2010-05-08")
		for i := range awsapi.MaxQueryParams + 1 {
			b.WriteString("&p" + strings.Repeat("x", i%7) + url.QueryEscape(string(rune('a'+i%26))) + "=" + string(rune('0'+i%10)) + "&q" + string(rune('A'+i%26)) + string(rune('a'+i/26%26)) + "=1")
		}
		r := httptest.NewRequest("POST", "/", strings.NewReader(b.String()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 400 || !strings.Contains(w.Body.String(), "Too many parameters") {
			t.Errorf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", strings.NewReader("Action=ListRoles&x="+strings.Repeat("a", awsapi.MaxBodyBytes)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("%d %s", w.Code, w.Body)
		}
	})
}
