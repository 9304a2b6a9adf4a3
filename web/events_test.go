package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/journal"
)

// testJournal returns an in-memory journal with events of two pairs, one
// a minute, the first at now-10m.
func testJournal(t *testing.T) *journal.Journal {
	t.Helper()
	j, err := journal.Open("", journal.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	events := []journal.Event{
		{Pair: "edge", Peer: "fw-a", Kind: journal.KindHAState, Before: "active", After: "non-functional", Message: "Peer fw-a changed its HA state from active to non-functional."},
		{Pair: "edge", Kind: journal.KindFailover, Before: "fw-a", After: "fw-b", Message: "Failover: fw-b took over as the active peer from fw-a."},
		{Pair: "core", Peer: "fw-b", Kind: journal.KindInterface, Subject: "ethernet1/2", Before: "up", After: "down", Message: "Data-plane interface ethernet1/2 of fw-b went down."},
		{Pair: "edge", Kind: journal.KindAWS, Subject: "rtb-01 0.0.0.0/0", Before: "on-active", After: "not-on-active", Message: "Route 0.0.0.0/0 in rtb-01 targets eni-0a1 of fw-a, not active peer fw-b."},
		{Pair: "edge", Peer: "fw-a", Kind: journal.KindAlert, Subject: "HAPairFailover", After: "firing", Message: "=HYPERLINK(\"x\") is firing, with \"quotes\", commas."},
	}
	for i := range events {
		events[i].Time = now.Add(time.Duration(i-10) * time.Minute)
	}
	if err := j.Append(events...); err != nil {
		t.Fatal(err)
	}
	return j
}

func getEvents(t *testing.T, url string) []journal.Event {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, body)
	}
	var er EventsResponse
	if err := json.Unmarshal([]byte(body), &er); err != nil {
		t.Fatal(err)
	}
	return er.Events
}

func kinds(ev []journal.Event) string {
	var k []string
	for _, e := range ev {
		k = append(k, e.Pair+"/"+e.Kind)
	}
	return strings.Join(k, ",")
}

func TestEventsAPI(t *testing.T) {
	srv := newServer(t, &source{}, testJournal(t))
	base := srv.URL + "/api/v1/events"
	ts := func(m int) string { return now.Add(time.Duration(m) * time.Minute).Format(time.RFC3339) }
	cases := []struct{ query, want string }{
		{"", "edge/ha-state,edge/failover,core/interface,edge/aws,edge/alert"},
		{"?pair=edge", "edge/ha-state,edge/failover,edge/aws,edge/alert"},
		{"?since=" + ts(-9), "edge/failover,core/interface,edge/aws,edge/alert"},
		{"?until=" + ts(-8), "edge/ha-state,edge/failover"},
		{"?pair=edge&since=" + ts(-9) + "&until=" + ts(-7), "edge/failover"},
		{"?limit=2", "edge/aws,edge/alert"},
		{"?limit=0&pair=core", "core/interface"},
		{"?pair=nope", ""},
	}
	for _, tc := range cases {
		if got := kinds(getEvents(t, base+tc.query)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.query, got, tc.want)
		}
	}
	ev := getEvents(t, base+"?pair=edge&limit=1")
	if len(ev) != 1 || ev[0].Subject != "HAPairFailover" || ev[0].Peer != "fw-a" || !ev[0].Time.Equal(now.Add(-6*time.Minute)) {
		t.Errorf("event fields: %+v", ev)
	}
}

func TestEventsCSV(t *testing.T) {
	srv := newServer(t, &source{}, testJournal(t))
	resp, body := get(t, srv.URL+"/api/v1/events?format=csv&pair=edge")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "hawatch-events.csv") {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "time,pair,peer,kind,subject,before,after,message" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != 5 {
		t.Fatalf("%d rows, want header and 4", len(rows))
	}
	if got := rows[2]; got[0] != "2025-03-04T09:51:00Z" || got[3] != "failover" || got[5] != "fw-a" || got[6] != "fw-b" {
		t.Errorf("failover row %q", got)
	}
	if got := rows[4][7]; got != `'=HYPERLINK("x") is firing, with "quotes", commas.` {
		t.Errorf("formula not defused or quoting lost: %q", got)
	}
}

func TestEventsAPIErrors(t *testing.T) {
	srv := newServer(t, &source{}, testJournal(t))
	for _, q := range []string{"since=yesterday", "until=2025-03-04", "limit=-1", "limit=many", "format=xml", "cursor=bogus",
		"since=2025-03-04T10:00:00Z&until=2025-03-04T09:00:00Z"} {
		resp, body := get(t, srv.URL+"/api/v1/events?"+q)
		var e apiError
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal([]byte(body), &e) != nil || e.Error == "" {
			t.Errorf("%s: %d %s", q, resp.StatusCode, body)
		}
	}
	// Without a journal the timeline is empty, not an error.
	if ev := getEvents(t, newServer(t, &source{}, nil).URL+"/api/v1/events"); ev == nil || len(ev) != 0 {
		t.Errorf("no journal: %v", ev)
	}
}

