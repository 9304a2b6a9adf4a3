package exporter

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestPromtoolCheckMetrics lints a scrape of the cache with promtool, as
// CI lints the daemon's.
func TestPromtoolCheckMetrics(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed (scripts/install-test-deps.sh installs it)")
	}
	src := &mutableSource{pairs: append(synthFleet(3, 1), garbled("zz"))}
	body, _ := scrape(t, NewCache(src, nil).Handler(others(), HandlerOpts{}), accepts["text"], "gzip")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

func TestNegotiateEncoding(t *testing.T) {
	for header, want := range map[string]string{
		"":                             "identity",
		"gzip":                         "gzip",
		"gzip, deflate, br":            "gzip",
		"br":                           "identity",
		"*":                            "identity",
		"identity;q=0.5, gzip":         "gzip",
		"gzip;q=0.2, identity":         "identity",
		"GZIP;q=0.8":                   "gzip",
		"gzip;q=0":                     "identity",
		"deflate, gzip;q=1.0, *;q=0.5": "gzip",
	} {
		if got := negotiateEncoding(header); got != want {
			t.Errorf("Accept-Encoding %q: got %s, want %s", header, got, want)
		}
	}
}

// TestHandlerNameFilter checks that name[] selects families, as promhttp
// does, whether cached, built at scrape or gathered.
func TestHandlerNameFilter(t *testing.T) {
	src := &mutableSource{pairs: synthFleet(2, 1)}
	h := NewCache(src, nil).Handler(others(), HandlerOpts{})
	req := httptest.NewRequest("GET", "/metrics?name[]=hawatch_interface_up&name[]=hawatch_aws_api_requests_total&name[]=zzz_last", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	mfs := parseText(t, rec.Body.Bytes())
	if len(mfs) != 3 || mfs["hawatch_interface_up"] == nil || mfs["hawatch_aws_api_requests_total"] == nil || mfs["zzz_last"] == nil {
		names := []string{}
		for n := range mfs {
			names = append(names, n)
		}
		t.Errorf("got families %v, want the three asked for", names)
	}
}

// TestHandlerErrorsCounter checks that the handler registers promhttp's
// error counter, so that the daemon's output keeps it.
func TestHandlerErrorsCounter(t *testing.T) {
	reg := prometheus.NewRegistry()
	NewCache(&mutableSource{}, nil).Handler(reg, HandlerOpts{Registry: reg})
	want := `
# HELP promhttp_metric_handler_errors_total Total number of internal errors encountered by the promhttp metric handler.
# TYPE promhttp_metric_handler_errors_total counter
promhttp_metric_handler_errors_total{cause="encoding"} 0
promhttp_metric_handler_errors_total{cause="gathering"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

// TestNegotiationAsPromhttp checks that the handler answers every Accept
// and Accept-Encoding header with the Content-Type and Content-Encoding
// that promhttp with OpenMetrics enabled, which served /metrics before
// the cache, gives.
func TestNegotiationAsPromhttp(t *testing.T) {
	src := &mutableSource{pairs: synthFleet(1, 1)}
	reg := prometheus.NewRegistry()
	reg.MustRegister(NewCollector(src, nil))
	old := promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true})
	h := NewCache(src, nil).Handler(prometheus.NewRegistry(), HandlerOpts{})
	acceptList := []string{"", "*/*", prometheusAccept, "text/html", "application/json"}
	for _, a := range accepts {
		acceptList = append(acceptList, a)
	}
	for _, accept := range acceptList {
		for _, enc := range []string{"", "gzip", "br, gzip;q=0.5", "identity", "*", "gzip;q=0"} {
			got, want := httptest.NewRecorder(), httptest.NewRecorder()
			for _, x := range []struct {
				h   http.Handler
				rec *httptest.ResponseRecorder
			}{{h, got}, {old, want}} {
				req := httptest.NewRequest("GET", "/metrics", nil)
				req.Header.Set("Accept", accept)
				req.Header.Set("Accept-Encoding", enc)
				x.h.ServeHTTP(x.rec, req)
			}
			for _, k := range []string{"Content-Type", "Content-Encoding", "Vary"} {
				if g, w := got.Header().Values(k), want.Header().Values(k); !slices.Equal(g, w) {
					t.Errorf("Accept %q, Accept-Encoding %q: %s %q, promhttp gives %q", accept, enc, k, g, w)
				}
			}
		}
	}
}
