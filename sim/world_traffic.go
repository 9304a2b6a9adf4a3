package sim

import (
	"math"
	"net/netip"
	"time"
)

// Traffic model: the carrying peer forwards about 2 MB/s with a small,
// deterministic jitter derived from the world time.
const (
	trafficRate      = 2e6   // bytes per second, both directions together
	avgPacket        = 820.0 // bytes per packet
	bytesPerSession  = 65536.0
	steadySessions   = 1800.0
	sessionDecay     = 20.0  // seconds, time constant of sessions aging out
	ha2SyncShare     = 0.002 // HA2 state-sync bytes per forwarded byte
	untrustInShare   = 0.62  // share of bytes entering on untrust
	twoPi            = 2 * math.Pi
	jitterA, jitterP = 0.08, 37.0
	jitterB, jitterQ = 0.04, 11.0
)

// seconds returns t in seconds since the world was created.
func (w *World) seconds(t time.Time) float64 { return t.Sub(w.epoch).Seconds() }

// rateAt is the forwarding rate in bytes per second at t.
func (w *World) rateAt(t time.Time) float64 {
	s := w.seconds(t)
	return trafficRate * (1 + jitterA*math.Sin(twoPi*s/jitterP) + jitterB*math.Sin(twoPi*s/jitterQ))
}

// rateIntegral is the antiderivative of rateAt / trafficRate.
func rateIntegral(s float64) float64 {
	return s - jitterA*jitterP/twoPi*math.Cos(twoPi*s/jitterP) - jitterB*jitterQ/twoPi*math.Cos(twoPi*s/jitterQ)
}

// sessionsAt is the steady session count while traffic flows.
func (w *World) sessionsAt(t time.Time) float64 {
	return steadySessions + 150*math.Sin(twoPi*w.seconds(t)/53)
}

// accumulate adds the traffic forwarded between from and to. The world does
// not change by itself inside the interval (advance splits at every
// transition), so the carrier at from holds throughout.
func (w *World) accumulate(from, to time.Time) {
	if !to.After(from) {
		return
	}
	c := w.carrier(from)
	if c < 0 {
		return
	}
	b := trafficRate * (rateIntegral(w.seconds(to)) - rateIntegral(w.seconds(from)))
	p := w.peers[c]
	in, out := b*untrustInShare, b*(1-untrustInShare)
	addBytes(p.counters[IfaceUntrust], in, out)
	addBytes(p.counters[IfaceTrust], out, in)
	p.installed += b / bytesPerSession
	if w.ha2Up() {
		sync := b * ha2SyncShare
		addBytes(p.counters[w.ha2Port()], 0, sync)
		addBytes(w.peers[other(c)].counters[w.ha2Port()], sync, 0)
	}
	w.lastCarrier, w.lastFlowEnd = c, to
}

func addBytes(c *ifCounters, in, out float64) {
	c.ibytes += in
	c.obytes += out
	c.ipackets += in / avgPacket
	c.opackets += out / avgPacket
}

// carrier returns the peer forwarding traffic at t, or -1. Traffic flows
// through an active peer only when AWS delivers both directions to it: the
// EIP on its untrust ENI and the default route on its trust ENI, with the
// ENIs attached, source/destination check off, the links up and the
// interface addresses inside their subnets.
func (w *World) carrier(t time.Time) int {
	if !w.traffic {
		return -1
	}
	for i, p := range w.peers {
		if p.activeNow() && w.forwards(i, t) {
			return i
		}
	}
	return -1
}

func (w *World) forwards(i int, t time.Time) bool {
	if w.aws.blackhole || w.aws.eipPeer(t) != i || w.aws.routePeer(t) != i {
		return false
	}
	for _, name := range []string{IfaceUntrust, IfaceTrust} {
		eni := w.aws.eniFor(i, name)
		if !w.linkUp(i, name, t) || !w.ipInSubnet(i, name) || w.aws.sdCheck(eni) {
			return false
		}
	}
	return true
}

