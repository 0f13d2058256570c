// Command gofn is an HTTP API handler built with aws-lambda-go: it decodes the 2.0 event into
// events.APIGatewayV2HTTPRequest refusing any field that type does not know, and answers with
// what it read.
package main

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, raw json.RawMessage) (events.APIGatewayV2HTTPResponse, error) {
	var req events.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var jwt *events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription
	if req.RequestContext.Authorizer != nil {
		jwt = req.RequestContext.Authorizer.JWT
	}
	body, err := json.Marshal(map[string]any{
		"routeKey": req.RouteKey,
		"name":     req.PathParameters["name"],
		"method":   req.RequestContext.HTTP.Method,
		"stage":    req.RequestContext.Stage,
		"jwt":      jwt,
		"body":     req.Body,
	})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 201,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
		Cookies:    []string{"go=1"},
	}, nil
}

func main() { lambda.Start(handle) }
