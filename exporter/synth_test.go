package exporter

import (
	"fmt"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// synthInterfaces returns the interfaces of a production-sized VM-Series
// peer: eight ports (six data-plane, one HA, one unused), an ae group with
// two members, subinterfaces, loopbacks, tunnels and a vlan — 21 rows.
func synthInterfaces(seed int) (*probe.Interfaces, *probe.Counters) {
	ifs, cs := &probe.Interfaces{}, &probe.Counters{}
	port := func(name string, kind probe.PortKind, role string, up bool) {
		ifs.Hardware = append(ifs.Hardware, probe.HardwareInterface{Name: name, Kind: kind, Up: up, Role: role})
		if kind == probe.KindPhysical || kind == probe.KindAggregate {
			n := uint64(seed*7919 + len(ifs.Hardware))
			cs.Hardware = append(cs.Hardware, probe.InterfaceCounters{Name: name,
				RxBytes: n * 1_000_003, TxBytes: n * 999_983, RxPackets: n * 1009, TxPackets: n * 1013,
				DPRxBytes: n * 1_000, DPTxBytes: n * 999, RxErrors: n % 3, RxDrops: n % 5})
		}
	}
	logical := func(name, zone, ip, fwd string) {
		ifs.Logical = append(ifs.Logical, probe.LogicalInterface{Name: name, Zone: zone, IP: ip, Forwarding: fwd})
	}
	for i := 1; i <= 6; i++ {
		name := fmt.Sprintf("ethernet1/%d", i)
		port(name, probe.KindPhysical, probe.RoleDataPlane, true)
		logical(name, fmt.Sprintf("zone-%d", i), fmt.Sprintf("10.%d.%d.5/24", seed%250, i), "vr:default")
	}
	port("ethernet1/7", probe.KindPhysical, probe.RoleHA, true)
	logical("ethernet1/7", "", "N/A", "ha")
	port("ethernet1/8", probe.KindPhysical, probe.RoleUnused, false)
	port("ae1", probe.KindAggregate, probe.RoleDataPlane, true)
	logical("ae1", "core", fmt.Sprintf("172.16.%d.5/24", seed%250), "vr:default")
	port("ethernet1/9", probe.KindPhysical, probe.RoleAggregateMember, true)
	port("ethernet1/10", probe.KindPhysical, probe.RoleAggregateMember, true)
	for _, sub := range []string{"ethernet1/2.100", "ethernet1/2.200", "ethernet1/3.300"} {
		logical(sub, "dmz", fmt.Sprintf("192.168.%d.1/24", len(ifs.Logical)), "vr:default")
	}
	for _, v := range []string{"loopback.1", "loopback.2", "tunnel.1", "tunnel.2", "vlan.10"} {
		port(v, probe.KindVirtual, probe.RoleVirtual, true)
		logical(v, "vpn", "N/A", "vr:default")
	}
	return ifs, cs
}

// synthPair returns pair number i of a fleet: an active/passive pair with
// production-sized peers and an AWS view in secondary-ip mode, with values
// that differ between pairs and polls (seq).
func synthPair(i, seq int) *snapshot.Pair {
	name := fmt.Sprintf("pair-%04d", i)
	p := awsPair(name)
	p.Seq = uint64(seq)
	p.End = pollEnd.Add(time.Duration(seq) * 10 * time.Second)
	p.Stats.Polls = uint64(seq)
	for k, peer := range p.Peers {
		peer.Name = fmt.Sprintf("%s-fw-%c", name, 'a'+k)
		peer.Interfaces, peer.Counters = synthInterfaces(i*2 + k + seq)
		peer.Sessions.Active = uint64(1000 + i + seq)
	}
	v := p.AWSView
	for k := range v.ENIs {
		v.ENIs[k].Peer = p.Peers[k%2].Name
	}
	for k := range v.Interfaces {
		v.Interfaces[k].Peer = p.Peers[k%2].Name
	}
	for k := range v.Instances {
		v.Instances[k].Peer = p.Peers[k%2].Name
	}
	p.Traffic.PeerBytesPerSecond = map[string]float64{p.Peers[0].Name: float64(1000 + seq), p.Peers[1].Name: 0}
	p.Stats.APIRequests = map[string]map[probe.Command]uint64{}
	p.Stats.APIFailures = map[string]map[probe.Command]uint64{}
	for _, peer := range p.Peers {
		p.Stats.APIRequests[peer.Name] = map[probe.Command]uint64{probe.CmdHA: uint64(seq), probe.CmdSessions: uint64(seq)}
		p.Stats.APIFailures[peer.Name] = map[probe.Command]uint64{probe.CmdHA: 1}
	}
	p.Failover = &snapshot.FailoverView{Ready: probe.Yes, Checks: []snapshot.FailoverCheck{
		{Check: "interface-subnet", Peer: p.Peers[1].Name, Item: "ethernet1/1", Result: probe.Yes},
		{Check: "interface-subnet", Peer: p.Peers[1].Name, Item: "ethernet1/2", Result: probe.Yes},
		{Check: "iam", Item: "ec2:AssignPrivateIpAddresses", Result: probe.Yes},
	}}
	// The poll computes the HA view once, as the scheduler does.
	p.HA = snapshot.BuildHA(p.Peers)
	return p
}

// synthFleet returns n pairs at poll seq, sorted by name.
func synthFleet(n, seq int) []*snapshot.Pair {
	out := make([]*snapshot.Pair, n)
	for i := range out {
		out[i] = synthPair(i, seq)
	}
	return out
}
