package srp

import (
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	cognitosrp "github.com/alexrudd/cognito-srp/v4"
)

// TestAlexruddClient signs in with github.com/alexrudd/cognito-srp, a Go client written by
// someone else against real Cognito. It prints TIMESTAMP with a 12-hour hour ("03:04:05" at
// 15:04:05), which must still be accepted.
func TestAlexruddClient(t *testing.T) {
	const poolID = "us-east-1_AbCdEfGhI"
	times := []time.Time{
		time.Date(2026, 11, 22, 21, 40, 0, 0, time.UTC), // printed "09:40:00"
		time.Date(2026, 11, 2, 0, 5, 7, 0, time.UTC),    // printed "12:05:07"
		time.Date(2026, 1, 31, 12, 0, 0, 0, time.UTC),
		time.Date(2027, 2, 28, 9, 59, 59, 0, time.UTC),
	}
	for i, ts := range times {
		for _, tc := range []struct {
			name, set, try string
			want           bool
		}{
			{"right password", "Correct Horse 1!", "Correct Horse 1!", true},
			{"wrong password", "Correct Horse 1!", "Correct Horse 2!", false},
		} {
			userID := []string{"alice", "8d2e1c3b-0f4a-4e5d-9c6b-7a8f9e0d1c2b"}[i%2]
			ver, err := NewVerifier(rand.Reader, PoolName(poolID), userID, tc.set)
			if err != nil {
				t.Fatal(err)
			}
			client, err := cognitosrp.NewCognitoSRP(userID, tc.try, poolID, "clientid", nil)
			if err != nil {
				t.Fatal(err)
			}
			sess, out, err := Challenge(rand.Reader, ver, client.GetAuthParams()["SRP_A"])
			if err != nil {
				t.Fatal(err)
			}
			secretBlock := make([]byte, 48)
			rand.Read(secretBlock)
			resp, err := client.PasswordVerifierChallenge(map[string]string{
				"USERNAME":        userID,
				"USER_ID_FOR_SRP": userID,
				"SALT":            out.SaltHex,
				"SRP_B":           out.SRPBHex,
				"SECRET_BLOCK":    base64.StdEncoding.EncodeToString(secretBlock),
			}, ts)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 && resp["TIMESTAMP"] != "Sun Nov 22 09:40:00 UTC 2026" {
				t.Errorf("TIMESTAMP = %q; the 12-hour quirk this test covers is gone", resp["TIMESTAMP"])
			}
			block, err := base64.StdEncoding.DecodeString(resp["PASSWORD_CLAIM_SECRET_BLOCK"])
			if err != nil {
				t.Fatal(err)
			}
			ok, err := sess.Verify(PoolName(poolID), userID, block, resp["TIMESTAMP"], resp["PASSWORD_CLAIM_SIGNATURE"])
			if err != nil || ok != tc.want {
				t.Errorf("%s at %q: Verify = %v, %v; want %v", tc.name, resp["TIMESTAMP"], ok, err, tc.want)
			}
		}
	}
}
