package daemon

import (
	"context"
	"mime"
	"net/http"
	"time"
)

// reloadHeader marks a reload request as sent by a program; a browser
// sends a custom header to another site only after a CORS preflight,
// which hawatch never grants.
const reloadHeader = "X-Hawatch-Reload"

// reloadTimeout bounds a reload requested over HTTP; it ends well within
// the server's write timeout.
const reloadTimeout = 30 * time.Second

// lifecycleDisabled answers /-/reload while the lifecycle API is off, as
// Prometheus does.
func lifecycleDisabled(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "Lifecycle API is not enabled: set HAWATCH_WEB_ENABLE_LIFECYCLE=true, or send SIGHUP to reload.", http.StatusForbidden)
}

// maintenanceDisabled answers the maintenance changes while the lifecycle
// API is off: starting maintenance holds alerts back, which is not for
// anyone who can reach the port.
func maintenanceDisabled(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "Lifecycle API is not enabled: set HAWATCH_WEB_ENABLE_LIFECYCLE=true to start or stop maintenance.", http.StatusForbidden)
}

// serveReload re-reads the configuration for POST /-/reload. It refuses
// what a page on another site can make a browser send: a cross-origin
// request, and any simple request (a form post, a no-cors fetch), which
// needs no preflight. A program sends JSON or the X-Hawatch-Reload header;
// the body is not read.
func (d *Daemon) serveReload(w http.ResponseWriter, r *http.Request) {
	if !d.lifecycleRequest(w, r, "Reload") {
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), reloadTimeout)
	defer cancel()
	if err := d.Reload(ctx); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("Reloaded.\n"))
}

// lifecycleRequest refuses, for the endpoints that change hawatch's
// state (what), what a page on another site can make a browser send: a
// cross-origin request, and any simple request (a form post, a no-cors
// fetch), which needs no preflight. A program sends JSON or the
// X-Hawatch-Reload header. It reports whether the request may go on.
func (d *Daemon) lifecycleRequest(w http.ResponseWriter, r *http.Request, what string) bool {
	if err := http.NewCrossOriginProtection().Check(r); err != nil {
		http.Error(w, what+" refused: the request came from another site.", http.StatusForbidden)
		return false
	}
	if !programRequest(r) {
		http.Error(w, what+" refused: send it with Content-Type: application/json or an "+reloadHeader+
			" header, which a form on another site cannot.", http.StatusForbidden)
		return false
	}
	return true
}

// programRequest reports whether r is one a browser sends cross-site only
// after a preflight: with the reload header or a JSON body type.
func programRequest(r *http.Request) bool {
	if r.Header.Get(reloadHeader) != "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}
