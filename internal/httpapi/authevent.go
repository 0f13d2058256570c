package httpapi

import (
	"encoding/json"
	"strings"

	"github.com/gatehouse/gatehouse/internal/gateway"
)

// The events of HTTP API Lambda authorizers (developer guide, "Working with AWS Lambda
// authorizers for HTTP APIs", http-api-lambda-authorizer.html, "Payload format version"): 2.0
// is the request's 2.0 event without body and authorizer, plus type, routeArn and the
// identity source values; 1.0 is the REST API's REQUEST authorizer event with version "1.0".
type authEventV2 struct {
	Version        string   `json:"version"`
	Type           string   `json:"type"`
	RouteARN       string   `json:"routeArn"`
	IdentitySource []string `json:"identitySource"`
	requestV2
	RequestContext contextV2         `json:"requestContext"`
	PathParameters map[string]string `json:"pathParameters,omitempty"`
}

type authEventV1 struct {
	Version            string `json:"version"`
	Type               string `json:"type"`
	MethodARN          string `json:"methodArn"`
	IdentitySource     string `json:"identitySource"`
	AuthorizationToken string `json:"authorizationToken"`
	gateway.RequestMembers
	PathParameters map[string]string `json:"pathParameters"`
	StageVariables map[string]string `json:"stageVariables"`
	RequestContext contextV1         `json:"requestContext"`
}

// AuthorizerEvent is the event a Lambda authorizer with payload format version ("2.0" or
// "1.0") receives for r: identity holds the identity source values, routeARN the route's
// execute-api ARN.
func AuthorizerEvent(version string, r *Request, identity []string, routeARN string) ([]byte, error) {
	raw := r.HTTP.URL.RawQuery
	if version == "1.0" {
		ev := buildV1(r, raw, nil)
		joined := strings.Join(identity, ",")
		return json.Marshal(&authEventV1{
			Version: "1.0", Type: "REQUEST", MethodARN: routeARN, IdentitySource: joined, AuthorizationToken: joined,
			RequestMembers: ev.RequestMembers, PathParameters: ev.PathParameters, RequestContext: ev.RequestContext,
		})
	}
	ev := buildV2(r, raw, nil)
	return json.Marshal(&authEventV2{
		Version: "2.0", Type: "REQUEST", RouteARN: routeARN, IdentitySource: identity,
		requestV2: ev.requestV2, RequestContext: ev.RequestContext,
		PathParameters: ev.PathParameters,
	})
}
