package statesnap

import (
	"cmp"
	"errors"
	"slices"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Extra is what one peer answered to the commands a state snapshot adds
// to the regular poll. A part whose error is set is unknown; a part that
// was not fetched at all (nil Extra) is unknown too.
type Extra struct {
	Routes      []Route
	RoutesErr   error
	ARP         []ARPEntry
	ARPErr      error
	Licenses    []License
	LicensesErr error
	Tunnels     []Tunnel
	TunnelsErr  error
}

// notFetched is why a part is unknown when nothing asked for it.
const notFetched = "not fetched"

// Build makes the state snapshot of a pair from one poll (with its AWS
// view) and what each peer answered to the on-demand commands, keyed by
// peer label. It is a pure function of its arguments.
func Build(name, trigger string, p *snapshot.Pair, extra map[string]*Extra, now time.Time) *Snapshot {
	ha := p.HAView()
	active, _ := journal.ActiveOf(ha)
	s := &Snapshot{
		SchemaVersion: SchemaVersion, Name: name, Pair: p.Name, TakenAt: now.UTC(), Trigger: trigger,
		HA:    HA{Known: ha.Known, Enabled: ha.Enabled, Mode: ha.Mode, Active: active},
		Peers: make([]Peer, 0, len(p.Peers)),
	}
	for _, ps := range p.Peers {
		if ps == nil {
			continue
		}
		peer := buildPeer(ps, ha.Peer(ps.Name), extra[ps.Name])
		peer.PortsExpectedDown = p.PortsExpectedDown(ps.Name)
		s.Peers = append(s.Peers, peer)
	}
	if p.AWSOn() {
		s.AWS = buildAWS(p)
	}
	return s
}

func buildPeer(ps *probe.PeerStatus, ph *snapshot.PeerHA, x *Extra) Peer {
	p := Peer{Name: ps.Name, Reachable: ps.Up, HAState: string(probe.StateUnknown), Unknown: map[string]string{}}
	if ph != nil {
		p.HAState, p.Version = string(ph.State), ph.Version
	}
	if !ps.Up {
		if ps.Err != nil {
			p.Error = snapshot.ErrorText(ps.Err)
		}
		return p
	}
	if ps.Interfaces != nil && ph != nil {
		p.Interfaces = interfaces(ps.Interfaces, ph.Ports)
	} else {
		p.Unknown[PartInterfaces] = why(ps, probe.CmdInterfaces)
	}
	if si := ps.Sessions; si != nil {
		p.Sessions = &Sessions{Active: si.Active, TCP: si.TCP, UDP: si.UDP, ICMP: si.ICMP, CPS: si.CPS, Kbps: si.Kbps}
	} else {
		p.Unknown[PartSessions] = why(ps, probe.CmdSessions)
	}
	switch {
	case ps.HA != nil && ps.HA.LocalVersions.App != "":
		v := ps.HA.LocalVersions
		p.Content = &Content{App: v.App, Threat: v.Threat, AV: v.AV}
	case ps.System != nil:
		p.Content = &Content{App: ps.System.AppVersion, Threat: ps.System.ThreatVersion, AV: ps.System.AVVersion}
	default:
		p.Unknown[PartContent] = why(ps, probe.CmdSystem)
	}
	if x == nil {
		x = &Extra{RoutesErr: errNotFetched, ARPErr: errNotFetched, LicensesErr: errNotFetched, TunnelsErr: errNotFetched}
	}
	p.Routes = part(p.Unknown, PartRoutes, x.Routes, x.RoutesErr)
	p.ARP = part(p.Unknown, PartARP, x.ARP, x.ARPErr)
	p.Licenses = part(p.Unknown, PartLicenses, x.Licenses, x.LicensesErr)
	p.Tunnels = part(p.Unknown, PartTunnels, x.Tunnels, x.TunnelsErr)
	if len(p.Unknown) == 0 {
		p.Unknown = nil
	}
	return p
}

// errNotFetched marks the parts of a peer no on-demand fetch was made for.
var errNotFetched = errors.New(notFetched)

// part returns v (never nil, so that "none" encodes as []) or records why
// it is unknown.
func part[T any](unknown map[string]string, name string, v []T, err error) []T {
	if err != nil {
		unknown[name] = snapshot.ErrorText(err)
		return nil
	}
	if v == nil {
		v = []T{}
	}
	return v
}

// why says why a poll command left its part empty.
func why(ps *probe.PeerStatus, c probe.Command) string {
	if r, ok := ps.Result(c); ok && r.Err != nil {
		return snapshot.ErrorText(r.Err)
	}
	return "no reply"
}

// interfaces lists a peer's hardware ports with the addresses of the
// logical interfaces that ride on them.
func interfaces(ifs *probe.Interfaces, ports []snapshot.Port) []Interface {
	ips := map[string][]string{}
	for _, l := range ifs.Logical {
		if l.IP != "" {
			ips[l.Port] = append(ips[l.Port], l.IP)
		}
	}
	out := make([]Interface, 0, len(ports))
	for _, pt := range ports {
		out = append(out, Interface{Name: pt.Name, Role: pt.Role, Up: pt.Up, Link: pt.Link, IPs: ips[pt.Name]})
	}
	return out
}

// buildAWS copies the ENIs and VPC routes of the pair's AWS view.
func buildAWS(p *snapshot.Pair) *AWS {
	a := &AWS{ENIs: []ENI{}, Routes: []AWSRoute{}}
	if p.AWSView != nil {
		a.Mode = p.AWSView.Mode
	}
	if p.AWS == nil {
		a.Unknown = map[string]string{"aws": "no AWS poll yet"}
		return a
	}
	for op, err := range p.AWS.Errors {
		if a.Unknown == nil {
			a.Unknown = map[string]string{}
		}
		a.Unknown[op] = snapshot.ErrorText(err)
	}
	mapped := map[string]snapshot.ENICheck{}
	if p.AWSView != nil {
		for _, e := range p.AWSView.ENIs {
			mapped[e.ENI] = e
		}
	}
	for _, e := range p.AWS.ENIs {
		m := mapped[e.ID]
		eni := ENI{ID: e.ID, Peer: m.Peer, Interface: m.Interface, InstanceID: e.InstanceID,
			DeviceIndex: e.DeviceIndex, Status: e.Status}
		for _, ip := range e.PrivateIPs {
			eni.PrivateIPs = append(eni.PrivateIPs, ip.IP)
		}
		a.ENIs = append(a.ENIs, eni)
	}
	slices.SortFunc(a.ENIs, func(x, y ENI) int { return cmp.Compare(x.ID, y.ID) })
	if p.AWSView != nil {
		for _, r := range p.AWSView.Routes {
			st := "active"
			if r.Blackhole {
				st = "blackhole"
			}
			a.Routes = append(a.Routes, AWSRoute{RouteTable: r.RouteTable, Destination: r.Destination,
				TargetENI: r.TargetENI, TargetInst: r.TargetInstance, TargetPeer: r.TargetPeer, State: st})
		}
	}
	return a
}

// FromProbeRoutes converts the routes a peer answered.
func FromProbeRoutes(rs []probe.Route) []Route {
	out := make([]Route, 0, len(rs))
	for _, r := range rs {
		out = append(out, Route{VirtualRouter: r.VirtualRouter, Destination: r.Destination, Nexthop: r.Nexthop,
			Interface: r.Interface, Flags: r.Flags, Active: r.Active})
	}
	return out
}
