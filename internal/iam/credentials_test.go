package iam

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/gatehouse/gatehouse/internal/masterkey"
	"github.com/gatehouse/gatehouse/internal/sigv4"
	"github.com/gatehouse/gatehouse/internal/store/sqlstore"
)

// clock is the test's fake time (the edge of the machine).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	issuer *Issuer
	clock  *clock
	url    string
}

// newEnv: an Issuer on a real SQLite store, and an HTTP server that verifies every request
// with the SigV4 verifier using the Issuer as its credential lookup, answering 200 or 403 with
// the refusal's message.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	master, err := masterkey.New(bytes.Repeat([]byte{9}, masterkey.Size))
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	iss, err := New(Config{Store: st, Master: master, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	ver, err := sigv4.New(sigv4.Config{Service: "execute-api", Region: "us-east-1", Credentials: iss, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		res, err := ver.Verify(r.Context(), sigv4.RequestFromHTTP(r, body))
		var se *sigv4.Error
		switch {
		case errors.As(err, &se):
			http.Error(w, se.Message, http.StatusForbidden)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			_, _ = io.WriteString(w, res.AccessKeyID)
		}
	}))
	t.Cleanup(srv.Close)
	return &env{issuer: iss, clock: clk, url: srv.URL}
}

// call signs a GET with the AWS SDK's own signer as of the env's clock and sends it.
func (e *env) call(t *testing.T, key, secret, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", e.url+"/dev/tasks", nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("X-Amz-Security-Token", token)
	}
	empty := sha256.Sum256(nil)
	creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(empty[:]), "execute-api", "us-east-1", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(bytes.TrimSpace(b))
}

func TestMintShapes(t *testing.T) {
	e := newEnv(t)
	session := Session{
		RoleARN: "arn:aws:iam::000000000000:role/Cognito_todoAuth_Role", SessionName: CognitoSessionName,
		IdentityID: "us-east-1:0f2b0c64-2f47-4a3c-9d8a-0d6f1a8a0e11", IdentityPoolID: "us-east-1:5ac1c1b4-3c4e-4f0e-9b1a-6d1f9d2f2a10",
		AuthenticationType:     "authenticated",
		AuthenticationProvider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab1,cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab1:CognitoSignIn:sub-1",
	}
	c, err := e.issuer.Mint(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(c.AccessKeyID) {
		t.Errorf("access key id %q", c.AccessKeyID)
	}
	if len(c.SecretAccessKey) != 40 || len(c.SessionToken) < 100 {
		t.Errorf("secret %d chars, token %d chars", len(c.SecretAccessKey), len(c.SessionToken))
	}
	if want := e.clock.Now().Add(time.Hour); !c.Expiration.Equal(want) {
		t.Errorf("expiration %v, want %v", c.Expiration, want)
	}
	got, err := e.issuer.Session(context.Background(), c.AccessKeyID)
	if err != nil || got != session {
		t.Errorf("session %+v err %v, want %+v", got, err, session)
	}
	if _, err := e.issuer.Mint(context.Background(), Session{RoleARN: "arn:aws:iam::000000000000:role/r"}); err == nil {
		t.Error("Mint without a session name succeeded")
	}
	other, err := e.issuer.Mint(context.Background(), Session{RoleARN: "y", SessionName: "s"})
	if err != nil || other.AccessKeyID == c.AccessKeyID || other.SecretAccessKey == c.SecretAccessKey || other.SessionToken == c.SessionToken {
		t.Errorf("second mint repeats the first: %+v %v", other, err)
	}
}

// TestSignedWithMintedCredentials: a request the AWS SDK signs with minted credentials
// verifies on any node of the store; a wrong or missing session token, another key's secret,
// an unknown key and expired credentials are refused with AWS's messages.
func TestSignedWithMintedCredentials(t *testing.T) {
	e := newEnv(t)
	c, err := e.issuer.Mint(context.Background(), Session{IdentityID: "id", RoleARN: "arn:aws:iam::000000000000:role/r", SessionName: CognitoSessionName})
	if err != nil {
		t.Fatal(err)
	}
	const invalid = "The security token included in the request is invalid."
	for _, tc := range []struct {
		name               string
		key, secret, token string
		wantStatus         int
		wantBody           string
	}{
		{"genuine", c.AccessKeyID, c.SecretAccessKey, c.SessionToken, 200, c.AccessKeyID},
		{"no session token", c.AccessKeyID, c.SecretAccessKey, "", 403, invalid},
		{"wrong session token", c.AccessKeyID, c.SecretAccessKey, c.SessionToken[:len(c.SessionToken)-4] + "AAAA", 403, invalid},
		{"unknown key", "ASIAAAAAAAAAAAAAAAAA", c.SecretAccessKey, c.SessionToken, 403, invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := e.call(t, tc.key, tc.secret, tc.token)
			if status != tc.wantStatus || body != tc.wantBody {
				t.Errorf("%d %q, want %d %q", status, body, tc.wantStatus, tc.wantBody)
			}
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		status, body := e.call(t, c.AccessKeyID, "AAAA"+c.SecretAccessKey[4:], c.SessionToken)
		if status != 403 || !bytes.HasPrefix([]byte(body), []byte("The request signature we calculated does not match")) {
			t.Errorf("%d %q", status, body)
		}
	})
	t.Run("expired", func(t *testing.T) {
		e.clock.Advance(time.Hour)
		status, body := e.call(t, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
		if status != 403 || body != "The security token included in the request is expired" {
			t.Errorf("%d %q", status, body)
		}
	})
}
