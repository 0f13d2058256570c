package policy

import (
	"os"
	"testing"
)

// benchRequest is a request as the gateway builds it for an AWS_IAM method called with
// Cognito identity credentials.
func benchRequest(b testing.TB, resource string) *Request {
	req := &Request{Action: "execute-api:Invoke", Resource: resource}
	req.Context.SetTime(mustTime(b, "2026-05-01T12:00:00Z"))
	req.Context.Set(KeySourceIP, "203.0.113.5")
	req.Context.Set(KeySecureTransport, "true")
	req.Context.Set(KeyUserID, "AROAEXAMPLEID:CognitoIdentityCredentials")
	req.Context.Set(KeyPrincipalType, "AssumedRole")
	req.Context.Set(KeyCognitoSub, "us-east-1:0c3e4b5a-1111-2222-3333-444455556666")
	req.Context.Set(KeyCognitoAud, "us-east-1:12345678-dead-beef-cafe-123456789012")
	req.Context.Set(KeyCognitoAmr, "authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab129faBb")
	return req
}

// BenchmarkEvaluate evaluates a typical Cognito authenticated role's inline policies (the
// golden cognito-authenticated-role.json: three statements, a policy variable in the
// resource, a Deny with a Bool condition) plus a stage policy with a Date condition.
func BenchmarkEvaluate(b *testing.B) {
	var set []Named
	for _, name := range []string{"cognito-authenticated-role", "execute-api-stages"} {
		doc, err := os.ReadFile("testdata/" + name + ".json")
		if err != nil {
			b.Fatal(err)
		}
		p, err := Parse(doc)
		if err != nil {
			b.Fatal(err)
		}
		set = append(set, Named{Name: name, Policy: p})
	}
	for _, bc := range []struct {
		name     string
		resource string
		want     Effect
	}{
		{"allow", goldenAPI + "/dev/GET/pets/7", Allow},
		{"allow-variable", goldenAPI + "/prod/PUT/users/us-east-1:0c3e4b5a-1111-2222-3333-444455556666/avatar", Allow},
		{"explicit-deny", goldenAPI + "/dev/DELETE/pets/7", ExplicitDeny},
		{"implicit-deny", goldenAPI + "/prod/POST/orders", ImplicitDeny},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := benchRequest(b, bc.resource)
			if d := Evaluate(req, set...); d.Effect != bc.want {
				b.Fatalf("%v (%s), want %v", d.Effect, d.Reason, bc.want)
			}
			b.ReportAllocs()
			for b.Loop() {
				Evaluate(req, set...)
			}
		})
	}
	b.Run("parallel", func(b *testing.B) {
		req := benchRequest(b, goldenAPI+"/dev/GET/pets/7")
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				Evaluate(req, set...)
			}
		})
	})
}

func BenchmarkParse(b *testing.B) {
	doc, err := os.ReadFile("testdata/cognito-authenticated-role.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}
