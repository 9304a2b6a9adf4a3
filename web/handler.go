// Package web serves hawatch's status page and its JSON API: GET / is one
// self-contained page for the war room (every pair's state at a glance and
// the event timeline, refreshed in place by its script, readable without
// it), GET /api/v1/pairs the same state as JSON, and GET /api/v1/events the
// timeline as JSON or CSV for the post-mortem.
package web

import (
	"cmp"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/statesnap"
)

// AlertInfo is an active alert as the status page shows it.
type AlertInfo struct {
	Name, Pair, Peer string
	// Severity is critical, warning or info; State is pending or firing.
	Severity, State      string
	ActiveAt             time.Time
	Summary, Description string
	RunbookURL           string
	// HeldSince is when the condition of a firing alert cleared while
	// its keep_firing_for hold keeps it firing until HeldUntil; zero
	// otherwise.
	HeldSince, HeldUntil time.Time
	// Expected marks an alert that the pair's announced maintenance
	// holds back from Alertmanager.
	Expected bool
}

// Link is an extra link in the page header.
type Link struct {
	Text, Href string
}

// Options configure the handler.
type Options struct {
	// Snapshots returns the latest snapshot of every pair.
	Snapshots func() []*snapshot.Pair
	// Alerts returns the active alerts; nil when alerting is off.
	Alerts func() []AlertInfo
	// Maintenance returns a pair's announced maintenance in force at
	// now; none when nil.
	Maintenance func(pair string, now time.Time) (MaintenanceView, bool)
	// Journal is the event timeline; nil shows none.
	Journal *journal.Journal
	Now     func() time.Time
	Logger  *slog.Logger
	// Title heads the page, e.g. "hawatch".
	Title string
	// Links are shown in the header, e.g. /metrics and /-/ready.
	Links []Link
	// MaxAPIRequests caps the /api/v1 requests served at once; more are
	// refused with 503 and Retry-After. DefaultMaxAPIRequests when 0.
	MaxAPIRequests int
	// Registerer receives the API request counters; none when nil.
	Registerer prometheus.Registerer
	// StateSnapshots are the stored state snapshots; nil serves none.
	StateSnapshots statesnap.Saver
}

// DefaultMaxAPIRequests is how many /api/v1 requests are served at once
// unless Options say otherwise.
const DefaultMaxAPIRequests = 8

// Limits of the events API and the page's timeline.
const (
	defaultEventLimit = 100
	maxEventLimit     = 1000
	pageEvents        = 50
)

// handler serves the page and the API.
type handler struct {
	opts   Options
	log    *slog.Logger
	page   *template.Template
	assets string // version of the static assets, for cache busting
}

// NewHandler returns the handler of GET /, GET /api/v1/pairs,
// GET /api/v1/events and GET /static/….
func NewHandler(o Options) http.Handler {
	if o.Snapshots == nil {
		o.Snapshots = func() []*snapshot.Pair { return nil }
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.Title = cmp.Or(o.Title, "hawatch")
	h := &handler{
		opts: o, log: o.Logger, page: pageTemplate(), assets: assetVersion(),
	}
	lim := newLimiter(cmp.Or(o.MaxAPIRequests, DefaultMaxAPIRequests), o.Registerer, o.Logger)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.servePage)
	mux.HandleFunc("GET /api/v1/pairs", lim.wrap("/api/v1/pairs", h.servePairs))
	mux.HandleFunc("GET /api/v1/events", lim.wrap("/api/v1/events", h.serveEvents))
	mux.HandleFunc("GET /api/v1/snapshots", lim.wrap("/api/v1/snapshots", h.serveStateSnapshots))
	mux.HandleFunc("GET /api/v1/snapshots/{name}", lim.wrap("/api/v1/snapshots", h.serveStateSnapshot))
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	return secureHeaders(mux)
}

// secureHeaders forbids every source but the server itself: the page
// loads nothing from elsewhere and works offline.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// views builds the view of every pair, the most broken first, then by name.
func (h *handler) views(now time.Time) []PairView {
	byPair := map[string][]AlertInfo{}
	if h.opts.Alerts != nil {
		for _, a := range h.opts.Alerts() {
			byPair[a.Pair] = append(byPair[a.Pair], a)
		}
	}
	snaps := h.opts.Snapshots()
	out := make([]PairView, 0, len(snaps))
	for _, p := range snaps {
		if p == nil {
			continue
		}
		in := ClassifyInput{Now: now, Alerts: byPair[p.Name]}
		if h.opts.Maintenance != nil {
			if m, ok := h.opts.Maintenance(p.Name, now); ok {
				in.Maintenance = &m
			}
		}
		out = append(out, pairView(p, in))
	}
	// The most broken pairs first, so that the page opens on them.
	slices.SortFunc(out, func(a, b PairView) int {
		return cmp.Or(cmp.Compare(a.Status.rank(), b.Status.rank()), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func (h *handler) servePairs(w http.ResponseWriter, r *http.Request) {
	now := h.opts.Now()
	resp := PairsResponse{GeneratedAt: now, Pairs: h.views(now)}
	if name := r.URL.Query().Get("pair"); name != "" {
		resp.Pairs = slices.DeleteFunc(resp.Pairs, func(p PairView) bool { return p.Name != name })
	}
	h.writeJSON(w, http.StatusOK, resp)
}

// writeJSON writes v as the JSON body of the reply.
func (h *handler) writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		h.log.Debug("writing the api reply failed", "err", err)
	}
}

// apiError is the body of an API error reply.
type apiError struct {
	Error string `json:"error"`
}
