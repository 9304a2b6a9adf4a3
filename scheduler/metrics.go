package scheduler

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// startLagHelp is the HELP of hawatch_poll_start_lag_seconds.
const startLagHelp = "Time from when a poll was due to when it started in seconds, over the polls of every pair."

// startLagBuckets reach from the timer's own latency to a whole default
// interval: a poll that cannot start within its interval is skipped.
var startLagBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// newStartLag returns the start lag histogram, registered with reg when
// reg is not nil. It has no labels: how late polls start depends on the
// process (its timers, its CPU), not on the pair, and a series per pair
// would be some fourteen thousand at a thousand pairs; the pairs that
// fall behind show in hawatch_polls_skipped_total.
func newStartLag(reg prometheus.Registerer) prometheus.Histogram {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: "hawatch",
		Name:      "poll_start_lag_seconds",
		Help:      startLagHelp,
		Buckets:   startLagBuckets,
	})
	if reg == nil {
		return h
	}
	if err := reg.Register(h); err != nil {
		are := prometheus.AlreadyRegisteredError{}
		if errors.As(err, &are) {
			return are.ExistingCollector.(prometheus.Histogram)
		}
		panic(err)
	}
	return h
}
