package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/internal/testclient"
)

// amplifyUserAuth signs in with Amplify JS v6 (aws-amplify, pinned in testdata/js) run by node,
// with authFlowType USER_AUTH and the preferred challenge given ("" for none). When Amplify asks
// for a code, the code is read from the outbox and handed to the script. It returns the steps
// Amplify went through and its final line.
func (ts *testServer) amplifyUserAuth(t *testing.T, sf storeFlags, pool, client, user, pass, challenge string) (steps []map[string]any, final map[string]any) {
	t.Helper()
	dir, _ := filepath.Abs("testdata/js")
	node := testclient.RequireNodeModules(t, dir, "aws-amplify")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "amplify-userauth.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GH_ENDPOINT="+ts.awsURL, "GH_POOL="+pool, "GH_CLIENT="+client, "GH_USER="+user,
		"GH_PASS="+pass, "GH_CHALLENGE="+challenge)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := map[string]any{}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Logf("node: %s", sc.Text())
			continue
		}
		if _, ok := line["step"]; !ok {
			final = line
			continue
		}
		steps = append(steps, line)
		if s := line["step"]; s == "CONFIRM_SIGN_IN_WITH_EMAIL_CODE" || s == "CONFIRM_SIGN_IN_WITH_SMS_CODE" {
			fmt.Fprintln(stdin, outboxCode(t, sf, pool))
		}
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	if final == nil {
		t.Fatalf("node printed no result\n%s", stderr.String())
	}
	return steps, final
}

// Amplify JS v6's choice-based sign-in, unmodified: signIn with authFlowType USER_AUTH and a
// preferred challenge of PASSWORD_SRP, of EMAIL_OTP (then confirmSignIn with the code from the
// outbox), and of none (first-factor selection, then EMAIL_OTP).
func TestAmplifyUserAuth(t *testing.T) {
	ts := startTestServer(t, "")
	sf := storeFlags{data: ts.dir}
	pool, client := ts.userAuthPool(t)
	ts.verifiedUser(t, sf, pool, client, "amp@example.com", "Passw0rd!")

	for _, tc := range []struct {
		challenge string
		pass      string
		steps     []string
	}{
		{"PASSWORD_SRP", "Passw0rd!", nil},
		{"PASSWORD", "Passw0rd!", nil},
		{"EMAIL_OTP", "", []string{"CONFIRM_SIGN_IN_WITH_EMAIL_CODE"}},
		{"", "", []string{"CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION", "CONFIRM_SIGN_IN_WITH_EMAIL_CODE"}},
	} {
		name := "preferred " + tc.challenge
		if tc.challenge == "" {
			name = "first-factor selection"
		}
		t.Run(name, func(t *testing.T) {
			steps, final := ts.amplifyUserAuth(t, sf, pool, client, "amp@example.com", tc.pass, tc.challenge)
			if final["ok"] != true {
				t.Fatalf("sign-in failed: %v (steps %v)", final, steps)
			}
			var got []string
			for _, s := range steps {
				got = append(got, s["step"].(string))
			}
			if strings.Join(got, " ") != strings.Join(tc.steps, " ") {
				t.Fatalf("steps %v, want %v", got, tc.steps)
			}
			if tc.challenge == "EMAIL_OTP" {
				d, _ := steps[0]["codeDeliveryDetails"].(map[string]any)
				if d["deliveryMedium"] != "EMAIL" || d["destination"] != "a***@e***" {
					t.Fatalf("codeDeliveryDetails %v", d)
				}
			}
			claims := ts.verifyToken(t, pool, final["idToken"].(string))
			if claims["email"] != "amp@example.com" {
				t.Fatalf("claims %v", claims)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		_, final := ts.amplifyUserAuth(t, sf, pool, client, "amp@example.com", "Wrong0ne!", "PASSWORD_SRP")
		if final["ok"] != false || final["code"] != "NotAuthorizedException" || final["message"] != "Incorrect username or password." {
			t.Fatalf("wrong password: %v", final)
		}
	})
}
