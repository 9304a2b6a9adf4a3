package exporter

import (
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/probe"
)

// emitter builds const metrics and sends them on a collection channel. It
// keeps the first error so that the sub-collector can report its failure.
type emitter struct {
	ch  chan<- prometheus.Metric
	err error
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
	for i, lv := range lvs {
		lvs[i] = strings.ToValidUTF8(lv, "\uFFFD")
	}
	m, err := prometheus.NewConstMetric(d, t, v, lvs...)
	if err != nil {
		e.fail(err)
		return
	}
	e.ch <- m
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
