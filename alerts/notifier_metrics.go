package alerts

import (
	"github.com/prometheus/client_golang/prometheus"
)

// notifierMetrics are the metrics of the Alertmanager push. The
// alertmanager label is the host[:port] of the Alertmanager URL.
type notifierMetrics struct {
	sent, failed, dropped *prometheus.CounterVec
	queueLength           *prometheus.GaugeVec
	queueCapacity         prometheus.Gauge
	latency               *prometheus.HistogramVec
}

// newNotifierMetrics creates the metrics and registers them on reg when
// it is not nil.
func newNotifierMetrics(reg prometheus.Registerer) (*notifierMetrics, error) {
	am := []string{"alertmanager"}
	m := &notifierMetrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hawatch_notifications_sent_total",
			Help: "Alerts delivered to the Alertmanager.",
		}, am),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hawatch_notifications_failed_total",
			Help: "Alerts in delivery attempts to the Alertmanager that failed, counted once per attempt.",
		}, am),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hawatch_notifications_dropped_total",
			Help: "Alerts given up for the Alertmanager: pushed out of a full queue or rejected with a 4xx status.",
		}, am),
		queueLength: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "hawatch_notifications_queue_length",
			Help: "Alerts waiting to be sent to the Alertmanager.",
		}, am),
		queueCapacity: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hawatch_notifications_queue_capacity",
			Help: "Capacity of the queue of alerts of each Alertmanager.",
		}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hawatch_notification_latency_seconds",
			Help:    "Duration of the requests that post alerts to the Alertmanager in seconds.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, am),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.sent, m.failed, m.dropped, m.queueLength, m.queueCapacity, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// init creates the series of an Alertmanager, so that they are exported
// with 0 before anything happens.
func (m *notifierMetrics) init(am string) {
	m.sent.WithLabelValues(am)
	m.failed.WithLabelValues(am)
	m.dropped.WithLabelValues(am)
	m.queueLength.WithLabelValues(am)
}
