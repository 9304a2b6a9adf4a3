package sim

import (
	"fmt"
	"strconv"
)

// ifnetRow is one logical interface of `show interface all`.
type ifnetRow struct {
	name, zone, fwd, ip, tag string
	id                       int
	addrs                    []string // addr/member
}

// hwRow is one hardware interface of `show interface all`.
type hwRow struct {
	name, duplex, typ, state, st, mac, mode, speed string
	id                                             int
}

// zoneOf returns the zone of a data-plane port.
func zoneOf(role int) string {
	switch role {
	case roleUntrust:
		return "untrust"
	case roleTrust:
		return "trust"
	}
	return ""
}

// portIfnet returns the logical row of a physical port, and false for a
// port without logical configuration (unused ports).
func portIfnet(iv ifaceView) (ifnetRow, bool) {
	r := ifnetRow{name: iv.name, zone: zoneOf(iv.role), fwd: "vr:default", ip: iv.ip, tag: "0", id: iv.id, addrs: iv.addrs}
	switch iv.role {
	case roleUnused:
		return r, false
	case roleHA:
		r.fwd, r.ip = "ha", "N/A"
	case roleAEMember:
		// Not verified: no recorded reply shows how members are listed.
		r.fwd, r.ip = "N/A", "N/A"
	}
	return r, true
}

// subifRow renders a sub-interface as a logical row.
func subifRow(s subifSpec) ifnetRow {
	return ifnetRow{name: s.name, zone: s.zone, fwd: "vr:default", ip: s.ip, tag: s.tag, id: s.id}
}

// virtualIfnet is the logical row of a virtual interface: no zone, no
// forwarding, as the recordings show it.
func virtualIfnet(name string, id int) ifnetRow {
	return ifnetRow{name: name, fwd: "N/A", ip: "N/A", tag: "0", id: id}
}

// ifnetRows lists the logical interfaces in the order PAN-OS does:
// ethernet ports each followed by its sub-interfaces, the aggregate, the
// dedicated HA ports, then vlan, loopback and tunnel with theirs.
func ifnetRows(v peerView) []ifnetRow {
	var out []ifnetRow
	var ha []ifnetRow
	for _, iv := range v.ifaces {
		r, ok := portIfnet(iv)
		switch {
		case !ok:
			continue
		case iv.typ == hwTypeHA:
			ha = append(ha, r)
			continue
		}
		out = append(out, r)
		for _, s := range subifsFor(v, iv.name) {
			out = append(out, subifRow(s))
		}
	}
	if v.profile == ProfileHardware {
		out = append(out, virtualIfnet(IfaceAE, aeID))
		for _, s := range subifsFor(v, IfaceAE) {
			out = append(out, subifRow(s))
		}
	}
	out = append(out, ha...)
	for _, vr := range virtualRows {
		out = append(out, virtualIfnet(vr.name, vr.id))
		for _, s := range subifsFor(v, vr.name) {
			out = append(out, subifRow(s))
		}
	}
	return out
}

// subifsFor returns the sub-interfaces under parent in the view's
// profile.
func subifsFor(v peerView, parent string) []subifSpec {
	var out []subifSpec
	for _, s := range subinterfaces {
		if s.parent == parent && (parent != IfaceAE || v.profile == ProfileHardware) {
			out = append(out, s)
		}
	}
	return out
}

// portHW renders a physical port with link state.
func portHW(name, typ, mac string, id int, up bool) hwRow {
	if up {
		return hwRow{name, "full", typ, "up", "10000/full/up", mac, "(autoneg)", "10000", id}
	}
	return hwRow{name, "ukn", typ, "down", "ukn/ukn/down(autoneg)", mac, "(autoneg)", "ukn", id}
}

// virtualMAC is the MAC of a virtual row: the peer's base with the id as
// the last octet, as the recordings show.
func virtualMAC(peer, id int) string { return fmt.Sprintf("0e:00:00:%02x:ff:%02x", 'a'+peer, id) }

// aeUp reports whether any member of ae1 has link.
func aeUp(v peerView) bool {
	for _, iv := range v.ifaces {
		if iv.role == roleAEMember && iv.up {
			return true
		}
	}
	return false
}

// hwRows lists the hardware interfaces in PAN-OS order: ethernet ports,
// the aggregate, dedicated HA ports, then vlan, loopback and tunnel,
// which are always up and have no speed or duplex.
func hwRows(v peerView) []hwRow {
	var out, ha []hwRow
	for _, iv := range v.ifaces {
		r := portHW(iv.name, iv.typ, iv.mac, iv.id, iv.up)
		if iv.typ == hwTypeHA {
			ha = append(ha, r)
			continue
		}
		out = append(out, r)
	}
	if v.profile == ProfileHardware {
		// Not verified: shown as a plain ethernet-like row.
		out = append(out, portHW(IfaceAE, hwTypeEthernet, virtualMAC(v.index, aeID), aeID, aeUp(v)))
	}
	out = append(out, ha...)
	for _, vr := range virtualRows {
		out = append(out, hwRow{vr.name, "[n/a]", vr.typ, "up", "[n/a]/[n/a]/up", virtualMAC(v.index, vr.id),
			"(unknown)", "[n/a]", vr.id})
	}
	return out
}

func (r ifnetRow) write(b *xmlBuf) {
	b.open("entry")
	b.leaves("name", r.name, "zone", r.zone, "fwd", r.fwd, "vsys", "1", "dyn-addr", "", "addr6", "", "tag", r.tag, "ip", r.ip)
	b.leafInt("id", int64(r.id))
	if len(r.addrs) == 0 {
		b.leaf("addr", "")
	} else {
		// As recorded: <addr><member>2.2.2.2/24</member></addr>.
		b.open("addr")
		for _, a := range r.addrs {
			b.leaf("member", a)
		}
		b.close("addr")
	}
	b.close("entry")
}

func (r hwRow) write(b *xmlBuf) {
	b.open("entry")
	b.leaves("name", r.name, "duplex", r.duplex, "type", r.typ, "state", r.state, "st", r.st, "mac", r.mac,
		"mode", r.mode, "speed", r.speed, "id", strconv.Itoa(r.id))
	b.close("entry")
}

// interfacesReply renders `show interface all`.
func interfacesReply(v peerView) string {
	var b xmlBuf
	b.open("ifnet")
	for _, r := range ifnetRows(v) {
		r.write(&b)
	}
	b.close("ifnet")
	b.open("hw")
	for _, r := range hwRows(v) {
		r.write(&b)
	}
	b.close("hw")
	return success(b.String())
}

// interfaceReply renders `show interface <name>`: the interface's logical
// and hardware entries, or the not-found reply PAN-OS gives with status
// success.
func interfaceReply(v peerView, name string) string {
	var b xmlBuf
	found := false
	for _, r := range ifnetRows(v) {
		if r.name == name {
			b.WriteString("<ifnet>")
			r.write(&b)
			b.WriteString("</ifnet>")
			found = true
		}
	}
	for _, r := range hwRows(v) {
		if r.name == name {
			b.WriteString("<hw>")
			r.write(&b)
			b.WriteString("</hw>")
			found = true
		}
	}
	if !found {
		b.leaves("dp", "dp0", "error", "Interface '"+name+"' not found")
	}
	return success(b.String())
}
