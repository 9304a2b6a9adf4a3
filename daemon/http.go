package daemon

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hawatch/hawatch/web"
)

// handler is hawatch's HTTP surface.
func (d *Daemon) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(d.registry, promhttp.HandlerOpts{
		Registry:          d.registry,
		EnableOpenMetrics: true,
		ErrorLog:          slogErrorLog{d.log},
	}))
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("Healthy.\n"))
	})
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !d.sched.Ready() {
			http.Error(w, "Not ready: waiting for the first poll of every pair.", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("Ready.\n"))
	})
	mux.HandleFunc("POST /-/reload", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		if err := d.Reload(ctx); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("Reloaded.\n"))
	})
	mux.Handle("/", web.NewHandler(web.Options{
		Snapshots: d.sched.Snapshots,
		Alerts:    func() []web.AlertInfo { return alertInfos(d.alerts.Active()) },
		Journal:   d.journal,
		Logger:    d.log.With("component", "web"),
		Title:     "hawatch",
		Links: []web.Link{
			{Text: "Metrics", Href: "/metrics"},
			{Text: "Pairs (JSON)", Href: "/api/v1/pairs"},
			{Text: "Events (CSV)", Href: "/api/v1/events?format=csv"},
			{Text: "Ready", Href: "/-/ready"},
		},
	}))
	return mux
}

// slogErrorLog adapts slog for promhttp's error log.
type slogErrorLog struct {
	log interface{ Error(string, ...any) }
}

func (l slogErrorLog) Println(v ...any) { l.log.Error("metrics handler", "err", v) }
