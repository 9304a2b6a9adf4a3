package alerts

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Phases of failover convergence.
const (
	// PhaseAWS ends when every data-plane ENI, route and floating IP
	// check passes against the new active peer.
	PhaseAWS = "aws"
	// PhaseTraffic ends when the pair forwards traffic again.
	PhaseTraffic = "traffic"
)

// ConvergenceTimeout is how long after a failover convergence is still
// measured; a phase that has not converged by then is not recorded.
const ConvergenceTimeout = 30 * time.Minute

// convergence measures how long the AWS data plane and the traffic take to
// follow a change of the active peer.
type convergence struct {
	measuring   bool
	failover    Failover
	awsDone     bool
	trafficDone bool
	// last holds the phases measured for the latest failover, in seconds.
	last map[string]float64
}

// start begins measuring a failover; the previous failover's values are
// dropped, so the gauges tell about the latest failover only.
func (c *convergence) start(f Failover) {
	*c = convergence{measuring: true, failover: f, last: map[string]float64{}}
}

// observe checks the snapshot taken at now and returns the phases that
// converged with it, in seconds since the HA state changed.
func (c *convergence) observe(now time.Time, p *snapshot.Pair) map[string]float64 {
	if !c.measuring {
		return nil
	}
	since := now.Sub(c.failover.At)
	if since > ConvergenceTimeout {
		c.measuring = false
		return nil
	}
	out := map[string]float64{}
	if !c.awsDone && awsFollows(p.AWSView, c.failover.To) {
		c.awsDone = true
		out[PhaseAWS] = since.Seconds()
	}
	if !c.trafficDone && p.Traffic.Flowing() == probe.Yes {
		c.trafficDone = true
		out[PhaseTraffic] = since.Seconds()
	}
	for phase, v := range out {
		c.last[phase] = v
	}
	if c.trafficDone && (c.awsDone || p.AWSView == nil) {
		c.measuring = false
	}
	return out
}

// awsFollows reports whether the AWS view has caught up with the active
// peer: it was made against that peer and every data-plane ENI, route and
// floating IP check passes.
func awsFollows(v *snapshot.AWSView, active string) bool {
	if v == nil || !v.Known || v.ActivePeer != active {
		return false
	}
	for _, c := range v.ENIs {
		if c.Role == probe.RoleDataPlane && c.Attached != probe.Yes {
			return false
		}
	}
	for _, c := range v.Routes {
		if c.OnActive != probe.Yes {
			return false
		}
	}
	for _, c := range v.FloatingIPs {
		if c.OnActive != probe.Yes {
			return false
		}
	}
	return true
}

// convergenceMetrics are the cumulative failover metrics of all pairs.
type convergenceMetrics struct {
	failovers *prometheus.CounterVec
	hist      *prometheus.HistogramVec
}

// newConvergenceMetrics returns the metrics; the engine's collector
// exports them.
func newConvergenceMetrics() *convergenceMetrics {
	return &convergenceMetrics{
		failovers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hawatch_failovers_total",
			Help: "Changes of the pair's single active peer seen by hawatch.",
		}, []string{"pair"}),
		hist: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hawatch_failover_convergence_duration_seconds",
			Help:    "Time from a change of the active peer until a phase (aws or traffic) converged, over all failovers since hawatch started.",
			Buckets: []float64{5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200},
		}, []string{"pair", "phase"}),
	}
}

// failover counts a failover of the pair.
func (m *convergenceMetrics) failover(pair string) { m.failovers.WithLabelValues(pair).Inc() }

// observe records a converged phase.
func (m *convergenceMetrics) observe(pair, phase string, seconds float64) {
	m.hist.WithLabelValues(pair, phase).Observe(seconds)
}

// remove drops the metrics of a pair that is no longer watched.
func (m *convergenceMetrics) remove(pair string) {
	m.failovers.DeleteLabelValues(pair)
	m.hist.DeletePartialMatch(prometheus.Labels{"pair": pair})
}

// collect sends the cumulative metrics.
func (m *convergenceMetrics) collect(ch chan<- prometheus.Metric) {
	m.failovers.Collect(ch)
	m.hist.Collect(ch)
}
