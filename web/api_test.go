package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// source is a settable set of snapshots and alerts.
type source struct {
	mu     sync.Mutex
	pairs  []*snapshot.Pair
	alerts []AlertInfo
}

func (s *source) Snapshots() []*snapshot.Pair {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.pairs)
}

func (s *source) Alerts() []AlertInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.alerts)
}

func (s *source) set(pairs ...*snapshot.Pair) {
	s.mu.Lock()
	s.pairs = pairs
	s.mu.Unlock()
}

func allPairs() []*snapshot.Pair {
	return []*snapshot.Pair{healthyPair(), linksDownPair(), unreachablePair(), awsMismatchPair()}
}

var vpcAlert = AlertInfo{
	Name: "HAAWSInterfaceSubnetMismatch", Pair: "vpc", Peer: "fw-a", Severity: "critical", State: "firing",
	ActiveAt: now.Add(-5 * time.Minute), Summary: "ethernet1/2 of fw-a is outside its ENI's subnet",
}

func newServer(t *testing.T, src *source, j *journal.Journal) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(NewHandler(Options{
		Snapshots: src.Snapshots, Alerts: src.Alerts, Journal: j,
		Now: func() time.Time { return now }, Title: "hawatch",
		Links: []Link{{Text: "Metrics", Href: "/metrics"}, {Text: "Ready", Href: "/-/ready"}},
	}))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func getPairs(t *testing.T, srv *httptest.Server) (PairsResponse, string) {
	t.Helper()
	resp, body := get(t, srv.URL+"/api/v1/pairs")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var pr PairsResponse
	if err := json.Unmarshal([]byte(body), &pr); err != nil {
		t.Fatal(err)
	}
	return pr, body
}

