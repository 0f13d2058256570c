package main

import (
	cognitosrp "github.com/alexrudd/cognito-srp/v4"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// BenchmarkSRPSignIn measures full USER_SRP_AUTH sign-ins end to end over HTTP: InitiateAuth
// (SRP_A → PASSWORD_VERIFIER), the client's proof with alexrudd/cognito-srp, and
// RespondToAuthChallenge (→ tokens), with as many sign-ins in flight as cores. Client and
// server share the machine, so the client's own SRP work (a 1024-bit exponent, ~6.5 ms) is
// counted too (one exponentiation per handshake; each worker computes its SRP_A once): this is
// a lower bound on what the server alone sustains.
//
//	go test ./cmd/gatehouse -run '^$' -bench SRPSignIn -benchtime 600x -count 3
func BenchmarkSRPSignIn(b *testing.B) {
	ts := startTestServer(b, "")
	pool, client := ts.srpPool(b, types.PreventUserExistenceErrorTypesEnabled)
	ts.confirmedUser(b, pool, client, "bench@example.com", "Passw0rd!")
	u := startUsage()
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		csrp, err := cognitosrp.NewCognitoSRP("bench@example.com", "Passw0rd!", pool, client, nil)
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				res, err := ts.srpSignInWith(b, csrp)
				if err == nil && res.AuthenticationResult == nil {
					err = errNoTokens
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "handshakes/s")
	u.report(b, 1)
}
