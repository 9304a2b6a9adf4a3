//go:build unix

package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/snapshot"
)

// openFindings is what an operator does before the page's script refreshes
// it: open the folded findings of pair core. It runs while the page is
// parsed, so before the deferred script's first refresh.
const openFindings = `<script>document.querySelector('section[data-pair="core"] details.findings').open = true;</script></body>`

// TestBrowserFindingsFolded: in headless Chromium, after the page's script
// re-rendered it from the API, a broken pair's card shows the cause, at
// most snapshot.MaxEvidence lines of evidence and the other findings
// folded; findings the operator opened stay open across the re-render,
// the others stay closed.
func TestBrowserFindingsFolded(t *testing.T) {
	bin := chromium(t)
	h := NewHandler(Options{
		Snapshots: allPairs, Alerts: func() []AlertInfo { return []AlertInfo{vpcAlert} },
		Now: func() time.Time { return now }, Title: "hawatch",
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(strings.Replace(rec.Body.String(), "</body>", openFindings, 1)))
	}))
	t.Cleanup(srv.Close)

	dom := runChromium(t, bin, srv.URL+"/", "--dump-dom")
	if !strings.Contains(dom, `data-refreshed="1"`) {
		t.Fatalf("the page's script did not refresh the view:\n%s", tail(dom, 3000))
	}
	cards := pairSections(t, dom)
	details := regexp.MustCompile(`<details class="findings" data-role="findings"( open="[^"]*")?><summary>(\d+) more findings?</summary>`)
	for name, wantOpen := range map[string]bool{"core": true, "vpc": false} {
		card := cards[name]
		cause := strings.Index(card, `data-role="cause"`)
		ev := strings.Index(card, `data-role="evidence"`)
		m := details.FindStringSubmatchIndex(card)
		if cause < 0 || ev < cause || m == nil || m[0] < ev {
			t.Errorf("%s: want cause, evidence, folded findings in this order:\n%s", name, card)
			continue
		}
		list := card[ev:m[0]]
		if n := strings.Count(list, "<li>"); n == 0 || n > snapshot.MaxEvidence {
			t.Errorf("%s: %d lines of evidence, want 1 to %d", name, n, snapshot.MaxEvidence)
		}
		if open := m[2] >= 0; open != wantOpen {
			t.Errorf("%s: findings open %v after the refresh, want %v", name, open, wantOpen)
		}
	}
	edge, _, _ := strings.Cut(cards["edge"], "</section>")
	if strings.Contains(edge, "findings") || strings.Contains(edge, "evidence") {
		t.Errorf("healthy edge shows evidence or findings:\n%s", edge)
	}
}