func TestPairsAPI(t *testing.T) {
	src := &source{pairs: allPairs(), alerts: []AlertInfo{vpcAlert}}
	pr, raw := getPairs(t, newServer(t, src, nil))
	if !pr.GeneratedAt.Equal(now) {
		t.Errorf("generated_at %v", pr.GeneratedAt)
	}
	var names []string
	status := map[string]Status{}
	byName := map[string]PairView{}
	for _, p := range pr.Pairs {
		names = append(names, p.Name)
		status[p.Name] = p.Status
		byName[p.Name] = p
	}
	// The most broken first, then by name.
	if strings.Join(names, ",") != "core,dmz,vpc,edge" {
		t.Fatalf("pairs %v, want down, degraded (by name), healthy", names)
	}
	if c := byName["vpc"].Cause; !strings.HasPrefix(c, "ethernet1/2 of fw-a") || byName["edge"].Cause != "" {
		t.Errorf("cause of vpc %q, of edge %q", c, byName["edge"].Cause)
	}
	want := map[string]Status{"edge": StatusHealthy, "core": StatusDown, "dmz": StatusDegraded, "vpc": StatusDegraded}
	for name, s := range want {
		if status[name] != s {
			t.Errorf("%s is %s (%v), want %s", name, status[name], byName[name].Reasons, s)
		}
	}
	for _, field := range []string{`"status": "healthy"`, `"last_poll_age_seconds": 12`, `"ha_state": "active"`,
		`"peer_view": {`, `"data_plane": {`, `"throughput_bytes_per_second": 2250000`, `"config_sync": "synchronized"`} {
		if !strings.Contains(raw, field) {
			t.Errorf("JSON lacks %s", field)
		}
	}

	edge := byName["edge"]
	if !edge.LastPoll.Equal(pollEnd) || edge.LastPollAgeSeconds != 12 || !edge.PollSuccess || edge.ActivePeer != "fw-a" ||
		len(edge.Reasons) != 0 || edge.HAMode != "active-passive" || len(edge.Alerts) != 0 {
		t.Errorf("edge: %+v", edge)
	}
	a := edge.Peers[0]
	if a.Name != "fw-a" || !a.Up || a.HAState != "active" || a.PeerView == nil || a.PeerView.State != "passive" || !a.PeerView.Connected ||
		len(a.HALinks) != 2 || !a.HALinks[0].Up || a.DataPlane.Up != 2 || a.DataPlane.Total != 2 || a.Sessions == nil ||
		a.Sessions.Active != 12345 || a.Versions.SWVersion != "10.2.9-h1" || a.ConfigSync != "synchronized" || a.Hostname != "pan-fw-a" {
		t.Errorf("edge fw-a: %+v", a)
	}
	if edge.Traffic.Flowing != "yes" || edge.Traffic.BytesPerSecond == nil || *edge.Traffic.BytesPerSecond != 2.25e6 {
		t.Errorf("edge traffic: %+v", edge.Traffic)
	}
	if aws := edge.AWS; aws == nil || !aws.Known || aws.Failing != 0 || aws.Unknown != 1 || aws.Passing != 7 || len(aws.Checks) != 6 {
		t.Errorf("edge aws: %+v", edge.AWS)
	}

	core := byName["core"]
	if !slices.Contains(core.Reasons, "every data-plane port is down on every peer that answers") {
		t.Errorf("core reasons: %v", core.Reasons)
	}
	if dp := core.Peers[1].DataPlane; dp.Up != 0 || dp.Total != 2 || strings.Join(dp.Down, ",") != "ethernet1/1,ethernet1/2" {
		t.Errorf("core fw-b data plane: %+v", dp)
	}
	if core.Traffic.Flowing != "unknown" || core.Traffic.BytesPerSecond != nil {
		t.Errorf("core traffic: %+v", core.Traffic)
	}

	dmz := byName["dmz"]
	b := dmz.Peers[1]
	if b.Up || b.HAState != "unknown" || b.Error == "" || b.PeerView != nil || b.Sessions != nil || b.ThroughputBytesPerSecond != nil {
		t.Errorf("dmz fw-b: %+v", b)
	}
	for _, r := range []string{"fw-b does not answer the API", "HA link ha1 of fw-a is down", "fw-a has lost sight of its HA peer"} {
		if !slices.Contains(dmz.Reasons, r) {
			t.Errorf("dmz reasons %v lack %q", dmz.Reasons, r)
		}
	}

	vpc := byName["vpc"]
	if vpc.AWS == nil || vpc.AWS.Failing != 1 || len(vpc.AWS.Failures) != 1 ||
		vpc.AWS.Failures[0].Problem != "ethernet1/2 of fw-a has 10.0.9.10/24, outside subnet 10.0.2.0/24 of eni-0a2" ||
		vpc.AWS.Failures[0].Check != CheckSubnet {
		t.Errorf("vpc aws: %+v", vpc.AWS)
	}
	if len(vpc.Alerts) != 1 || vpc.Alerts[0].Name != vpcAlert.Name || vpc.Alerts[0].State != "firing" {
		t.Errorf("vpc alerts: %+v", vpc.Alerts)
	}
	if !slices.Contains(vpc.Reasons, "alerts firing: HAAWSInterfaceSubnetMismatch") {
		t.Errorf("vpc reasons: %v", vpc.Reasons)
	}
}

func TestPairsAPIFilter(t *testing.T) {
	pr, _ := getPairs(t, newServer(t, &source{pairs: allPairs()}, nil))
	if len(pr.Pairs) != 4 {
		t.Fatal(len(pr.Pairs))
	}
	resp, body := get(t, newServer(t, &source{pairs: allPairs()}, nil).URL+"/api/v1/pairs?pair=dmz")
	var one PairsResponse
	if err := json.Unmarshal([]byte(body), &one); err != nil || resp.StatusCode != 200 || len(one.Pairs) != 1 || one.Pairs[0].Name != "dmz" {
		t.Fatalf("filter: %d %s", resp.StatusCode, body)
	}
}

