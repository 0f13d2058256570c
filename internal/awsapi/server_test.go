package awsapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/gatehouse/gatehouse/internal/awsapi"
	"github.com/gatehouse/gatehouse/internal/awsapi/model"
)

const (
	idpPrefix      = "AWSCognitoIdentityProviderService"
	identityPrefix = "AWSCognitoIdentityService"
	jsonType       = "application/x-amz-json-1.1"
)

type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value,omitempty"`
}

type signUpInput struct {
	ClientId       string      `json:"ClientId"`
	Username       string      `json:"Username"`
	Password       string      `json:"Password,omitempty"`
	UserAttributes []attribute `json:"UserAttributes,omitempty"`
}

type signUpOutput struct {
	UserConfirmed bool   `json:"UserConfirmed"`
	UserSub       string `json:"UserSub"`
}

type describeInput struct {
	UserPoolId string `json:"UserPoolId"`
}

type describeOutput struct {
	UserPool struct {
		Id           string       `json:"Id"`
		CreationDate *awsapi.Time `json:"CreationDate,omitempty"`
	} `json:"UserPool"`
}

type associateInput struct {
	AccessToken string `json:"AccessToken,omitempty"`
	Session     string `json:"Session,omitempty"`
}

type associateOutput struct {
	SecretCode string `json:"SecretCode"`
}

// secret is what a failing handler's internal error carries; it must never reach a client.
const secret = "dsn=postgres://admin:hunter2@db"

// fixture is a Server wired to the real Cognito models with a few trivial handlers.
type fixture struct {
	srv  *httptest.Server
	logs *syncBuffer
	mu   sync.Mutex
	seen []string // operations that reached a handler
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (f *fixture) reached(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, op)
}

func (f *fixture) handled() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.seen...)
}

// newServer is the fixture's Server without a listener, for ServeHTTP-level tests.
func newServer(_ testing.TB, auth awsapi.Authenticator) *awsapi.Server {
	f := &fixture{logs: &syncBuffer{}}
	return f.server(auth)
}

func (f *fixture) server(auth awsapi.Authenticator) *awsapi.Server {
	idpModel, identityModel := model.CognitoIDP(), model.CognitoIdentity()
	idp := awsapi.NewService(idpModel.TargetPrefix(), idpModel)
	idp.Register("SignUp", awsapi.Op(func(ctx context.Context, in *signUpInput) (*signUpOutput, error) {
		f.reached("SignUp")
		if awsapi.Info(ctx).ID == "" {
			return nil, errors.New("no request id in the context")
		}
		return &signUpOutput{UserSub: "sub-" + in.Username}, nil
	}))
	idp.Register("DescribeUserPool", awsapi.Op(func(_ context.Context, in *describeInput) (*describeOutput, error) {
		f.reached("DescribeUserPool")
		if in.UserPoolId == "us-east-1_missing" {
			return nil, awsapi.ResourceNotFound("User pool %s does not exist.", in.UserPoolId)
		}
		out := &describeOutput{}
		out.UserPool.Id = in.UserPoolId
		out.UserPool.CreationDate = awsapi.NewTime(time.UnixMilli(1700000000123))
		return out, nil
	}))
	idp.Register("AdminGetUser", awsapi.Op(func(context.Context, *describeInput) (*signUpOutput, error) {
		f.reached("AdminGetUser")
		return nil, errors.New("query users: " + secret)
	}))
	idp.Register("AssociateSoftwareToken", awsapi.Op(func(_ context.Context, in *associateInput) (*associateOutput, error) {
		f.reached("AssociateSoftwareToken")
		return &associateOutput{SecretCode: "code-for-" + in.Session}, nil
	}))
	identity := awsapi.NewService(identityModel.TargetPrefix(), identityModel)
	identity.Register("GetId", awsapi.Op(func(context.Context, *struct{ IdentityPoolId string }) (*struct{ IdentityId string }, error) {
		f.reached("GetId")
		return &struct{ IdentityId string }{"us-east-1:0f0e0d0c-0b0a-4000-8000-000000000001"}, nil
	}))
	log := slog.New(slog.NewJSONHandler(f.logs, nil))
	return awsapi.NewServer(log, auth, idp, identity)
}

