package alerts

import (
	"maps"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// Help texts of the engine's metrics.
const (
	alertActiveHelp = "Alerts hawatch holds, 1 per pending or firing alert, with the alert's labels and its state (pending or firing)."
	convergenceHelp = "Seconds from the last change of the pair's active peer until a phase converged: aws (every data-plane ENI, route and floating IP on the new active peer) or traffic (forwarding again); absent until measured."
)

// engineCollector exports the engine's state at scrape time.
type engineCollector struct {
	e           *Engine
	convergence *prometheus.Desc
}

// Collector returns a collector of the engine's metrics:
//
//   - hawatch_alert_active{alertname,pair,severity,…,state} 1 for every
//     pending and firing alert, like Prometheus's ALERTS series: state is
//     "pending" or "firing", and the other labels are the alert's own;
//   - hawatch_failover_convergence_seconds{pair,phase}, a gauge of the
//     last failover's convergence per phase, absent until measured;
//   - hawatch_failover_convergence_duration_seconds{pair,phase}, a
//     histogram of every measured convergence;
//   - hawatch_failovers_total{pair}.
//
// Alerts carry different label names, so the collector is unchecked: it
// describes nothing and builds its descriptors at scrape time.
func (e *Engine) Collector() prometheus.Collector {
	return &engineCollector{
		e: e,
		convergence: prometheus.NewDesc("hawatch_failover_convergence_seconds", convergenceHelp,
			[]string{"pair", "phase"}, nil),
	}
}

// Describe sends nothing: the collector is unchecked.
func (c *engineCollector) Describe(chan<- *prometheus.Desc) {}

// Collect sends the metrics.
func (c *engineCollector) Collect(ch chan<- prometheus.Metric) {
	for _, a := range c.e.Alerts() {
		if a.State == StateInactive {
			continue
		}
		if _, clash := a.Labels["state"]; clash {
			continue
		}
		names := slices.Sorted(maps.Keys(a.Labels))
		values := make([]string, 0, len(names)+1)
		for _, n := range names {
			// Label values come from firewall replies; a garbled one
			// must not fail the scrape.
			values = append(values, strings.ToValidUTF8(a.Labels[n], "\uFFFD"))
		}
		desc := prometheus.NewDesc("hawatch_alert_active", alertActiveHelp, append(names, "state"), nil)
		if m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, 1, append(values, a.State.String())...); err == nil {
			ch <- m
		}
	}
	conv := c.e.convergenceOf()
	for _, pair := range slices.Sorted(maps.Keys(conv)) {
		for _, phase := range slices.Sorted(maps.Keys(conv[pair])) {
			ch <- prometheus.MustNewConstMetric(c.convergence, prometheus.GaugeValue, conv[pair][phase], pair, phase)
		}
	}
	c.e.conv.collect(ch)
}
