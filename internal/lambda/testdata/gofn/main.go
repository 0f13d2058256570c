// Command gofn is a Lambda function built with aws-lambda-go, run by the tests as a
// provided.al2 bootstrap and as a go1.x handler.
package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Name    string `json:"name"`
	Fail    bool   `json:"fail"`
	Panic   bool   `json:"panic"`
	Exit    bool   `json:"exit"`
	SleepMS int    `json:"sleepMs"`
}

type response struct {
	Greeting    string            `json:"greeting"`
	RequestID   string            `json:"requestId"`
	FunctionARN string            `json:"functionArn"`
	RemainingMS int64             `json:"remainingMs"`
	Pid         int               `json:"pid"`
	Env         map[string]string `json:"env"`
}

func handle(ctx context.Context, e event) (response, error) {
	switch {
	case e.Fail:
		return response{}, errors.New("Unauthorized")
	case e.Panic:
		panic("boom")
	case e.Exit:
		os.Exit(2)
	}
	time.Sleep(time.Duration(e.SleepMS) * time.Millisecond)
	lc, _ := lambdacontext.FromContext(ctx)
	deadline, _ := ctx.Deadline()
	env := map[string]string{}
	for _, k := range []string{"AWS_LAMBDA_FUNCTION_NAME", "_HANDLER", "LAMBDA_TASK_ROOT", "GREETING", "_X_AMZN_TRACE_ID"} {
		env[k] = os.Getenv(k)
	}
	return response{
		Greeting:    os.Getenv("GREETING") + ", " + e.Name,
		RequestID:   lc.AwsRequestID,
		FunctionARN: lc.InvokedFunctionArn,
		RemainingMS: time.Until(deadline).Milliseconds(),
		Pid:         os.Getpid(),
		Env:         env,
	}, nil
}

func main() { lambda.Start(handle) }