func newFixture(t *testing.T, auth awsapi.Authenticator) *fixture {
	t.Helper()
	f := &fixture{logs: &syncBuffer{}}
	f.srv = httptest.NewServer(f.server(auth))
	t.Cleanup(f.srv.Close)
	return f
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (f *fixture) post(t *testing.T, target string, body string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", jsonType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// awsError checks the framing every error answer has and returns its type and message.
func awsError(t *testing.T, r response) (typ, msg string) {
	t.Helper()
	if r.header.Get("x-amzn-RequestId") == "" {
		t.Errorf("no x-amzn-RequestId")
	}
	if ct := r.header.Get("Content-Type"); ct != jsonType {
		t.Errorf("Content-Type %q", ct)
	}
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("error body is not JSON: %q", r.body)
	}
	typ, _ = body["__type"].(string)
	msg, _ = body["message"].(string)
	if typ == "" {
		t.Errorf("no __type in %s", r.body)
	}
	if h := r.header.Get("x-amzn-ErrorType"); h != typ {
		t.Errorf("x-amzn-ErrorType %q, __type %q", h, typ)
	}
	for k := range body {
		if k != "__type" && k != "message" {
			t.Errorf("unexpected member %q in %s", k, r.body)
		}
	}
	if msg != "" && !strings.ContainsFunc(msg, unicode.IsControl) && !strings.HasPrefix(msg, r.header.Get("x-amzn-ErrorMessage")) {
		t.Errorf("x-amzn-ErrorMessage %q is not the message's start", r.header.Get("x-amzn-ErrorMessage"))
	}
	return typ, msg
}

func TestErrorsOverHTTP(t *testing.T) {
	f := newFixture(t, nil)
	for _, tc := range []struct {
		name, target, body string
		status             int
		typ, msg           string
	}{
		{"missing required members", idpPrefix + ".SignUp", `{}`, 400, "InvalidParameterException",
			"2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'username' failed to satisfy constraint: Member must not be null"},
		{"empty body is an empty input", idpPrefix + ".SignUp", ``, 400, "InvalidParameterException",
			"2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'username' failed to satisfy constraint: Member must not be null"},
		{"pattern", idpPrefix + ".DescribeUserPool", `{"UserPoolId":"YOUR USER POOL ID"}`, 400, "InvalidParameterException",
			`1 validation error detected: Value 'YOUR USER POOL ID' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`},
		{"length", idpPrefix + ".DescribeUserPool", `{"UserPoolId":"us-east-1_` + strings.Repeat("a", 60) + `"}`, 400, "InvalidParameterException",
			"1 validation error detected: Value 'us-east-1_" + strings.Repeat("a", 60) + "' at 'userPoolId' failed to satisfy constraint: Member must have length less than or equal to 55"},
		{"sensitive value omitted", idpPrefix + ".SignUp", `{"ClientId":"abc","Username":"bob","Password":"has space"}`, 400, "InvalidParameterException",
			`1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+`},
		{"nested path", idpPrefix + ".SignUp", `{"ClientId":"abc","Username":"bob","UserAttributes":[{"Name":"email"},{"Value":"x"}]}`, 400, "InvalidParameterException",
			"1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: Member must not be null"},
		{"identity pools say ValidationException", identityPrefix + ".GetId", `{"IdentityPoolId":"us-east-1_abc"}`, 400, "ValidationException",
			`1 validation error detected: Value 'us-east-1_abc' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+:[0-9a-f-]+`},
		{"wrong JSON type", idpPrefix + ".SignUp", `{"ClientId":["abc"],"Username":"bob"}`, 400, "SerializationException", "Start of list found where not expected"},
		{"number for a string", idpPrefix + ".SignUp", `{"ClientId":42,"Username":"bob"}`, 400, "SerializationException", "NUMBER_VALUE can not be converted to a String"},
		{"malformed JSON", idpPrefix + ".SignUp", `{"ClientId":`, 400, "SerializationException", "Request body is not a JSON object"},
		{"non-object body", idpPrefix + ".SignUp", `"abc"`, 400, "SerializationException", "Request body is not a JSON object"},
		{"top-level array", idpPrefix + ".SignUp", `[{}]`, 400, "SerializationException", "Start of list found where not expected"},
		{"handler's own error", idpPrefix + ".DescribeUserPool", `{"UserPoolId":"us-east-1_missing"}`, 400, "ResourceNotFoundException", "User pool us-east-1_missing does not exist."},
		{"unknown operation", idpPrefix + ".NoSuchThing", `{}`, 400, "UnknownOperationException", ""},
		{"known to the model, not registered", idpPrefix + ".CreateUserPool", `{}`, 400, "UnknownOperationException", ""},
		{"unknown service", "AWSNotAService.SignUp", `{}`, 400, "UnknownOperationException", ""},
		{"no dot", "SignUp", `{}`, 400, "UnknownOperationException", ""},
		{"no target", "", `{}`, 400, "UnknownOperationException", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.post(t, tc.target, tc.body)
			if r.status != tc.status {
				t.Errorf("status %d, want %d (%s)", r.status, tc.status, r.body)
			}
			typ, msg := awsError(t, r)
			if typ != tc.typ || msg != tc.msg {
				t.Errorf("got  %s: %s\nwant %s: %s", typ, msg, tc.typ, tc.msg)
			}
		})
	}
	for _, op := range f.handled() {
		if op != "DescribeUserPool" {
			t.Errorf("%s reached its handler with an invalid request", op)
		}
	}
}

