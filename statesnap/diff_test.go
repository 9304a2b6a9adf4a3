package statesnap

import (
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/gate"
)

// base is a healthy pair: fw-a active with its ports, routes, ARP,
// licenses and a tunnel; fw-b passive; AWS with two ENIs and a route.
func base(name string) *Snapshot {
	peer := func(n, state string, sessions uint64) Peer {
		return Peer{
			Name: n, Reachable: true, HAState: state, Version: "10.1.9",
			Interfaces: []Interface{
				{Name: "ethernet1/1", Role: "ha", Up: true},
				{Name: "ethernet1/2", Role: "data-plane", Up: true, Link: true, IPs: []string{"10.0.1.10/24"}},
				{Name: "ethernet1/3", Role: "data-plane", Up: true, Link: true},
				{Name: "ethernet1/4", Role: "unused", Up: false},
				{Name: "loopback", Role: "virtual", Up: true},
			},
			Sessions: &Sessions{Active: sessions},
			Routes: []Route{
				{VirtualRouter: "default", Destination: "0.0.0.0/0", Nexthop: "10.0.1.1", Interface: "ethernet1/2", Flags: "A S", Active: true},
				{VirtualRouter: "default", Destination: "10.0.2.0/24", Nexthop: "0.0.0.0", Interface: "ethernet1/3", Flags: "A C", Active: true},
			},
			ARP:      []ARPEntry{{Interface: "ethernet1/2", IP: "10.0.1.1", MAC: "0a:00:00:00:00:01", Status: "c"}},
			Content:  &Content{App: "8799-8509", Threat: "8799-8509", AV: "4811-5329"},
			Licenses: []License{{Feature: "Threat Prevention", Expires: "December 31, 2030"}},
			Tunnels:  []Tunnel{{Name: "to-dc", PeerIP: "198.51.100.1", State: "active", Up: true}},
		}
	}
	return &Snapshot{
		SchemaVersion: SchemaVersion, Name: name, Pair: "edge", TakenAt: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC),
		Trigger: TriggerManual,
		HA:      HA{Known: true, Enabled: true, Mode: "active-passive", Active: "fw-a"},
		Peers:   []Peer{peer("fw-a", "active", 1000), peer("fw-b", "passive", 990)},
		AWS: &AWS{
			Mode: "secondary-ip",
			ENIs: []ENI{
				{ID: "eni-a2", Peer: "fw-a", Interface: "ethernet1/2", InstanceID: "i-a", DeviceIndex: 2, Status: "in-use",
					PrivateIPs: []string{"10.0.2.10", "10.0.2.100"}},
				{ID: "eni-b2", Peer: "fw-b", Interface: "ethernet1/2", InstanceID: "i-b", DeviceIndex: 2, Status: "in-use",
					PrivateIPs: []string{"10.0.2.11"}},
			},
			Routes: []AWSRoute{{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a3", TargetPeer: "fw-a", State: "active"}},
		},
	}
}

func checkOf(t *testing.T, r *Report, name string) gate.Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %s in %+v", name, r.Checks)
	return gate.Check{}
}

