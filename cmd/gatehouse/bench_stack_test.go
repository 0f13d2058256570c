package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// stackProject writes a serverless.yml with n functions (one http event each) and 20
// resources: 4 user pools, 4 app clients, 4 groups, 2 identity pools, 2 roles, 2 role
// attachments, 2 policies.
func stackProject(t testing.TB, dir string, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("service: bench\nprovider: { name: aws, runtime: nodejs20.x, stage: dev, region: us-east-1 }\nfunctions:\n")
	for i := range n {
		fmt.Fprintf(&b, "  f%d:\n    handler: h.handler\n    events:\n      - http: { path: f%d, method: get, authorizer: aws_iam }\n", i, i)
	}
	b.WriteString("resources:\n  Resources:\n")
	for i := range 4 {
		fmt.Fprintf(&b, "    Pool%d:\n      Type: AWS::Cognito::UserPool\n      Properties: { UserPoolName: pool%d, UsernameAttributes: [email] }\n", i, i)
		fmt.Fprintf(&b, "    Client%d:\n      Type: AWS::Cognito::UserPoolClient\n      Properties: { UserPoolId: !Ref Pool%d, ClientName: web }\n", i, i)
		fmt.Fprintf(&b, "    Group%d:\n      Type: AWS::Cognito::UserPoolGroup\n      Properties: { UserPoolId: !Ref Pool%d, GroupName: admins, RoleArn: !GetAtt Role%d.Arn }\n", i, i, i%2)
	}
	for i := range 2 {
		fmt.Fprintf(&b, "    Ids%d:\n      Type: AWS::Cognito::IdentityPool\n      Properties:\n        AllowUnauthenticatedIdentities: false\n        CognitoIdentityProviders: [ { ClientId: !Ref Client%d, ProviderName: !GetAtt Pool%d.ProviderName } ]\n", i, i, i)
		fmt.Fprintf(&b, "    Role%d:\n      Type: AWS::IAM::Role\n      Properties:\n        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [ { Effect: Allow, Principal: { Federated: cognito-identity.amazonaws.com }, Action: 'sts:AssumeRoleWithWebIdentity' } ] }\n", i)
		fmt.Fprintf(&b, "    Attach%d:\n      Type: AWS::Cognito::IdentityPoolRoleAttachment\n      Properties: { IdentityPoolId: !Ref Ids%d, Roles: { authenticated: !GetAtt Role%d.Arn } }\n", i, i, i)
		fmt.Fprintf(&b, "    Policy%d:\n      Type: AWS::IAM::Policy\n      Properties:\n        PolicyName: invoke\n        Roles: [!Ref Role%d]\n        PolicyDocument: { Version: '2012-10-17', Statement: [ { Effect: Allow, Action: 'execute-api:Invoke', Resource: !Sub 'arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${ApiGatewayRestApi}/*' } ] }\n", i, i)
	}
	path := filepath.Join(dir, "serverless.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "h.js"), []byte("exports.handler = async () => ({ statusCode: 200, body: 'ok' });\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// BenchmarkStackStartup: `gatehouse serve -c` of a project with 50 functions and 20
// resources, from start to ready (both listeners up, resources deployed, routes compiled);
// function processes start on first call, so none runs here. "first" creates the resources,
// "restart" finds them (the common case).
func BenchmarkStackStartup(b *testing.B) {
	dir := b.TempDir()
	config := stackProject(b, dir, 50)
	start := func(data string) *server {
		o := serveOptions{
			storeFlags: storeFlags{data: data},
			addr:       "127.0.0.1:0", region: "us-east-1", account: "000000000000", logLevel: "warn",
			config: config, apiAddr: "127.0.0.1:0",
		}
		srv, err := startServer(context.Background(), o, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		if n := len(srv.stack.Outputs()); n != 1 { // ServiceEndpoint
			b.Fatalf("outputs: %d", n)
		}
		return srv
	}
	b.Run("first", func(b *testing.B) {
		var total time.Duration
		for b.Loop() {
			data := b.TempDir()
			t0 := time.Now()
			srv := start(data)
			total += time.Since(t0)
			b.StopTimer()
			_ = srv.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/ready")
	})
	b.Run("restart", func(b *testing.B) {
		data := b.TempDir()
		_ = start(data).Close()
		var total time.Duration
		for b.Loop() {
			t0 := time.Now()
			srv := start(data)
			total += time.Since(t0)
			b.StopTimer()
			_ = srv.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms/ready")
	})
}