func TestSuccess(t *testing.T) {
	f := newFixture(t, nil)
	r := f.post(t, idpPrefix+".SignUp", `{"ClientId":"abc","Username":"bob","Password":"Passw0rd!","Unknown":{"x":[1]}}`)
	if r.status != 200 || r.header.Get("Content-Type") != jsonType || r.header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("%d %v %s", r.status, r.header, r.body)
	}
	if string(r.body) != `{"UserConfirmed":false,"UserSub":"sub-bob"}` {
		t.Fatalf("body %s", r.body)
	}
	r = f.post(t, idpPrefix+".DescribeUserPool", `{"UserPoolId":"us-east-1_abc"}`)
	if string(r.body) != `{"UserPool":{"Id":"us-east-1_abc","CreationDate":1700000000.123}}` {
		t.Fatalf("body %s", r.body)
	}
	// No required members: an empty body reaches the handler as an empty input.
	r = f.post(t, idpPrefix+".AssociateSoftwareToken", ``)
	if r.status != 200 || string(r.body) != `{"SecretCode":"code-for-"}` {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if ids := []string{r.header.Get("x-amzn-RequestId"), f.post(t, idpPrefix+".AssociateSoftwareToken", `{}`).header.Get("x-amzn-RequestId")}; ids[0] == ids[1] {
		t.Fatalf("request ids repeat: %v", ids)
	}
}

func TestMethodAndSize(t *testing.T) {
	f := newFixture(t, nil)
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/", nil)
	req.Header.Set("X-Amz-Target", idpPrefix+".SignUp")
	r := do(t, req)
	if r.status != 400 {
		t.Errorf("GET: status %d", r.status)
	}
	if typ, _ := awsError(t, r); typ != "UnknownOperationException" {
		t.Errorf("GET: %s", typ)
	}

	big := `{"ClientId":"abc","Username":"bob","Password":"` + strings.Repeat("a", awsapi.MaxBodyBytes) + `"}`
	r = f.post(t, idpPrefix+".SignUp", big)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("big body: status %d", r.status)
	}
	if typ, _ := awsError(t, r); typ != "SerializationException" {
		t.Errorf("big body: %s", typ)
	}
	if len(f.handled()) != 0 {
		t.Errorf("handlers ran: %v", f.handled())
	}
}

// A handler's internal error is logged with the request id and answered without detail.
func TestInternalErrorHidesDetail(t *testing.T) {
	f := newFixture(t, nil)
	r := f.post(t, idpPrefix+".AdminGetUser", `{"UserPoolId":"us-east-1_abc","Username":"bob"}`)
	if r.status != 500 {
		t.Fatalf("status %d", r.status)
	}
	typ, msg := awsError(t, r)
	if typ != "InternalErrorException" || msg != "Internal server error." {
		t.Fatalf("%s: %s", typ, msg)
	}
	if strings.Contains(string(r.body), "hunter2") || strings.Contains(r.header.Get("x-amzn-ErrorMessage"), "hunter2") {
		t.Fatal("internal detail leaked")
	}
	logs := f.logs.String()
	if !strings.Contains(logs, r.header.Get("x-amzn-RequestId")) || !strings.Contains(logs, "hunter2") {
		t.Fatalf("the log lacks the request id or the cause: %s", logs)
	}
}

