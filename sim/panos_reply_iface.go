package sim

import (
	"strconv"
)

// zoneOf returns the zone of a data-plane port.
func zoneOf(name string) string {
	switch name {
	case IfaceUntrust:
		return "untrust"
	case IfaceTrust:
		return "trust"
	}
	return ""
}

// ifnetEntry renders the logical interface of a port.
func ifnetEntry(b *xmlBuf, iv ifaceView) {
	fwd, ip, zone := "vr:default", iv.ip, zoneOf(iv.name)
	if iv.name == IfaceHA2 {
		fwd, ip = "ha", "N/A"
	}
	b.open("entry")
	b.leaves("name", iv.name, "zone", zone, "fwd", fwd, "vsys", "1", "dyn-addr", "", "addr6", "", "tag", "0", "ip", ip)
	b.leafInt("id", int64(iv.id))
	b.leaf("addr", "")
	b.close("entry")
}

// hwEntry renders the physical port.
func hwEntry(b *xmlBuf, iv ifaceView) {
	duplex, speed, state, st := "ukn", "ukn", "down", "ukn/ukn/down(autoneg)"
	if iv.up {
		duplex, speed, state, st = "full", "10000", "up", "10000/full/up"
	}
	b.open("entry")
	b.leaves("name", iv.name, "duplex", duplex, "type", "0", "state", state, "st", st, "mac", iv.mac,
		"mode", "(autoneg)", "speed", speed)
	b.leafInt("id", int64(iv.id))
	b.close("entry")
}

// hasLogical reports whether a port has a logical interface configured.
func hasLogical(name string) bool { return name != IfaceUnused }

// interfacesReply renders `show interface all`: the logical interfaces
// (HA2 port with fwd "ha", the data plane, the tunnel) and the physical
// ports (plus loopback and tunnel, as VM-Series lists them).
func interfacesReply(v peerView) string {
	var b xmlBuf
	b.open("ifnet")
	for _, iv := range v.ifaces {
		if hasLogical(iv.name) {
			ifnetEntry(&b, iv)
		}
	}
	b.WriteString("<entry><name>tunnel</name><zone/><fwd>N/A</fwd><vsys>1</vsys><dyn-addr/><addr6/><tag>0</tag><ip>N/A</ip><id>4</id><addr/></entry>")
	b.close("ifnet")
	b.open("hw")
	for _, iv := range v.ifaces {
		hwEntry(&b, iv)
	}
	for _, pseudo := range []struct{ name, typ, id string }{{"loopback", "5", "3"}, {"tunnel", "6", "4"}} {
		b.WriteString("<entry>")
		b.leaves("name", pseudo.name, "duplex", "[n/a]", "type", pseudo.typ, "state", "up", "st", "[n/a]/[n/a]/up",
			"mac", "0e:00:00:ee:00:0"+pseudo.id, "mode", "(unknown)", "speed", "[n/a]", "id", pseudo.id)
		b.WriteString("</entry>")
	}
	b.close("hw")
	return success(b.String())
}

// interfaceReply renders `show interface <name>`: the port's logical and
// physical entries, or the not-found reply PAN-OS gives with status
// success.
func interfaceReply(v peerView, name string) string {
	var b xmlBuf
	for _, iv := range v.ifaces {
		if iv.name != name {
			continue
		}
		if hasLogical(name) {
			b.WriteString("<ifnet>")
			ifnetEntry(&b, iv)
			b.WriteString("</ifnet>")
		}
		b.WriteString("<hw>")
		hwEntry(&b, iv)
		b.WriteString("</hw>")
		return success(b.String())
	}
	b.leaves("dp", "dp0", "error", "Interface '"+name+"' not found")
	return success(b.String())
}

// countersReply renders `show counter interface all`: logical counters of
// the data-plane interfaces nested as ifnet/ifnet/entry, and hardware
// counters of every port with name, interface and port statistics.
func countersReply(v peerView) string {
	var b xmlBuf
	b.WriteString("<ifnet><ifnet>")
	for _, iv := range v.ifaces {
		if !isDataPlane(iv.name) {
			continue
		}
		c := iv.counters
		b.open("entry")
		b.leaf("name", iv.name)
		b.leafUint("ibytes", uint64(c.ibytes))
		b.leafUint("obytes", uint64(c.obytes))
		b.leafUint("ipackets", uint64(c.ipackets))
		b.leafUint("opackets", uint64(c.opackets))
		b.leaves("ierrors", "0", "idrops", "0", "flowstate", "0", "ifwderrors", "0", "noroute", "0", "noarp", "0",
			"noneigh", "0", "neighpend", "0", "nomac", "0", "zonechange", "0", "land", "0", "pod", "0",
			"teardrop", "0", "ipspoof", "0", "macspoof", "0", "icmp_frag", "0", "l2_encap", "0", "l2_decap", "0")
		conns := uint64(c.ipackets) / 64
		b.leafUint("tcp_conn", conns*78/100)
		b.leafUint("udp_conn", conns*21/100)
		b.leaves("sctp_conn", "0", "other_conn", strconv.FormatUint(conns/100, 10))
		b.close("entry")
	}
	b.WriteString("</ifnet></ifnet><hw>")
	for _, iv := range v.ifaces {
		c := iv.counters
		b.open("entry")
		b.leaves("name", iv.name, "interface", iv.name)
		b.leafUint("ibytes", uint64(c.ibytes))
		b.leafUint("obytes", uint64(c.obytes))
		b.leafUint("ipackets", uint64(c.ipackets))
		b.leafUint("opackets", uint64(c.opackets))
		b.leaves("ierrors", "0", "idrops", "0")
		b.open("port")
		b.leafUint("rx-bytes", uint64(c.ibytes))
		b.leafUint("tx-bytes", uint64(c.obytes))
		b.leafUint("rx-unicast", uint64(c.ipackets))
		b.leafUint("tx-unicast", uint64(c.opackets))
		b.leaves("rx-multicast", "0", "tx-multicast", "0", "rx-broadcast", "0", "tx-broadcast", "0")
		b.close("port")
		b.close("entry")
	}
	b.close("hw")
	return success(b.String())
}
