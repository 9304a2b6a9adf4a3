package sim

import "strconv"

// dpCounters is what the data-plane CPU counted of a port's wire
// counters: with session offload only share of the bytes and packets
// reach it.
func dpCounters(c ifCounters, share float64) ifCounters {
	return ifCounters{
		ibytes:   c.ibytes * share,
		obytes:   c.obytes * share,
		ipackets: c.ipackets * share,
		opackets: c.opackets * share,
	}
}

// shareOf returns the data-plane share of a port's traffic: offload
// applies to forwarded sessions, not to HA2 state sync.
func shareOf(v peerView, iv ifaceView) float64 {
	switch iv.role {
	case roleUntrust, roleTrust, roleAEMember:
		return v.offload
	}
	return 1
}

// counterName returns the names of a port in the counter reply: the
// logical name and the hw interface name. A dedicated HA2 port is "ha2"
// in hw but "dedicated-ha2" elsewhere, as the PA-5060 recording shows.
func counterName(name string) string {
	if name == IfaceHA2Dedicated {
		return "dedicated-ha2"
	}
	return name
}

// logicalCounters writes one ifnet/ifnet/entry.
func logicalCounters(b *xmlBuf, name string, c ifCounters) {
	b.open("entry")
	b.leaf("name", name)
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

// hwCounters writes one hw/entry in the element order of the PA-5060
// recording. wire, when not nil, adds the <port> block with the port's
// wire counters; virtual interfaces have none.
func hwCounters(b *xmlBuf, name string, dp ifCounters, wire *ifCounters) {
	b.open("entry")
	b.leafUint("obytes", uint64(dp.obytes))
	b.leaf("name", name)
	b.leaf("idrops", "0")
	b.leafUint("ipackets", uint64(dp.ipackets))
	b.leafUint("opackets", uint64(dp.opackets))
	b.leaf("ierrors", "0")
	b.leaf("interface", counterName(name))
	b.leafUint("ibytes", uint64(dp.ibytes))
	if wire != nil {
		rx, tx := splitCasts(uint64(wire.ipackets)), splitCasts(uint64(wire.opackets))
		b.open("port")
		b.leafUint("tx-unicast", tx.unicast)
		b.leafUint("tx-multicast", tx.multicast)
		b.leafUint("rx-broadcast", rx.broadcast)
		b.leafUint("rx-unicast", rx.unicast)
		b.leafUint("rx-multicast", rx.multicast)
		b.leafUint("rx-bytes", uint64(wire.ibytes))
		b.leafUint("tx-broadcast", tx.broadcast)
		b.leafUint("tx-bytes", uint64(wire.obytes))
		b.close("port")
	}
	b.close("entry")
}

// casts splits a packet count by destination kind.
type casts struct{ unicast, multicast, broadcast uint64 }

// splitCasts gives a small, fixed share of the packets to multicast and
// broadcast, so that the three add up to the total.
func splitCasts(total uint64) casts {
	mc, bc := total/1000, total/5000
	return casts{unicast: total - mc - bc, multicast: mc, broadcast: bc}
}

// countersReply renders `show counter interface all`: logical counters of
// the routed and HA interfaces nested as ifnet/ifnet/entry (what the
// data-plane CPU processed), and hw counters of every port, the aggregate
// and the virtual interfaces. Only physical ports carry a <port> block
// with the wire counters.
func countersReply(v peerView) string {
	var b xmlBuf
	b.WriteString("<ifnet><ifnet>")
	for _, iv := range v.ifaces {
		if routedOrHA2(iv) {
			logicalCounters(&b, counterName(iv.name), dpCounters(iv.counters, shareOf(v, iv)))
		}
	}
	for _, s := range subinterfaces {
		if s.parent != IfaceAE || v.profile == ProfileHardware {
			logicalCounters(&b, s.name, ifCounters{})
		}
	}
	b.WriteString("</ifnet></ifnet><hw>")
	var ae ifCounters
	for _, iv := range v.ifaces {
		if iv.name == IfaceHA1Dedicated {
			// The HA1 port belongs to the management plane; the
			// recording has no hw counters for it.
			continue
		}
		wire := iv.counters
		hwCounters(&b, iv.name, dpCounters(wire, shareOf(v, iv)), &wire)
		if iv.role == roleAEMember {
			ae = addCounters(ae, dpCounters(wire, shareOf(v, iv)))
		}
	}
	if v.profile == ProfileHardware {
		// Not verified: no recording shows an aggregate's counters.
		hwCounters(&b, IfaceAE, ae, nil)
	}
	for _, vr := range virtualRows {
		hwCounters(&b, vr.name, ifCounters{}, nil)
	}
	b.close("hw")
	return success(b.String())
}

// routedOrHA2 reports whether a port has logical counters: the routed
// data-plane ports and the HA2 port (the PA-5060 recording lists
// dedicated-ha2), not HA1, unused ports or aggregate members.
func routedOrHA2(iv ifaceView) bool {
	switch iv.role {
	case roleUntrust, roleTrust:
		return true
	case roleHA:
		return iv.name != IfaceHA1Dedicated
	}
	return false
}

func addCounters(a, c ifCounters) ifCounters {
	return ifCounters{a.ibytes + c.ibytes, a.obytes + c.obytes, a.ipackets + c.ipackets, a.opackets + c.opackets}
}
