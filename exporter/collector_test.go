package exporter

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/hawatch/hawatch/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// durationMetric changes on every scrape and is left out of golden files.
const durationMetric = "hawatch_exporter_collector_duration_seconds"

// register returns a pedantic registry holding a collector over pairs.
func register(t testing.TB, src Source) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(NewCollector(src, nil)); err != nil {
		t.Fatalf("register collector: %v", err)
	}
	return reg
}

// filter returns a gatherer that keeps the families for which keep is true.
func filter(g prometheus.Gatherer, keep func(name string) bool) prometheus.Gatherer {
	return prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		mfs, err := g.Gather()
		out := mfs[:0]
		for _, mf := range mfs {
			if keep(mf.GetName()) {
				out = append(out, mf)
			}
		}
		return out, err
	})
}

// notDuration keeps every family but the collector durations.
func notDuration(name string) bool { return name != durationMetric }

// compareGolden compares the output of g with testdata/file, rewriting the
// file first when -update is set.
func compareGolden(t *testing.T, g prometheus.Gatherer, file string) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		mfs, err := g.Gather()
		if err != nil {
			t.Fatalf("gather: %v", err)
		}
		var buf bytes.Buffer
		for _, mf := range mfs {
			if _, err := expfmt.MetricFamilyToText(&buf, mf); err != nil {
				t.Fatalf("encode %s: %v", mf.GetName(), err)
			}
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatalf("write golden file: %v", err)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open golden file: %v", err)
	}
	defer f.Close()
	if err := testutil.GatherAndCompare(g, f); err != nil {
		t.Error(err)
	}
}

func TestCollectGolden(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pairs []*snapshot.Pair
		keep  func(string) bool
	}{
		{name: "empty", keep: notDuration},
		{name: "healthy", pairs: []*snapshot.Pair{healthyPair()}, keep: notDuration},
		{name: "unreachable", pairs: []*snapshot.Pair{unreachablePair()}, keep: notDuration},
		{name: "standalone", pairs: []*snapshot.Pair{standalonePair()}, keep: notDuration},
		{
			name:  "aws",
			pairs: []*snapshot.Pair{awsPair("cloud-a"), awsPair("cloud-b")},
			keep:  func(n string) bool { return strings.HasPrefix(n, "hawatch_aws_") },
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := register(t, &staticSource{pairs: tc.pairs})
			compareGolden(t, filter(reg, tc.keep), tc.name+".prom")
		})
	}
}

func TestCollectorSuccess(t *testing.T) {
	src := &staticSource{pairs: []*snapshot.Pair{healthyPair(), unreachablePair(), standalonePair(), awsPair("cloud")}}
	reg := register(t, src)
	want := `
# HELP hawatch_exporter_collector_success Whether a sub-collector of the exporter completed without error.
# TYPE hawatch_exporter_collector_success gauge
hawatch_exporter_collector_success{collector="aws"} 1
hawatch_exporter_collector_success{collector="interfaces"} 1
hawatch_exporter_collector_success{collector="panos"} 1
hawatch_exporter_collector_success{collector="poll"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "hawatch_exporter_collector_success"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(reg, durationMetric); err != nil || n != 4 {
		t.Errorf("got %d collector durations (err %v), want 4", n, err)
	}
}

func TestLint(t *testing.T) {
	src := &staticSource{pairs: []*snapshot.Pair{healthyPair(), unreachablePair(), standalonePair(), awsPair("cloud")}}
	problems, err := testutil.CollectAndLint(NewCollector(src, nil))
	if err != nil {
		t.Fatalf("lint: %v", err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}
