package web

import (
	"errors"
	"fmt"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// now is the fixed clock of the tests; every poll ended 12 s earlier.
var (
	now     = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)
	pollEnd = now.Add(-12 * time.Second)
)

// secretKey is a PAN-OS API key that an error quotes; it must never show.
const secretKey = "LUFRPT14MW5xOEo1R09KVlBZNnpnemh0VHRBOWl6TGM9bXcwM3JHUGVhRlNiY0dCR0srNERUQT09"

func testPeer(name string, idx int, local, other probe.HAState) *probe.PeerStatus {
	return &probe.PeerStatus{
		Name: name, Address: fmt.Sprintf("192.0.2.%d", 10+idx), Up: true,
		HA: &probe.HAInfo{
			Enabled: true, Mode: "active-passive", LocalState: local, PeerState: other, PeerConnected: true,
			LocalStateDuration: 3 * time.Hour, LocalPriority: fmt.Sprint(100 * idx),
			LocalVersions: probe.Versions{Build: "10.2.9-h1", App: "8800-8900"},
			Links: []probe.HALink{
				{Name: probe.LinkHA1, Port: "management", Status: "up", Up: true},
				{Name: probe.LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
			},
			RunningSyncEnabled: true, ConfigSynchronized: true, RunningSync: "synchronized",
		},
		Interfaces: &probe.Interfaces{Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/1", Kind: probe.KindPhysical, Up: true, State: "up", Role: probe.RoleDataPlane},
			{Name: "ethernet1/2", Kind: probe.KindPhysical, Up: true, State: "up", Role: probe.RoleDataPlane},
			{Name: "ethernet1/3", Kind: probe.KindPhysical, Up: true, State: "up", Role: probe.RoleHA},
		}},
		Sessions: &probe.SessionInfo{Active: 12345, Max: 250000, CPS: 42, Kbps: 18000},
		System:   &probe.SystemInfo{Hostname: "pan-" + name, Model: "PA-VM", SWVersion: "10.2.9-h1"},
		Results: []probe.CommandResult{
			{Command: probe.CmdHA}, {Command: probe.CmdInterfaces}, {Command: probe.CmdSessions}, {Command: probe.CmdCounters},
		},
		Start: pollEnd.Add(-time.Second), End: pollEnd,
	}
}

func testPair(name string) *snapshot.Pair {
	return &snapshot.Pair{
		Name: name, Seq: 7, Start: pollEnd.Add(-time.Second), End: pollEnd,
		Peers: []*probe.PeerStatus{
			testPeer("fw-a", 1, probe.StateActive, probe.StatePassive),
			testPeer("fw-b", 2, probe.StatePassive, probe.StateActive),
		},
		Traffic: snapshot.Traffic{Known: true, BytesPerSecond: 2.25e6, PeerBytesPerSecond: map[string]float64{"fw-a": 2.25e6, "fw-b": 0},
			SessionsActive: 12345, Kbps: 18000, CPS: 42},
		Config: snapshot.PairInfo{PollInterval: 30 * time.Second, PollTimeout: 20 * time.Second},
	}
}

// healthyPair is an AWS pair where everything is fine.
func healthyPair() *snapshot.Pair {
	p := testPair("edge")
	p.AWSView = &snapshot.AWSView{
		Known: true, Mode: probe.AWSModeSecondaryIP, ActivePeer: "fw-a",
		ENIs: []snapshot.ENICheck{
			{Peer: "fw-a", ENI: "eni-0a1", DeviceIndex: 1, Interface: "ethernet1/1", Role: probe.RoleDataPlane, Status: "in-use", Attached: probe.Yes},
			{Peer: "fw-b", ENI: "eni-0b1", DeviceIndex: 1, Interface: "ethernet1/1", Role: probe.RoleDataPlane, Status: "in-use", Attached: probe.Yes},
		},
		Interfaces: []snapshot.SubnetCheck{
			{Peer: "fw-a", Interface: "ethernet1/1", ENI: "eni-0a1", IP: "10.0.1.10/24", SubnetCIDR: "10.0.1.0/24", Match: probe.Yes},
		},
		Routes: []snapshot.RouteCheck{
			{RouteTable: "rtb-01", Destination: "0.0.0.0/0", TargetENI: "eni-0a1", TargetPeer: "fw-a", OnActive: probe.Yes},
		},
		Instances: []snapshot.InstanceCheck{
			{Peer: "fw-a", InstanceID: "i-0a", State: "running", OK: probe.Yes},
			{Peer: "fw-b", InstanceID: "i-0b", State: "running", OK: probe.Unknown},
		},
	}
	return p
}

// linksDownPair has every data-plane port down on both peers.
func linksDownPair() *snapshot.Pair {
	p := testPair("core")
	for _, peer := range p.Peers {
		for i := range peer.Interfaces.Hardware[:2] {
			peer.Interfaces.Hardware[i].Up, peer.Interfaces.Hardware[i].State = false, "down"
		}
	}
	p.Traffic = snapshot.Traffic{}
	return p
}

// unreachablePair has fw-b not answering; fw-a is active and has lost
// sight of it.
func unreachablePair() *snapshot.Pair {
	p := testPair("dmz")
	b := p.Peers[1]
	b.Up, b.HA, b.Interfaces, b.Sessions = false, nil, nil, nil
	b.Err = errors.New(`ha: Get "https://admin:hunter2@192.0.2.12/api/?type=op&key=` + secretKey + `": context deadline exceeded`)
	b.Results = []probe.CommandResult{{Command: probe.CmdHA, Err: b.Err}}
	p.Traffic.PeerBytesPerSecond = map[string]float64{"fw-a": 2.25e6}
	a := p.Peers[0]
	a.HA.PeerConnected, a.HA.PeerState = false, probe.StateUnknown
	a.HA.Links[0].Up, a.HA.Links[0].Status = false, "down"
	return p
}

// awsMismatchPair has ethernet1/2 of fw-a in the wrong subnet.
func awsMismatchPair() *snapshot.Pair {
	p := healthyPair()
	p.Name = "vpc"
	p.AWSView.Interfaces = append(p.AWSView.Interfaces, snapshot.SubnetCheck{
		Peer: "fw-a", Interface: "ethernet1/2", ENI: "eni-0a2", IP: "10.0.9.10/24", SubnetCIDR: "10.0.2.0/24",
		Match:   probe.No,
		Problem: "ethernet1/2 of fw-a has 10.0.9.10/24, outside subnet 10.0.2.0/24 of eni-0a2",
	})
	return p
}
