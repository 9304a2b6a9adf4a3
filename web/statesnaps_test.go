package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/statesnap"
)

// TestStateSnapshotsAPI lists and fetches snapshots and links them from
// the timeline of the page.
func TestStateSnapshotsAPI(t *testing.T) {
	st := statesnap.NewMemStore()
	for i, pair := range []string{"edge", "core"} {
		s := &statesnap.Snapshot{SchemaVersion: 1, Name: pair + "-failover-x-before", Pair: pair,
			TakenAt: now.Add(time.Duration(i) * time.Minute), Trigger: statesnap.TriggerBefore,
			Peers: []statesnap.Peer{{Name: "fw-a", Reachable: true}}}
		if err := st.Save(s); err != nil {
			t.Fatal(err)
		}
	}
	j, err := journal.Open("", journal.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(journal.Event{Time: now, Pair: "edge", Kind: journal.KindSnapshot, Subject: "edge-failover-x-before",
		After: "before", Message: "State snapshot edge-failover-x-before saved (before: Failover.)"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Options{Journal: j, StateSnapshots: st, Now: func() time.Time { return now }}))
	defer srv.Close()

	var list SnapshotsResponse
	if resp, body := get(t, srv.URL+"/api/v1/snapshots?pair=edge"); resp.StatusCode != http.StatusOK {
		t.Fatalf("list: %d %s", resp.StatusCode, body)
	} else if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Snapshots) != 1 || list.Snapshots[0].Name != "edge-failover-x-before" {
		t.Errorf("pair edge lists %+v", list.Snapshots)
	}
	resp, body := get(t, srv.URL+"/api/v1/snapshots/core-failover-x-before")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}
	if s, err := statesnap.Unmarshal([]byte(body), "reply"); err != nil || s.Pair != "core" {
		t.Errorf("the reply is not a snapshot file of pair core: %v", err)
	}
	for path, code := range map[string]int{"nope": http.StatusNotFound, "-dash": http.StatusBadRequest} {
		if resp, _ := get(t, srv.URL+"/api/v1/snapshots/"+path); resp.StatusCode != code {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, code)
		}
	}
	_, page := get(t, srv.URL+"/")
	if !strings.Contains(page, `<a class="snap" href="api/v1/snapshots/edge-failover-x-before">edge-failover-x-before</a>`) {
		t.Error("the timeline does not link the snapshot event")
	}
}

// TestBrowserSnapshotLink: the page's script, which rebuilds the timeline
// from the events API, links a snapshot event to its snapshot too.
func TestBrowserSnapshotLink(t *testing.T) {
	bin := chromium(t)
	j, err := journal.Open("", journal.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(journal.Event{Time: now, Pair: "edge", Kind: journal.KindSnapshot, Subject: "edge-failover-x-after",
		After: "after", Message: "State snapshot edge-failover-x-after saved (after: Failover.)"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewHandler(Options{Snapshots: allPairs, Journal: j, Now: func() time.Time { return now }}))
	t.Cleanup(srv.Close)
	dom := runChromium(t, bin, srv.URL+"/", "--dump-dom")
	if !strings.Contains(dom, `data-refreshed="1"`) {
		t.Fatalf("the page's script did not refresh the view:\n%s", tail(dom, 3000))
	}
	if !strings.Contains(dom, `<a class="snap" href="api/v1/snapshots/edge-failover-x-after">edge-failover-x-after</a>`) {
		t.Errorf("the refreshed timeline does not link the snapshot:\n%s", tail(dom, 3000))
	}
}
