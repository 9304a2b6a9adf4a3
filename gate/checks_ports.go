package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// checkDataPlaneLinks: on each peer every data-plane port in use (a
// physical port or aggregate group that a zone or virtual router uses) is
// up, and both peers use the same ports. In AWS interface-move mode the
// passive holds no data-plane ENI, so its ports are expected down. Virtual
// interfaces (loopback, tunnel, vlan) are never links and are left out.
func checkDataPlaneLinks(p *snapshot.Pair) Check {
	var o outcome
	v := p.HAView()
	inUse := map[string][]string{}
	for _, peer := range p.Peers {
		if why := unreachable(peer); why != "" {
			o.unknownf("%s", why)
			continue
		}
		ph := v.Peer(peer.Name)
		if ph == nil || ph.Ports == nil {
			o.unknownf("%s gave no interface list%s", peer.Name, commandError(peer, probe.CmdInterfaces))
			continue
		}
		inUse[peer.Name] = portLinks(&o, p, ph)
	}
	if len(inUse) == 2 && len(p.Peers) == 2 {
		comparePorts(&o, p.Peers[0].Name, p.Peers[1].Name, inUse)
	}
	return o.check(CheckDataPlaneLinks)
}

// portLinks judges one peer's data-plane ports and returns their names.
func portLinks(o *outcome, p *snapshot.Pair, ph *snapshot.PeerHA) []string {
	expectDown := p.PortsExpectedDown(ph.Name)
	var names, up []string
	for _, port := range ph.Ports {
		if !port.Link {
			continue
		}
		names = append(names, port.Name)
		switch {
		case port.Up:
			up = append(up, port.Name)
		case !expectDown:
			o.failf("%s: data-plane port %s%s is down", ph.Name, port.Name, portUse(port))
		}
	}
	switch {
	case len(names) == 0:
		o.failf("%s has no data-plane port in use", ph.Name)
	case expectDown:
		o.passf("%s is passive in interface-move mode: %d data-plane port(s) wait for their ENIs (%s)",
			ph.Name, len(names), strings.Join(names, ", "))
	case len(up) == len(names):
		o.passf("%s: %d data-plane port(s) up (%s)", ph.Name, len(up), strings.Join(up, ", "))
	}
	return names
}

// comparePorts fails for each port that only one peer uses: after a
// failover the other peer would not forward through it.
func comparePorts(o *outcome, a, b string, inUse map[string][]string) {
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		for _, port := range inUse[pair[0]] {
			if !slices.Contains(inUse[pair[1]], port) {
				o.failf("data-plane port %s is in use on %s but not on %s", port, pair[0], pair[1])
			}
		}
	}
}

// portUse describes what a port carries, e.g. " (zone trust, vr:default)".
func portUse(p snapshot.Port) string {
	parts := make([]string, 0, len(p.Zones)+len(p.Forwarding))
	for _, z := range p.Zones {
		parts = append(parts, "zone "+z)
	}
	parts = append(parts, p.Forwarding...)
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// commandError is ": the error" of the peer's command this poll, or "".
func commandError(peer *probe.PeerStatus, cmd probe.Command) string {
	if r, ok := peer.Result(cmd); ok && r.Err != nil {
		return fmt.Sprintf(": %v", r.Err)
	}
	return ""
}
