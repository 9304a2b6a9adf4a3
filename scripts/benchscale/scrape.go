package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape is one GET /metrics and what it cost the daemon.
type scrape struct {
	took     time.Duration
	bytes    int
	cpu      float64 // daemon CPU seconds from just before to just after
	families map[string]*dto.MetricFamily
}

// doScrape scrapes the daemon in the text format, as a Prometheus without
// protobuf negotiation does; the size is that of the uncompressed text.
func doScrape(url string, pid int) (*scrape, error) {
	before, err := cpuSeconds(pid)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	req, _ := http.NewRequest(http.MethodGet, url+"/metrics", nil)
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return nil, err
	}
	after, err := cpuSeconds(pid)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("scrape: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse scrape: %w", err)
	}
	return &scrape{took: took, bytes: len(body), cpu: after - before, families: fams}, nil
}

// values returns the values of every series of a gauge or counter.
func (s *scrape) values(name string) []float64 {
	mf := s.families[name]
	if mf == nil {
		return nil
	}
	var out []float64
	for _, m := range mf.Metric {
		switch {
		case m.Gauge != nil:
			out = append(out, m.Gauge.GetValue())
		case m.Counter != nil:
			out = append(out, m.Counter.GetValue())
		case m.Untyped != nil:
			out = append(out, m.Untyped.GetValue())
		}
	}
	return out
}

// sum returns the sum of a gauge's or counter's series.
func (s *scrape) sum(name string) float64 {
	var t float64
	for _, v := range s.values(name) {
		t += v
	}
	return t
}

// buckets returns a histogram's cumulative counts by upper bound, summed
// over its series; nil when the scrape has no such histogram.
func (s *scrape) buckets(name string) buckets {
	mf := s.families[name]
	if mf == nil || mf.GetType() != dto.MetricType_HISTOGRAM {
		return nil
	}
	counts := buckets{}
	for _, m := range mf.Metric {
		for _, b := range m.Histogram.Bucket {
			if !math.IsInf(b.GetUpperBound(), 1) {
				counts[b.GetUpperBound()] += float64(b.GetCumulativeCount())
			}
		}
		// The +Inf bucket is the count, whether the exposition lists it
		// or not.
		counts[math.Inf(1)] += float64(m.Histogram.GetSampleCount())
	}
	return counts
}

// buckets are the cumulative counts of a histogram by upper bound, +Inf
// included.
type buckets map[float64]float64

// minus returns the increase of b since an earlier scrape's counts.
func (b buckets) minus(earlier buckets) buckets {
	if b == nil {
		return nil
	}
	out := make(buckets, len(b))
	for le, n := range b {
		out[le] = n - earlier[le]
	}
	return out
}

// quantiles returns quantiles of the histogram, interpolating linearly
// within buckets as histogram_quantile does; a quantile in the +Inf bucket
// is the highest finite bound. ok is false without observations.
func (b buckets) quantiles(qs ...float64) ([]float64, bool) {
	bounds := make([]float64, 0, len(b))
	for le := range b {
		bounds = append(bounds, le)
	}
	sort.Float64s(bounds)
	if len(bounds) == 0 || b[bounds[len(bounds)-1]] <= 0 {
		return nil, false
	}
	total := b[bounds[len(bounds)-1]]
	out := make([]float64, len(qs))
	for i, q := range qs {
		rank, lower, below := q*total, 0.0, 0.0
		for _, le := range bounds {
			if b[le] >= rank {
				if math.IsInf(le, 1) {
					out[i] = lower
				} else {
					out[i] = lower + (le-lower)*(rank-below)/math.Max(b[le]-below, 1)
				}
				break
			}
			lower, below = le, b[le]
		}
	}
	return out, true
}

// quantiles returns the q-quantiles of vs (nearest rank).
func quantiles(vs []float64, qs ...float64) []float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	out := make([]float64, len(qs))
	for i, q := range qs {
		if len(s) == 0 {
			out[i] = math.NaN()
			continue
		}
		out[i] = s[min(len(s)-1, int(math.Ceil(q*float64(len(s))))-1+boolInt(q == 0))]
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// simCounts are the simulator's request counters (GET /counts).
type simCounts struct {
	Pairs int            `json:"pairs"`
	PANOS map[string]int `json:"panos_requests"`
	EC2   map[string]int `json:"ec2_calls"`
}

func getCounts(control string) (simCounts, error) {
	var c simCounts
	resp, err := http.Get(control + "/counts")
	if err != nil {
		return c, err
	}
	defer func() { _ = resp.Body.Close() }()
	return c, json.NewDecoder(resp.Body).Decode(&c)
}

// panosTotal is every PAN-OS request; ec2Total every EC2 Describe call
// (IAM calls are hourly and counted apart by the simulator).
func (c simCounts) panosTotal() (n int) {
	for _, v := range c.PANOS {
		n += v
	}
	return n
}

func (c simCounts) ec2Total() (n int) {
	for a, v := range c.EC2 {
		if len(a) > 8 && a[:8] == "Describe" {
			n += v
		}
	}
	return n
}
