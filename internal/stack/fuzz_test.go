package stack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/internal/serverless"
)

// FuzzTemplate feeds arbitrary resources blocks to the template checker and the evaluator
// (over placeholders for every resource, as the dry run does). Neither may panic or hang;
// a template that checks must evaluate every property without an unbounded result.
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		"A: { Type: AWS::Cognito::UserPool, Properties: { UserPoolName: !Sub '${AWS::Region}-${B.Arn}' } }\n    B: { Type: AWS::Cognito::UserPool }",
		"A: { Type: AWS::Cognito::UserPoolGroup, Properties: { UserPoolId: !Ref A } }",
		"A: { Type: AWS::IAM::Role, DependsOn: [B], Properties: { RoleName: !Join ['-', [!Ref AWS::StackName, !Select [0, !Split [',', 'a,b']]]] } }\n    B: { Type: AWS::IAM::Role, Properties: { Path: !If [C, /, /x/] } }",
		"A: { Type: AWS::Cognito::IdentityPool, Condition: C, Properties: { X: !FindInMap [M, a, b] } }",
		"A: { Type: Custom::Thing, Properties: { V: !GetAtt ApiGatewayRestApi.RootResourceId } }",
		"A: { Type: AWS::Cognito::UserPool, Properties: { V: !Sub ['${x}${!y}', { x: !Ref AWS::NoValue }] } }",
		"A: { Type: AWS::Cognito::UserPool, Properties: { V: !Base64 { 'Fn::ToJsonString': [ !Length [1, 2] ] } } }",
	} {
		f.Add(s, "C: !Equals [a, a]")
	}
	f.Fuzz(func(t *testing.T, resources, conditions string) {
		if len(resources) > 4096 || len(conditions) > 1024 {
			return
		}
		yml := header + "resources:\n  Mappings: { M: { a: { b: [1, 2] } } }\n  Conditions:\n    " +
			strings.ReplaceAll(conditions, "\n", "\n    ") + "\n  Resources:\n    " + resources + "\n"
		svc, _, err := serverless.Parse("serverless.yml", []byte(yml), serverless.Options{Env: func(string) (string, bool) { return "", false }})
		if err != nil {
			return
		}
		tpl, err := NewTemplate(svc, "abcdefghij", "us-east-1", "000000000000")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "serverless.yml:") {
				t.Fatalf("error without file:line: %v", err)
			}
			return
		}
		e := &env{t: tpl, attrs: map[string]map[string]string{}}
		for _, n := range tpl.order {
			a := attrs{"": "placeholder-" + n.r.LogicalID}
			for _, name := range n.def.attrs {
				a[name] = "placeholder"
			}
			for _, d := range n.deps {
				if _, ok := e.attrs[d]; !ok {
					t.Fatalf("%s evaluated before its dependency %s", n.r.LogicalID, d)
				}
			}
			x, err := e.value(n.r.Properties, 0)
			if err == nil {
				if b, _ := json.Marshal(x); len(b) > 1<<20 {
					t.Fatalf("a property of %d bytes", len(b))
				}
			}
			e.attrs[n.r.LogicalID] = a
		}
	})
}

// FuzzChanged: the diff of recorded and new properties never panics and finds no change
// between a document and itself.
func FuzzChanged(f *testing.F) {
	f.Add(`{"a":1,"b":[1,2],"c":{"d":"e"}}`)
	f.Add(`{}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, old string) {
		if len(old) > 4096 {
			return
		}
		_ = changed(old, map[string]any{"a": int64(1)})
		var m map[string]any
		if json.Unmarshal([]byte(old), &m) == nil && m != nil {
			if got := changed(old, m); len(got) != 0 {
				t.Fatalf("changed(%s, itself) = %v", old, got)
			}
		}
	})
}
