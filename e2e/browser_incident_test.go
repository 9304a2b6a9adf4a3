package e2e

import (
	"encoding/json"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/web"
)

// twoPairsFile writes a configuration of two pairs, each watching its own
// simulator: calm, which sorts first by name and stays healthy, and edge.
func twoPairsFile(t *testing.T, calm, edge *sim.Sim) string {
	t.Helper()
	dir := t.TempDir()
	pair := func(name string, s *sim.Sim) string {
		key := filepath.Join(dir, name+".key")
		writeFile(t, key, s.APIKey()+"\n")
		return fmt.Sprintf(`  - name: %s
    peers:
      - {name: fw-a, address: %q}
      - {name: fw-b, address: %q}
    panos: {api_key_file: %s, ca_file: %s}
    aws: {endpoint: %q}
`, name, s.PeerAddr(0), s.PeerAddr(1), key, s.CAFile(), s.EC2URL())
	}
	file := filepath.Join(dir, "hawatch.yml")
	writeFile(t, file, `defaults:
  poll_interval: 1s
  poll_timeout: 800ms
  system_info_interval: 1h
  aws: {region: us-east-1, ha_mode: auto, poll_interval: 2s, grace_period: 0s}
pairs:
`+pair("calm", calm)+pair("edge", edge))
	return file
}

// pairsOf fetches the daemon's view of its pairs.
func pairsOf(d *daemon) (web.PairsResponse, error) {
	var r web.PairsResponse
	body, err := get(d.URL + "/api/v1/pairs")
	if err != nil {
		return r, err
	}
	return r, json.Unmarshal([]byte(body), &r)
}

// pairOf returns the named pair of a response.
func pairOf(r web.PairsResponse, name string) (web.PairView, bool) {
	i := slices.IndexFunc(r.Pairs, func(p web.PairView) bool { return p.Name == name })
	if i < 0 {
		return web.PairView{}, false
	}
	return r.Pairs[i], true
}

var (
	sectionRE = regexp.MustCompile(`<section class="pair[^"]*" id="pair-[^"]*" data-pair="([^"]+)" data-status="([^"]+)"`)
	statusOrd = []string{"down", "unknown", "degraded", "recovered", "healthy"}
)

// cardOf returns the HTML of a pair's card in a DOM.
func cardOf(dom, pair string) string {
	start := strings.Index(dom, `data-pair="`+pair+`" data-status=`)
	if start < 0 {
		return ""
	}
	end := strings.Index(dom[start:], "</section>")
	if end < 0 {
		return dom[start:]
	}
	return dom[start : start+end]
}

