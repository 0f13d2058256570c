package stack

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestGatewayResponses(t *testing.T) {
	tests := []struct {
		name, props string
		want        GatewayResponse
		err         string
	}{
		{"cors on 4xx", `{ ResponseType: DEFAULT_4XX, RestApiId: !Ref ApiGatewayRestApi, ResponseParameters: { gatewayresponse.header.Access-Control-Allow-Origin: "'*'" } }`,
			GatewayResponse{Type: "DEFAULT_4XX", Headers: map[string]string{"Access-Control-Allow-Origin": "'*'"}}, ""},
		{"status and template", `{ ResponseType: UNAUTHORIZED, StatusCode: "401", ResponseTemplates: { application/json: '{"error":$context.error.messageString}' } }`,
			GatewayResponse{Type: "UNAUTHORIZED", StatusCode: 401, Headers: map[string]string{}, Template: `{"error":$context.error.messageString}`}, ""},
		{"unknown type", `{ ResponseType: NOPE }`, GatewayResponse{}, `:10:5: resources.Resources.R.Properties.ResponseType "NOPE" is not a gateway response type`},
		{"bad status", `{ ResponseType: DEFAULT_5XX, StatusCode: "6000" }`, GatewayResponse{}, `StatusCode "6000" is not an HTTP status code`},
		{"bad parameter", `{ ResponseType: DEFAULT_5XX, ResponseParameters: { method.response.header.X: "'a'" } }`, GatewayResponse{}, `want gatewayresponse.header.NAME`},
		{"bad reference", `{ ResponseType: DEFAULT_5XX, RestApiId: !Ref Api }`, GatewayResponse{}, `no resource Api`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			svc := load(t, header+"resources:\n\tResources:\n\t\tR:\n\t\t\tType: AWS::ApiGateway::GatewayResponse\n\t\t\tProperties: "+tt.props+"\n")
			res, err := e.d.Deploy(context.Background(), svc, "abcdefghij")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.GatewayResponses) != 1 || !reflect.DeepEqual(res.GatewayResponses[0], tt.want) {
				t.Errorf("got %+v, want %+v", res.GatewayResponses, tt.want)
			}
			if recs, _ := e.st.ListStackResources(context.Background(), "reservation-dev"); len(recs) != 0 {
				t.Errorf("a gateway response was recorded as a resource")
			}
		})
	}
}

// TestUnknownTypeWarns: one warning naming file, line and type; the rest deploys.
func TestUnknownTypeWarns(t *testing.T) {
	e := newEnv(t)
	svc := load(t, header+"resources:\n\tResources:\n\t\tTable:\n\t\t\tType: AWS::DynamoDB::Table\n\t\tDomain:\n\t\t\tType: AWS::Cognito::UserPoolDomain\n\t\tPool:\n\t\t\tType: AWS::Cognito::UserPool\n")
	res, err := e.d.Deploy(context.Background(), svc, "abcdefghij")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 2 || !strings.HasSuffix(res.Warnings[0], "serverless.yml:10: resources.Resources.Table: AWS::DynamoDB::Table is not created by Gatehouse; the rest of the stack deploys") ||
		!strings.Contains(res.Warnings[1], ":12: resources.Resources.Domain: AWS::Cognito::UserPoolDomain is not created") {
		t.Errorf("warnings = %q", res.Warnings)
	}
	if res.PoolARNs["Pool"] == "" {
		t.Errorf("the pool was not created")
	}
}