func TestTrafficStoppedAfterFlowing(t *testing.T) {
	src := &source{pairs: []*snapshot.Pair{healthyPair()}}
	srv := newServer(t, src, nil)
	if pr, _ := getPairs(t, srv); pr.Pairs[0].Status != StatusHealthy {
		t.Fatalf("flowing: %s", pr.Pairs[0].Status)
	}
	// An idle pair that was never seen forwarding is not down.
	idle := healthyPair()
	idle.Traffic = snapshot.Traffic{Known: true, SessionsActive: 3}
	src.set(idle)
	if pr, _ := getPairs(t, srv); pr.Pairs[0].Status != StatusHealthy {
		t.Fatalf("idle pair never seen flowing: %s %v", pr.Pairs[0].Status, pr.Pairs[0].Reasons)
	}
	stopped := healthyPair()
	stopped.Traffic = snapshot.Traffic{Known: true, SessionsActive: 3, EverFlowed: true}
	src.set(stopped)
	pr, _ := getPairs(t, srv)
	if pr.Pairs[0].Status != StatusDown || !strings.HasPrefix(pr.Pairs[0].Reasons[0], "traffic stopped") {
		t.Fatalf("stopped after flowing: %s %v", pr.Pairs[0].Status, pr.Pairs[0].Reasons)
	}
}

