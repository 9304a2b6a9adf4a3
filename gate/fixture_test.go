package gate

import (
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// t0 is the time of every handmade poll.
var t0 = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

// haPeer builds a peer that answered with HA enabled in the given state.
func haPeer(name, addr string, state probe.HAState, peerState probe.HAState) *probe.PeerStatus {
	versions := probe.Versions{Build: "10.2.3", App: "8701-8140", Threat: "8701-8140", AV: "4400-4911"}
	return &probe.PeerStatus{
		Name: name, Address: addr, Up: true,
		HA: &probe.HAInfo{
			Enabled: true, Mode: "active-passive",
			LocalState: state, LocalStateRaw: string(state),
			LocalVersions: versions,
			StateSync:     "Complete",
			Compat:        map[string]string{"build": "Match", "app": "Match", "threat": "Match", "av": "Match"},
			PeerState:     peerState, PeerStateRaw: string(peerState),
			PeerConnected: true,
			PeerVersions:  versions,
			Links: []probe.HALink{
				{Name: probe.LinkHA1, Port: "management", Status: "up", Up: true},
				{Name: probe.LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
			},
			RunningSync: "synchronized", RunningSyncEnabled: true, ConfigSynchronized: true,
		},
		Interfaces: &probe.Interfaces{
			Hardware: []probe.HardwareInterface{
				{Name: "ethernet1/1", Kind: probe.KindPhysical, State: "up", Up: true, Role: probe.RoleDataPlane},
				{Name: "ethernet1/2", Kind: probe.KindPhysical, State: "up", Up: true, Role: probe.RoleDataPlane},
				{Name: "ethernet1/3", Kind: probe.KindPhysical, State: "up", Up: true, Role: probe.RoleHA},
			},
		},
		Sessions: &probe.SessionInfo{Active: 1200, Kbps: 5400, CPS: 35},
		System:   &probe.SystemInfo{Hostname: name, SWVersion: "10.2.3"},
		Start:    t0, End: t0.Add(time.Second),
	}
}

// healthyPair is a VM-Series pair in AWS (interface-move mode) that passes
// every check: fw-a active, fw-b passive, both on 10.2.3.
func healthyPair() *snapshot.Pair {
	a := haPeer("fw-a", "10.0.0.10:443", probe.StateActive, probe.StatePassive)
	b := haPeer("fw-b", "10.0.0.11:443", probe.StatePassive, probe.StateActive)
	b.Sessions = &probe.SessionInfo{}
	return &snapshot.Pair{
		Name:  "prod",
		Seq:   1,
		Start: t0, End: t0.Add(time.Second),
		Peers: []*probe.PeerStatus{a, b},
		AWS:   &probe.AWSStatus{Region: "eu-west-1", Errors: map[string]error{}},
		AWSView: &snapshot.AWSView{
			Mode: probe.AWSModeInterfaceMove, Known: true, ActivePeer: "fw-a",
			ENIs: []snapshot.ENICheck{
				{Peer: "fw-a", ENI: "eni-a0", DeviceIndex: 0, Interface: "management", Role: "management", Status: "in-use", Attached: probe.Yes},
				{Peer: "fw-a", ENI: "eni-a1", DeviceIndex: 1, Interface: "ethernet1/1", Role: probe.RoleDataPlane, Status: "in-use", Attached: probe.Yes},
				{Peer: "fw-a", ENI: "eni-a2", DeviceIndex: 2, Interface: "ethernet1/2", Role: probe.RoleDataPlane, Status: "in-use", Attached: probe.Yes},
				{Peer: "fw-b", ENI: "eni-b0", DeviceIndex: 0, Interface: "management", Role: "management", Status: "in-use", Attached: probe.Yes},
			},
			Interfaces: []snapshot.SubnetCheck{
				{Peer: "fw-a", Interface: "ethernet1/1", ENI: "eni-a1", IP: "10.0.1.10/24", SubnetCIDR: "10.0.1.0/24", Match: probe.Yes},
				{Peer: "fw-a", Interface: "ethernet1/2", ENI: "eni-a2", IP: "10.0.2.10/24", SubnetCIDR: "10.0.2.0/24", Match: probe.Yes},
			},
			Routes: []snapshot.RouteCheck{
				{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a2", TargetPeer: "fw-a", OnActive: probe.Yes},
			},
			Instances: []snapshot.InstanceCheck{
				{Peer: "fw-a", InstanceID: "i-a", State: "running", SystemStatus: "ok", InstanceStatus: "ok", OK: probe.Yes},
				{Peer: "fw-b", InstanceID: "i-b", State: "running", SystemStatus: "ok", InstanceStatus: "ok", OK: probe.Yes},
			},
		},
		Failover: &snapshot.FailoverView{
			Ready: probe.Yes, Mode: probe.AWSModeInterfaceMove, Active: "fw-a", Passive: "fw-b",
			Checks: []snapshot.FailoverCheck{
				{Check: snapshot.FailoverCheckInterfaceAddress, Item: "ethernet1/1", Peer: "fw-b", Result: probe.Yes},
				{Check: snapshot.FailoverCheckInterfaceAddress, Item: "ethernet1/2", Peer: "fw-b", Result: probe.Yes},
				{Check: snapshot.FailoverCheckAvailabilityZone, Item: "eni-a1", Peer: "fw-b", Result: probe.Yes},
			},
			Routes: []snapshot.FailoverRoute{{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a2",
				Interface: "ethernet1/2", AtFailover: "follows eni-a2 (ethernet1/2) to fw-b", Result: probe.Yes}},
		},
		Traffic: snapshot.Traffic{PeerBytesPerSecond: map[string]float64{}, SessionsActive: 1200, Kbps: 5400, CPS: 35},
		Config:  snapshot.PairInfo{AWSEnabled: true, AWSMode: probe.AWSModeInterfaceMove, AWSRegion: "eu-west-1"},
	}
}

// failover swaps the HA states of the healthy pair: fw-b active.
func failover(p *snapshot.Pair) {
	a, b := p.Peers[0], p.Peers[1]
	a.HA.LocalState, a.HA.LocalStateRaw, a.HA.PeerState, a.HA.PeerStateRaw = probe.StatePassive, "passive", probe.StateActive, "active"
	b.HA.LocalState, b.HA.LocalStateRaw, b.HA.PeerState, b.HA.PeerStateRaw = probe.StateActive, "active", probe.StatePassive, "passive"
	a.Sessions, b.Sessions = b.Sessions, a.Sessions
	p.AWSView.ActivePeer = "fw-b"
	p.AWSView.Routes[0].TargetENI, p.AWSView.Routes[0].TargetPeer = "eni-b2", "fw-b"
}

// setBuild sets the PAN-OS version a peer reports, in HA and system info.
func setBuild(peer *probe.PeerStatus, v string) {
	peer.HA.LocalVersions.Build = v
	peer.System.SWVersion = v
}

// findCheck returns the named check of the only pair of a report.
func findCheck(t *testing.T, r Report, name string) Check {
	t.Helper()
	if len(r.Pairs) != 1 {
		t.Fatalf("report has %d pairs, want 1", len(r.Pairs))
	}
	for _, c := range r.Pairs[0].Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, r.Pairs[0].Checks)
	return Check{}
}

// checkCase is one table case: a change to the healthy pair and what one
// check must say about it.
type checkCase struct {
	name     string
	mutate   func(p *snapshot.Pair)
	opts     Options
	check    string
	status   string
	evidence []string // substrings the evidence must contain
	exit     *int     // nil: not asserted
}

// exitIs is a checkCase exit code.
func exitIs(code int) *int { return &code }

// runCheckCases evaluates each case and asserts the check's status,
// evidence and, when given, the exit code.
func runCheckCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := healthyPair()
			if tc.mutate != nil {
				tc.mutate(p)
			}
			r := Evaluate([]*snapshot.Pair{p}, tc.opts)
			c := findCheck(t, r, tc.check)
			if c.Status != tc.status {
				t.Errorf("%s status = %s, want %s (evidence %q)", tc.check, c.Status, tc.status, c.Evidence)
			}
			for _, want := range tc.evidence {
				if !strings.Contains(c.Evidence, want) {
					t.Errorf("%s evidence %q lacks %q", tc.check, c.Evidence, want)
				}
			}
			if tc.exit != nil && r.ExitCode != *tc.exit {
				t.Errorf("exit code = %d, want %d", r.ExitCode, *tc.exit)
			}
		})
	}
}
