package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hawatch/hawatch/journal"
)

// EventsResponse is the JSON body of GET /api/v1/events.
type EventsResponse struct {
	Events []journal.Event `json:"events"`
}

// serveEvents answers GET /api/v1/events?pair=&since=&until=&limit=&format=:
// the timeline, oldest first, as JSON (the default) or CSV with a header
// row. since and until are RFC 3339 times (since inclusive, until
// exclusive); limit keeps the newest events, 1000 by default, all with 0.
func (h *handler) serveEvents(w http.ResponseWriter, r *http.Request) {
	q, format, err := parseEventsQuery(r.URL.Query())
	if err != nil {
		h.writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	events := []journal.Event{}
	if h.opts.Journal != nil {
		events = append(events, h.opts.Journal.Query(q)...)
	}
	if format == "json" {
		h.writeJSON(w, http.StatusOK, EventsResponse{Events: events})
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="hawatch-events.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"time", "pair", "peer", "kind", "subject", "before", "after", "message"})
	for _, e := range events {
		_ = cw.Write([]string{
			e.Time.UTC().Format(time.RFC3339Nano), csvCell(e.Pair), csvCell(e.Peer), csvCell(e.Kind),
			csvCell(e.Subject), csvCell(e.Before), csvCell(e.After), csvCell(e.Message),
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.log.Debug("writing the events csv failed", "err", err)
	}
}

// parseEventsQuery reads the parameters of the events API.
func parseEventsQuery(v url.Values) (journal.Query, string, error) {
	q := journal.Query{Pair: v.Get("pair"), Limit: defaultEventLimit}
	var err error
	if q.Since, err = parseTime(v, "since"); err != nil {
		return q, "", err
	}
	if q.Until, err = parseTime(v, "until"); err != nil {
		return q, "", err
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return q, "", errors.New("until must be after since")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, "", fmt.Errorf("limit %q is not a count of events", s)
		}
		q.Limit = n
	}
	format := strings.ToLower(v.Get("format"))
	switch format {
	case "":
		format = "json"
	case "json", "csv":
	default:
		return q, "", fmt.Errorf("format %q is neither json nor csv", v.Get("format"))
	}
	return q, format, nil
}

func parseTime(v url.Values, name string) (time.Time, error) {
	s := v.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q is not an RFC 3339 time", name, s)
	}
	return t, nil
}

// csvCell keeps a spreadsheet from reading a cell as a formula.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
