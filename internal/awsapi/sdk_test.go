package awsapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// The AWS SDK for Go v2, pointed at the server, reads our framing as it reads AWS's: error
// codes and messages through smithy.APIError, modelled errors as their types, outputs and
// epoch-second timestamps.
func TestAWSSDKReadsOurFraming(t *testing.T) {
	f := newFixture(t, nil)
	client := cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(f.srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Source: "test"}, nil
		}),
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	})
	ctx := t.Context()

	out, err := client.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String("abc"), Username: aws.String("bob"), Password: aws.String("Passw0rd!")})
	if err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	if aws.ToString(out.UserSub) != "sub-bob" || out.UserConfirmed {
		t.Fatalf("SignUp output: %+v", out)
	}

	_, err = client.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String("abc"), Username: aws.String("has space")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("SignUp: %v is not a smithy.APIError", err)
	}
	wantMsg := `1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`
	if apiErr.ErrorCode() != "InvalidParameterException" || apiErr.ErrorMessage() != wantMsg || apiErr.ErrorFault() != smithy.FaultClient {
		t.Fatalf("got %s %q %v", apiErr.ErrorCode(), apiErr.ErrorMessage(), apiErr.ErrorFault())
	}
	var invalid *types.InvalidParameterException
	if !errors.As(err, &invalid) {
		t.Fatalf("not the modelled InvalidParameterException: %T", err)
	}

	long := strings.Repeat("n", 33)
	_, err = client.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String("abc"), Username: aws.String("bob"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email")}, {Name: aws.String(long)}}})
	wantMsg = "1 validation error detected: Value '" + long + "' at 'userAttributes.2.member.name' failed to satisfy constraint: Member must have length less than or equal to 32"
	if !errors.As(err, &apiErr) || apiErr.ErrorMessage() != wantMsg {
		t.Fatalf("nested: %v", err)
	}

	pool, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_abc")})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	if got := aws.ToTime(pool.UserPool.CreationDate); !got.Equal(time.UnixMilli(1700000000123)) {
		t.Fatalf("CreationDate %v", got)
	}

	_, err = client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_missing")})
	var notFound *types.ResourceNotFoundException
	if !errors.As(err, &notFound) || notFound.ErrorMessage() != "User pool us-east-1_missing does not exist." {
		t.Fatalf("DescribeUserPool missing: %v", err)
	}

	_, err = client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String("us-east-1_abc"), Username: aws.String("bob")})
	var internal *types.InternalErrorException
	if !errors.As(err, &internal) || internal.ErrorFault() != smithy.FaultServer || internal.ErrorMessage() != "Internal server error." {
		t.Fatalf("AdminGetUser: %v", err)
	}

	_, err = client.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: aws.String("us-east-1_abc")})
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnknownOperationException" {
		t.Fatalf("unregistered operation: %v", err)
	}
}
