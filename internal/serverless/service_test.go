package serverless

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"
)

// summarize writes the parts of a Service the gateway uses as stable text, for golden files.
func summarize(svc *Service, diags []Diagnostic) string {
	var b strings.Builder
	p := svc.Provider
	fmt.Fprintf(&b, "service %s stage=%s region=%s api=%s\n", svc.Name, svc.Stage, svc.Region, p.APIName)
	fmt.Fprintf(&b, "provider runtime=%s timeout=%s memory=%d env=%s\n", p.Runtime, p.Timeout, p.MemorySize, envText(p.Environment))
	g := p.APIGateway
	fmt.Fprintf(&b, "apiGateway binary=%v compression=%d keySource=%s\n", g.BinaryMediaTypes, g.MinimumCompressionSize, g.APIKeySourceType)
	for _, k := range g.APIKeys {
		fmt.Fprintf(&b, "apiKey %s value=%q enabled=%v plan=%q line=%d\n", k.Name, k.Value, k.Enabled, k.UsagePlan, k.Pos.Line)
	}
	for _, f := range svc.Functions {
		fmt.Fprintf(&b, "function %s name=%s handler=%q runtime=%s timeout=%s memory=%d env=%s line=%d\n",
			f.Name, f.FunctionName, f.Handler, f.Runtime, f.Timeout, f.MemorySize, envText(f.Environment), f.Pos.Line)
	}
	for _, e := range svc.Endpoints {
		fmt.Fprintf(&b, "endpoint %s %s fn=%s integration=%s", e.Method, e.ResourcePath(), e.FunctionName, e.Integration.Type)
		if e.Integration.URI != "" {
			fmt.Fprintf(&b, " uri=%s method=%q", e.Integration.URI, e.Integration.Method)
		}
		if e.Private {
			b.WriteString(" private")
		}
		fmt.Fprintf(&b, " line=%d\n", e.Pos.Line)
		if e.CORS != nil {
			fmt.Fprintf(&b, "  cors %s\n", corsText(e.CORS))
		}
		fmt.Fprintf(&b, "  auth %s\n", authText(e.Authorizer))
	}
	paths := make([]string, 0, len(svc.CORS))
	for p := range svc.CORS {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprintf(&b, "preflight /%s %s\n", p, corsText(svc.CORS[p]))
	}
	for _, r := range svc.Resources {
		fmt.Fprintf(&b, "resource %s %s supported=%v line=%d props=%s\n", r.LogicalID, r.Type, r.Supported, r.Pos.Line, jsonText(r.Properties))
		if r.Authorizer != nil {
			fmt.Fprintf(&b, "  compiled %s\n", authText(*r.Authorizer))
		}
	}
	for _, o := range svc.Outputs {
		fmt.Fprintf(&b, "output %s value=%s export=%s description=%q\n", o.Name, jsonText(o.Value), jsonText(o.ExportName), o.Description)
	}
	if h := svc.HTTPAPI; h != nil {
		fmt.Fprintf(&b, "httpApi name=%s payload=%s cors=%+v\n", h.Name, h.Payload, h.CORS)
		for _, a := range h.Authorizers {
			fmt.Fprintf(&b, "  httpAuthorizer %+v\n", *a)
		}
		for _, r := range h.Routes {
			az := "none"
			if r.Authorizer != nil {
				az = r.Authorizer.Name
			}
			fmt.Fprintf(&b, "  route %q fn=%s payload=%s auth=%s scopes=%v line=%d\n", r.RouteKey, r.FunctionName, r.Payload, az, r.Scopes, r.Pos.Line)
		}
	}
	fmt.Fprintf(&b, "plugins %v\n", svc.Plugins)
	for _, d := range diags {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

func jsonText(v Value) string {
	if v.IsZero() {
		return "-"
	}
	j, err := v.MarshalJSON()
	if err != nil {
		return "!" + err.Error()
	}
	return string(j)
}

func envText(env map[string]EnvVar) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		v := env[k]
		if v.IsExpr() {
			parts[i] = k + "=" + jsonText(v.Expr)
		} else {
			parts[i] = fmt.Sprintf("%s=%q", k, v.Value)
		}
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func corsText(c *CORS) string {
	return fmt.Sprintf("origins=%v headers=%v methods=%v credentials=%v maxAge=%d cacheControl=%q",
		c.Origins, c.Headers, c.Methods, c.AllowCredentials, c.MaxAge, c.CacheControl)
}

func authText(a Authorizer) string {
	s := fmt.Sprintf("%s name=%q", a.Type, a.Name)
	if a.Type == AuthNone || a.Type == AuthIAM {
		return s
	}
	s += fmt.Sprintf(" ttl=%s source=%v", a.ResultTTL, a.IdentitySource)
	if len(a.PoolARNs) > 0 {
		s += fmt.Sprintf(" pools=%v", a.PoolARNs)
	}
	if len(a.PoolRefs) > 0 {
		s += fmt.Sprintf(" poolRefs=%v", a.PoolRefs)
	}
	if len(a.Scopes) > 0 {
		s += fmt.Sprintf(" scopes=%v", a.Scopes)
	}
	if a.FunctionName != "" {
		s += " function=" + a.FunctionName
	}
	if a.ResourceID != "" {
		s += " resource=" + a.ResourceID
	}
	if a.ValidationExpression != nil {
		s += fmt.Sprintf(" validation=%q (%s)", a.ValidationPattern, a.ValidationExpression)
	}
	if a.RolesFromGroups {
		s += " rolesFromGroups"
	}
	return s + fmt.Sprintf(" line=%d", a.Pos.Line)
}

// TestGolden loads the example projects and compares the summary of what they resolve to
// with testdata/*.golden.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		opts       Options
	}{
		{"todo", "testdata/todo-quoted.yml", Options{}},
		{"project-dev", "testdata/project.yml", Options{Env: MapEnv(map[string]string{"AUTH_TTL": "90"})}},
		{"project-prod", "testdata/project.yml", Options{
			Stage:     "prod",
			Region:    "us-west-2",
			AccountID: "123456789012",
			Env:       MapEnv(map[string]string{"LOG_LEVEL": "warn", "INTERNAL_API_KEY": "k-0123456789abcdef0123"}),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			svc, diags, err := Load(tc.file, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkWant(t, "testdata/"+tc.name+".golden", summarize(svc, diags))
		})
	}
}

// TestTodoVerbatim: the example is not valid YAML — a plain scalar in a flow mapping
// cannot hold "{" — and js-yaml, which the Serverless Framework uses, refuses it at the same
// place ("missed comma between flow collection entries (20:30)").
func TestTodoVerbatim(t *testing.T) {
	_, _, err := Load("testdata/todo.yml", Options{})
	want := `testdata/todo.yml:20:30: while parsing a flow mapping: did not find expected ',' or '}'; a value inside { … } cannot contain "{" unless quoted: write path: "legacy/{proxy+}"`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if !errors.Is(err, ErrSyntax) {
		t.Errorf("error is not ErrSyntax")
	}
}

// TestTodo checks the example (its proxy path quoted) field by field.
func TestTodo(t *testing.T) {
	svc, diags, err := Load("testdata/todo-quoted.yml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	if svc.Name != "todo" || svc.Stage != "dev" || svc.Region != "us-east-1" || svc.File != "testdata/todo-quoted.yml" {
		t.Errorf("service %q stage %q region %q file %q", svc.Name, svc.Stage, svc.Region, svc.File)
	}
	if len(svc.Endpoints) != 3 {
		t.Fatalf("%d endpoints", len(svc.Endpoints))
	}
	get, health, legacy := svc.Endpoints[0], svc.Endpoints[1], svc.Endpoints[2]
	a := get.Authorizer
	if get.Method != "GET" || get.Path != "tasks" || get.CORS == nil || a.Type != AuthCognitoUserPools ||
		a.Name != "todo-authorizer" || a.ResultTTL != DefaultAuthorizerTTL ||
		len(a.PoolARNs) != 1 || a.PoolARNs[0] != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_XXXXXXXXX" ||
		len(a.IdentitySource) != 1 || a.IdentitySource[0] != "method.request.header.Authorization" {
		t.Errorf("getTasks endpoint: %+v", get)
	}
	if health.Authorizer.Type != AuthNone || health.Integration.Type != IntegrationLambdaProxy || health.CORS != nil {
		t.Errorf("health endpoint: %+v", health)
	}
	if legacy.Method != "ANY" || legacy.Path != "legacy/{proxy+}" || legacy.ResourcePath() != "/legacy/{proxy+}" ||
		legacy.Integration.Type != IntegrationHTTPProxy || legacy.Integration.URI != "http://127.0.0.1:8080/{proxy}" ||
		legacy.Integration.Method != "" {
		t.Errorf("legacy endpoint: %+v", legacy)
	}
	fn := svc.Function("getTasks")
	if fn == nil || fn.Handler != "src/tasks.list" || fn.Runtime != "nodejs20.x" || fn.Timeout != 6*time.Second ||
		fn.MemorySize != 1024 || fn.FunctionName != "todo-dev-getTasks" {
		t.Errorf("getTasks function: %+v", fn)
	}
	if f := svc.Function("legacy"); f == nil || f.Handler != "" {
		t.Errorf("legacy function: %+v", f)
	}
	if svc.Function("nope") != nil || svc.Resource("nope") != nil {
		t.Errorf("lookups of unknown names found something")
	}
}

// TestConcurrentLoads: loads share nothing, so they may run in parallel (run with -race).
func TestConcurrentLoads(t *testing.T) {
	want, _, err := Load("testdata/project.yml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() {
			svc, diags, err := Load("testdata/project.yml", Options{})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- summarize(svc, diags)
		}()
	}
	_, diags, _ := Load("testdata/project.yml", Options{})
	wantText := summarize(want, diags)
	for i := 0; i < 8; i++ {
		if got := <-done; got != wantText {
			t.Errorf("a concurrent load differs:\n%s", got)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, _, err := Load("testdata/does-not-exist.yml", Options{}); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := Load("testdata", Options{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
}

// TestParseNames: Parse names the file it is given in every message, and reads nothing else.
func TestParseNames(t *testing.T) {
	_, _, err := Parse("inline.yml", []byte("service: x\nprovider: {name: gcp}\n"), Options{})
	var e *Error
	if !errors.As(err, &e) || e.File != "inline.yml" || e.Line != 2 || e.Col != 18 {
		t.Fatalf("got %#v", err)
	}
	if got := e.Error(); got != `inline.yml:2:18: provider.name is "gcp": Gatehouse serves only aws services` {
		t.Errorf("message %q", got)
	}
}

// TestValueJSON: the kept CloudFormation values marshal to the JSON CloudFormation reads.
func TestValueJSON(t *testing.T) {
	svc, _, err := Load("testdata/project.yml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := svc.Resource("AdminGroup")
	j, err := json.Marshal(r.Properties)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"GroupName":"admin","UserPoolId":{"Ref":"UserPool"},"RoleArn":{"Fn::GetAtt":["AdminRole","Arn"]},"Precedence":1}`; string(j) != want {
		t.Errorf("got %s", j)
	}
	m, ok := r.Properties.Interface().(map[string]any)
	if !ok || m["Precedence"] != int64(1) || m["GroupName"] != "admin" {
		t.Errorf("Interface: %#v", r.Properties.Interface())
	}
	name, arg, ok := svc.Resource("UserPoolClient").Properties.Map[0].Value.Intrinsic()
	if !ok || name != "Ref" || arg.Str != "UserPool" {
		t.Errorf("Intrinsic: %q %v %v", name, arg, ok)
	}
}
