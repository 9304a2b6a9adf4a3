package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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
	// NextCursor continues with the older events; absent on the last page.
	NextCursor string `json:"next_cursor,omitempty"`
}

// csvHeader names the columns of the CSV timeline.
var csvHeader = []string{"time", "pair", "peer", "kind", "subject", "before", "after", "message"}

// serveEvents answers GET /api/v1/events?pair=&since=&until=&limit=&cursor=&format=:
// one page of the timeline, oldest first, as JSON (the default) or CSV
// with a header row. since and until are RFC 3339 times (since inclusive,
// until exclusive). A page holds the newest limit events (100 by default,
// at most 1000) before the cursor; the cursor of the page before it comes
// in the body's next_cursor and in a Link header with rel="next". The page
// is encoded event by event as it is written, so that a reply costs its
// page whatever the size of the journal.
func (h *handler) serveEvents(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q, cursor, format, err := parseEventsQuery(v)
	if err != nil {
		h.writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
		return
	}
	var page journal.Page
	if h.opts.Journal != nil {
		if page, err = h.opts.Journal.Page(q, cursor); err != nil {
			h.writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	if page.Next != "" {
		w.Header().Set("Link", nextLink(v, q.Limit, page.Next))
	}
	if format == "json" {
		err = streamJSON(w, page)
	} else {
		err = streamCSV(w, page.Events)
	}
	if err != nil {
		h.log.Debug("writing the events reply failed", "format", format, "err", err)
	}
}

// nextLink is the Link header value of the next page: the same query with
// the cursor and the limit served. The reference is relative, so that it
// holds behind a proxy that serves hawatch under a path prefix.
func nextLink(v url.Values, limit int, cursor string) string {
	next := maps.Clone(v)
	next.Set("limit", strconv.Itoa(limit))
	next.Set("cursor", cursor)
	return "<events?" + next.Encode() + `>; rel="next"`
}

// streamJSON writes the page as an EventsResponse, one event a line.
func streamJSON(w http.ResponseWriter, page journal.Page) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	buf.WriteString(`{"events":[`)
	for i := range page.Events {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n  ")
		// A pointer, so that the event is not copied to the heap.
		if err := enc.Encode(&page.Events[i]); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // Encode's newline
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		buf.Reset()
	}
	if len(page.Events) > 0 {
		buf.WriteByte('\n')
	}
	buf.WriteByte(']')
	if page.Next != "" {
		buf.WriteString(`,"next_cursor":`)
		if err := enc.Encode(page.Next); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1)
	}
	buf.WriteString("}\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// streamCSV writes the events as CSV rows after a header row.
func streamCSV(w http.ResponseWriter, events []journal.Event) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="hawatch-events.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, e := range events {
		if err := cw.Write([]string{
			e.Time.UTC().Format(time.RFC3339Nano), csvCell(e.Pair), csvCell(e.Peer), csvCell(e.Kind),
			csvCell(e.Subject), csvCell(e.Before), csvCell(e.After), csvCell(e.Message),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// parseEventsQuery reads the parameters of the events API. A limit above
// the maximum, or 0 (all, before pages), is served as the maximum.
func parseEventsQuery(v url.Values) (q journal.Query, cursor, format string, err error) {
	q = journal.Query{Pair: v.Get("pair"), Limit: defaultEventLimit}
	if q.Since, err = parseTime(v, "since"); err != nil {
		return q, "", "", err
	}
	if q.Until, err = parseTime(v, "until"); err != nil {
		return q, "", "", err
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return q, "", "", errors.New("until must be after since")
	}
	if s := v.Get("limit"); s != "" {
		// A count too big to parse is still a count: it is clamped too.
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return q, "", "", fmt.Errorf("limit %q is not a count of events", s)
		}
		q.Limit = maxEventLimit
		if n > 0 && n < maxEventLimit {
			q.Limit = int(n)
		}
	}
	format = strings.ToLower(v.Get("format"))
	switch format {
	case "":
		format = "json"
	case "json", "csv":
	default:
		return q, "", "", fmt.Errorf("format %q is neither json nor csv", v.Get("format"))
	}
	return q, v.Get("cursor"), format, nil
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
