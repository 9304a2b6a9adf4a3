package exporter

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// family describes one metric family of the exporter, so that the
// exposition cache can build and order its samples the way a
// prometheus.Registry does without going through prometheus.Metric.
type family struct {
	// idx is the family's position in name order among all families.
	idx        int
	name, help string
	// labels are the variable label names in the order of the sorted
	// label pairs; order[k] is the index of labels[k] among the label
	// values as passed to the emitter.
	labels []string
	order  []int
	// peer is the index of the "peer" label value, -1 without one: the
	// series of a peer are bounded.
	peer int
	// atScrape marks the families built at scrape time from all pairs:
	// sums over pairs, the exporter's own health and the overflow
	// counter. The others are built once per snapshot of a pair.
	atScrape bool
}

// newFamily returns the description of a family with the given variable
// labels.
func newFamily(name, help string, labels []string) *family {
	f := &family{name: name, help: help, peer: slices.Index(labels, "peer")}
	f.order = make([]int, len(labels))
	for i := range f.order {
		f.order[i] = i
	}
	slices.SortFunc(f.order, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	for _, i := range f.order {
		f.labels = append(f.labels, labels[i])
	}
	return f
}

// metric returns the sample as a dto.Metric, with its label pairs sorted
// by name as prometheus.NewConstMetric sorts them.
func (f *family) metric(t prometheus.ValueType, v float64, lvs []string) *dto.Metric {
	vals := make([]string, len(lvs))
	pairs := make([]dto.LabelPair, len(lvs))
	m := &dto.Metric{Label: make([]*dto.LabelPair, len(lvs))}
	for k, i := range f.order {
		vals[k] = lvs[i]
		pairs[k] = dto.LabelPair{Name: &f.labels[k], Value: &vals[k]}
		m.Label[k] = &pairs[k]
	}
	if t == prometheus.CounterValue {
		m.Counter = &dto.Counter{Value: &v}
	} else {
		m.Gauge = &dto.Gauge{Value: &v}
	}
	return m
}

// dtoType returns the family type of a value type.
func dtoType(t prometheus.ValueType) dto.MetricType {
	if t == prometheus.CounterValue {
		return dto.MetricType_COUNTER
	}
	return dto.MetricType_GAUGE
}

// compareMetrics orders the samples of one family as the registry does:
// by label values, label by label in name order.
func compareMetrics(a, b *dto.Metric) int {
	for i := range min(len(a.Label), len(b.Label)) {
		if c := strings.Compare(a.Label[i].GetValue(), b.Label[i].GetValue()); c != 0 {
			return c
		}
	}
	return len(a.Label) - len(b.Label)
}

// dtoSink collects samples into families indexed like descs.families.
type dtoSink struct {
	d       *descs
	metrics [][]*dto.Metric
	types   []dto.MetricType
}

// newDTOSink returns an empty sink over the families of d.
func newDTOSink(d *descs) *dtoSink {
	return &dtoSink{d: d, metrics: make([][]*dto.Metric, len(d.families)), types: make([]dto.MetricType, len(d.families))}
}

// add records one sample.
func (s *dtoSink) add(f *family, t prometheus.ValueType, v float64, lvs []string) error {
	s.metrics[f.idx] = append(s.metrics[f.idx], f.metric(t, v, lvs))
	s.types[f.idx] = dtoType(t)
	return nil
}

// sorted sorts the samples of every family.
func (s *dtoSink) sorted() *dtoSink {
	for _, ms := range s.metrics {
		slices.SortFunc(ms, compareMetrics)
	}
	return s
}

// family returns family i as a dto.MetricFamily, nil when it has no
// samples.
func (s *dtoSink) family(i int) *dto.MetricFamily {
	if len(s.metrics[i]) == 0 {
		return nil
	}
	f := s.d.families[i]
	return &dto.MetricFamily{Name: &f.name, Help: &f.help, Type: s.types[i].Enum(), Metric: s.metrics[i]}
}
