package maintenance

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// collector exports the windows of the watched pairs.
type collector struct {
	store  *Store
	pairs  func() []string
	now    func() time.Time
	active *prometheus.Desc
	end    *prometheus.Desc
}

// NewCollector returns a collector of hawatch_pair_maintenance (0 or 1
// for every pair pairs returns) and, for a pair in maintenance, the end
// of its window.
func NewCollector(s *Store, pairs func() []string, now func() time.Time) prometheus.Collector {
	if now == nil {
		now = time.Now
	}
	return &collector{
		store: s, pairs: pairs, now: now,
		active: prometheus.NewDesc("hawatch_pair_maintenance",
			"Whether an operator announced maintenance of the pair that has not ended.", []string{"pair"}, nil),
		end: prometheus.NewDesc("hawatch_pair_maintenance_end_timestamp_seconds",
			"When the pair's announced maintenance ends, in seconds since the epoch.", []string{"pair"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.active
	ch <- c.end
}

// Collect implements prometheus.Collector.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	now := c.now()
	for _, p := range c.pairs() {
		v := 0.0
		if w, ok := c.store.Active(p, now); ok {
			v = 1
			ch <- prometheus.MustNewConstMetric(c.end, prometheus.GaugeValue, float64(w.End.UnixMilli())/1e3, p)
		}
		ch <- prometheus.MustNewConstMetric(c.active, prometheus.GaugeValue, v, p)
	}
}
