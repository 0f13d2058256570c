// Command gofn is an API handler built with aws-lambda-go's event types, run by the end-to-end
// tests as a provided.al2 function behind the Cognito authorizer.
package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
	body, err := json.Marshal(map[string]any{
		"greeting":   os.Getenv("GREETING") + ", " + req.RequestContext.Authorizer["claims"].(map[string]any)["cognito:username"].(string),
		"method":     req.HTTPMethod,
		"resource":   req.Resource,
		"stage":      req.RequestContext.Stage,
		"body":       req.Body,
		"sourceIp":   req.RequestContext.Identity.SourceIP,
		"authorizer": req.RequestContext.Authorizer,
	})
	if err != nil {
		return events.APIGatewayProxyResponse{}, err
	}
	return events.APIGatewayProxyResponse{
		StatusCode: 201,
		Headers:    map[string]string{"Content-Type": "application/json"},
		Body:       string(body),
	}, nil
}

func main() { lambda.Start(handle) }
