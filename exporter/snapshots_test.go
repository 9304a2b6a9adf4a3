package exporter

import (
	"errors"
	"fmt"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// pollEnd is the fixed end of every poll in the test snapshots.
var pollEnd = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// staticSource is a Source whose snapshots the test sets.
type staticSource struct{ pairs []*snapshot.Pair }

func (s *staticSource) Snapshots() []*snapshot.Pair { return s.pairs }

// okResults returns a successful result for every poll command.
func okResults() []probe.CommandResult {
	var rs []probe.CommandResult
	for _, c := range probe.PollCommands {
		rs = append(rs, probe.CommandResult{Command: c, Duration: 250 * time.Millisecond, Requests: 1})
	}
	return rs
}

// haInfo returns the HA reply of a healthy peer in the given state that
// sees its peer in the other state.
func haInfo(local, peer probe.HAState) *probe.HAInfo {
	return &probe.HAInfo{
		Enabled:            true,
		Mode:               "active-passive",
		LocalState:         local,
		LocalStateRaw:      string(local),
		LocalStateDuration: 5120 * time.Second,
		LocalVersions:      probe.Versions{Build: "10.1.6-h6", App: "8701-8140", Threat: "8701-8140", AV: "4400-4911"},
		StateSync:          "Complete",
		PreemptFlapCount:   0,
		NonfuncFlapCount:   1,
		MaxFlaps:           3,
		Compat:             map[string]string{"build": "Match", "app": "Match", "av": "Mismatch", "iot": "n/a"},
		PeerState:          peer,
		PeerConnected:      true,
		Links: []probe.HALink{
			{Name: probe.LinkHA1, Port: "management", Status: "up", Up: true},
			{Name: probe.LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
		},
		RunningSync:        "synchronized",
		RunningSyncEnabled: true,
		ConfigSynchronized: true,
		LinkMonitoring: probe.Monitoring{Enabled: true, Groups: []probe.MonitorGroup{
			{Name: "dataplane", Enabled: true, FailureCondition: "any"},
			{Name: "spare", Enabled: false, Failed: true},
		}},
		PathMonitoring: probe.Monitoring{Enabled: false, Groups: []probe.MonitorGroup{
			{Name: "gw", Enabled: true, Failed: true},
		}},
	}
}

// interfaces returns the interfaces of a VM-Series peer: two data-plane
// ports, a subinterface, an HA port, an unused port, a loopback and a tunnel.
func interfaces() *probe.Interfaces {
	return &probe.Interfaces{
		Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/1", Kind: probe.KindPhysical, State: "up", Up: true, Role: probe.RoleDataPlane},
			{Name: "ethernet1/2", Kind: probe.KindPhysical, State: "up", Up: true, Role: probe.RoleDataPlane},
			{Name: "ethernet1/3", Kind: probe.KindPhysical, State: "up", Up: true, Role: probe.RoleHA},
			{Name: "ethernet1/4", Kind: probe.KindPhysical, State: "down", Up: false, Role: probe.RoleUnused},
		},
		Logical: []probe.LogicalInterface{
			{Name: "ethernet1/1", Zone: "untrust", IP: "203.0.113.5/24", Forwarding: "vr:default"},
			{Name: "ethernet1/2", Zone: "trust", IP: "172.16.2.5/24", Forwarding: "vr:default"},
			{Name: "ethernet1/2.100", Zone: "dmz", IP: "172.16.100.5/24", Forwarding: "vr:default", Tag: "100"},
			{Name: "ethernet1/3", IP: "N/A", Forwarding: "ha"},
			{Name: "loopback.1", Zone: "trust", IP: "10.255.0.1/32", Forwarding: "vr:default"},
			{Name: "tunnel", IP: "N/A", Forwarding: "N/A"},
		},
	}
}

// counters returns hardware and logical counters; the logical ones must not
// be exported.
func counters(scale uint64) *probe.Counters {
	return &probe.Counters{
		Hardware: []probe.InterfaceCounters{
			{Name: "ethernet1/1", RxBytes: 1000 * scale, TxBytes: 2000 * scale, RxPackets: 10 * scale, TxPackets: 20 * scale, RxErrors: 1, RxDrops: 2},
			{Name: "ethernet1/2", RxBytes: 5000000000 * scale, TxBytes: 4000 * scale, RxPackets: 40 * scale, TxPackets: 30 * scale},
		},
		Logical: []probe.InterfaceCounters{
			{Name: "ethernet1/2.100", RxBytes: 99, TxBytes: 99},
		},
	}
}

// peerStatus returns a reachable peer in the given HA state.
func peerStatus(name string, local, peer probe.HAState, scale uint64) *probe.PeerStatus {
	return &probe.PeerStatus{
		Name: name, Address: "192.0.2." + fmt.Sprint(10+scale), Up: true,
		HA:         haInfo(local, peer),
		Interfaces: interfaces(),
		Counters:   counters(scale),
		Sessions:   &probe.SessionInfo{Active: 1200 * scale, Max: 250000, CPS: 40 * scale, Kbps: 1500 * scale, PPS: 300 * scale},
		System:     &probe.SystemInfo{Hostname: "fw-" + name, Model: "PA-VM", Serial: "00720000" + fmt.Sprint(scale), SWVersion: "10.1.6-h6"},
		Results:    okResults(),
		Start:      pollEnd.Add(-time.Second), End: pollEnd,
	}
}

// stats returns the cumulative counters of a pair with the given peers.
func stats(peers ...string) snapshot.Stats {
	s := snapshot.Stats{
		Polls: 42, Failed: 3, Skipped: 1,
		APIRequests: map[string]map[probe.Command]uint64{},
		APIFailures: map[string]map[probe.Command]uint64{},
	}
	for _, p := range peers {
		s.APIRequests[p] = map[probe.Command]uint64{probe.CmdHA: 42, probe.CmdSessions: 42}
		s.APIFailures[p] = map[probe.Command]uint64{probe.CmdHA: 2}
	}
	return s
}

// healthyPair is an active/passive pair where everything is fine.
func healthyPair() *snapshot.Pair {
	return &snapshot.Pair{
		Name: "edge", Seq: 42, Start: pollEnd.Add(-1500 * time.Millisecond), End: pollEnd,
		Peers: []*probe.PeerStatus{
			peerStatus("a", probe.StateActive, probe.StatePassive, 1),
			peerStatus("b", probe.StatePassive, probe.StateActive, 2),
		},
		Traffic: snapshot.Traffic{
			Known: true, BytesPerSecond: 1250,
			PeerBytesPerSecond: map[string]float64{"a": 1250, "b": 0},
		},
		Stats:  stats("a", "b"),
		Config: snapshot.PairInfo{PollInterval: 30 * time.Second, TrafficFloorBytesPerSecond: 100},
	}
}

// unreachablePair has an active peer and a peer that did not answer; the
// active peer cannot see it either.
func unreachablePair() *snapshot.Pair {
	a := peerStatus("a", probe.StateActive, probe.StateUnknown, 1)
	a.HA.PeerConnected = false
	a.HA.Links[0].Up, a.HA.Links[0].Status = false, "down"
	a.HA.RunningSync, a.HA.ConfigSynchronized = "unknown", false
	a.Results[2] = probe.CommandResult{Command: probe.CmdSessions, Unsupported: true, Requests: 1,
		Err: &probe.APIError{Status: "error", Code: 17, Message: "unexpected command"}}
	a.Sessions = nil
	down := errors.New("dial tcp 192.0.2.12:443: connect: connection refused")
	b := &probe.PeerStatus{
		Name: "b", Address: "192.0.2.12", Err: down,
		System: &probe.SystemInfo{Hostname: "fw-b", Model: "PA-VM", Serial: "007200002", SWVersion: "10.1.6-h6"},
		Results: []probe.CommandResult{
			{Command: probe.CmdHA, Err: down, Duration: 2 * time.Second, Requests: 1},
		},
		Start: pollEnd.Add(-2 * time.Second), End: pollEnd,
	}
	return &snapshot.Pair{
		Name: "dc", Seq: 7, Start: pollEnd.Add(-2 * time.Second), End: pollEnd,
		Peers:   []*probe.PeerStatus{a, b},
		Traffic: snapshot.Traffic{PeerBytesPerSecond: map[string]float64{}},
		Stats:   stats("a", "b"),
	}
}

// standalonePair is a pair of firewalls with HA not configured.
func standalonePair() *snapshot.Pair {
	a := peerStatus("a", probe.StateUnknown, probe.StateUnknown, 1)
	a.HA = &probe.HAInfo{Enabled: false}
	a.Interfaces, a.Counters = nil, nil
	return &snapshot.Pair{
		Name: "lab", Seq: 1, Start: pollEnd.Add(-time.Second), End: pollEnd,
		Peers: []*probe.PeerStatus{a},
	}
}

// awsPair is an active/passive pair on AWS in secondary-ip mode, shortly
// after a failover: some checks are unknown, some fail, some pass.
func awsPair(name string) *snapshot.Pair {
	p := healthyPair()
	p.Name = name
	p.Config.AWSEnabled, p.Config.AWSMode = true, probe.AWSModeAuto
	p.Stats.AWSPolls = 12
	p.Stats.AWSRequests = map[string]uint64{"DescribeInstances": 12, "DescribeRouteTables": 12}
	p.Stats.AWSFailures = map[string]uint64{"DescribeRouteTables": 2}
	p.AWS = &probe.AWSStatus{
		Region:    "eu-west-1",
		Errors:    map[string]error{"DescribeRouteTables": errors.New("describe route tables: throttled")},
		Throttled: true,
		Start:     pollEnd.Add(-3 * time.Second), End: pollEnd.Add(-time.Second),
	}
	p.AWSView = &snapshot.AWSView{
		Mode: probe.AWSModeSecondaryIP, Known: true, ActivePeer: "a",
		InGrace: true, GraceUntil: pollEnd.Add(time.Minute),
		ENIs: []snapshot.ENICheck{
			{Peer: "a", ENI: "eni-0a1", DeviceIndex: 1, Interface: "ethernet1/1", Role: probe.RoleDataPlane, Attached: probe.Yes},
			{Peer: "b", ENI: "eni-0b1", DeviceIndex: -1, Interface: "ethernet1/1", Role: probe.RoleDataPlane, Attached: probe.No, SourceDestCheck: true, Problem: "detached"},
			{Peer: "b", ENI: "eni-0b2", DeviceIndex: 2, Interface: "ethernet1/2", Role: probe.RoleDataPlane, Attached: probe.Unknown},
		},
		Interfaces: []snapshot.SubnetCheck{
			{Peer: "a", Interface: "ethernet1/1", ENI: "eni-0a1", IP: "203.0.113.5/24", Match: probe.Yes},
			{Peer: "b", Interface: "ethernet1/2", ENI: "eni-0b2", Match: probe.Unknown},
		},
		Routes: []snapshot.RouteCheck{
			{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-0a1", TargetPeer: "a", OnActive: probe.Yes},
			{RouteTable: "rtb-1", Destination: "10.9.0.0/16", TargetENI: "eni-0b1", TargetPeer: "b", OnActive: probe.No, Blackhole: true},
			{RouteTable: "rtb-2", Destination: "pl-0123", OnActive: probe.Unknown},
		},
		FloatingIPs: []snapshot.FloatingIPCheck{
			{IP: "203.0.113.50", Kind: "secondary-ip", ENI: "eni-0a1", Peer: "a", OnActive: probe.Yes},
			{IP: "198.51.100.7", Kind: "eip", OnActive: probe.Unknown},
		},
		Instances: []snapshot.InstanceCheck{
			{Peer: "a", InstanceID: "i-0a", State: "running", SystemStatus: "ok", InstanceStatus: "ok", OK: probe.Yes},
			{Peer: "b", InstanceID: "i-0b", State: "running", SystemStatus: "initializing", OK: probe.Unknown},
		},
	}
	return p
}

// errFake is a command error of the test snapshots.
var errFake = errors.New("fake failure")
