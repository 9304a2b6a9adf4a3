package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
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
	for _, q := range []string{"since=yesterday", "until=2025-03-04", "limit=-1", "limit=many", "format=xml",
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
