// Command tokens prepares the Cognito side of the gateway benchmark (bench/gateway/run.sh)
// against a running Gatehouse AWS endpoint: it creates a user pool, an app client and a
// confirmed user, then mints -n distinct ID tokens of that user and writes them to -tokens,
// one a line.
//
//	tokens -endpoint http://127.0.0.1:9229 -n 40000 -tokens tokens.txt -pool pool.env
//
// The first -signins tokens come from password sign-ins (AdminInitiateAuth,
// ADMIN_USER_PASSWORD_AUTH), each of which costs an argon2id verification (~15 ms of CPU), so
// they run at most -concurrency at a time. The rest come from REFRESH_TOKEN_AUTH with those
// sign-ins' refresh tokens, which signs fresh ID and access tokens without argon2id: tens of
// thousands take seconds, not minutes. Every ID token carries its own jti, so all are
// distinct; the program checks that they are.
//
// -pool gets shell assignments of POOL_ID, POOL_ARN and CLIENT_ID, for `. pool.env`.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const (
	username = "bench-user"
	password = "Bench-Passw0rd!"
)

type options struct {
	endpoint    string
	n           int
	signins     int
	concurrency int
	tokensFile  string
	poolFile    string
	poolName    string
	groupRole   string
}

func main() {
	var o options
	flag.StringVar(&o.endpoint, "endpoint", "http://127.0.0.1:9229", "Gatehouse AWS endpoint URL")
	flag.IntVar(&o.n, "n", 1, "number of distinct ID tokens to write")
	flag.IntVar(&o.signins, "signins", 4, "password sign-ins (argon2id each); tokens beyond these come from REFRESH_TOKEN_AUTH")
	flag.IntVar(&o.concurrency, "concurrency", 4, "requests in flight at once")
	flag.StringVar(&o.tokensFile, "tokens", "", "file to write the ID tokens to, one a line (required)")
	flag.StringVar(&o.poolFile, "pool", "", "file to write POOL_ID=, POOL_ARN= and CLIENT_ID= to (optional)")
	flag.StringVar(&o.poolName, "pool-name", "gateway-bench", "name of the user pool to create")
	flag.StringVar(&o.groupRole, "group-role", "", "when set, put the user in a group \"bench\" with this role ARN first (the tokens then carry cognito:roles)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("tokens: ")
	if err := run(context.Background(), o); err != nil {
		log.Fatal(err)
	}
}

func newClient(endpoint string) *cip.Client {
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		RetryMaxAttempts: 3,
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(endpoint) })
}

func run(ctx context.Context, o options) error {
	if o.tokensFile == "" {
		return errors.New("-tokens is required")
	}
	if o.n < 1 || o.signins < 1 || o.concurrency < 1 {
		return errors.New("-n, -signins and -concurrency must be at least 1")
	}
	idp := newClient(o.endpoint)

	pool, err := idp.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(o.poolName)})
	if err != nil {
		return fmt.Errorf("CreateUserPool: %w", err)
	}
	poolID := aws.ToString(pool.UserPool.Id)
	client, err := idp.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID), ClientName: aws.String("bench"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		return fmt.Errorf("CreateUserPoolClient: %w", err)
	}
	clientID := aws.ToString(client.UserPoolClient.ClientId)
	if _, err := idp.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
		MessageAction: types.MessageActionTypeSuppress,
	}); err != nil {
		return fmt.Errorf("AdminCreateUser: %w", err)
	}
	if _, err := idp.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(poolID), Username: aws.String(username),
		Password: aws.String(password), Permanent: true,
	}); err != nil {
		return fmt.Errorf("AdminSetUserPassword: %w", err)
	}
	if o.groupRole != "" {
		if _, err := idp.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: aws.String(poolID), GroupName: aws.String("bench"),
			RoleArn: aws.String(o.groupRole)}); err != nil {
			return fmt.Errorf("CreateGroup: %w", err)
		}
		if _, err := idp.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(poolID),
			Username: aws.String(username), GroupName: aws.String("bench")}); err != nil {
			return fmt.Errorf("AdminAddUserToGroup: %w", err)
		}
	}
	if o.poolFile != "" {
		env := fmt.Sprintf("POOL_ID=%s\nPOOL_ARN=%s\nCLIENT_ID=%s\n", poolID, aws.ToString(pool.UserPool.Arn), clientID)
		if err := os.WriteFile(o.poolFile, []byte(env), 0o644); err != nil {
			return err
		}
	}

	start := time.Now()
	signins := min(o.signins, o.n)
	results := make([]*types.AuthenticationResultType, signins)
	err = parallel(signins, min(o.concurrency, 4), func(i int) error {
		out, err := idp.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{
			UserPoolId: aws.String(poolID), ClientId: aws.String(clientID),
			AuthFlow:       types.AuthFlowTypeAdminUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
		})
		if err != nil {
			return fmt.Errorf("AdminInitiateAuth: %w", err)
		}
		if out.AuthenticationResult == nil || out.AuthenticationResult.IdToken == nil {
			return fmt.Errorf("AdminInitiateAuth: no tokens (challenge %q)", out.ChallengeName)
		}
		results[i] = out.AuthenticationResult
		return nil
	})
	if err != nil {
		return err
	}
	log.Printf("%d password sign-ins in %v", signins, time.Since(start).Round(time.Millisecond))

	tokens := make([]string, o.n)
	for i, r := range results {
		tokens[i] = aws.ToString(r.IdToken)
	}
	if rest := o.n - signins; rest > 0 {
		start := time.Now()
		var done atomic.Int64
		err = parallel(rest, o.concurrency, func(i int) error {
			rt := results[i%signins].RefreshToken
			out, err := idp.InitiateAuth(ctx, &cip.InitiateAuthInput{
				ClientId: aws.String(clientID), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
				AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(rt)},
			})
			if err != nil {
				return fmt.Errorf("InitiateAuth REFRESH_TOKEN_AUTH: %w", err)
			}
			if out.AuthenticationResult == nil || out.AuthenticationResult.IdToken == nil {
				return errors.New("InitiateAuth REFRESH_TOKEN_AUTH: no ID token")
			}
			tokens[signins+i] = aws.ToString(out.AuthenticationResult.IdToken)
			if d := done.Add(1); d%10000 == 0 {
				log.Printf("%d/%d refreshed", d, rest)
			}
			return nil
		})
		if err != nil {
			return err
		}
		d := time.Since(start)
		log.Printf("%d refresh-token sign-ins in %v (%.0f/s)", rest, d.Round(time.Millisecond), float64(rest)/d.Seconds())
	}

	seen := make(map[string]struct{}, len(tokens))
	for _, t := range tokens {
		if _, dup := seen[t]; dup {
			return errors.New("two ID tokens are identical; the benchmark needs distinct tokens")
		}
		seen[t] = struct{}{}
	}
	f, err := os.Create(o.tokensFile)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, t := range tokens {
		_, _ = w.WriteString(t)
		_ = w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	log.Printf("pool %s client %s: %d distinct ID tokens in %s", poolID, clientID, len(tokens), o.tokensFile)
	return nil
}

// parallel runs fn(0) … fn(n-1) with at most workers at once and returns the first error.
// After an error no new calls start.
func parallel(n, workers int, fn func(i int) error) error {
	var (
		next     atomic.Int64
		failed   atomic.Bool
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(workers, n) {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					errOnce.Do(func() { firstErr = err })
					failed.Store(true)
					return
				}
			}
		})
	}
	wg.Wait()
	return firstErr
}