// TestIncidentInBrowser plays the incident step by step against hawatch
// watching it beside a calm pair, and at each step loads the status page
// in headless Chromium (after its script refreshed it from the API): the
// pairs are ordered by severity; at links-down the cause sentence is the
// first thing in the broken pair's card, ahead of its evidence, alerts
// and peers; after the recovery the alerts kept firing show as held, and
// the pair as recovered, not degraded. Under the cause come at most four
// lines of evidence, the API's, and the other findings folded away, still
// folded after the script's refresh. A screenshot of each step goes to
// $HAWATCH_ARTIFACTS_DIR.
func TestIncidentInBrowser(t *testing.T) {
	calm, edge := startSim(t, sim.Options{}), startSim(t, sim.Options{WorldOptions: sim.WorldOptions{InitialHold: 2 * time.Second}})
	env := simEnv(edge)
	for _, k := range []string{"HAWATCH_PAIR", "HAWATCH_PEER_A", "HAWATCH_PEER_A_NAME", "HAWATCH_PEER_B", "HAWATCH_PEER_B_NAME",
		"HAWATCH_PANOS_API_KEY", "HAWATCH_PANOS_CA_FILE", "HAWATCH_POLL_INTERVAL", "HAWATCH_POLL_TIMEOUT",
		"HAWATCH_AWS_REGION", "HAWATCH_AWS_ENDPOINT", "HAWATCH_AWS_POLL_INTERVAL", "HAWATCH_AWS_GRACE_PERIOD", "HAWATCH_AWS_HA_MODE",
		"HAWATCH_SYSTEM_INFO_INTERVAL"} {
		delete(env, k)
	}
	env["HAWATCH_CONFIG_FILE"] = twoPairsFile(t, calm, edge)
	env["HAWATCH_ALERT_HOLD_SCALE"] = fmt.Sprint(alertHoldScale)
	d := startDaemon(t, env)
	dir := artifacts(t)

	// Each step of the incident, and what to wait for before looking.
	ready := map[string]func(p web.PairView) error{
		sim.StepNameHealthy: func(p web.PairView) error { return statusIs(p, web.StatusHealthy) },
		sim.StepNameUpgradePassive: func(p web.PairView) error {
			return peerIs(p, "fw-b", "passive", sim.IncidentUpgradeVersion)
		},
		sim.StepNameFailover: func(p web.PairView) error {
			if p.ActivePeer != "fw-b" {
				return fmt.Errorf("active peer %q", p.ActivePeer)
			}
			return nil
		},
		sim.StepNameUpgradeOther: func(p web.PairView) error {
			return peerIs(p, "fw-a", "passive", sim.IncidentUpgradeVersion)
		},
		sim.StepNameLinksDown: func(p web.PairView) error {
			if err := statusIs(p, web.StatusDown); err != nil {
				return err
			}
			if !slices.ContainsFunc(p.Alerts, func(a web.AlertView) bool { return a.Name == "HAPairLinksDown" && a.Group == web.GroupFiring }) {
				return fmt.Errorf("HAPairLinksDown not firing: %+v", p.Alerts)
			}
			return nil
		},
		sim.StepNameRecovery: func(p web.PairView) error {
			if err := statusIs(p, web.StatusRecovered); err != nil {
				return err
			}
			if !slices.ContainsFunc(p.Alerts, func(a web.AlertView) bool { return a.Name == "HAPairLinksDown" && a.Group == web.GroupHeld }) {
				return fmt.Errorf("HAPairLinksDown not held: %+v", p.Alerts)
			}
			return nil
		},
	}
	for i, st := range sim.IncidentScaled(alertHoldScale).Steps {
		st.Apply(edge.World())
		eventually(t, 90*time.Second, "edge after step "+st.Name, func() error {
			r, err := pairsOf(d)
			if err != nil {
				return err
			}
			p, _ := pairOf(r, "edge")
			return ready[st.Name](p)
		})
		dom := browser(t, d.URL+"/", "--dump-dom")
		browser(t, d.URL+"/", "--screenshot="+filepath.Join(dir, fmt.Sprintf("incident-%d-%s.png", i, st.Name)),
			"--window-size=1400,1800", "--hide-scrollbars")
		if !strings.Contains(dom, `data-refreshed="1"`) {
			t.Errorf("%s: the page's script did not refresh it", st.Name)
		}
		checkOrdered(t, st.Name, dom)
		card := cardOf(dom, "edge")
		switch st.Name {
		case sim.StepNameLinksDown:
			checkCauseFirst(t, card)
			checkEvidence(t, card, sameEvidence(t, d, card))
		case sim.StepNameRecovery:
			// The card states the current fact (ha1 up), the alert row
			// that HALinkDown is only held.
			for _, want := range []string{`data-status="recovered"`, `critical · held`, `held `, `class="runbook"`,
				`data-link="ha1" data-up="true"`, `data-alert="HALinkDown" data-group="held"`} {
				if !strings.Contains(card, want) {
					t.Errorf("after recovery the card lacks %q:\n%s", want, card)
				}
			}
			if strings.Contains(card, "critical · firing") || strings.Contains(card, "alerts firing:") {
				t.Errorf("after recovery the card still calls held alerts firing:\n%s", card)
			}
		}
	}
}

// checkOrdered checks that the pairs of a DOM come most broken first.
func checkOrdered(t *testing.T, step, dom string) {
	t.Helper()
	var got []string
	for _, m := range sectionRE.FindAllStringSubmatch(dom, -1) {
		got = append(got, m[1]+":"+m[2])
	}
	if len(got) != 2 {
		t.Errorf("%s: %d pairs on the page, want 2: %v", step, len(got), got)
		return
	}
	rank := func(s string) int { return slices.Index(statusOrd, s[strings.IndexByte(s, ':')+1:]) }
	if rank(got[0]) > rank(got[1]) {
		t.Errorf("%s: pairs not ordered by severity: %v", step, got)
	}
	t.Logf("%s: %v", step, got)
}

