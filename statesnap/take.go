package statesnap

import (
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Commands are the on-demand commands a state snapshot runs on each peer,
// beside the regular poll's (interfaces, sessions, HA, system info).
var Commands = []probe.Command{probe.CmdRoutes, probe.CmdARP, probe.CmdLicenses, probe.CmdTunnels}

// ExtrasOf pairs what each peer answered to Commands (ops in the pair's
// peer order, as scheduler.PairWatcher.FetchOps returns them) with the
// peer's label.
func ExtrasOf(p *snapshot.Pair, ops []*probe.Ops) map[string]*Extra {
	out := map[string]*Extra{}
	for i, ps := range p.Peers {
		if ps != nil && i < len(ops) && ops[i] != nil {
			out[ps.Name] = ExtraOf(ops[i])
		}
	}
	return out
}

// ExtraOf converts what one peer answered to Commands.
func ExtraOf(o *probe.Ops) *Extra {
	x := &Extra{
		RoutesErr: o.Err(probe.CmdRoutes), ARPErr: o.Err(probe.CmdARP),
		LicensesErr: o.Err(probe.CmdLicenses), TunnelsErr: o.Err(probe.CmdTunnels),
	}
	if x.RoutesErr == nil {
		x.Routes = FromProbeRoutes(o.Routes)
	}
	if x.ARPErr == nil && o.ARP != nil {
		x.ARP = make([]ARPEntry, 0, len(o.ARP.Entries))
		for _, e := range o.ARP.Entries {
			x.ARP = append(x.ARP, ARPEntry{Interface: e.Interface, IP: e.IP, MAC: e.MAC, Status: e.Status})
		}
	}
	if x.LicensesErr == nil {
		x.Licenses = make([]License, 0, len(o.Licenses))
		for _, l := range o.Licenses {
			x.Licenses = append(x.Licenses, License{Feature: l.Feature, Expires: l.Expires, Expired: l.Expired})
		}
	}
	if x.TunnelsErr == nil {
		x.Tunnels = make([]Tunnel, 0, len(o.Tunnels))
		for _, t := range o.Tunnels {
			x.Tunnels = append(x.Tunnels, Tunnel{Name: t.Name, PeerIP: t.PeerIP, State: t.State, Up: t.Up()})
		}
	}
	return x
}