// bigJournal returns an in-memory journal of n events of two pairs, three
// to a second, the newest a minute before now.
func bigJournal(t testing.TB, n int) *journal.Journal {
	t.Helper()
	j, err := journal.Open("", journal.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	first := now.Add(-time.Minute - time.Duration(n/3)*time.Second)
	events := make([]journal.Event, n)
	for i := range events {
		events[i] = journal.Event{
			Time: first.Add(time.Duration(i/3) * time.Second), Pair: []string{"edge", "core"}[i%2],
			Peer: "fw-a", Kind: journal.KindInterface, Subject: fmt.Sprintf("ethernet1/%d", i),
			Before: "up", After: "down", Message: fmt.Sprintf("Data-plane interface ethernet1/%d of fw-a went down.", i),
		}
	}
	if err := j.Append(events...); err != nil {
		t.Fatal(err)
	}
	return j
}

// getPage fetches one JSON page and returns it with the raw body.
func getPage(t *testing.T, url string) (EventsResponse, *http.Response, string) {
	t.Helper()
	resp, body := get(t, url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", url, resp.StatusCode, body)
	}
	var er EventsResponse
	if err := json.Unmarshal([]byte(body), &er); err != nil {
		t.Fatalf("%s: %v\n%s", url, err, body)
	}
	return er, resp, body
}

func TestEventsPagination(t *testing.T) {
	j := bigJournal(t, 2345)
	srv := newServer(t, &source{}, j)
	for _, tc := range []struct {
		query string
		want  journal.Query
		pages int
	}{
		{"limit=100", journal.Query{}, 24},
		{"limit=7&pair=core", journal.Query{Pair: "core"}, 168},
		{"since=" + now.Add(-10*time.Minute).Format(time.RFC3339) + "&until=" + now.Add(-5*time.Minute).Format(time.RFC3339),
			journal.Query{Since: now.Add(-10 * time.Minute), Until: now.Add(-5 * time.Minute)}, 9},
	} {
		var pages [][]journal.Event
		url := srv.URL + "/api/v1/events?" + tc.query
		for len(pages) < 1000 {
			er, resp, body := getPage(t, url)
			pages = append(pages, er.Events)
			if er.NextCursor == "" {
				if resp.Header.Get("Link") != "" || strings.Contains(body, "next_cursor") {
					t.Errorf("%s: last page has a next link %q", tc.query, resp.Header.Get("Link"))
				}
				break
			}
			url = srv.URL + "/api/v1/events?" + tc.query + "&cursor=" + er.NextCursor
		}
		var got []journal.Event
		for _, p := range slices.Backward(pages) {
			got = append(got, p...)
		}
		if want := j.Query(tc.want); !slices.Equal(subjects(got), subjects(want)) {
			t.Errorf("%s: the walk visited %d events, want the %d of the journal once each, in order", tc.query, len(got), len(want))
		}
		if len(pages) != tc.pages {
			t.Errorf("%s: %d pages, want %d", tc.query, len(pages), tc.pages)
		}
	}
}

func subjects(ev []journal.Event) []string {
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.Pair + " " + e.Subject + " " + e.Time.Format(time.RFC3339Nano)
	}
	return out
}

// TestEventsCSVLink walks the CSV pages by their Link headers, resolved
// against the request as a client would.
func TestEventsCSVLink(t *testing.T) {
	j := bigJournal(t, 250)
	srv := newServer(t, &source{}, j)
	next, _ := url.Parse(srv.URL + "/api/v1/events?format=csv&pair=edge&limit=50")
	rows := 0
	for pages := 0; next != nil; pages++ {
		if pages > 10 {
			t.Fatal("the walk does not end")
		}
		resp, body := get(t, next.String())
		recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || resp.StatusCode != http.StatusOK || strings.Join(recs[0], ",") != strings.Join(csvHeader, ",") {
			t.Fatalf("%s: %d %v\n%s", next, resp.StatusCode, err, body)
		}
		rows += len(recs) - 1
		link := resp.Header.Get("Link")
		if link == "" {
			break
		}
		ref, ok := strings.CutSuffix(link, `>; rel="next"`)
		if !ok || !strings.HasPrefix(ref, "<events?") {
			t.Fatalf("Link %q", link)
		}
		rel, err := url.Parse(ref[1:])
		if err != nil {
			t.Fatal(err)
		}
		next = next.ResolveReference(rel)
		if q := next.Query(); next.Path != "/api/v1/events" || q.Get("format") != "csv" || q.Get("pair") != "edge" || q.Get("limit") != "50" {
			t.Fatalf("next page %s lost the query", next)
		}
	}
	if rows != 125 {
		t.Errorf("%d rows over the pages, want the 125 events of edge", rows)
	}
}

