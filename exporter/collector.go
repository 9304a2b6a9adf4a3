// Package exporter turns the latest pair snapshots into Prometheus metrics at
// scrape time. Every sample is a const metric built from an immutable
// snapshot.Pair, so a pair, peer or interface that leaves the snapshots leaves
// the output with it.
package exporter

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/snapshot"
)

// Source gives the latest snapshot of every watched pair.
type Source interface {
	// Snapshots returns the latest snapshot of every pair, sorted by name;
	// it may be empty before the first poll.
	Snapshots() []*snapshot.Pair
}

// subCollector writes the metrics of one concern for all pairs.
type subCollector struct {
	name    string
	collect func(e *emitter, pairs []*snapshot.Pair)
}

// Collector is a prometheus.Collector over the snapshots of a Source. It
// builds every sample on every scrape; the Cache serves the same metrics
// from an exposition built once per snapshot, and the Collector remains
// its reference and its fallback for rare formats.
type Collector struct {
	src    Source
	logger *slog.Logger
	d      *descs
	subs   []subCollector
	limit  int
	over   *overflow
	// now is the clock of the sub-collector durations.
	now func() time.Time
}

// NewCollector returns a collector that reads src on every scrape.
func NewCollector(src Source, logger *slog.Logger) *Collector {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Collector{src: src, logger: logger, d: newDescs(), limit: DefaultSeriesLimit, over: &overflow{}, now: time.Now}
	c.subs = []subCollector{
		{name: "poll", collect: c.collectPoll},
		{name: "panos", collect: c.collectPANOS},
		{name: "interfaces", collect: c.collectInterfaces},
		{name: "aws", collect: c.collectAWS},
	}
	return c
}

// Describe sends the descriptors of every metric the collector can emit.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.d.all {
		ch <- d
	}
}

// Collect sends the metrics of the latest snapshots, then the success and
// duration of each sub-collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	pairs := c.src.Snapshots()
	out := chanSink{d: c.d, ch: ch}
	lim := newLimiter(c.limit)
	for _, s := range c.subs {
		start := c.now()
		e := &emitter{d: c.d, sink: out, limit: lim}
		c.run(s, e, pairs)
		ok := e.err == nil
		if !ok {
			c.logger.Error("metrics collection failed", "collector", s.name, "err", e.err)
		}
		e.err = nil
		e.gauge(c.d.collectorDuration, c.now().Sub(start).Seconds(), s.name)
		e.boolean(c.d.collectorSuccess, ok, s.name)
	}
	for _, p := range pairs {
		c.over.observe(p, lim.dropped[p.Name])
	}
	c.over.collect(&emitter{d: c.d, sink: out}, pairs)
}

// run calls one sub-collector; a panic on an unexpected snapshot fails that
// sub-collector only, not the whole scrape.
func (c *Collector) run(s subCollector, e *emitter, pairs []*snapshot.Pair) {
	defer func() {
		if r := recover(); r != nil {
			e.fail(fmt.Errorf("collector %s panicked: %v", s.name, r))
		}
	}()
	s.collect(e, pairs)
}
