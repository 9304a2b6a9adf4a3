package sim

import (
	"net/netip"
)

// routeFlagsLegend is the legend PAN-OS puts before the entries of `show
// routing route`, as pan-os-upgrade-assurance's recorded replies show it.
const routeFlagsLegend = "flags: A:active, ?:loose, C:connect, H:host, S:static, ~:internal, R:rip, O:ospf, " +
	"B:bgp, Oi:ospf intra-area, Oo:ospf inter-area, O1:ospf ext-type-1, O2:ospf ext-type-2, E:ecmp, M:multicast"

// simRoute is one route of a peer's virtual router.
type simRoute struct {
	dst, nexthop, flags, iface string
	metric                     string
}

// routedIface is an addressed interface and whether its link is up.
type routedIface struct {
	name, cidr string
	up         bool
}

// routedIfaces lists the peer's addressed interfaces: the data-plane
// ports, then the sub-interfaces (up with their parent; vlan, loopback
// and tunnel are always up).
func routedIfaces(v peerView) []routedIface {
	var out []routedIface
	up := map[string]bool{"vlan": true, "loopback": true, "tunnel": true}
	for _, iv := range v.ifaces {
		up[iv.name] = iv.up
		if iv.ip != "" {
			out = append(out, routedIface{iv.name, iv.ip, iv.up})
		}
	}
	for _, s := range subinterfaces {
		if s.parent == IfaceAE {
			if v.profile != ProfileHardware {
				continue
			}
			up[IfaceAE] = aeUp(v)
		}
		out = append(out, routedIface{s.name, s.ip, up[s.parent]})
	}
	return out
}

// peerRoutes is the routing table of vr default: a connected and a host
// route for each addressed interface whose link is up (PAN-OS withdraws
// both when the link goes down), the default route out of the untrust
// port and the VPC route out of the trust port. A static route whose
// egress port is down stays in the table without the A flag.
func peerRoutes(v peerView) []simRoute {
	var out []simRoute
	gw := map[string]string{}
	for _, ri := range routedIfaces(v) {
		pfx, err := netip.ParsePrefix(ri.cidr)
		if err != nil {
			continue
		}
		gw[ri.name] = pfx.Masked().Addr().Next().String()
		if !ri.up {
			continue
		}
		if pfx.Bits() < 32 {
			out = append(out, simRoute{dst: pfx.Masked().String(), nexthop: "0.0.0.0", flags: "A C", iface: ri.name, metric: "0"})
		}
		out = append(out, simRoute{dst: pfx.Addr().String() + "/32", nexthop: "0.0.0.0", flags: "A H", metric: "0"})
	}
	up := map[string]bool{}
	for _, iv := range v.ifaces {
		up[iv.name] = iv.up
	}
	static := func(dst, port string) {
		if g, ok := gw[port]; ok {
			flags := "S"
			if up[port] {
				flags = "A S"
			}
			out = append(out, simRoute{dst: dst, nexthop: g, flags: flags, iface: port, metric: "10"})
		}
	}
	static("0.0.0.0/0", IfaceUntrust)
	static("10.0.0.0/16", IfaceTrust)
	return out
}

// routesReply renders `show routing route`.
func routesReply(v peerView) string {
	var b xmlBuf
	b.leaf("flags", routeFlagsLegend)
	for _, r := range peerRoutes(v) {
		b.open("entry")
		b.leaves("virtual-router", "default", "destination", r.dst, "nexthop", r.nexthop, "metric", r.metric,
			"flags", r.flags, "age", "", "interface", r.iface, "route-table", "unicast")
		b.close("entry")
	}
	return success(b.String())
}
