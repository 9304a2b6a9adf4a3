package web

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
)

// limiter caps how many expensive requests are served at once. A request
// over the cap is refused at once rather than queued: a queue would hold
// its connection and memory, which is what the cap is there to bound, and
// the war-room page polls again anyway.
type limiter struct {
	slots    chan struct{}
	requests *prometheus.CounterVec
	rejected *prometheus.CounterVec
	log      *slog.Logger
}

func newLimiter(n int, reg prometheus.Registerer, log *slog.Logger) *limiter {
	l := &limiter{
		slots: make(chan struct{}, n),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hawatch_http_requests_total",
			Help: "Requests to the API handlers that serve a bounded number at once, served or refused.",
		}, []string{"handler"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hawatch_http_requests_rejected_total",
			Help: "Requests to the API handlers refused with 503 because too many were being served.",
		}, []string{"handler"}),
		log: log,
	}
	if reg != nil {
		l.requests = register(reg, l.requests, log)
		l.rejected = register(reg, l.rejected, log)
	}
	return l
}

// register registers c, or returns the counter registered before it by
// another handler on the same registry.
func register(reg prometheus.Registerer, c *prometheus.CounterVec, log *slog.Logger) *prometheus.CounterVec {
	err := reg.Register(c)
	if err == nil {
		return c
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
			return existing
		}
	}
	log.Error("cannot register the API request counters", "err", err)
	return c
}

// wrap serves next under the cap; name is the handler label. The series
// appear with the first request, not before.
func (l *limiter) wrap(name string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l.requests.WithLabelValues(name).Inc()
		select {
		case l.slots <- struct{}{}:
			defer func() { <-l.slots }()
			next(w, r)
		default:
			l.rejected.WithLabelValues(name).Inc()
			w.Header().Set("Retry-After", "1")
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":"too many API requests at once; retry in a second"}` + "\n"))
		}
	}
}
