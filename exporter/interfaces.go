package exporter

import (
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// collectInterfaces writes the interface metrics of every reachable peer.
func (c *Collector) collectInterfaces(e *emitter, pairs []*snapshot.Pair) {
	for _, p := range pairs {
		for _, peer := range p.Peers {
			if !peer.Up {
				continue
			}
			if peer.Interfaces != nil {
				c.collectInterfaceState(e, p.Name, peer.Name, peer.Interfaces)
			}
			if peer.Counters != nil {
				c.collectCounters(e, p.Name, peer.Name, peer.Counters.Hardware)
			}
		}
	}
}

// collectInterfaceState writes interface_up for every hardware port and
// interface_info for every port and logical interface, one series per name.
// A port and the logical interface of the same name share a series, with the
// zone and address of the logical interface; a subinterface takes the role
// of its parent port.
func (c *Collector) collectInterfaceState(e *emitter, pair, peer string, ifs *probe.Interfaces) {
	logical := make(map[string]*probe.LogicalInterface, len(ifs.Logical))
	for i := range ifs.Logical {
		l := &ifs.Logical[i]
		if _, ok := logical[l.Name]; !ok {
			logical[l.Name] = l
		}
	}
	roles := make(map[string]string, len(ifs.Hardware))
	for _, hw := range ifs.Hardware {
		if _, ok := roles[hw.Name]; ok {
			continue
		}
		roles[hw.Name] = hw.Role
		e.boolean(c.d.ifUp, hw.Up, pair, peer, hw.Name)
		var zone, ip string
		if l := logical[hw.Name]; l != nil {
			zone, ip = l.Zone, cleanIP(l.IP)
		}
		e.gauge(c.d.ifInfo, 1, pair, peer, hw.Name, zone, ip, hw.Role)
	}
	done := make(map[string]bool, len(logical))
	for _, l := range ifs.Logical {
		if _, ok := roles[l.Name]; ok || done[l.Name] {
			continue
		}
		done[l.Name] = true
		e.gauge(c.d.ifInfo, 1, pair, peer, l.Name, l.Zone, cleanIP(l.IP), logicalRole(l, roles))
	}
}

// logicalRole gives a logical interface without a port of its own the role
// of its parent port (for a subinterface), or one inferred from how it
// forwards.
func logicalRole(l probe.LogicalInterface, ports map[string]string) string {
	if i := strings.LastIndexByte(l.Name, '.'); i > 0 {
		if role, ok := ports[l.Name[:i]]; ok {
			return role
		}
	}
	fwd := strings.ToLower(strings.TrimSpace(l.Forwarding))
	switch {
	case fwd == "ha":
		return probe.RoleHA
	case l.Zone != "" || strings.HasPrefix(fwd, "vr:") || strings.HasPrefix(fwd, "lr:"):
		return probe.RoleDataPlane
	}
	return probe.RoleUnused
}

// cleanIP returns the address as reported, or "" when PAN-OS gives N/A.
func cleanIP(ip string) string {
	ip = strings.TrimSpace(ip)
	if strings.EqualFold(ip, "n/a") {
		return ""
	}
	return ip
}

// collectCounters writes the cumulative counters of the hardware ports.
// Logical interface counters are left out so that a sum over interfaces
// counts every byte once.
func (c *Collector) collectCounters(e *emitter, pair, peer string, hw []probe.InterfaceCounters) {
	d := c.d
	seen := make(map[string]bool, len(hw))
	for _, ic := range hw {
		if seen[ic.Name] {
			continue
		}
		seen[ic.Name] = true
		e.counter(d.ifRxBytes, float64(ic.RxBytes), pair, peer, ic.Name)
		e.counter(d.ifTxBytes, float64(ic.TxBytes), pair, peer, ic.Name)
		e.counter(d.ifRxPkts, float64(ic.RxPackets), pair, peer, ic.Name)
		e.counter(d.ifTxPkts, float64(ic.TxPackets), pair, peer, ic.Name)
		e.counter(d.ifDPRxBytes, float64(ic.DPRxBytes), pair, peer, ic.Name)
		e.counter(d.ifDPTxBytes, float64(ic.DPTxBytes), pair, peer, ic.Name)
		e.counter(d.ifRxErrors, float64(ic.RxErrors), pair, peer, ic.Name)
		e.counter(d.ifRxDrops, float64(ic.RxDrops), pair, peer, ic.Name)
	}
}