func TestClassify(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *snapshot.Pair, in *ClassifyInput)
		want   Status
		reason string
	}{
		{"healthy", func(*snapshot.Pair, *ClassifyInput) {}, StatusHealthy, ""},
		{"no poll yet", func(p *snapshot.Pair, _ *ClassifyInput) { p.Peers, p.End = nil, time.Time{} }, StatusUnknown, "no poll yet"},
		{"stale", func(_ *snapshot.Pair, in *ClassifyInput) { in.Now = now.Add(5 * time.Minute) }, StatusUnknown, "polling is stuck"},
		{"blind", func(p *snapshot.Pair, _ *ClassifyInput) {
			for _, peer := range p.Peers {
				peer.Up = false
			}
		}, StatusDown, "no peer answers the API"},
		{"no active peer", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Peers[0].HA.LocalState = probe.StateNonFunctional
			p.Peers[1].HA.PeerState = probe.StateNonFunctional
		}, StatusDown, "no active peer"},
		{"active peer unreachable but seen active", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Peers[0].Up = false
		}, StatusDegraded, "fw-a does not answer the API"},
		{"split brain", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Peers[1].HA.LocalState = probe.StateActive
		}, StatusDown, "split brain: fw-a and fw-b are both active"},
		{"active/active", func(p *snapshot.Pair, _ *ClassifyInput) {
			for _, peer := range p.Peers {
				peer.HA.Mode, peer.HA.LocalState = "active-active", probe.StateActivePrimary
			}
		}, StatusHealthy, ""},
		{"active peer has no data plane", func(p *snapshot.Pair, _ *ClassifyInput) {
			for i := range 2 {
				p.Peers[0].Interfaces.Hardware[i].Up = false
			}
		}, StatusDown, "active peer fw-a has no data-plane port up"},
		{"one data-plane port down", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Peers[1].Interfaces.Hardware[1].Up = false
		}, StatusDegraded, "data-plane ports down on fw-b: ethernet1/2"},
		{"passive without data-plane ENIs in interface-move mode", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.AWSView = &snapshot.AWSView{Mode: probe.AWSModeInterfaceMove, Known: true}
			for i := range 2 {
				p.Peers[1].Interfaces.Hardware[i].Up = false
			}
		}, StatusHealthy, ""},
		{"traffic stopped after flowing", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Traffic = snapshot.Traffic{Known: true, EverFlowed: true}
		}, StatusDown, "traffic stopped: 0 B/s with no new connections"},
		{"idle pair", func(p *snapshot.Pair, _ *ClassifyInput) { p.Traffic = snapshot.Traffic{Known: true} }, StatusHealthy, ""},
		{"below the traffic floor", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Traffic = snapshot.Traffic{Known: true, BytesPerSecond: 0}
			p.Config.TrafficFloorBytesPerSecond = 100
		}, StatusDown, "traffic stopped"},
		{"traffic stopped alert", func(p *snapshot.Pair, in *ClassifyInput) {
			p.Traffic = snapshot.Traffic{Known: true}
			in.Alerts = []AlertInfo{{Name: trafficStoppedAlert, Severity: "critical", State: "pending"}}
		}, StatusDown, "traffic stopped"},
		{"ha link down", func(p *snapshot.Pair, _ *ClassifyInput) { p.Peers[1].HA.Links[1].Up = false }, StatusDegraded, "HA link ha2 of fw-b is down"},
		{"suspended peer", func(p *snapshot.Pair, _ *ClassifyInput) { p.Peers[1].HA.LocalState = probe.StateSuspended }, StatusDegraded, "fw-b is suspended"},
		{"config not synchronized", func(p *snapshot.Pair, _ *ClassifyInput) { p.Peers[0].HA.ConfigSynchronized = false }, StatusDegraded,
			"running configuration of fw-a is not synchronized"},
		{"versions differ", func(p *snapshot.Pair, _ *ClassifyInput) { p.Peers[1].HA.LocalVersions.Build = "11.1.0" }, StatusDegraded,
			"peers run different PAN-OS versions: fw-a 10.2.9-h1, fw-b 11.1.0"},
		{"partial poll", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.Peers[0].Results[2].Err = io.ErrUnexpectedEOF
		}, StatusDegraded, "fw-a failed part of the poll: sessions"},
		{"aws unreadable", func(p *snapshot.Pair, _ *ClassifyInput) { p.AWSView = &snapshot.AWSView{} }, StatusDegraded, "AWS state cannot be read"},
		{"aws converging", func(p *snapshot.Pair, _ *ClassifyInput) {
			p.AWSView = &snapshot.AWSView{Known: true, InGrace: true, Routes: []snapshot.RouteCheck{{OnActive: probe.No}}}
		}, StatusDegraded, "1 AWS check failing while AWS converges after the failover"},
		{"warning alert firing", func(_ *snapshot.Pair, in *ClassifyInput) {
			in.Alerts = []AlertInfo{{Name: "HAVersionMismatch", Severity: "warning", State: "firing"}}
		}, StatusDegraded, "alerts firing: HAVersionMismatch"},
		{"critical alerts only held after recovery", func(_ *snapshot.Pair, in *ClassifyInput) {
			in.Alerts = []AlertInfo{
				{Name: "HAPairLinksDown", Severity: "critical", State: "firing", HeldSince: now.Add(-2 * time.Minute), HeldUntil: now.Add(3 * time.Minute)},
				{Name: "HALinkDown", Peer: "fw-a", Severity: "warning", State: "firing", HeldSince: now.Add(-2 * time.Minute), HeldUntil: now.Add(2 * time.Minute)},
			}
		}, StatusRecovered, "recovered, alerts held 3m more: HAPairLinksDown, HALinkDown"},
		{"held alert beside one firing", func(_ *snapshot.Pair, in *ClassifyInput) {
			in.Alerts = []AlertInfo{
				{Name: "HAPairLinksDown", Severity: "critical", State: "firing", HeldSince: now.Add(-time.Minute), HeldUntil: now.Add(4 * time.Minute)},
				{Name: "HAVersionMismatch", Severity: "warning", State: "firing"},
			}
		}, StatusDegraded, "alerts firing: HAVersionMismatch"},
		{"expected alerts in maintenance", func(p *snapshot.Pair, in *ClassifyInput) {
			in.Alerts = []AlertInfo{{Name: "HAVersionMismatch", Severity: "warning", State: "firing", Expected: true}}
		}, StatusHealthy, ""},
		{"pending and info alerts", func(_ *snapshot.Pair, in *ClassifyInput) {
			in.Alerts = []AlertInfo{{Name: "HAVersionMismatch", Severity: "warning", State: "pending"}, {Name: "HAPairFailover", Severity: "info", State: "firing"}}
		}, StatusHealthy, ""},
		{"standalone", func(p *snapshot.Pair, _ *ClassifyInput) {
			for _, peer := range p.Peers {
				peer.HA = &probe.HAInfo{Enabled: false, LocalState: probe.StateUnknown}
			}
		}, StatusHealthy, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := testPair("edge")
			in := ClassifyInput{Now: now}
			tc.change(p, &in)
			got, reasons := Classify(p, in)
			if got != tc.want {
				t.Fatalf("status %s (%v), want %s", got, reasons, tc.want)
			}
			if tc.reason == "" && len(reasons) > 0 {
				t.Errorf("reasons %v, want none", reasons)
			}
			if tc.reason != "" && (len(reasons) == 0 || !strings.Contains(reasons[0], tc.reason)) {
				t.Errorf("reasons %v, want first %q", reasons, tc.reason)
			}
		})
	}
}

