package token

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestAlsoIssuer(t *testing.T) {
	e := newEnv(t)
	const pool = "us-east-1_AlsoIss1"
	awsForm := "https://cognito-idp.us-east-1.amazonaws.com/" + pool
	aws, err := NewIssuer(Config{Keys: e.keys, Master: testMaster(t, 1), IssuerURL: "https://cognito-idp.us-east-1.amazonaws.com", Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := aws.Sign(context.Background(), pool, UseID, idClaims(aws, pool, e.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.iss.Verify(context.Background(), tok, VerifyOptions{PoolID: pool}); !errors.Is(err, ErrIssuer) {
		t.Fatalf("without AlsoIssuer: %v, want ErrIssuer", err)
	}
	if _, err := e.iss.Verify(context.Background(), tok, VerifyOptions{PoolID: pool, AlsoIssuer: awsForm}); err != nil {
		t.Fatalf("with AlsoIssuer: %v", err)
	}
	// AlsoIssuer does not lend another pool's keys: the token must be signed by PoolID's.
	const other = "us-east-1_AlsoIss2"
	e.sign(t, other, UseID, idClaims(e.iss, other, e.clock.Now()))
	if _, err := e.iss.Verify(context.Background(), tok, VerifyOptions{PoolID: other, AlsoIssuer: awsForm}); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("AlsoIssuer with another pool: %v, want ErrUnknownKey", err)
	}
}

func TestOpenIDTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	srv := httptest.NewServer(e.iss.OpenIDHandler())
	defer srv.Close()
	jwks := func() jose.JSONWebKeySet {
		t.Helper()
		resp, err := http.Get(srv.URL + "/.well-known/jwks_uri")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var set jose.JSONWebKeySet
		if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
			t.Fatal(err)
		}
		return set
	}
	if n := len(jwks().Keys); n != 0 {
		t.Fatalf("JWKS before any token has %d keys", n)
	}
	claims := map[string]any{"iss": OpenIDIssuer, "sub": "us-east-1:id", "aud": "us-east-1:pool", "exp": e.clock.Now().Add(10 * time.Minute).Unix()}
	tok, err := e.iss.SignOpenID(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(tok string) error {
		jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			return err
		}
		set := jwks()
		keys := set.Key(jws.Signatures[0].Header.KeyID)
		if len(keys) != 1 {
			return errors.New("kid not served")
		}
		_, err = jws.Verify(keys[0])
		return err
	}
	if err := verify(tok); err != nil {
		t.Fatal(err)
	}
	if err := e.iss.RotateOpenID(ctx); err != nil {
		t.Fatal(err)
	}
	tok2, err := e.iss.SignOpenID(ctx, claims)
	if err != nil {
		t.Fatal(err)
	}
	if err := verify(tok); err != nil {
		t.Fatalf("token of the retired key: %v", err)
	}
	if err := verify(tok2); err != nil {
		t.Fatal(err)
	}
	if n := len(jwks().Keys); n != 2 {
		t.Fatalf("JWKS after rotation has %d keys, want 2", n)
	}
	// An OpenID token is never a user-pool token.
	if _, err := e.iss.Verify(ctx, tok, VerifyOptions{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Verify of an OpenID token: %v", err)
	}
	if _, err := e.iss.SignOpenID(ctx, map[string]any{"iss": "https://example.com"}); err == nil {
		t.Fatal("signed an OpenID token with a foreign iss")
	}
}
