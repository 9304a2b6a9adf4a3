package exporter

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// prometheusAccept is what Prometheus 3 asks for by default.
const prometheusAccept = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

// prometheusRequest returns a scrape request as Prometheus sends it.
func prometheusRequest() *http.Request {
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Accept", prometheusAccept)
	req.Header.Set("Accept-Encoding", "gzip")
	return req
}

// countingWriter is a ResponseWriter that counts and drops the body.
type countingWriter struct {
	h http.Header
	n int
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// benchScrape serves scrapes as Prometheus sends them (OpenMetrics,
// gzip) and reports the size of the compressed response. before runs
// before every scrape, untimed.
func benchScrape(b *testing.B, h http.Handler, before func()) {
	req := prometheusRequest()
	w := &countingWriter{h: http.Header{}}
	var cpu time.Duration
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		if before != nil {
			b.StopTimer()
			before()
			b.StartTimer()
		}
		w.n = 0
		start := processCPU()
		h.ServeHTTP(w, req)
		cpu += processCPU() - start
		n++
	}
	b.ReportMetric(float64(w.n), "gzip-bytes/scrape")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/op")
}

// BenchmarkScrape compares a scrape of N pairs through the collector,
// which builds every sample at every scrape (before), with the cache
// (after), whose pairs were built by Update as their snapshots came.
// "cold" is a scrape after every pair changed without Update: the scrape
// builds every pair itself.
func BenchmarkScrape(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		src := &mutableSource{pairs: synthFleet(n, 1)}
		b.Run(fmt.Sprintf("before/pairs=%d", n), func(b *testing.B) {
			reg := prometheus.NewRegistry()
			reg.MustRegister(NewCollector(src, nil))
			benchScrape(b, promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}), nil)
			reportTextSize(b, src)
		})
		b.Run(fmt.Sprintf("after/pairs=%d", n), func(b *testing.B) {
			c := NewCache(src, nil)
			h := c.Handler(prometheus.NewRegistry(), HandlerOpts{})
			// The first scrape asks for OpenMetrics, which Update then builds.
			h.ServeHTTP(&countingWriter{h: http.Header{}}, prometheusRequest())
			seq := 1
			benchScrape(b, h, func() {
				seq++
				src.set(synthFleet(n, seq))
				for _, p := range src.Snapshots() {
					c.Update(p)
				}
			})
		})
		b.Run(fmt.Sprintf("after-cold/pairs=%d", n), func(b *testing.B) {
			c := NewCache(src, nil)
			h := c.Handler(prometheus.NewRegistry(), HandlerOpts{})
			seq := 1
			benchScrape(b, h, func() {
				seq++
				src.set(synthFleet(n, seq))
			})
		})
	}
}

// reportTextSize reports the size of the uncompressed text exposition.
func reportTextSize(b *testing.B, src Source) {
	w := &countingWriter{h: http.Header{}}
	NewCache(src, nil).Handler(prometheus.NewRegistry(), HandlerOpts{}).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	b.ReportMetric(float64(w.n), "text-bytes")
}

// BenchmarkCacheUpdate is the cost, per snapshot of one pair, of building
// its OpenMetrics exposition: what the cache spends per poll instead of
// per scrape.
func BenchmarkCacheUpdate(b *testing.B) {
	src := &mutableSource{pairs: synthFleet(1, 1)}
	c := NewCache(src, nil)
	c.fresh(src.pairs, encOpenMetrics)
	seq := 1
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		seq++
		p := synthPair(0, seq)
		b.StartTimer()
		c.Update(p)
	}
}
