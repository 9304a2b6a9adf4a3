package journal

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

var t0 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

// peer returns a reachable peer in the given state that sees its HA peer
// in the other state over connected links.
func peer(name string, local, other probe.HAState) *probe.PeerStatus {
	return &probe.PeerStatus{
		Name: name, Address: "192.0.2.1", Up: true,
		HA: &probe.HAInfo{
			Enabled: true, Mode: "active-passive",
			LocalState: local, PeerState: other, PeerConnected: true,
			LocalVersions: probe.Versions{Build: "10.2.9"},
			Links: []probe.HALink{
				{Name: probe.LinkHA1, Port: "management", Status: "up", Up: true},
				{Name: probe.LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
			},
			RunningSyncEnabled: true, ConfigSynchronized: true, RunningSync: "synchronized",
		},
		Interfaces: &probe.Interfaces{Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/1", Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane},
			{Name: "ethernet1/2", Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane},
			{Name: "ethernet1/3", Kind: probe.KindPhysical, Up: true, Role: probe.RoleHA},
			{Name: "ethernet1/4", Kind: probe.KindPhysical, Up: false, Role: probe.RoleUnused},
		}},
		System: &probe.SystemInfo{SWVersion: "10.2.9"},
	}
}

// pair returns a healthy pair: a active, b passive, traffic flowing, every
// AWS check passing.
func pair(end time.Time) *snapshot.Pair {
	return &snapshot.Pair{
		Name: "edge", End: end,
		Peers:   []*probe.PeerStatus{peer("a", probe.StateActive, probe.StatePassive), peer("b", probe.StatePassive, probe.StateActive)},
		Traffic: snapshot.Traffic{Known: true, BytesPerSecond: 5000, CPS: 10},
		AWSView: &snapshot.AWSView{
			Known: true, Mode: probe.AWSModeInterfaceMove, ActivePeer: "a",
			ENIs: []snapshot.ENICheck{
				{Peer: "a", ENI: "eni-a1", DeviceIndex: 1, Interface: "ethernet1/1", Role: probe.RoleDataPlane, Attached: probe.Yes},
			},
			Interfaces: []snapshot.SubnetCheck{
				{Peer: "a", Interface: "ethernet1/1", ENI: "eni-a1", IP: "10.0.1.10/24", SubnetCIDR: "10.0.1.0/24", Match: probe.Yes},
			},
			Routes: []snapshot.RouteCheck{
				{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a1", TargetPeer: "a", OnActive: probe.Yes},
			},
			FloatingIPs: []snapshot.FloatingIPCheck{
				{IP: "10.0.1.100", Kind: snapshot.FloatingKindSecondaryIP, ENI: "eni-a1", Peer: "a", OnActive: probe.Yes},
			},
			Instances: []snapshot.InstanceCheck{
				{Peer: "a", InstanceID: "i-a", State: "running", SystemStatus: "ok", InstanceStatus: "ok", OK: probe.Yes},
			},
		},
	}
}

func TestDiffNoPrevious(t *testing.T) {
	if ev := Diff(nil, pair(t0)); ev != nil {
		t.Fatalf("first poll gave events: %v", ev)
	}
	if ev := Diff(pair(t0), pair(t0.Add(time.Minute))); len(ev) != 0 {
		t.Fatalf("unchanged pair gave events: %v", ev)
	}
}

// want is the part of an event a case checks; Message is a substring.
type want struct {
	Peer, Kind, Subject, Before, After, Message string
}

func TestDiff(t *testing.T) {
	cases := []struct {
		name   string
		change func(prev, cur *snapshot.Pair)
		want   []want
	}{{
		name: "peer suspended",
		change: func(_, cur *snapshot.Pair) {
			cur.Peers[1].HA.LocalState = probe.StateSuspended
			cur.Peers[1].HA.LastErrorReason = "User requested"
		},
		want: []want{{"b", KindHAState, "", "passive", "suspended", "reason: User requested"}},
	}, {
		name: "failover",
		change: func(_, cur *snapshot.Pair) {
			cur.Peers[0].HA.LocalState, cur.Peers[0].HA.PeerState = probe.StatePassive, probe.StateActive
			cur.Peers[1].HA.LocalState, cur.Peers[1].HA.PeerState = probe.StateActive, probe.StatePassive
		},
		want: []want{
			{"a", KindHAState, "", "active", "passive", ""},
			{"b", KindHAState, "", "passive", "active", ""},
			{"", KindFailover, "", "a", "b", "b took over"},
		},
	}, {
		name: "no active peer",
		change: func(_, cur *snapshot.Pair) {
			cur.Peers[0].HA.LocalState, cur.Peers[0].HA.PeerState = probe.StateNonFunctional, probe.StatePassive
			cur.Peers[1].HA.PeerState = probe.StateNonFunctional
		},
		want: []want{
			{"a", KindHAState, "", "active", "non-functional", ""},
			{"", KindFailover, "", "a", "", "lost its active peer"},
		},
	}, {
		name: "active peer unreachable but seen active by its peer",
		change: func(_, cur *snapshot.Pair) {
			a := cur.Peers[0]
			a.Up, a.HA, a.Interfaces = false, nil, nil
			a.Err = errors.New(`ha: Get "https://admin:hunter2@192.0.2.1/api/?type=op&key=LUFRPT1secret": context deadline exceeded`)
		},
		want: []want{{"a", KindPeerReachability, "", "up", "down", "stopped answering the API: ha: Get"}},
	}, {
		name: "peer answers again",
		change: func(prev, _ *snapshot.Pair) {
			prev.Peers[1].Up, prev.Peers[1].HA = false, nil
		},
		want: []want{
			{"b", KindPeerReachability, "", "down", "up", "answers the API again"},
			{"b", KindHAState, "", "unknown", "passive", ""},
		},
	}, {
		name:   "ha link down",
		change: func(_, cur *snapshot.Pair) { cur.Peers[0].HA.Links[0].Up = false },
		want:   []want{{"a", KindHALink, probe.LinkHA1, "up", "down", "HA link ha1 (management) of a went down"}},
	}, {
		name: "interfaces",
		change: func(_, cur *snapshot.Pair) {
			hw := cur.Peers[1].Interfaces.Hardware
			hw[1].Up = false
			hw[3].Up = true // unused port: not an event
		},
		want: []want{{"b", KindInterface, "ethernet1/2", "up", "down", "Data-plane interface ethernet1/2 of b went down"}},
	}, {
		name:   "config sync",
		change: func(_, cur *snapshot.Pair) { cur.Peers[0].HA.ConfigSynchronized = false },
		want:   []want{{"a", KindConfigSync, "", "synchronized", "not synchronized", ""}},
	}, {
		name: "version",
		change: func(_, cur *snapshot.Pair) {
			cur.Peers[1].HA.LocalVersions.Build = "11.1.4"
		},
		want: []want{{"b", KindVersion, "sw-version", "10.2.9", "11.1.4", "now runs PAN-OS 11.1.4"}},
	}, {
		name: "traffic stopped",
		change: func(_, cur *snapshot.Pair) {
			cur.Traffic = snapshot.Traffic{Known: true}
		},
		want: []want{{"", KindTraffic, "", "flowing", "stopped", "Traffic stopped"}},
	}, {
		name: "traffic unknown is not a change",
		change: func(_, cur *snapshot.Pair) {
			cur.Traffic = snapshot.Traffic{}
		},
	}, {
		name: "aws checks fail",
		change: func(_, cur *snapshot.Pair) {
			v := cur.AWSView
			v.ENIs[0].Attached, v.ENIs[0].Problem = probe.No, "eni-a1 (ethernet1/1) is available, attached to no instance"
			v.ENIs[0].SourceDestCheck = true
			v.Interfaces[0].Match = probe.No
			v.Routes[0].OnActive, v.Routes[0].Blackhole = probe.No, true
			v.Routes[0].Problem = "route 0.0.0.0/0 in rtb-1 is a blackhole (target eni-a1); route 0.0.0.0/0 in rtb-1 targets eni-a1 of a, not active peer b"
			v.FloatingIPs[0].OnActive = probe.No
			v.Instances[0].OK = probe.No
		},
		want: []want{
			{"a", KindAWS, "eni-a1", "attached", "not-attached", "eni-a1 (ethernet1/1) is available"},
			{"a", KindAWS, "eni-a1", "disabled", "enabled", "Source/destination check was enabled"},
			{"a", KindAWS, "ethernet1/1", "match", "mismatch", "no longer matches"},
			{"a", KindAWS, "rtb-1 0.0.0.0/0", "active", "blackhole", "became a blackhole"},
			{"a", KindAWS, "rtb-1 0.0.0.0/0", "on-active", "not-on-active", "not active peer b."},
			{"a", KindAWS, "10.0.1.100", "on-active", "not-on-active", ""},
			{"a", KindAWS, "i-a", "ok", "failed", "fails its status checks"},
		},
	}, {
		name: "aws check recovers",
		change: func(prev, _ *snapshot.Pair) {
			prev.AWSView.Interfaces[0].Match = probe.No
		},
		want: []want{{"a", KindAWS, "ethernet1/1", "mismatch", "match", "matches its ENI eni-a1 again"}},
	}, {
		name: "aws unknown is not a change",
		change: func(_, cur *snapshot.Pair) {
			cur.AWSView.Routes[0].OnActive = probe.Unknown
			cur.AWSView.Instances[0].OK = probe.Unknown
		},
	}, {
		name: "aws poll failed",
		change: func(_, cur *snapshot.Pair) {
			cur.AWSView = &snapshot.AWSView{Known: false}
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			prev, cur := pair(t0), pair(t0.Add(30*time.Second))
			tc.change(prev, cur)
			// Changes of cause have a test of their own.
			got := slices.DeleteFunc(Diff(prev, cur), func(e Event) bool { return e.Kind == KindCause })
			if len(got) != len(tc.want) {
				t.Fatalf("got %d events, want %d:\n%s", len(got), len(tc.want), dump(got))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Pair != "edge" || !g.Time.Equal(cur.End) {
					t.Errorf("event %d: pair %q time %v, want edge at %v", i, g.Pair, g.Time, cur.End)
				}
				if g.Peer != w.Peer || g.Kind != w.Kind || g.Subject != w.Subject || g.Before != w.Before || g.After != w.After {
					t.Errorf("event %d:\n got %+v\nwant %+v", i, g, w)
				}
				if !strings.Contains(g.Message, w.Message) || !strings.HasSuffix(g.Message, ".") {
					t.Errorf("event %d: message %q does not contain %q or is not a sentence", i, g.Message, w.Message)
				}
			}
		})
	}
}

func TestDiffRedactsErrors(t *testing.T) {
	prev, cur := pair(t0), pair(t0.Add(time.Second))
	cur.Peers[1].Up = false
	cur.Peers[1].Err = errors.New("ha: Get \"https://admin:hunter2@fw/api/?type=op&key=LUFRPT1secret&cmd=x\": EOF\ninterfaces: EOF")
	ev := Diff(prev, cur)
	if len(ev) != 2 || ev[1].Kind != KindCause {
		t.Fatalf("got %s", dump(ev))
	}
	for _, e := range ev {
		for _, secret := range []string{"hunter2", "LUFRPT1secret", "interfaces: EOF"} {
			if strings.Contains(e.Message, secret) {
				t.Errorf("message %q contains %q", e.Message, secret)
			}
		}
	}
	if !strings.Contains(ev[0].Message, "key=REDACTED") {
		t.Errorf("message %q does not show the redaction", ev[0].Message)
	}
}

func TestDiffDeterministic(t *testing.T) {
	change := func(p *snapshot.Pair) {
		p.Peers[0].HA.LocalState, p.Peers[1].HA.LocalState = probe.StatePassive, probe.StateActive
		p.Peers[0].HA.Links[1].Up = false
		p.Traffic = snapshot.Traffic{Known: true}
		p.AWSView.Routes[0].OnActive = probe.No
	}
	first := ""
	for range 20 {
		cur := pair(t0.Add(time.Second))
		change(cur)
		got := dump(Diff(pair(t0), cur))
		if first == "" {
			first = got
		} else if got != first {
			t.Fatalf("order changed:\n%s\nvs\n%s", first, got)
		}
	}
}

func TestActiveOf(t *testing.T) {
	p := pair(t0)
	if a, ok := ActiveOf(p.HAView()); a != "a" || !ok {
		t.Errorf("healthy pair: %q %v", a, ok)
	}
	p.Peers[1].HA.LocalState = probe.StateActive
	if a, _ := ActiveOf(p.HAView()); a != "a+b" {
		t.Errorf("split brain: %q", a)
	}
	p = pair(t0)
	for _, peer := range p.Peers {
		peer.Up = false
	}
	if _, ok := ActiveOf(p.HAView()); ok {
		t.Error("blind pair has a known active peer")
	}
}

func TestRate(t *testing.T) {
	for in, want := range map[float64]string{0: "0 B/s", 999: "999 B/s", 1500: "1.5 kB/s", 2250: "2.3 kB/s", 2.5e9: "2.5 GB/s"} {
		if got := Rate(in); got != want {
			t.Errorf("Rate(%v) = %q, want %q", in, got, want)
		}
	}
}

func dump(ev []Event) string {
	var b strings.Builder
	for _, e := range ev {
		b.WriteString(e.Kind + " " + e.Peer + " " + e.Subject + " " + e.Before + "→" + e.After + ": " + e.Message + "\n")
	}
	return b.String()
}

// TestDiffCause: the timeline records each change of hawatch's cause
// sentence, once per cause rather than per wording.
func TestDiffCause(t *testing.T) {
	healthy, down := pair(t0), pair(t0.Add(time.Second))
	down.Peers[1].Up, down.Peers[1].Err = false, errors.New("dial tcp 10.0.0.11:443: connection refused")
	ev := slices.DeleteFunc(Diff(healthy, down), func(e Event) bool { return e.Kind != KindCause })
	if len(ev) != 1 || ev[0].After != "unreachable:b" || ev[0].Message != "Cause: b does not answer the PAN-OS API: dial tcp 10.0.0.11:443: connection refused." {
		t.Fatalf("cause events %s", dump(ev))
	}
	again := pair(t0.Add(2 * time.Second))
	again.Peers[1].Up, again.Peers[1].Err = false, errors.New("dial tcp 10.0.0.11:443: i/o timeout")
	if ev := slices.DeleteFunc(Diff(down, again), func(e Event) bool { return e.Kind != KindCause }); len(ev) != 0 {
		t.Errorf("new wording of the same cause recorded: %s", dump(ev))
	}
	back := pair(t0.Add(3 * time.Second))
	ev = slices.DeleteFunc(Diff(again, back), func(e Event) bool { return e.Kind != KindCause })
	if len(ev) != 1 || ev[0].After != "" || !strings.HasPrefix(ev[0].Message, "hawatch finds nothing wrong with the pair any more") {
		t.Errorf("recovery: %s", dump(ev))
	}
}
