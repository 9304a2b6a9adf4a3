package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/snapshot"
)

// pairSections splits a rendered page into its pair cards by pair name.
func pairSections(t *testing.T, html string) map[string]string {
	t.Helper()
	out := map[string]string{}
	re := regexp.MustCompile(`data-pair="([^"]*)"`)
	parts := strings.Split(html, `<section class="pair `)
	for _, part := range parts[1:] {
		m := re.FindStringSubmatch(part)
		if m == nil {
			t.Fatalf("pair card without data-pair: %.200s", part)
		}
		out[m[1]] = part
	}
	return out
}

func attr(t *testing.T, section, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return m[1]
}

func TestPage(t *testing.T) {
	src := &source{pairs: allPairs(), alerts: []AlertInfo{vpcAlert}}
	srv := newServer(t, src, testJournal(t))
	resp, html := get(t, srv.URL+"/")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	cards := pairSections(t, html)
	labels := map[string]string{"healthy": "✔ HEALTHY", "degraded": "▲ DEGRADED", "down": "✖ DOWN"}
	for name, want := range map[string]string{"edge": "healthy", "core": "down", "dmz": "degraded", "vpc": "degraded"} {
		card := cards[name]
		if got := attr(t, card, `data-status="([a-z]+)"`); got != want {
			t.Errorf("%s: data-status %s, want %s", name, got, want)
		}
		if !strings.Contains(card, `data-role="status">`+labels[want]+`<`) {
			t.Errorf("%s: no text label %q", name, labels[want])
		}
	}
	for _, c := range []struct{ pair, peer, state string }{
		{"edge", "fw-a", "active"}, {"edge", "fw-b", "passive"}, {"dmz", "fw-b", "unknown"},
	} {
		if got := attr(t, cards[c.pair], `data-peer="`+c.peer+`" data-ha-state="([a-z-]+)"`); got != c.state {
			t.Errorf("%s/%s: data-ha-state %s, want %s", c.pair, c.peer, got, c.state)
		}
	}
	checks := map[string][]string{
		"edge": {`<span class="state">ACTIVE</span>`, `<span class="state">PASSIVE</span>`, `data-link="ha1" data-up="true"`,
			`data-dp-up="2" data-dp-total="2"`, `data-traffic="yes"`, "<b>flowing</b>", "2.3 MB/s", "12,345", "10.2.9-h1",
			`data-aws-failing="0"`, "7 passing", "No active alerts.", `<b class="age" data-age="12">12s</b>`},
		"core": {"every data-plane port is down on every peer that answers", "down: ethernet1/1, ethernet1/2", `data-dp-up="0"`},
		"dmz":  {`data-up="false"`, "NOT ANSWERING", "ha1 down", "fw-b does not answer the API", "not connected", "key=REDACTED"},
		"vpc": {`data-aws-failing="1"`, "1 failing", "ethernet1/2 of fw-a has 10.0.9.10/24, outside subnet 10.0.2.0/24 of eni-0a2",
			`data-alert="HAAWSInterfaceSubnetMismatch"`, "critical · firing"},
	}
	for name, wants := range checks {
		for _, w := range wants {
			if !strings.Contains(cards[name], w) {
				t.Errorf("%s card lacks %q", name, w)
			}
		}
	}
	for _, w := range []string{`<a href="/metrics">Metrics</a>`, `<a href="/-/ready">Ready</a>`, "1 down · 2 degraded · 1 healthy",
		`data-journal="true"`, `data-refreshed="0"`} {
		if !strings.Contains(html, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	// The timeline shows the newest event first.
	alert, failover := strings.Index(html, `data-kind="alert"`), strings.Index(html, `data-kind="failover"`)
	if alert < 0 || failover < 0 || alert > failover {
		t.Errorf("timeline order: alert at %d, failover at %d", alert, failover)
	}
	if !strings.Contains(html, `<span class="date">2025-03-04 </span>09:51:00`) || !strings.Contains(html, "Failover: fw-b took over") {
		t.Error("timeline lacks the failover")
	}
}

func TestPageEscapes(t *testing.T) {
	p := healthyPair()
	p.Name = `<img src=x onerror=alert(1)>`
	_, html := get(t, newServer(t, &source{pairs: []*snapshot.Pair{p}}, nil).URL+"/")
	if strings.Contains(html, "<img src=x") || !strings.Contains(html, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Error("pair name not escaped")
	}
	if !strings.Contains(html, "The event journal is off.") {
		t.Error("no note that the journal is off")
	}
}

func TestNoSecrets(t *testing.T) {
	srv := newServer(t, &source{pairs: allPairs()}, testJournal(t))
	secretLike := regexp.MustCompile(`(?i)(key|password|token|secret)=[^R&\s"]|://[^/@\s"]+:[^/@\s"]+@|hunter2|LUFRPT`)
	for _, path := range []string{"/", "/api/v1/pairs", "/api/v1/events", "/api/v1/events?format=csv"} {
		_, body := get(t, srv.URL+path)
		if m := secretLike.FindString(body); m != "" || strings.Contains(body, secretKey) {
			t.Errorf("%s shows a secret-looking value %q", path, m)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	srv := newServer(t, &source{pairs: allPairs()}, nil)
	_, html := get(t, srv.URL+"/")
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//|url\(\s*['"]?(https?:)?//|@import`)
	if m := external.FindString(html); m != "" {
		t.Errorf("page loads an external asset: %q", m)
	}
	for path, ctype := range map[string]string{
		"/static/style.css": "text/css", "/static/app.js": "text/javascript", "/static/favicon.svg": "image/svg+xml",
	} {
		resp, body := get(t, srv.URL+path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || body == "" {
			t.Errorf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(html, strings.TrimPrefix(path, "/")) {
			t.Errorf("page does not use %s", path)
		}
		if path != "/static/favicon.svg" && (external.MatchString(body) || strings.Contains(body, "http://") || strings.Contains(body, "https://")) {
			t.Errorf("%s refers to an external resource", path)
		}
	}
	for _, path := range []string{"/nope", "/static/nope.js", "/api/v1/nope"} {
		if resp, _ := get(t, srv.URL+path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
	resp, err := http.Post(srv.URL+"/api/v1/pairs", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}
