package main

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func parse(t *testing.T, text string) *scrape {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader([]byte(text)))
	if err != nil {
		t.Fatal(err)
	}
	return &scrape{families: fams}
}

func TestStartSpreadAcrossTheIntervalBoundary(t *testing.T) {
	// Starts (end - duration) at 1009.5, 1010.25 and 1011.0 with a 10 s
	// interval: phases 9.5, 0.25 and 1.0, one cluster that wraps.
	s := parse(t, `# TYPE hawatch_last_poll_timestamp_seconds gauge
hawatch_last_poll_timestamp_seconds{pair="a"} 1010
hawatch_last_poll_timestamp_seconds{pair="b"} 1011
hawatch_last_poll_timestamp_seconds{pair="c"} 1012
# TYPE hawatch_poll_duration_seconds gauge
hawatch_poll_duration_seconds{pair="a"} 0.5
hawatch_poll_duration_seconds{pair="b"} 0.75
hawatch_poll_duration_seconds{pair="c"} 1
`)
	got := s.startSpread(10)
	slices.Sort(got)
	want := []float64{0, 0.75, 1.5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("startSpread = %v, want %v", got, want)
		}
	}
}

func TestHistogramQuantiles(t *testing.T) {
	// 10 observations: 4 up to 0.1, 4 more up to 1, 2 above.
	s := parse(t, `# TYPE lag histogram
lag_bucket{pair="a",le="0.1"} 2
lag_bucket{pair="a",le="1"} 4
lag_bucket{pair="a",le="+Inf"} 5
lag_sum{pair="a"} 9
lag_count{pair="a"} 5
lag_bucket{pair="b",le="0.1"} 2
lag_bucket{pair="b",le="1"} 4
lag_bucket{pair="b",le="+Inf"} 5
lag_sum{pair="b"} 9
lag_count{pair="b"} 5
`)
	got, ok := s.histogramQuantiles("lag", 0.5, 0.99)
	// Rank 5 is the first of the 4 in (0.1, 1]: a quarter of the way.
	if !ok || math.Abs(got[0]-0.325) > 1e-9 || got[1] != 1 {
		t.Errorf("quantiles = %v, %v; want [0.325 1] (p99 in +Inf reports the highest finite bound)", got, ok)
	}
	if _, ok := s.histogramQuantiles("missing", 0.5); ok {
		t.Error("a missing histogram reported quantiles")
	}
}

func TestQuantilesNearestRank(t *testing.T) {
	vs := []float64{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	if got := quantiles(vs, 0.5, 0.99, 0); !slices.Equal(got, []float64{5, 10, 1}) {
		t.Errorf("quantiles = %v, want [5 10 1]", got)
	}
}