// linkUp reports whether port name of peer i has link at t: the peer is
// up, the port is linked and, for ports backed by an ENI, the ENI is
// attached to the peer.
func (w *World) linkUp(i int, name string, t time.Time) bool {
	p := w.peers[i]
	if p.booting || !p.links[name] || name == IfaceUnused {
		return false
	}
	eni := w.aws.eniFor(i, name)
	if eni == "" {
		// A dedicated HA port or an aggregate member of the hardware
		// profile: no ENI behind it.
		return true
	}
	holder, status := w.aws.holder(eni, t)
	return holder == i && status == attAttached
}

// ifaceIPLocked returns the address of port name on peer i, with prefix
// length: the configured override, or the primary IP of its ENI.
func (w *World) ifaceIPLocked(i int, name string) string {
	if ip, ok := w.peers[i].ifaceIP[name]; ok {
		return ip
	}
	return w.aws.primaryIP(w.aws.eniFor(i, name)) + "/24"
}

// ipInSubnet reports whether port name of peer i is addressed inside the
// subnet of its ENI.
func (w *World) ipInSubnet(i int, name string) bool {
	pfx, err := netip.ParsePrefix(w.ifaceIPLocked(i, name))
	if err != nil {
		return false
	}
	subnet, err := netip.ParsePrefix(subnetCIDR(ifaceDevice(name)))
	return err == nil && subnet.Contains(pfx.Addr())
}

// SetTraffic starts or stops client traffic through the pair.
func (w *World) SetTraffic(on bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.traffic = on
}

// SetInterface sets the physical link of port name on peer i. The
// aggregate ae1 follows its members (up while any member is up); virtual
// interfaces (loopback, tunnel, vlan) have no link and stay up.
func (w *World) SetInterface(i int, name string, up bool) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.peers[i].links[name] = up
}

// SetInterfaceIP configures port name of peer i with cidr (e.g.
// "10.0.9.11/24"); an empty cidr restores the ENI's address.
func (w *World) SetInterfaceIP(i int, name, cidr string) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	if cidr == "" {
		delete(w.peers[i].ifaceIP, name)
		return
	}
	w.peers[i].ifaceIP[name] = cidr
}

// InterfaceIP returns the address of port name on peer i, with prefix
// length.
func (w *World) InterfaceIP(i int, name string) string {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	return w.ifaceIPLocked(i, name)
}

// InterfaceBytes returns the received and sent wire byte counters of port
// name on peer i: what the hw port counters (rx-bytes, tx-bytes) show.
// The ibytes/obytes counters show only the data-plane share of a
// data-plane port (see WorldOptions.OffloadShare).
func (w *World) InterfaceBytes(i int, name string) (in, out uint64) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	c := w.peers[i].counters[name]
	if c == nil {
		return 0, 0
	}
	return uint64(c.ibytes), uint64(c.obytes)
}

// Carrier returns the peer forwarding traffic now, or -1 when traffic does
// not flow.
func (w *World) Carrier() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.carrier(w.advance())
}

// sessionView is the reply to `show session info` of one peer.
type sessionView struct {
	active, tcp, udp, icmp, installed, cps, kbps, pps uint64
}

// sessionsLocked computes peer i's session table at now. The carrier
// reports the sessions and rates; a passive peer linked by HA2 holds the
// synchronized sessions; after traffic stops the sessions age out.
func (w *World) sessionsLocked(i int, now time.Time) sessionView {
	p := w.peers[i]
	var sv sessionView
	var active float64
	c := w.carrier(now)
	switch {
	case c == i:
		r := w.rateAt(now)
		active = w.sessionsAt(now)
		sv.cps = uint64(math.Round(r / bytesPerSession))
		sv.kbps = uint64(r * 8 / 1000)
		sv.pps = uint64(r / avgPacket)
	case c == other(i) && p.state == StatePassive && w.ha2Up():
		active = w.sessionsAt(now)
	case c < 0 && w.lastCarrier == i && !p.bootTime.After(w.lastFlowEnd):
		age := now.Sub(w.lastFlowEnd).Seconds()
		active = w.sessionsAt(w.lastFlowEnd) * math.Exp(-age/sessionDecay)
	}
	sv.active = uint64(active)
	sv.tcp = uint64(active * 0.78)
	sv.udp = uint64(active * 0.21)
	sv.icmp = sv.active - sv.tcp - sv.udp
	sv.installed = uint64(p.installed)
	return sv
}
