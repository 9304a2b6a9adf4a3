package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// blockingWriter is a ResponseWriter whose first Write waits for release,
// as a client that does not read holds its handler.
type blockingWriter struct {
	h       http.Header
	started chan struct{}
	release chan struct{}
	once    sync.Once
}

func (b *blockingWriter) Header() http.Header { return b.h }
func (b *blockingWriter) WriteHeader(int)     {}
func (b *blockingWriter) Write(p []byte) (int, error) {
	b.once.Do(func() { close(b.started) })
	<-b.release
	return len(p), nil
}

func TestAPIConcurrencyCap(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := NewHandler(Options{
		Snapshots: (&source{pairs: allPairs()}).Snapshots, Journal: testJournal(t),
		Now: func() time.Time { return now }, MaxAPIRequests: 2, Registerer: reg,
	})
	// Two slow requests take both slots.
	var wg sync.WaitGroup
	var slow []*blockingWriter
	for _, path := range []string{"/api/v1/events", "/api/v1/pairs"} {
		bw := &blockingWriter{h: http.Header{}, started: make(chan struct{}), release: make(chan struct{})}
		slow = append(slow, bw)
		wg.Go(func() { h.ServeHTTP(bw, httptest.NewRequest(http.MethodGet, path, nil)) })
		<-bw.started
	}
	serve := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	for _, path := range []string{"/api/v1/events?format=csv", "/api/v1/pairs", "/api/v1/events"} {
		rec := serve(path)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "1" ||
			!strings.Contains(rec.Body.String(), `"error":"too many API requests`) {
			t.Errorf("%s over the cap: %d %v %s", path, rec.Code, rec.Header(), rec.Body)
		}
	}
	// The page and the static files are not capped.
	if rec := serve("/"); rec.Code != http.StatusOK {
		t.Errorf("page while the API is full: %d", rec.Code)
	}
	for _, bw := range slow {
		close(bw.release)
	}
	wg.Wait()
	if rec := serve("/api/v1/events"); rec.Code != http.StatusOK {
		t.Errorf("after the slow requests ended: %d", rec.Code)
	}
	want := `
# HELP hawatch_http_requests_rejected_total Requests to the API handlers refused with 503 because too many were being served.
# TYPE hawatch_http_requests_rejected_total counter
hawatch_http_requests_rejected_total{handler="/api/v1/events"} 2
hawatch_http_requests_rejected_total{handler="/api/v1/pairs"} 1
# HELP hawatch_http_requests_total Requests to the API handlers that serve a bounded number at once, served or refused.
# TYPE hawatch_http_requests_total counter
hawatch_http_requests_total{handler="/api/v1/events"} 4
hawatch_http_requests_total{handler="/api/v1/pairs"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
	// A second handler on the same registry counts into the same series.
	NewHandler(Options{Registerer: reg}).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/pairs", nil))
	want = `
# HELP hawatch_http_requests_total Requests to the API handlers that serve a bounded number at once, served or refused.
# TYPE hawatch_http_requests_total counter
hawatch_http_requests_total{handler="/api/v1/events"} 4
hawatch_http_requests_total{handler="/api/v1/pairs"} 3
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "hawatch_http_requests_total"); err != nil {
		t.Error(err)
	}
}
