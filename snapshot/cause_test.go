package snapshot

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

func TestCause(t *testing.T) {
	ports := func(up bool) *probe.Interfaces {
		return &probe.Interfaces{Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/2", Kind: probe.KindPhysical, Role: probe.RoleDataPlane, Up: up},
			{Name: "ethernet1/3", Kind: probe.KindPhysical, Role: probe.RoleDataPlane, Up: up},
			{Name: "loopback", Kind: probe.KindVirtual, Role: probe.RoleVirtual, Up: true},
		}}
	}
	pair := func(up bool) *Pair {
		a, b := haPeer("fw-a", probe.StateActive, probe.StatePassive), haPeer("fw-b", probe.StatePassive, probe.StateActive)
		a.Interfaces, b.Interfaces = ports(up), ports(up)
		return &Pair{Name: "edge", Peers: []*probe.PeerStatus{a, b}}
	}
	mismatch := "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet subnet-2 10.0.2.0/24 of eni-b2"
	for _, tc := range []struct {
		name   string
		mutate func(*Pair)
		want   string // prefix
	}{
		{"healthy", func(*Pair) {}, ""},
		{"the incident: the subnet mismatch comes first, then what it did", func(p *Pair) {
			*p = *pair(false)
			p.Traffic = Traffic{Known: true, EverFlowed: true, LastFlowingBytesPerSecond: 3.66e6,
				StoppedSince: time.Date(2026, 3, 4, 4, 12, 5, 0, time.FixedZone("CET", 3600))}
			p.AWSView = &AWSView{Known: true, Interfaces: []SubnetCheck{{Match: probe.No, Problem: mismatch}}}
		}, mismatch + " — traffic stopped"},
		{"ports down on both peers, AWS fine", func(p *Pair) { *p = *pair(false) },
			"every data-plane port is down: fw-a ethernet1/2, ethernet1/3; fw-b ethernet1/2, ethernet1/3"},
		{"split brain", func(p *Pair) { p.Peers[1].HA.LocalState = probe.StateActive }, "split brain: fw-a and fw-b are both active"},
		{"no active peer", func(p *Pair) {
			p.Peers[0].HA.LocalState = probe.StateSuspended
			p.Peers[1].HA.PeerState = probe.StateSuspended
		}, "no peer is active (fw-a suspended, fw-b passive)"},
		{"traffic stopped alone", func(p *Pair) { p.Traffic = Traffic{Known: true, EverFlowed: true} }, "traffic stopped after it had been flowing"},
		{"a peer does not answer", func(p *Pair) {
			p.Peers[1] = &probe.PeerStatus{Name: "fw-b", Err: errors.New("dial tcp: connection refused\nmore")}
		}, "fw-b does not answer the PAN-OS API: dial tcp: connection refused"},
		{"nobody answers", func(p *Pair) {
			p.Peers[0] = &probe.PeerStatus{Name: "fw-a", Err: errors.New("timeout")}
			p.Peers[1] = &probe.PeerStatus{Name: "fw-b"}
		}, "no peer answers the PAN-OS API: fw-a: timeout; fw-b: no reply"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := pair(true)
			tc.mutate(p)
			got := Cause(p)
			if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Errorf("cause %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCauseFailoverNotReady: a pair that works today but would not come
// back from a failover says so, unless something worse is going on.
func TestCauseFailoverNotReady(t *testing.T) {
	p := &Pair{Name: "edge", Peers: []*probe.PeerStatus{
		haPeer("fw-a", probe.StateActive, probe.StatePassive), haPeer("fw-b", probe.StatePassive, probe.StateActive),
	}}
	p.Failover = &FailoverView{Ready: probe.No, Passive: "fw-b", Reason: "interface-address eni-a2 (ethernet1/2): …", Checks: []FailoverCheck{
		{Check: FailoverCheckENIDetachable, Item: "eni-a2", Result: probe.No, Warning: true, Problem: "eni-a2 is deleted with its instance"},
		{Check: FailoverCheckInterfaceAddress, Item: "eni-a2", Result: probe.No, Problem: "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet 10.0.2.0/24 of eni-a2"},
	}}
	want := "a failover to fw-b now would fail: ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet 10.0.2.0/24 of eni-a2"
	if d := Diagnose(p); d.Key != "failover-not-ready" || d.Text != want {
		t.Errorf("diagnosis %+v, want %q", d, want)
	}
	// The evidence under the cause does not say it again; it lists the
	// other problems.
	if ev := Evidence(p); len(ev) != 0 {
		t.Errorf("one problem, stated by the cause: evidence %q, want none", ev)
	}
	second := "the route table rtb-1 sends 0.0.0.0/0 to eni-a1 of fw-a"
	p.Failover.Checks = append(p.Failover.Checks, FailoverCheck{Check: FailoverCheckInterfaceAddress, Item: "rtb-1", Result: probe.No, Problem: second})
	if ev := Evidence(p); !slices.Equal(ev, []string{second}) {
		t.Errorf("two problems: evidence %q, want only the second, %q", ev, second)
	}
	p.Traffic = Traffic{Known: true, EverFlowed: true, LastFlowingBytesPerSecond: 3.66e6,
		StoppedSince: time.Date(2026, 3, 4, 4, 12, 5, 0, time.FixedZone("CET", 3600))}
	if d := Diagnose(p); d.Key != "traffic-stopped" {
		t.Errorf("an outage comes before a prediction: %+v", d)
	}
}

// TestEvidence: the root cause's own facts come first, then what it did,
// then the rest, and never more than MaxEvidence lines.
func TestEvidence(t *testing.T) {
	p := &Pair{Name: "edge", Peers: []*probe.PeerStatus{
		haPeer("fw-a", probe.StatePassive, probe.StateActive), haPeer("fw-b", probe.StateActive, probe.StatePassive),
	}}
	if ev := Evidence(p); ev != nil {
		t.Fatalf("healthy pair: evidence %q", ev)
	}
	for _, peer := range p.Peers {
		peer.Interfaces = &probe.Interfaces{Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/2", Kind: probe.KindPhysical, Role: probe.RoleDataPlane},
			{Name: "ethernet1/3", Kind: probe.KindPhysical, Role: probe.RoleDataPlane},
			{Name: "ethernet1/4", Kind: probe.KindPhysical, Role: probe.RoleDataPlane, Up: true},
		}}
		peer.HA.Links = []probe.HALink{{Name: probe.LinkHA1}, {Name: probe.LinkHA2, Up: true}}
	}
	p.Traffic = Traffic{Known: true, EverFlowed: true, LastFlowingBytesPerSecond: 3.66e6,
		StoppedSince: time.Date(2026, 3, 4, 4, 12, 5, 0, time.FixedZone("CET", 3600))}
	p.AWSView = &AWSView{Known: true, ActivePeer: "fw-b",
		Interfaces: []SubnetCheck{{Peer: "fw-b", Interface: "ethernet1/2", ENI: "eni-b2", IP: "10.0.9.11/24", SubnetCIDR: "10.0.2.0/24",
			Match: probe.No, Problem: "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet subnet-2 10.0.2.0/24 of eni-b2"}},
		Routes: []RouteCheck{{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a3", TargetPeer: "fw-a", OnActive: probe.No,
			Problem: "route 0.0.0.0/0 in rtb-1 targets eni-a3 of fw-a, not active peer fw-b"}},
	}
	want := []string{
		"fw-b ethernet1/2 10.0.9.11/24 — ENI eni-b2 subnet 10.0.2.0/24",
		"1 of 3 data-plane ports up on fw-a and fw-b",
		"traffic 0 B/s since 03:12:05 UTC (was 3.7 MB/s), 0 new connections/s",
		"route 0.0.0.0/0 in rtb-1 → eni-a3 on fw-a, active is fw-b",
	}
	if ev := Evidence(p); !slices.Equal(ev, want) {
		t.Errorf("evidence\n%q\nwant\n%q", ev, want)
	}
	// Without the address, the route is the cause and leads; the HA
	// links move up into the four.
	p.AWSView.Interfaces = nil
	if ev := Evidence(p); len(ev) != MaxEvidence || ev[0] != want[3] || ev[3] != "HA links down: fw-a ha1; fw-b ha1" {
		t.Errorf("route as the cause: evidence %q", ev)
	}
}

// TestEvidenceUnreachable: the evidence does not repeat a cause that names
// a peer that does not answer; it says what the other peer sees.
func TestEvidenceUnreachable(t *testing.T) {
	a := haPeer("fw-a", probe.StateActive, probe.StateUnknown)
	a.HA.PeerConnected = false
	a.HA.Links = []probe.HALink{{Name: probe.LinkHA1}, {Name: probe.LinkHA2, Up: true}}
	p := &Pair{Name: "dmz", Peers: []*probe.PeerStatus{a, {Name: "fw-b", Err: errors.New("timeout")}}}
	if d := Diagnose(p); d.Key != "unreachable:fw-b" {
		t.Fatalf("diagnosis %+v", d)
	}
	if ev := Evidence(p); !slices.Equal(ev, []string{"HA links down: fw-a ha1"}) {
		t.Errorf("evidence %q", ev)
	}
}
