package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hawatch/hawatch/journal"
)

// assets holds the page template and the static files; nothing is loaded
// from anywhere else.
//
//go:embed assets
var assets embed.FS

// pageData is what the page template renders.
type pageData struct {
	Title     string
	Links     []Link
	Assets    string
	Generated time.Time
	Pairs     []PairView
	Summary   string
	// Events are the latest events, newest first.
	Events     []journal.Event
	HasJournal bool
}

func (h *handler) servePage(w http.ResponseWriter, _ *http.Request) {
	now := h.opts.Now()
	d := pageData{
		Title: h.opts.Title, Links: h.opts.Links, Assets: h.assets, Generated: now,
		Pairs: h.views(now), HasJournal: h.opts.Journal != nil,
	}
	d.Summary = summary(d.Pairs)
	if h.opts.Journal != nil {
		d.Events = h.opts.Journal.Query(journal.Query{Limit: pageEvents})
		slices.Reverse(d.Events)
	}
	var buf bytes.Buffer
	if err := h.page.Execute(&buf, d); err != nil {
		h.log.Error("rendering the status page failed", "err", err)
		http.Error(w, "rendering the status page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

// summary counts the pairs by status, worst first: "1 down, 2 healthy".
func summary(pairs []PairView) string {
	if len(pairs) == 0 {
		return "no pairs"
	}
	var parts []string
	for _, s := range []Status{StatusDown, StatusDegraded, StatusUnknown, StatusRecovered, StatusHealthy} {
		n := 0
		for _, p := range pairs {
			if p.Status == s {
				n++
			}
		}
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return strings.Join(parts, " · ")
}

// pageTemplate parses the embedded page template.
func pageTemplate() *template.Template {
	return template.Must(template.New("index.html").Funcs(template.FuncMap{
		"statusLabel": statusLabel,
		"stateLabel":  stateLabel,
		"stateClass":  stateClass,
		"rate":        ratePtr,
		"age":         func(s float64) string { return formatAge(time.Duration(s * float64(time.Second))) },
		"count":       formatCount,
		"utc":         func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") },
		"date":        func(t time.Time) string { return t.UTC().Format("2006-01-02") },
		"clock":       func(t time.Time) string { return t.UTC().Format("15:04:05") },
		"rfc3339":     func(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) },
		"join":        strings.Join,
		"flowLabel":   flowLabel,
		"groupLabel":  groupLabel,
		"groups":      alertGroups,
		"upDown": func(up bool) string {
			if up {
				return "up"
			}
			return "down"
		},
	}).ParseFS(assets, "assets/index.html"))
}

// staticHandler serves the embedded CSS, script and icon.
func staticHandler() http.Handler {
	sub, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err) // the directory is embedded: cannot happen
	}
	return http.FileServerFS(sub)
}

// assetVersion hashes the static files so that a new release's page never
// runs an old cached script.
func assetVersion() string {
	h := sha256.New()
	_ = fs.WalkDir(assets, "assets/static", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := assets.ReadFile(path)
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// alertGroup is the alerts of one group, for the template.
type alertGroup struct {
	Name   string
	Alerts []AlertView
}

// alertGroups splits alerts, ordered by group, into their groups.
func alertGroups(alerts []AlertView) []alertGroup {
	var out []alertGroup
	for _, a := range alerts {
		if len(out) == 0 || out[len(out)-1].Name != a.Group {
			out = append(out, alertGroup{Name: a.Group})
		}
		out[len(out)-1].Alerts = append(out[len(out)-1].Alerts, a)
	}
	return out
}

// groupLabel heads a group of alerts.
func groupLabel(g string) string {
	switch g {
	case GroupFiring:
		return "Firing"
	case GroupHeld:
		return "Held after recovery (keep_firing_for)"
	case GroupExpected:
		return "Expected in maintenance (held back from Alertmanager)"
	}
	return "Pending"
}

// statusLabel is the text a status shows besides its color.
func statusLabel(s Status) string {
	switch s {
	case StatusHealthy:
		return "✔ HEALTHY"
	case StatusDegraded:
		return "▲ DEGRADED"
	case StatusRecovered:
		return "↺ RECOVERED"
	case StatusDown:
		return "✖ DOWN"
	}
	return "? UNKNOWN"
}

// stateLabel is an HA state in capitals, or NOT ANSWERING for a peer that
// does not answer.
func stateLabel(p PeerView) string {
	if !p.Up {
		return "NOT ANSWERING"
	}
	if !p.HAEnabled && p.HAState == "unknown" {
		return "HA UNKNOWN"
	}
	return strings.ToUpper(p.HAState)
}

// stateClass groups HA states for coloring: good (active), standby
// (passive), bad (non-functional, suspended, not answering), and other.
func stateClass(state string, up bool) string {
	switch {
	case !up:
		return "bad"
	case strings.HasPrefix(state, "active"):
		return "good"
	case state == "passive":
		return "standby"
	case state == "non-functional" || state == "suspended":
		return "bad"
	}
	return "other"
}

// flowLabel names a traffic state: flowing, stopped or unknown.
func flowLabel(flowing string) string {
	switch flowing {
	case "yes":
		return "flowing"
	case "no":
		return "stopped"
	}
	return "unknown"
}

func ratePtr(r *float64) string {
	if r == nil {
		return "unknown"
	}
	return journal.Rate(*r)
}

// formatAge shows an age as "45s", "12m", "3h" or "2d".
func formatAge(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < 2*time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < 2*time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// formatCount writes a count with thousands separators: 1,234,567.
func formatCount(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
