package web

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/config"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/scheduler"
	"github.com/hawatch/hawatch/sim"
	"github.com/hawatch/hawatch/snapshot"
)

// simClock is the world's and the poller's clock, moved by hand.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *simClock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// incidentSnapshots plays the incident on the simulator and polls it, with
// the real PAN-OS and EC2 clients, three times 5 s apart at the end of each
// step (so that traffic rates are known); it returns the polls of each
// step by step name.
func incidentSnapshots(t *testing.T) map[string][]*snapshot.Pair {
	t.Helper()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDHAWATCHWEB")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "web-aws-secret-value")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	clk := &simClock{t: time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)}
	s, err := sim.Start(t.Context(), sim.Options{Dir: t.TempDir(), WorldOptions: sim.WorldOptions{Clock: clk.Now}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	pc := config.PairConfig{
		Name: "edge", PollInterval: 5 * time.Second, PollTimeout: 4 * time.Second, SystemInfoInterval: time.Hour,
		Peers: [2]config.PeerConfig{{Name: "fw-a", Address: s.PeerAddr(sim.PeerA)}, {Name: "fw-b", Address: s.PeerAddr(sim.PeerB)}},
		PANOS: config.PANOSConfig{APIKey: config.Secret(s.APIKey()), CAFile: s.CAFile()},
		AWS:   &config.AWSConfig{Region: "us-east-1", Mode: "auto", PollInterval: time.Second, Endpoint: s.EC2URL()},
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	w, err := scheduler.New(scheduler.Options{Now: clk.Now}).Build(ctx, pc)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*snapshot.Pair{}
	sc := sim.Incident()
	for i, st := range sc.Steps {
		clk.Add(st.After)
		st.Apply(s.World())
		hold := sc.Tail
		if i+1 < len(sc.Steps) {
			hold = sc.Steps[i+1].After
		}
		clk.Add(hold - 15*time.Second)
		polls := []*snapshot.Pair{w.PollWithAWS(ctx)}
		for range 2 {
			clk.Add(5 * time.Second)
			polls = append(polls, w.PollOnce(ctx))
		}
		out[st.Name] = polls
	}
	return out
}

// TestEvidenceOfIncident: at each step of the incident, polled from the
// simulator, the digest under the cause is short and leads with the root
// cause's own facts; the page's view and the API carry the same lines.
func TestEvidenceOfIncident(t *testing.T) {
	snaps := incidentSnapshots(t)
	for _, name := range []string{sim.StepNameHealthy, sim.StepNameRecovery} {
		if ev := snapshot.Evidence(snaps[name][2]); len(ev) != 0 {
			t.Errorf("%s: evidence %q with nothing wrong", name, ev)
		}
	}
	polls := snaps[sim.StepNameLinksDown]
	p := polls[2]
	ev := snapshot.Evidence(p)
	t.Logf("cause: %s", snapshot.Cause(p))
	for _, e := range ev {
		t.Logf("  - %s", e)
	}
	if len(ev) == 0 || len(ev) > snapshot.MaxEvidence {
		t.Fatalf("%d evidence lines, want 1 to %d: %q", len(ev), snapshot.MaxEvidence, ev)
	}
	// The root cause: fw-b's untrust interface got 10.0.9.11/24, outside
	// the 10.0.2.0/24 subnet of its ENI (sim's linksDown and its ENIs).
	if !regexp.MustCompile(`^fw-b ethernet1/2 10\.0\.9\.11/24 — ENI eni-\w+ subnet 10\.0\.2\.0/24$`).MatchString(ev[0]) {
		t.Errorf("first line %q does not state the address outside its ENI's subnet", ev[0])
	}
	// Then what it did: every physical data-plane port of both peers is
	// down (the simulator has two), and the traffic that flowed stopped.
	// The first poll after the step measures over a window that spans the
	// stop, so it still sees bytes move; the second saw none since the
	// first. The traffic was flowing at the rate of the step before's
	// last poll.
	before := snaps[sim.StepNameUpgradeOther][2].Traffic
	if before.Flowing() != probe.Yes || !before.Known || polls[0].Traffic.Flowing() != probe.Yes || polls[1].Traffic.Flowing() != probe.No {
		t.Fatalf("links-down: traffic %+v, then %+v, then %+v; want flowing, flowing (the window spans the stop), stopped", before, polls[0].Traffic, polls[1].Traffic)
	}
	stopped := fmt.Sprintf("traffic 0 B/s since %s UTC (was %s), 0 new connections/s",
		polls[0].End.UTC().Format("15:04:05"), journal.Rate(before.BytesPerSecond))
	if !slices.Contains(ev, stopped) {
		t.Errorf("evidence lacks %q: %q", stopped, ev)
	}
	if want := "0 of 2 data-plane ports up on fw-a and fw-b"; !slices.Contains(ev, want) {
		t.Errorf("evidence lacks %q: %q", want, ev)
	}
	v := pairView(p, ClassifyInput{Now: p.End})
	if !slices.Equal(v.Evidence, ev) || v.Cause != snapshot.Cause(p) {
		t.Errorf("view evidence %q, want %q", v.Evidence, ev)
	}
	if len(v.Reasons) <= len(ev) {
		t.Errorf("only %d reasons behind %d lines of evidence: nothing to fold away", len(v.Reasons), len(ev))
	}
}
