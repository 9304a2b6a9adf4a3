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
	got, ok := s.buckets("lag").quantiles(0.5, 0.99)
	// Rank 5 is the first of the 4 in (0.1, 1]: a quarter of the way.
	if !ok || math.Abs(got[0]-0.325) > 1e-9 || got[1] != 1 {
		t.Errorf("quantiles = %v, %v; want [0.325 1] (p99 in +Inf reports the highest finite bound)", got, ok)
	}
	if _, ok := s.buckets("missing").quantiles(0.5); ok {
		t.Error("a missing histogram reported quantiles")
	}
}

// TestHistogramIncrease: the quantiles of the polls within the window come
// from the histogram's increase, not from its counts since start.
func TestHistogramIncrease(t *testing.T) {
	first := parse(t, `# TYPE lag histogram
lag_bucket{le="0.01"} 90
lag_bucket{le="0.1"} 100
lag_bucket{le="1"} 100
lag_bucket{le="+Inf"} 100
lag_sum 1
lag_count 100
`)
	last := parse(t, `# TYPE lag histogram
lag_bucket{le="0.01"} 100
lag_bucket{le="0.1"} 110
lag_bucket{le="1"} 200
lag_bucket{le="+Inf"} 200
lag_sum 50
lag_count 200
`)
	// Increase: 10 up to 0.01, none more up to 0.1, 90 more up to 1.
	// Rank 50 is the 40th of the 90 in (0.1, 1], rank 99 the 89th.
	got, ok := last.buckets("lag").minus(first.buckets("lag")).quantiles(0.5, 0.99)
	want := []float64{0.1 + 0.9*40/90, 0.1 + 0.9*89/90}
	if !ok || math.Abs(got[0]-want[0]) > 1e-9 || math.Abs(got[1]-want[1]) > 1e-9 {
		t.Errorf("quantiles of the increase = %v, %v; want %v", got, ok, want)
	}
	if _, ok := first.buckets("lag").minus(first.buckets("lag")).quantiles(0.5); ok {
		t.Error("no increase reported quantiles")
	}
}

func TestQuantilesNearestRank(t *testing.T) {
	vs := []float64{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	if got := quantiles(vs, 0.5, 0.99, 0); !slices.Equal(got, []float64{5, 10, 1}) {
		t.Errorf("quantiles = %v, want [5 10 1]", got)
	}
}
