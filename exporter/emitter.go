package exporter

import (
	"fmt"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/probe"
)

// DefaultSeriesLimit is how many series one peer may have: ten times what
// a large VM-Series with a hundred ports and their subinterfaces gives, so
// that a firewall reporting thousands of interfaces cannot swell every
// scrape.
const DefaultSeriesLimit = 5000

// sink receives the samples the sub-collectors build.
type sink interface {
	add(f *family, t prometheus.ValueType, v float64, lvs []string) error
}

// chanSink builds const metrics and sends them on a collection channel.
type chanSink struct {
	d  *descs
	ch chan<- prometheus.Metric
}

func (s chanSink) add(f *family, t prometheus.ValueType, v float64, lvs []string) error {
	m, err := prometheus.NewConstMetric(s.d.byFamily[f.idx], t, v, lvs...)
	if err != nil {
		return err
	}
	s.ch <- m
	return nil
}

// limiter bounds the series of every peer and counts what it drops, by
// pair. One limiter spans all sub-collectors of one build.
type limiter struct {
	limit   int
	series  map[[2]string]int
	dropped map[string]uint64
}

func newLimiter(limit int) *limiter {
	return &limiter{limit: limit, series: map[[2]string]int{}, dropped: map[string]uint64{}}
}

// limiters holds the limiters of the cache's builds between builds, maps
// and all.
var limiters sync.Pool

// getLimiter returns an empty limiter with limit.
func getLimiter(limit int) *limiter {
	if l, ok := limiters.Get().(*limiter); ok {
		l.limit = limit
		return l
	}
	return newLimiter(limit)
}

// putLimiter empties l and keeps it for the next build.
func putLimiter(l *limiter) {
	clear(l.series)
	clear(l.dropped)
	limiters.Put(l)
}

// admit reports whether one more series of the sample's peer fits. Every
// family with a peer label has the pair as its first label.
func (l *limiter) admit(f *family, lvs []string) bool {
	if f.peer < 0 || l == nil {
		return true
	}
	k := [2]string{lvs[0], lvs[f.peer]}
	if l.series[k] >= l.limit {
		l.dropped[lvs[0]]++
		return false
	}
	l.series[k]++
	return true
}

// emitter builds samples and hands them to a sink. It keeps the first
// error so that the sub-collector can report its failure.
type emitter struct {
	d     *descs
	sink  sink
	limit *limiter
	err   error
	// lvs holds the label values of the sample being sent: the sink is an
	// interface, and handing it the caller's variadic slice would move
	// that slice to the heap at every call.
	lvs []string
}

// fail records err unless an earlier error is already recorded.
func (e *emitter) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// send builds one sample. Label values come from firewall replies and are
// made valid UTF-8 first, so that a garbled name cannot fail the scrape.
func (e *emitter) send(d *prometheus.Desc, t prometheus.ValueType, v float64, lvs []string) {
	f := e.d.meta[d]
	if f == nil {
		e.fail(fmt.Errorf("metric %v: not one of the exporter's", d))
		return
	}
	if len(lvs) != len(f.order) {
		e.fail(fmt.Errorf("metric %s: %d label values for %d labels", f.name, len(lvs), len(f.order)))
		return
	}
	e.lvs = e.lvs[:0]
	for _, lv := range lvs {
		e.lvs = append(e.lvs, strings.ToValidUTF8(lv, "\uFFFD"))
	}
	if !e.limit.admit(f, e.lvs) {
		return
	}
	if err := e.sink.add(f, t, v, e.lvs); err != nil {
		e.fail(err)
	}
}

// gauge sends a gauge sample.
func (e *emitter) gauge(d *prometheus.Desc, v float64, lvs ...string) {
	e.send(d, prometheus.GaugeValue, v, lvs)
}

// counter sends a counter sample.
func (e *emitter) counter(d *prometheus.Desc, v float64, lvs ...string) {
	e.send(d, prometheus.CounterValue, v, lvs)
}

// boolean sends a gauge of 1 for true and 0 for false.
func (e *emitter) boolean(d *prometheus.Desc, b bool, lvs ...string) {
	e.send(d, prometheus.GaugeValue, b01(b), lvs)
}

// tri sends a gauge of 1 for Yes and 0 for No, and nothing for Unknown:
// an unknown check is neither healthy nor broken.
func (e *emitter) tri(d *prometheus.Desc, t probe.Tri, lvs ...string) {
	switch t {
	case probe.Yes:
		e.send(d, prometheus.GaugeValue, 1, lvs)
	case probe.No:
		e.send(d, prometheus.GaugeValue, 0, lvs)
	}
}

// b01 returns 1 for true and 0 for false.
func b01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
