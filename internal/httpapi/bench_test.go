package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/gatehouse/gatehouse/internal/authorizer"
	"github.com/gatehouse/gatehouse/internal/gateway"
	"github.com/gatehouse/gatehouse/internal/httpapi"
)

// BenchmarkJWTProxy compares an HTTP API route with an HTTP_PROXY integration behind the jwt
// authorizer (a valid token, repeated: the verified-token cache answers after the first
// request) with a plain httputil.ReverseProxy in front of the same backend, over loopback
// HTTP in the same run. The HTTP API's requests/s relative to the reverse proxy's is
// ReverseProxy ns/op ÷ JWTRoute ns/op (docs/benchmarks.md).
func BenchmarkJWTProxy(b *testing.B) {
	payload := strings.Repeat(`{"id":1,"title":"write the gateway"},`, 8)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, payload)
	}))
	defer backend.Close()

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	var issuer *httptest.Server
	issuer = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			_ = json.NewEncoder(w).Encode(map[string]string{"issuer": issuer.URL, "jwks_uri": issuer.URL + "/jwks"})
		default:
			_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k", Algorithm: "RS256", Use: "sig"}}})
		}
	}))
	defer issuer.Close()
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", "k"))
	now := time.Now()
	tok, err := jwt.Signed(signer).Claims(map[string]any{"iss": issuer.URL, "aud": "api", "sub": "u1", "scope": "tasks/read",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}).Serialize()
	if err != nil {
		b.Fatal(err)
	}
	az, err := authorizer.NewJWT(authorizer.JWTConfig{Issuer: issuer.URL, Audience: []string{"api"}, Remote: authorizer.NewJWKSCache(nil, nil)})
	if err != nil {
		b.Fatal(err)
	}
	upstream := gateway.NewHTTPClient()
	proxy, err := gateway.NewHTTPProxy(backend.URL+"/{proxy}", upstream)
	if err != nil {
		b.Fatal(err)
	}
	tbl, err := httpapi.NewTable(&httpapi.API{ID: "abcdefghij", Region: "us-east-1", AccountID: "000000000000", Routes: []httpapi.Route{
		{Key: "GET /{proxy+}", Payload: "1.0", Proxy: proxy, Authorizer: az, Scopes: []string{"tasks/read"}},
	}})
	if err != nil {
		b.Fatal(err)
	}
	api := httptest.NewServer(httpapi.NewServer(tbl, httpapi.Options{}))
	defer api.Close()
	target, _ := url.Parse(backend.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = gateway.NewHTTPClient().Transport
	plain := httptest.NewServer(rp)
	defer plain.Close()

	// Interleaved: rounds of 4×25 concurrent requests through each in turn, so that load from
	// other processes hits both alike; jwt/rp is the HTTP API's requests/s relative to the
	// reverse proxy's (target ≥ 0.95).
	b.Run("Interleaved", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}, Timeout: 10 * time.Second}
		defer client.CloseIdleConnections()
		var rp, route time.Duration
		for b.Loop() {
			rp += burst(b, client, plain.URL+"/tasks/1", tok)
			route += burst(b, client, api.URL+"/tasks/1", tok)
		}
		b.ReportMetric(float64(rp)/float64(route), "jwt/rp")
	})
}

// burst sends 4×25 GET requests to url concurrently and returns the wall time.
func burst(b *testing.B, client *http.Client, url, tok string) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}
