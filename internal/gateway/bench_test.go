package gateway

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkHTTPProxy compares the gateway (HTTP_PROXY integration, no authorizer and a
// map-lookup authorizer standing in for a cached Cognito one) with a plain
// httputil.ReverseProxy in front of the same backend, all over loopback HTTP in the same run.
// Compare ns/op: the gateway's requests/s relative to the reverse proxy's is
// ReverseProxy ns/op ÷ gateway ns/op.
func BenchmarkHTTPProxy(b *testing.B) {
	payload := strings.Repeat(`{"id":1,"title":"write the gateway"},`, 8)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, payload)
	}))
	defer backend.Close()
	target, _ := url.Parse(backend.URL)

	upstream := NewHTTPClient()
	proxy, err := NewHTTPProxy(backend.URL+"/{proxy}", upstream)
	if err != nil {
		b.Fatal(err)
	}
	cache := &sync.Map{}
	cache.Store("Bearer token", &Principal{Claims: map[string]any{"sub": "u1", "token_use": "id"}})
	cached := authorizerFunc(func(_ context.Context, r *Request) (*Principal, error) {
		if p, ok := cache.Load(r.Headers.Get("Authorization")); ok {
			return p.(*Principal), nil
		}
		return nil, NewResponse(Unauthorized)
	})
	tab, err := NewTable(testAPI(
		Route{Method: "ANY", Path: "/open/{proxy+}", Integration: proxy},
		Route{Method: "ANY", Path: "/auth/{proxy+}", Authorizer: cached, Integration: proxy},
	))
	if err != nil {
		b.Fatal(err)
	}
	gw := httptest.NewServer(New(tab, Options{}))
	defer gw.Close()

	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = upstream.Transport
	plain := httptest.NewServer(rp)
	defer plain.Close()

	targets := []struct{ name, url string }{
		{"ReverseProxy", plain.URL + "/tasks/42?x=1"},
		{"Gateway", gw.URL + "/dev/open/tasks/42?x=1"},
		{"GatewayCachedAuthorizer", gw.URL + "/dev/auth/tasks/42?x=1"},
	}
	// Interleaved: rounds of 4×25 concurrent requests through each target in turn, so that
	// load from other processes hits all three alike; reports each one's requests/s relative
	// to the reverse proxy's.
	b.Run("Interleaved", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}, Timeout: 10 * time.Second}
		defer client.CloseIdleConnections()
		spent := make([]time.Duration, len(targets))
		for b.Loop() {
			for i, tg := range targets {
				spent[i] += burst(b, client, tg.url, 4, 25)
			}
		}
		b.ReportMetric(float64(spent[0])/float64(spent[1]), "gateway/rp")
		b.ReportMetric(float64(spent[0])/float64(spent[2]), "gateway+auth/rp")
	})
	for _, bc := range targets {
		b.Run(bc.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}, Timeout: 10 * time.Second}
			defer client.CloseIdleConnections()
			b.ReportAllocs()
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest("GET", bc.url, nil)
					req.Header.Set("Authorization", "Bearer token")
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
			})
		})
	}
}

// burst sends workers×each GET requests to url concurrently and returns the wall time.
func burst(b *testing.B, client *http.Client, url string, workers, each int) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set("Authorization", "Bearer token")
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

// BenchmarkPipeline measures the gateway's own work per request, without sockets: routing,
// ids, the Request, a cached authorizer and a trivial integration.
func BenchmarkPipeline(b *testing.B) {
	auth := authorizerFunc(func(context.Context, *Request) (*Principal, error) { return &Principal{PrincipalID: "p"}, nil })
	g := newTestGateway(b, testAPI(Route{Method: "GET", Path: "/tasks/{id}", Authorizer: auth, Integration: staticIntegration{200, "ok"}}))
	req := httptest.NewRequest("GET", "/dev/tasks/42?x=1", nil)
	req.Header.Set("Authorization", "Bearer token")
	req.Header.Set("User-Agent", "bench")
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
	}
}