// checkCauseFirst checks that the cause sentence is the first thing of a
// card after its header, and names the dead ports.
func checkCauseFirst(t *testing.T, card string) {
	t.Helper()
	head := strings.Index(card, "</header>")
	cause := strings.Index(card, `<p class="cause" data-role="cause"`)
	if head < 0 || cause < 0 {
		t.Fatalf("links-down: no header or no cause in the card:\n%s", card)
	}
	for _, next := range []string{`class="reasons"`, `class="alerts"`, `class="peers"`, `class="facts"`} {
		if i := strings.Index(card, next); i >= 0 && i < cause {
			t.Errorf("links-down: %s comes before the cause", next)
		}
	}
	if between := card[head+len("</header>") : cause]; strings.TrimSpace(between) != "" {
		t.Errorf("links-down: something comes between the header and the cause: %q", between)
	}
	sentence := card[cause:]
	sentence = sentence[strings.IndexByte(sentence, '>')+1 : strings.Index(sentence, "</p>")]
	t.Logf("links-down cause: %s", sentence)
	// The incident's root cause: fw-b's ethernet1/2 left its ENI's subnet.
	if !strings.Contains(sentence, "fw-b") || !strings.Contains(sentence, "ethernet1/2") {
		t.Errorf("links-down: the cause %q does not name fw-b's ethernet1/2", sentence)
	}
}

// statusIs checks a pair's status.
func statusIs(p web.PairView, want web.Status) error {
	if p.Status != want {
		return fmt.Errorf("status %s (%v), want %s", p.Status, p.Reasons, want)
	}
	return nil
}

// peerIs checks a peer's HA state and version.
func peerIs(p web.PairView, name, state, version string) error {
	for _, peer := range p.Peers {
		if peer.Name == name {
			if peer.HAState != state || peer.Versions.SWVersion != version {
				return fmt.Errorf("%s is %s on %q, want %s on %s", name, peer.HAState, peer.Versions.SWVersion, state, version)
			}
			return nil
		}
	}
	return fmt.Errorf("no peer %s", name)
}

// evidenceRE finds the evidence list and the folded findings of a card.
var evidenceRE = regexp.MustCompile(`<ul class="evidence" data-role="evidence">(.*?)</ul>\s*<details class="findings" data-role="findings"( open="[^"]*")?><summary>(\d+) more findings?</summary>`)

// sameEvidence returns the API's view of edge whose evidence the card
// shows, read just before or after the page; the pair is polled every
// second, so the page may show the poll before or after the one read.
// Failing that, the view read last.
func sameEvidence(t *testing.T, d *daemon, card string) web.PairView {
	t.Helper()
	var p web.PairView
	for range 10 {
		r, err := pairsOf(d)
		if err != nil {
			t.Fatal(err)
		}
		p, _ = pairOf(r, "edge")
		if m := evidenceRE.FindStringSubmatch(card); m != nil && slices.Equal(evidenceLines(m[1]), p.Evidence) {
			return p
		}
		time.Sleep(300 * time.Millisecond)
	}
	return p
}

// evidenceLines splits the HTML of the evidence list into its lines.
func evidenceLines(list string) []string {
	var lines []string
	for _, li := range strings.Split(list, "</li>") {
		if li = strings.TrimPrefix(strings.TrimSpace(li), "<li>"); li != "" {
			lines = append(lines, html.UnescapeString(li))
		}
	}
	return lines
}

// checkEvidence checks that right under a card's cause come the API's
// evidence lines, at most snapshot.MaxEvidence, the first naming the root
// cause's address, and then the rest of the reasons folded.
func checkEvidence(t *testing.T, card string, p web.PairView) {
	t.Helper()
	m := evidenceRE.FindStringSubmatch(card)
	if m == nil {
		t.Fatalf("links-down: no evidence followed by folded findings in the card:\n%s", card)
	}
	if after := card[strings.Index(card, `data-role="cause"`):strings.Index(card, m[0])]; strings.Count(after, "<") > 2 {
		t.Errorf("links-down: something between the cause and its evidence: %q", after)
	}
	lines := evidenceLines(m[1])
	t.Logf("links-down evidence: %q; %s more findings folded", lines, m[3])
	if len(lines) == 0 || len(lines) > snapshot.MaxEvidence {
		t.Errorf("links-down: %d lines of evidence, want 1 to %d", len(lines), snapshot.MaxEvidence)
	}
	if !slices.Equal(lines, p.Evidence) {
		t.Errorf("links-down: the page's evidence %q is not the API's %q", lines, p.Evidence)
	}
	if len(lines) > 0 && (!strings.HasPrefix(lines[0], "fw-b ethernet1/2 10.0.9.11/24") || !strings.Contains(lines[0], "10.0.2.0/24")) {
		t.Errorf("links-down: the first line %q does not state fw-b's address outside its subnet", lines[0])
	}
	if m[2] != "" {
		t.Errorf("links-down: the findings are open after the refresh; nobody opened them")
	}
	if m[3] != fmt.Sprint(len(p.Reasons)) {
		t.Errorf("links-down: %s more findings, the API has %d reasons", m[3], len(p.Reasons))
	}
}