func TestFailoverSummary(t *testing.T) {
	p := healthyPair()
	p.Failover = &snapshot.FailoverView{Ready: probe.No, Passive: "fw-b", Checks: []snapshot.FailoverCheck{
		{Check: snapshot.FailoverCheckInterfaceAddress, Item: "eni-a2", Peer: "fw-b", Result: probe.No,
			Problem: "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet 10.0.2.0/24 of eni-a2"},
		{Check: snapshot.FailoverCheckAvailabilityZone, Item: "eni-a2", Peer: "fw-b", Result: probe.Yes},
	}, Routes: []snapshot.FailoverRoute{{RouteTable: "rtb-1", Destination: "0.0.0.0/0", AtFailover: "follows eni-a2 to fw-b", Result: probe.Yes}}}
	srv := newServer(t, &source{pairs: []*snapshot.Pair{p}}, nil)
	pr, _ := getPairs(t, srv)
	f := pr.Pairs[0].Failover
	if f == nil || f.Ready != "no" || f.Passive != "fw-b" || len(f.Problems) != 1 || f.Problems[0].Subject != "eni-a2" ||
		len(f.Routes) != 1 || f.Routes[0] != "0.0.0.0/0 in rtb-1: follows eni-a2 to fw-b" {
		t.Fatalf("failover summary %+v", f)
	}
	if !strings.HasPrefix(pr.Pairs[0].Cause, "a failover to fw-b now would fail: ethernet1/2 of fw-b") {
		t.Errorf("cause %q", pr.Pairs[0].Cause)
	}
	_, page := get(t, srv.URL+"/")
	if !strings.Contains(page, `data-failover-ready="no"`) || !strings.Contains(page, "outside subnet 10.0.2.0/24") {
		t.Errorf("the page does not show the failover prediction")
	}
}

// TestHeldAlertsShowAsHeld: an alert kept firing after its condition
// cleared is grouped apart from the firing ones and says how long ago it
// resolved and how long it is held; the page labels it held, with its
// runbook link, and the pair's status is recovered, not degraded.
func TestHeldAlertsShowAsHeld(t *testing.T) {
	src := &source{pairs: []*snapshot.Pair{healthyPair()}, alerts: []AlertInfo{{
		Name: "HAPairLinksDown", Pair: "edge", Severity: "critical", State: "firing",
		HeldSince: now.Add(-2 * time.Minute), HeldUntil: now.Add(3 * time.Minute),
		RunbookURL: "https://example.net/runbooks.md#hapairlinksdown",
	}, {
		Name: "HAPeerSuspended", Pair: "edge", Peer: "fw-b", Severity: "warning", State: "firing", Expected: true,
	}}}
	srv := newServer(t, src, nil)
	pr, _ := getPairs(t, srv)
	p := pr.Pairs[0]
	if p.Status != StatusRecovered {
		t.Errorf("status %s, want recovered (%v)", p.Status, p.Reasons)
	}
	if len(p.Alerts) != 2 || p.Alerts[0].Group != GroupHeld || p.Alerts[1].Group != GroupExpected {
		t.Fatalf("alerts %+v, want the held one, then the expected one", p.Alerts)
	}
	if a := p.Alerts[0]; a.Note != "resolved 2m ago, held 3m more" || a.HeldUntil == nil || !a.HeldUntil.Equal(now.Add(3*time.Minute)) {
		t.Errorf("held alert %+v", a)
	}
	_, page := get(t, srv.URL+"/")
	for _, want := range []string{
		`<span class="sev">critical · held</span> <b>HAPairLinksDown</b>`,
		`resolved 2m ago, held 3m more`,
		`<a class="runbook" href="https://example.net/runbooks.md#hapairlinksdown">runbook</a>`,
		`Held after recovery`, `Expected in maintenance`, `↺ RECOVERED`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "critical · firing") {
		t.Errorf("the page calls a held alert firing")
	}
}
