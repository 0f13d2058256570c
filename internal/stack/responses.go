package stack

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/internal/serverless"
)

// TypeGatewayResponse customises the REST API's own answers
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-gatewayresponse.html).
// It is part of the API, not a resource of the store: the stack evaluates it and the gateway
// applies it; nothing is recorded.
const TypeGatewayResponse = "AWS::ApiGateway::GatewayResponse"

// responseTypes are API Gateway's gateway response types (developer guide, "Gateway response
// types for API Gateway").
var responseTypes = []string{
	"ACCESS_DENIED", "API_CONFIGURATION_ERROR", "AUTHORIZER_CONFIGURATION_ERROR", "AUTHORIZER_FAILURE",
	"BAD_REQUEST_PARAMETERS", "BAD_REQUEST_BODY", "DEFAULT_4XX", "DEFAULT_5XX", "EXPIRED_TOKEN",
	"INTEGRATION_FAILURE", "INTEGRATION_TIMEOUT", "INVALID_API_KEY", "INVALID_SIGNATURE",
	"MISSING_AUTHENTICATION_TOKEN", "QUOTA_EXCEEDED", "REQUEST_TOO_LARGE", "RESOURCE_NOT_FOUND",
	"THROTTLED", "UNAUTHORIZED", "UNSUPPORTED_MEDIA_TYPE", "WAF_FILTERED",
}

// GatewayResponse is one evaluated AWS::ApiGateway::GatewayResponse.
type GatewayResponse struct {
	Type string // ResponseType
	// StatusCode replaces the type's status; 0 keeps it.
	StatusCode int
	// Headers are ResponseParameters without "gatewayresponse.header.".
	Headers map[string]string
	// Template is ResponseTemplates' application/json template; "" keeps the default body.
	Template string
}

// gatewayResponse evaluates one resource of the type.
func (e *env) gatewayResponse(r *serverless.Resource) (GatewayResponse, error) {
	file := e.t.svc.File
	where := "resources.Resources." + r.LogicalID + ".Properties"
	x, err := e.value(r.Properties, 0)
	if err != nil {
		return GatewayResponse{}, err
	}
	props, _ := x.(map[string]any)
	g := GatewayResponse{Type: strProp(props, "ResponseType"), Headers: map[string]string{}}
	if !slices.Contains(responseTypes, g.Type) {
		return g, errAt(file, r.Pos, "%s.ResponseType %q is not a gateway response type (%s)", where, g.Type, strings.Join(responseTypes, ", "))
	}
	if s := strProp(props, "StatusCode"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 100 || n > 599 {
			return g, errAt(file, r.Pos, "%s.StatusCode %q is not an HTTP status code", where, s)
		}
		g.StatusCode = n
	}
	if params, ok := props["ResponseParameters"].(map[string]any); ok {
		for k, v := range params {
			name, ok := strings.CutPrefix(k, "gatewayresponse.header.")
			s, isText := scalarText(v)
			if !ok || !isText {
				return g, errAt(file, r.Pos, "%s.ResponseParameters.%s: want gatewayresponse.header.NAME with a text value", where, k)
			}
			g.Headers[name] = s
		}
	}
	if tpls, ok := props["ResponseTemplates"].(map[string]any); ok {
		for ct, v := range tpls {
			s, _ := scalarText(v)
			if ct == "application/json" {
				g.Template = s
			} else {
				e.t.Warnings = append(e.t.Warnings, fmt.Sprintf("%s:%d: %s.ResponseTemplates.%s: only the application/json template is applied", file, r.Pos.Line, where, ct))
			}
		}
	}
	return g, nil
}
