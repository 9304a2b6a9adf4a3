package daemon

import (
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/exporter"
	"github.com/hawatch/hawatch/web"
)

// maxHeaderBytes bounds the headers of a request: room for basic auth and
// a browser's cookies, far below net/http's default of 1 MiB.
const maxHeaderBytes = 64 << 10

// maxReadHeaderTimeout bounds reading the headers of a request, however
// long the whole request may take.
const maxReadHeaderTimeout = 10 * time.Second

// newServer returns the HTTP server of h, bounded by w so that no client
// holds a handler, a connection or memory for long: the write timeout
// ends the handlers of clients that stop reading, the idle timeout closes
// abandoned keep-alive connections.
func newServer(h http.Handler, w config.WebConfig) *http.Server {
	w = w.OrDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(w.ReadTimeout, maxReadHeaderTimeout),
		ReadTimeout:       w.ReadTimeout,
		WriteTimeout:      w.WriteTimeout,
		IdleTimeout:       w.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
}

// handler is hawatch's HTTP surface.
func (d *Daemon) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", d.metrics.Handler(d.registry, exporter.HandlerOpts{
		Registry: d.registry,
		ErrorLog: slogErrorLog{d.log},
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
	if d.cfg.Web.EnableLifecycle {
		mux.HandleFunc("POST /-/reload", d.serveReload)
		mux.HandleFunc("/-/reload", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "Reload takes POST.", http.StatusMethodNotAllowed)
		})
	} else {
		mux.HandleFunc("/-/reload", lifecycleDisabled)
	}
	mux.HandleFunc("GET /api/v1/maintenance", d.serveMaintenanceList)
	if d.cfg.Web.EnableLifecycle {
		mux.HandleFunc("POST /api/v1/maintenance", d.serveMaintenanceStart)
		mux.HandleFunc("DELETE /api/v1/maintenance/{pair}", d.serveMaintenanceStop)
	} else {
		mux.HandleFunc("POST /api/v1/maintenance", maintenanceDisabled)
		mux.HandleFunc("DELETE /api/v1/maintenance/{pair}", maintenanceDisabled)
	}
	if d.cfg.Web.EnablePprof {
		registerPprof(mux)
	}
	mux.Handle("/", web.NewHandler(web.Options{
		Snapshots: d.sched.Snapshots,
		Alerts:    func() []web.AlertInfo { return alertInfos(d.alerts.Active()) },
		Journal:   d.journal,
		Maintenance: func(pair string, now time.Time) (web.MaintenanceView, bool) {
			w, ok := d.maint.Active(pair, now)
			return web.MaintenanceView{Until: w.End, Reason: w.Reason}, ok
		},
		Logger: d.log.With("component", "web"),
		Title:  "hawatch",
		Links: []web.Link{
			{Text: "Metrics", Href: "/metrics"},
			{Text: "Pairs (JSON)", Href: "/api/v1/pairs"},
			{Text: "Events (CSV)", Href: "/api/v1/events?format=csv"},
			{Text: "Snapshots", Href: "/api/v1/snapshots"},
			{Text: "Ready", Href: "/-/ready"},
		},
		MaxAPIRequests: d.cfg.Web.OrDefaults().MaxAPIRequests,
		Registerer:     d.registry,
		StateSnapshots: d.recorder.Saver(),
	}))
	return mux
}

// registerPprof serves Go's runtime profiles on mux, as net/http/pprof
// does on the default mux, which hawatch does not use. Index serves the
// named profiles (heap, goroutine, allocs, ...) under /debug/pprof/.
func registerPprof(mux *http.ServeMux) {
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
}

// slogErrorLog adapts slog for promhttp's error log.
type slogErrorLog struct {
	log interface{ Error(string, ...any) }
}

func (l slogErrorLog) Println(v ...any) { l.log.Error("metrics handler", "err", v) }
