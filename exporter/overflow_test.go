package exporter

import (
	"bytes"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/hawatch/hawatch/snapshot"
)

// parseText parses a text exposition; it fails on a family split in two.
func parseText(t *testing.T, body []byte) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse exposition: %v", err)
	}
	return mfs
}

// seriesByPeer counts the series of each peer of each pair.
func seriesByPeer(mfs map[string]*dto.MetricFamily) map[[2]string]int {
	n := map[[2]string]int{}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == "peer" {
					n[[2]string{pairOf(m), l.GetValue()}]++
				}
			}
		}
	}
	return n
}

// dropped returns hawatch_series_dropped_total of a pair, -1 when absent.
func dropped(mfs map[string]*dto.MetricFamily, pair string) float64 {
	for _, m := range mfs["hawatch_series_dropped_total"].GetMetric() {
		if pairOf(m) == pair {
			return m.GetCounter().GetValue()
		}
	}
	return -1
}

// TestSeriesLimit checks that a peer over the series limit keeps exactly
// the limit, that the series left out are counted once per snapshot, and
// that the counter leaves with its pair.
func TestSeriesLimit(t *testing.T) {
	const limit = 300
	big := bigPair(100) // 100 ports: about 1,000 series per peer
	big.Name = "big"
	small := healthyPair()
	src := &mutableSource{pairs: []*snapshot.Pair{big, small}}

	// The series the peers have without a limit.
	all := NewCache(src, nil)
	full, _ := scrape(t, all.Handler(prometheus.NewRegistry(), HandlerOpts{}), accepts["text"], "")
	want := seriesByPeer(parseText(t, full))
	if want[[2]string{"big", "a"}] <= 2*limit || want[[2]string{"edge", "a"}] >= limit {
		t.Fatalf("the peers have %v series; the test needs the big pair's over twice the limit %d and the other's under it", want, limit)
	}

	c := NewCache(src, nil)
	c.col.limit = limit
	h := c.Handler(prometheus.NewRegistry(), HandlerOpts{})
	body, _ := scrape(t, h, accepts["text"], "")
	mfs := parseText(t, body)
	got := seriesByPeer(mfs)
	lost := 0.0
	for k, n := range want {
		switch {
		case k[0] == "big" && got[k] != limit:
			t.Errorf("peer %s of the big pair has %d series, want the limit %d", k[1], got[k], limit)
		case k[0] != "big" && got[k] != n:
			t.Errorf("peer %s of pair %s has %d series, want all %d", k[1], k[0], got[k], n)
		}
		lost += float64(n - got[k])
	}
	if got := dropped(mfs, "big"); got != lost {
		t.Errorf("hawatch_series_dropped_total{pair=big} = %v, want %v", got, lost)
	}
	if got := dropped(mfs, "edge"); got != -1 {
		t.Errorf("the small pair has a dropped counter of %v; want none", got)
	}

	// The same snapshot scraped again is not counted again; a new one is.
	body, _ = scrape(t, h, accepts["text"], "")
	if got := dropped(parseText(t, body), "big"); got != lost {
		t.Errorf("after a second scrape of the same snapshot the counter is %v, want %v", got, lost)
	}
	big2 := bigPair(100)
	big2.Name = "big"
	src.set([]*snapshot.Pair{big2, small})
	c.Update(big2)
	body, _ = scrape(t, h, accepts["text"], "")
	if got := dropped(parseText(t, body), "big"); got != 2*lost {
		t.Errorf("after a new snapshot the counter is %v, want %v", got, 2*lost)
	}

	// A pair that leaves takes its counter with it.
	src.set([]*snapshot.Pair{small})
	body, _ = scrape(t, h, accepts["text"], "")
	mfs = parseText(t, body)
	if got := dropped(mfs, "big"); got != -1 {
		t.Errorf("the removed pair still has a dropped counter of %v", got)
	}
	for _, mf := range mfs {
		for _, m := range mf.Metric {
			if pairOf(m) == "big" {
				t.Fatalf("the removed pair is still in %s", mf.GetName())
			}
		}
	}
}