func TestDiffThresholds(t *testing.T) {
	tests := []struct {
		check  string
		change func(b *Snapshot)
		want   string // status
		// evidence must contain this
		evidence string
	}{
		{CheckReachable, func(*Snapshot) {}, gate.StatusPass, "fw-b answers"},
		{CheckReachable, func(b *Snapshot) { b.Peers[1].Reachable = false }, gate.StatusFail, "fw-b answered in before but not in after"},

		{CheckHAState, func(*Snapshot) {}, gate.StatusPass, "active peer fw-a"},
		{CheckHAState, func(b *Snapshot) {
			b.HA.Active = "fw-b"
			b.Peers[0].HAState, b.Peers[1].HAState = "passive", "active"
		}, gate.StatusFail, "active peer changed from fw-a to fw-b"},
		{CheckHAState, func(b *Snapshot) { b.HA.Known = false }, gate.StatusUnknown, "HA state unknown in after"},

		{CheckVersions, func(*Snapshot) {}, gate.StatusPass, "fw-a runs 10.1.9"},
		{CheckVersions, func(b *Snapshot) { b.Peers[1].Version = "10.1.11-h1" }, gate.StatusFail, "fw-b PAN-OS 10.1.9 → 10.1.11-h1"},
		{CheckVersions, func(b *Snapshot) {
			b.Peers[0].Content = &Content{App: "8800-8510", Threat: "8799-8509", AV: "4811-5329"}
		},
			gate.StatusFail, "fw-a app content 8799-8509 → 8800-8510"},

		// A port going down fails; the unused port and the virtual row
		// never count.
		{CheckInterface, func(b *Snapshot) { b.Peers[0].Interfaces[3].Up = true; b.Peers[0].Interfaces[4].Up = false }, gate.StatusPass, "all 3 ports"},
		{CheckInterface, func(b *Snapshot) { b.Peers[0].Interfaces[1].Up = false; b.Peers[0].Interfaces[0].Up = false },
			gate.StatusFail, "fw-a lost 2 of 3 ports that were up: ethernet1/1, ethernet1/2"},
		{CheckInterface, func(b *Snapshot) { b.Peers[1].Interfaces = b.Peers[1].Interfaces[:2] }, gate.StatusFail, "ethernet1/3 (gone)"},
		// The passive of an interface-move pair loses its data-plane
		// ports by design; its HA port still counts.
		{CheckInterface, func(b *Snapshot) {
			b.Peers[1].PortsExpectedDown = true
			b.Peers[1].Interfaces[1].Up, b.Peers[1].Interfaces[2].Up = false, false
			b.Peers[1].Routes, b.Peers[1].ARP = []Route{}, []ARPEntry{}
		}, gate.StatusPass, "fw-b: all 1 ports that were up are up"},
		{CheckInterface, func(b *Snapshot) { b.Peers[1].PortsExpectedDown = true; b.Peers[1].Interfaces[0].Up = false },
			gate.StatusFail, "fw-b lost 1 of 1 ports that were up: ethernet1/1"},
		{CheckRoutes, func(b *Snapshot) { b.Peers[1].PortsExpectedDown = true; b.Peers[1].Routes = []Route{} },
			gate.StatusPass, "fw-b: routes not compared"},
		{CheckInterface, func(b *Snapshot) { b.Peers[1].Unknown = map[string]string{PartInterfaces: "timeout"} },
			gate.StatusUnknown, "interfaces unknown in after (fw-b: timeout)"},

		// 1000 → 1100 is exactly 10 %: within; 1000 → 899 is not.
		{CheckSessions, func(b *Snapshot) { b.Peers[0].Sessions.Active = 1100 }, gate.StatusPass, "1000 → 1100 (+10.0 %"},
		{CheckSessions, func(b *Snapshot) { b.Peers[0].Sessions.Active = 899 }, gate.StatusFail, "1000 → 899 (-10.1 %"},
		// After a failover the new active peer's count is the pair's.
		{CheckSessions, func(b *Snapshot) { b.HA.Active = "fw-b"; b.Peers[0].Sessions.Active = 0 }, gate.StatusPass, "1000 → 990"},
		{CheckSessions, func(b *Snapshot) {
			b.Peers[0].Sessions = nil
			b.Peers[0].Unknown = map[string]string{PartSessions: "refused"}
		},
			gate.StatusUnknown, "sessions unknown in after"},

		{CheckRoutes, func(*Snapshot) {}, gate.StatusPass, "fw-a: 2 active routes"},
		{CheckRoutes, func(b *Snapshot) { b.Peers[0].Routes = b.Peers[0].Routes[1:] }, gate.StatusFail,
			"fw-a: 1 route(s) removed: default 0.0.0.0/0 via 10.0.1.1 dev ethernet1/2"},
		{CheckRoutes, func(b *Snapshot) {
			b.Peers[1].Routes = append(b.Peers[1].Routes, Route{VirtualRouter: "default", Destination: "10.9.0.0/16", Nexthop: "10.0.1.1", Active: true})
		}, gate.StatusFail, "fw-b: 1 route(s) added: default 10.9.0.0/16"},
		// A route that lost its A flag left the FIB: removed.
		{CheckRoutes, func(b *Snapshot) { b.Peers[0].Routes[0].Active = false }, gate.StatusFail, "removed"},

		{CheckARP, func(b *Snapshot) {
			b.Peers[0].ARP = append(b.Peers[0].ARP, ARPEntry{Interface: "ethernet1/3", IP: "10.0.2.5", MAC: "0a:00:00:00:00:05", Status: "c"})
		}, gate.StatusPass, "all 1 ARP entries present"},
		{CheckARP, func(b *Snapshot) { b.Peers[0].ARP = []ARPEntry{} }, gate.StatusFail, "fw-a: 1 ARP entr(ies) missing: 10.0.1.1 on ethernet1/2"},
		{CheckARP, func(b *Snapshot) { b.Peers[0].ARP[0].Status, b.Peers[0].ARP[0].MAC = "i", "" }, gate.StatusFail, "missing"},

		{CheckLicenses, func(*Snapshot) {}, gate.StatusPass, "1 licenses, none lost"},
		{CheckLicenses, func(b *Snapshot) { b.Peers[1].Licenses[0].Expired = true }, gate.StatusFail, "fw-b: Threat Prevention expired"},

		{CheckTunnels, func(*Snapshot) {}, gate.StatusPass, "all 1 tunnels"},
		{CheckTunnels, func(b *Snapshot) { b.Peers[0].Tunnels[0].Up, b.Peers[0].Tunnels[0].State = false, "init" }, gate.StatusFail, "fw-a: tunnel(s) no longer up: to-dc"},

		{CheckAWSENIs, func(*Snapshot) {}, gate.StatusPass, "2 ENIs"},
		{CheckAWSENIs, func(b *Snapshot) { b.AWS.ENIs[0].InstanceID, b.AWS.ENIs[0].DeviceIndex = "i-b", 3 }, gate.StatusFail,
			"eni-a2 moved from i-a device 2 to i-b device 3"},
		{CheckAWSENIs, func(b *Snapshot) {
			b.AWS.ENIs[0].PrivateIPs = []string{"10.0.2.10"}
			b.AWS.ENIs[1].PrivateIPs = []string{"10.0.2.11", "10.0.2.100"}
		}, gate.StatusFail, "10.0.2.100 moved from eni-a2 to eni-b2"},
		{CheckAWSENIs, func(b *Snapshot) { b.AWS.ENIs[1].PrivateIPs = nil }, gate.StatusFail, "10.0.2.11 is on no ENI any more (was on eni-b2)"},
		{CheckAWSENIs, func(b *Snapshot) { b.AWS.Unknown = map[string]string{"DescribeNetworkInterfaces": "throttled"} },
			gate.StatusUnknown, "throttled"},

		{CheckAWSRoutes, func(*Snapshot) {}, gate.StatusPass, "1 VPC routes"},
		{CheckAWSRoutes, func(b *Snapshot) { b.AWS.Routes[0].State = "blackhole" }, gate.StatusFail,
			"route rtb-1 0.0.0.0/0 now → eni-a3 (fw-a) blackhole (was → eni-a3 (fw-a))"},
		{CheckAWSRoutes, func(b *Snapshot) { b.AWS.Routes = nil }, gate.StatusFail, "route rtb-1 0.0.0.0/0 removed"},
	}
	for _, tt := range tests {
		t.Run(tt.check+"/"+tt.want+"/"+tt.evidence, func(t *testing.T) {
			a, b := base("before"), base("after")
			tt.change(b)
			r, err := Diff(a, b, DiffOptions{SessionsTolerance: 0.10})
			if err != nil {
				t.Fatal(err)
			}
			c := checkOf(t, r, tt.check)
			if c.Status != tt.want || !strings.Contains(c.Evidence, tt.evidence) {
				t.Errorf("%s: %s %q, want %s containing %q", tt.check, c.Status, c.Evidence, tt.want, tt.evidence)
			}
		})
	}
}

