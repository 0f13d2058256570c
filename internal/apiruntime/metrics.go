package apiruntime

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsHandler serves /metrics in the Prometheus text format from a registry of its own
// (nothing global): the Go runtime and process metrics, and the API's authorizer caches.
// stats reads the authorizers' counters at scrape time (nil without an API).
func MetricsHandler(stats func() []AuthorizerStats) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(authorizerCollector{stats})
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

var (
	descAuthHits = prometheus.NewDesc("gatehouse_authorizer_cache_hits_total",
		"Requests an authorizer answered from its cache (Lambda: the result cache; Cognito and group policy: the verified-token cache).",
		[]string{"authorizer", "type"}, nil)
	descAuthMisses = prometheus.NewDesc("gatehouse_authorizer_cache_misses_total",
		"Requests an authorizer had to decide afresh (a Lambda authorizer invoked its function).",
		[]string{"authorizer", "type"}, nil)
	descAuthEntries = prometheus.NewDesc("gatehouse_authorizer_cache_entries",
		"Entries in an authorizer's cache.",
		[]string{"authorizer", "type"}, nil)
)

// authorizerCollector reads the counters of the authorizers the API serves at scrape time.
// A reload builds new authorizers, whose counters start from zero (a counter reset, which
// Prometheus's rate() handles).
type authorizerCollector struct {
	stats func() []AuthorizerStats
}

func (c authorizerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descAuthHits
	ch <- descAuthMisses
	ch <- descAuthEntries
}

func (c authorizerCollector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.stats() {
		ch <- prometheus.MustNewConstMetric(descAuthHits, prometheus.CounterValue, float64(st.Hits), st.Name, string(st.Type))
		ch <- prometheus.MustNewConstMetric(descAuthMisses, prometheus.CounterValue, float64(st.Misses), st.Name, string(st.Type))
		ch <- prometheus.MustNewConstMetric(descAuthEntries, prometheus.GaugeValue, float64(st.Entries), st.Name, string(st.Type))
	}
}
