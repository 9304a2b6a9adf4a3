package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/maintenance"
)

// maxMaintenanceBody bounds the body of POST /api/v1/maintenance.
const maxMaintenanceBody = 4 << 10

// MaintenanceRequest is the body of POST /api/v1/maintenance.
type MaintenanceRequest struct {
	Pair string `json:"pair"`
	// Duration is a Go duration ("2h", "90m").
	Duration string `json:"duration"`
	Reason   string `json:"reason,omitempty"`
}

// maintenanceOf adapts the store for the alert engine.
func maintenanceOf(s *maintenance.Store) alerts.MaintenanceFunc {
	return func(pair string, now time.Time) (alerts.Maintenance, bool) {
		w, ok := s.Active(pair, now)
		return alerts.Maintenance{Until: w.End, Reason: w.Reason}, ok
	}
}

// configuredMaintenance returns the windows the configuration file
// announces.
func configuredMaintenance(cfg *config.Config) []maintenance.Window {
	ws := make([]maintenance.Window, 0, len(cfg.Maintenance))
	for _, m := range cfg.Maintenance {
		ws = append(ws, maintenance.Window{Pair: m.Pair, End: m.Until, Reason: m.Reason})
	}
	return ws
}

// expireMaintenance journals the windows that ended by now.
func (d *Daemon) expireMaintenance(now time.Time) {
	ws, err := d.maint.Expire(now)
	if err != nil {
		d.log.Error("cannot save maintenance windows", "err", err)
	}
	for _, w := range ws {
		d.journalMaintenance(journal.MaintenanceEvent(w.End, w.Pair, "in maintenance", "expired",
			"Maintenance of "+w.Pair+" expired at its end time."))
	}
}

// journalMaintenance records a maintenance event and logs it.
func (d *Daemon) journalMaintenance(e journal.Event) {
	d.log.Info("maintenance", "pair", e.Pair, "change", e.After, "msg", e.Message)
	if err := d.journal.Append(e); err != nil {
		d.log.Error("cannot record events", "pair", e.Pair, "err", err)
	}
}

// serveMaintenanceList answers GET /api/v1/maintenance: the windows in
// force, by pair.
func (d *Daemon) serveMaintenanceList(w http.ResponseWriter, _ *http.Request) {
	ws := d.maint.List(time.Now())
	if ws == nil {
		ws = []maintenance.Window{}
	}
	writeJSON(w, http.StatusOK, ws)
}

// serveMaintenanceStart answers POST /api/v1/maintenance.
func (d *Daemon) serveMaintenanceStart(w http.ResponseWriter, r *http.Request) {
	if !d.lifecycleRequest(w, r, "Maintenance") {
		return
	}
	var req MaintenanceRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, maxMaintenanceBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, fmt.Sprintf("Bad request: %v.", err), http.StatusBadRequest)
		return
	}
	dur, err := time.ParseDuration(req.Duration)
	if err != nil {
		http.Error(w, fmt.Sprintf("Bad duration %q: %v.", req.Duration, err), http.StatusBadRequest)
		return
	}
	if !slices.Contains(d.sched.Pairs(), req.Pair) {
		http.Error(w, fmt.Sprintf("No pair %q is watched here.", req.Pair), http.StatusNotFound)
		return
	}
	now := time.Now()
	win, err := d.maint.Start(req.Pair, now, dur, req.Reason)
	switch {
	case errors.Is(err, maintenance.ErrBadDuration), errors.Is(err, maintenance.ErrLongReason), errors.Is(err, maintenance.ErrNoPair):
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	msg := "Maintenance of " + win.Pair + " until " + win.End.Format(time.RFC3339)
	if win.Reason != "" {
		msg += ": " + win.Reason
	}
	d.journalMaintenance(journal.MaintenanceEvent(now, win.Pair, "", "in maintenance", msg+"."))
	writeJSON(w, http.StatusCreated, win)
}

// serveMaintenanceStop answers DELETE /api/v1/maintenance/{pair}.
func (d *Daemon) serveMaintenanceStop(w http.ResponseWriter, r *http.Request) {
	if !d.lifecycleRequest(w, r, "Maintenance") {
		return
	}
	pair := r.PathValue("pair")
	now := time.Now()
	win, ok, err := d.maint.Stop(pair, now)
	switch {
	case err != nil:
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	case !ok:
		if cw, in := d.maint.Active(pair, now); in && cw.Source == maintenance.SourceConfig {
			http.Error(w, fmt.Sprintf("The maintenance of pair %q is set in the configuration file: remove it there and reload.", pair), http.StatusConflict)
			return
		}
		http.Error(w, fmt.Sprintf("Pair %q is not in maintenance.", pair), http.StatusNotFound)
		return
	}
	d.journalMaintenance(journal.MaintenanceEvent(now, win.Pair, "in maintenance", "ended",
		"Maintenance of "+win.Pair+" ended by an operator."))
	writeJSON(w, http.StatusOK, win)
}

// writeJSON writes v as the JSON reply.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