func TestDiffExitCodes(t *testing.T) {
	a := base("before")
	r, err := Diff(a, base("after"), DiffOptions{SessionsTolerance: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if r.ExitCode != gate.ExitReady {
		t.Errorf("same state: exit %d, checks %+v", r.ExitCode, r.Checks)
	}
	b := base("after")
	b.Peers[0].Interfaces[1].Up = false
	if r, _ = Diff(a, b, DiffOptions{}); r.ExitCode != gate.ExitNotReady {
		t.Errorf("lost port: exit %d, want 1", r.ExitCode)
	}
	b.Peers[1].Unknown = map[string]string{PartARP: "refused"}
	if r, _ = Diff(a, b, DiffOptions{}); r.ExitCode != gate.ExitCannotTell {
		t.Errorf("lost port and unknown ARP: exit %d, want 2", r.ExitCode)
	}
	// Skipping the check that failed leaves a clean diff.
	c := base("after")
	c.Peers[1].Version = "10.1.11"
	if r, _ = Diff(a, c, DiffOptions{Skip: map[string]bool{CheckVersions: true}}); r.ExitCode != gate.ExitReady {
		t.Errorf("skipped versions: exit %d, checks %+v", r.ExitCode, r.Checks)
	}
	for _, ck := range r.Checks {
		if ck.Name == CheckVersions {
			t.Errorf("skipped check %s reported", ck.Name)
		}
	}
}

func TestDiffRefusesOtherPair(t *testing.T) {
	b := base("after")
	b.Pair = "core"
	if _, err := Diff(base("before"), b, DiffOptions{}); err == nil || !strings.Contains(err.Error(), "different pairs") {
		t.Errorf("err = %v", err)
	}
}
