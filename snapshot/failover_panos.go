package snapshot

import (
	"cmp"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// panosChecks checks the PAN-OS side: the passive forwards on the same
// data-plane ports as the active, and runs the same configuration.
func (p *predictor) panosChecks() {
	p.interfacesMatch()
	p.configSync()
	p.haSettingsMatch()
}

// portConf is how a peer forwards on a port.
type portConf struct {
	link       bool
	zones, fwd []string
}

// interfacesMatch compares the data-plane link ports of both peers, with
// their zones and virtual routers.
func (p *predictor) interfacesMatch() {
	if p.noPair != "" {
		p.add(FailoverCheckInterfacesMatch, "data-plane ports", "", probe.Unknown,
			p.noPair+", so there are no peers to compare")
		return
	}
	act, pas := p.in.HA.Peer(p.active), p.in.HA.Peer(p.passive)
	for _, ph := range []*PeerHA{act, pas} {
		if ph == nil || !ph.Answered || ph.Ports == nil {
			name := p.passive
			if ph != nil {
				name = ph.Name
			}
			p.add(FailoverCheckInterfacesMatch, "data-plane ports", p.passive, probe.Unknown,
				"peer "+name+" gave no interface reply this poll, so the data-plane ports of the peers cannot be compared")
			return
		}
	}
	a, b := p.portConfs(act), p.portConfs(pas)
	var names []string
	for name, c := range a {
		if c.link {
			names = append(names, name)
		}
	}
	for name, c := range b {
		if c.link && !a[name].link {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		p.add(FailoverCheckInterfacesMatch, "data-plane ports", p.passive, probe.Unknown,
			"neither peer reports a data-plane port, so what the passive would forward on cannot be told")
		return
	}
	slices.SortFunc(names, comparePorts)
	for _, name := range names {
		p.portMatch(name, a[name], b[name])
	}
}

// portConfs lists a peer's ports: the hardware ports with their roles, and
// ports known only from logical interfaces (a port without its ENI may be
// missing from the hardware rows) with the zones and forwarding of those.
func (p *predictor) portConfs(ph *PeerHA) map[string]portConf {
	out := map[string]portConf{}
	for _, port := range ph.Ports {
		out[port.Name] = portConf{link: port.Link, zones: port.Zones, fwd: port.Forwarding}
	}
	peer := p.peer(ph.Name)
	if peer == nil || peer.Interfaces == nil {
		return out
	}
	extra := map[string]*portConf{}
	for _, l := range peer.Interfaces.Logical {
		port, _, _ := strings.Cut(l.Name, ".")
		if _, hw := out[port]; hw || !strings.HasPrefix(port, ethernetPrefix) {
			continue
		}
		c := extra[port]
		if c == nil {
			c = &portConf{}
			extra[port] = c
		}
		if l.Zone != "" {
			c.zones = append(c.zones, l.Zone)
		}
		if f := l.Forwarding; f != "" && !strings.EqualFold(f, "N/A") && f != "ha" {
			c.fwd = append(c.fwd, f)
			c.link = true
		}
	}
	for port, c := range extra {
		out[port] = portConf{link: c.link, zones: sortedSet(c.zones), fwd: sortedSet(c.fwd)}
	}
	return out
}

// portMatch compares one port of the active with the passive's.
func (p *predictor) portMatch(name string, a, b portConf) {
	switch {
	case !a.link:
		p.addf(FailoverCheckInterfacesMatch, name, p.passive, probe.No,
			"%s forwards on passive peer %s (%s) but not on active %s: the peers' data-plane configuration differs, "+
				"and after failover %s would forward where %s does not", name, p.passive, describePort(b), p.active, p.passive, p.active)
	case !b.link:
		p.addf(FailoverCheckInterfacesMatch, name, p.passive, probe.No,
			"%s forwards on active peer %s (%s) but not on passive %s: after failover its traffic would be dropped",
			name, p.active, describePort(a), p.passive)
	case !slices.Equal(a.zones, b.zones) || !slices.Equal(a.fwd, b.fwd):
		p.addf(FailoverCheckInterfacesMatch, name, p.passive, probe.No,
			"%s is %s on active peer %s but %s on passive %s: after failover its traffic would meet other zones "+
				"(and so other security rules) or another virtual router", name, describePort(a), p.active, describePort(b), p.passive)
	default:
		p.add(FailoverCheckInterfacesMatch, name, p.passive, probe.Yes, "")
	}
}

// describePort is "zone trust, vr:default" for texts.
func describePort(c portConf) string {
	z, f := strings.Join(c.zones, " "), strings.Join(c.fwd, " ")
	return "zone " + cmp.Or(z, "none") + ", " + cmp.Or(f, "no forwarding")
}

// comparePorts orders ethernet1/N by N, then by name.
func comparePorts(a, b string) int {
	na, oka := ethernetIndex(a)
	nb, okb := ethernetIndex(b)
	if oka && okb {
		return cmp.Compare(na, nb)
	}
	return cmp.Compare(a, b)
}

// configSync checks that the passive's running configuration is
// synchronized, as its own HA reply (else the active's) says.
func (p *predictor) configSync() {
	if p.noPair != "" {
		p.add(FailoverCheckConfigSync, "running config", "", probe.Unknown, p.noPair+", so there is no passive peer to check")
		return
	}
	var ha *probe.HAInfo
	for _, name := range []string{p.passive, p.active} {
		if peer := p.peer(name); peer != nil && peer.Up && peer.HA != nil && peer.HA.Enabled {
			ha = peer.HA
			break
		}
	}
	item := "running config"
	switch {
	case ha == nil:
		p.addf(FailoverCheckConfigSync, item, p.passive, probe.Unknown,
			"neither peer gave its HA state this poll, so whether %s runs the configuration of %s cannot be told", p.passive, p.active)
	case !ha.RunningSyncEnabled:
		p.addf(FailoverCheckConfigSync, item, p.passive, probe.No,
			"configuration synchronization is disabled: changes committed on %s never reach %s, which after failover "+
				"would run an older configuration", p.active, p.passive)
	case ha.ConfigSynchronized:
		p.add(FailoverCheckConfigSync, item, p.passive, probe.Yes, "")
	case ha.RunningSync == "" || strings.EqualFold(ha.RunningSync, "synchronization in progress"):
		p.addf(FailoverCheckConfigSync, item, p.passive, probe.Unknown,
			"the running configuration of %s is %s", p.passive, cmp.Or(ha.RunningSync, "not reported as synchronized or not"))
	default:
		p.addf(FailoverCheckConfigSync, item, p.passive, probe.No,
			"the running configuration of passive peer %s is %q with active %s: after failover %s would run a "+
				"configuration other than the one in force now", p.passive, ha.RunningSync, p.active, p.passive)
	}
}