// Messages echo request values; the x-amzn-ErrorMessage header must stay a valid header.
func TestErrorMessageHeaderIsSafe(t *testing.T) {
	f := newFixture(t, nil)
	value := "bad\u0001\u007fpool\\ué" + strings.Repeat("é", 400)
	body, _ := json.Marshal(map[string]string{"UserPoolId": value})
	r := f.post(t, idpPrefix+".DescribeUserPool", string(body))
	_, msg := awsError(t, r)
	if !strings.Contains(msg, "Value '"+value[:10]) {
		t.Fatalf("body message lost the value: %.60q", msg)
	}
	h := r.header.Get("x-amzn-ErrorMessage")
	if len(h) > 512 || strings.ContainsAny(h, "\u0001\u007f\r\n") || !strings.HasPrefix(h, "2 validation errors detected: Value 'bad??pool") {
		t.Fatalf("header %q", h)
	}
	r = f.post(t, idpPrefix+".DescribeUserPool", `{"UserPoolId":"line1\nline2"}`)
	if h := r.header.Get("x-amzn-ErrorMessage"); h != "1 validation error detected: Value 'line1" {
		t.Fatalf("header %q", h)
	}
}

type denyAll struct {
	mu    sync.Mutex
	calls []string
}

func (d *denyAll) Authenticate(_ *http.Request, _ []byte, service, operation string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, service+"."+operation)
	return awsapi.NewError("MissingAuthenticationTokenException", "Missing Authentication Token")
}

// Register makes the model's public operations skip the Authenticator; IAM operations are
// authenticated before their input is validated.
func TestRegisterFollowsTheModelsAuthType(t *testing.T) {
	auth := &denyAll{}
	f := newFixture(t, auth)
	if r := f.post(t, idpPrefix+".SignUp", `{"ClientId":"abc","Username":"bob"}`); r.status != 200 {
		t.Fatalf("public SignUp: %d %s", r.status, r.body)
	}
	if r := f.post(t, identityPrefix+".GetId", `{"IdentityPoolId":"us-east-1:0f0e"}`); r.status != 200 {
		t.Fatalf("public GetId: %d %s", r.status, r.body)
	}
	r := f.post(t, idpPrefix+".DescribeUserPool", `{"UserPoolId":"not valid"}`)
	if typ, _ := awsError(t, r); typ != "MissingAuthenticationTokenException" {
		t.Fatalf("IAM operation: %s", typ)
	}
	if strings.Join(auth.calls, ",") != idpPrefix+".DescribeUserPool" {
		t.Fatalf("authenticator calls: %v", auth.calls)
	}

	// Without a model that knows, Register is Handle.
	plain := awsapi.NewService("Plain", nil)
	plain.Register("Op", func(context.Context, json.RawMessage) (any, error) { return struct{}{}, nil })
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "Plain.Op")
	awsapi.NewServer(nil, auth, plain).ServeHTTP(rec, req)
	if rec.Code != 400 || rec.Header().Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
		t.Fatalf("plain service: %d %s", rec.Code, rec.Body)
	}
	if ops := plain.Operations(); len(ops) != 1 || ops[0] != "Op" {
		t.Fatalf("Operations() = %v", ops)
	}
}

// Concurrent requests share one Model (run with -race).
func TestConcurrentRequests(t *testing.T) {
	f := newFixture(t, nil)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 10 {
				body := `{"ClientId":"abc","Username":"u` + strings.Repeat("x", i+j) + `"}`
				if i%2 == 1 {
					body = `{"ClientId":"a b"}`
				}
				req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader(body))
				req.Header.Set("X-Amz-Target", idpPrefix+".SignUp")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if want := 200 + 200*(i%2); res.StatusCode != want {
					t.Errorf("status %d, want %d", res.StatusCode, want)
				}
			}
		})
	}
	wg.Wait()
}