func TestEventsLimit(t *testing.T) {
	srv := newServer(t, &source{}, bigJournal(t, 3000))
	for _, tc := range []struct {
		limit string
		want  int
	}{
		{"", 100}, {"1", 1}, {"999", 999}, {"1000", 1000}, {"1001", 1000}, {"0", 1000},
		{"5000", 1000}, {"99999999999999999999999", 1000},
	} {
		er, resp, _ := getPage(t, srv.URL+"/api/v1/events?limit="+tc.limit)
		if len(er.Events) != tc.want || er.NextCursor == "" {
			t.Errorf("limit=%s: %d events, next %q; want %d and a next page", tc.limit, len(er.Events), er.NextCursor, tc.want)
		}
		ref, _ := strings.CutSuffix(strings.TrimPrefix(resp.Header.Get("Link"), "<"), `>; rel="next"`)
		if next, err := url.Parse(ref); err != nil || next.Query().Get("limit") != fmt.Sprint(tc.want) {
			t.Errorf("limit=%s: Link %q does not carry the limit served", tc.limit, resp.Header.Get("Link"))
		}
	}
}

// TestEventsJSONShape: the streamed body is the EventsResponse encoding,
// so clients of the unpaged API read it unchanged.
func TestEventsJSONShape(t *testing.T) {
	srv := newServer(t, &source{}, testJournal(t))
	_, resp, body := getPage(t, srv.URL+"/api/v1/events?limit=2")
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", resp.Header)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &raw); err != nil || len(raw) != 2 || raw["events"] == nil || raw["next_cursor"] == nil {
		t.Errorf("body keys %v (%v):\n%s", slices.Collect(maps.Keys(raw)), err, body)
	}
	var events []map[string]any
	if err := json.Unmarshal(raw["events"], &events); err != nil || len(events) != 2 {
		t.Fatalf("events %v: %s", err, raw["events"])
	}
	if e := events[1]; e["time"] != "2025-03-04T09:54:00Z" || e["pair"] != "edge" || e["peer"] != "fw-a" || e["kind"] != "alert" ||
		e["subject"] != "HAPairFailover" || e["after"] != "firing" || e["message"] == nil || e["before"] != nil {
		t.Errorf("event %v", e)
	}
	_, _, body = getPage(t, srv.URL+"/api/v1/events?pair=nope")
	if body != "{\"events\":[]}\n" {
		t.Errorf("empty page %q", body)
	}
}

// discardWriter is a ResponseWriter that keeps nothing of the body.
type discardWriter struct {
	h http.Header
	n int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Write(p []byte) (int, error) { d.n += len(p); return len(p), nil }

// TestEventsPageCost: a page of 1000 from a journal of 100,000 events
// allocates about the page, not the journal or the whole reply.
func TestEventsPageCost(t *testing.T) {
	h := NewHandler(Options{Journal: bigJournal(t, 100000), Now: func() time.Time { return now }})
	req := httptest.NewRequest(http.MethodGet, "/api/v1/events?limit=1000&pair=edge", nil)
	var w *discardWriter
	serve := func() {
		w = &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, req)
	}
	serve()
	const runs = 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		serve()
	}
	runtime.ReadMemStats(&after)
	perReply := (after.TotalAlloc - before.TotalAlloc) / runs
	t.Logf("page of 1000 from 100000 events: %d bytes sent, %d bytes and %d objects allocated per reply",
		w.n, perReply, (after.Mallocs-before.Mallocs)/runs)
	if w.n < 200_000 {
		t.Fatalf("reply of %d bytes; the page is not full", w.n)
	}
	// The page's copy is 1000 events of about 140 bytes; encoding reuses
	// its buffer.
	if perReply > 512<<10 {
		t.Errorf("%d bytes allocated per reply, want under 512 KiB", perReply)
	}
}

func BenchmarkEventsPage(b *testing.B) {
	h := NewHandler(Options{Journal: bigJournal(b, 100000), Now: func() time.Time { return now }})
	for _, format := range []string{"json", "csv"} {
		b.Run(format, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/events?limit=1000&format="+format, nil)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(&discardWriter{h: http.Header{}}, req)
			}
		})
	}
}
