package sim

import (
	"fmt"
	"time"
)

// Interfaces of a VM-Series firewall in the simulated AWS deployment: HA2
// on ethernet1/1, the untrust and trust data plane on ethernet1/2 and
// ethernet1/3, and an unused ethernet1/4.
const (
	IfaceHA2     = "ethernet1/1"
	IfaceUntrust = "ethernet1/2"
	IfaceTrust   = "ethernet1/3"
	IfaceUnused  = "ethernet1/4"
)

// HA link names for SetHALink.
const (
	LinkHA1 = "ha1"
	LinkHA2 = "ha2"
)

// ifaceDevice maps a port to the device index of its ENI.
func ifaceDevice(name string) int {
	switch name {
	case IfaceHA2:
		return 1
	case IfaceUntrust:
		return 2
	case IfaceTrust:
		return 3
	}
	return -1
}

// isDataPlane reports whether the port forwards traffic.
func isDataPlane(name string) bool { return name == IfaceUntrust || name == IfaceTrust }

// ifCounters are cumulative wire counters of a port (what the port sent
// and received), kept as floats so that traffic accumulated over many
// short intervals does not lose fractions.
type ifCounters struct {
	ibytes, obytes, ipackets, opackets float64
}

// peer is one simulated firewall.
type peer struct {
	index    int
	hostname string
	serial   string

	version        string // running PAN-OS version
	pendingVersion string // installed, effective at the next reboot
	appVersion     string
	threatVersion  string
	avVersion      string
	priority       int

	state         string
	stateSince    time.Time
	lastErrReason string
	lastErrState  string

	bootTime       time.Time
	booting        bool // unreachable until upAt
	upAt           time.Time
	initialPending bool // in state initial until readyAt
	readyAt        time.Time
	unreachable    bool // management API unreachable (set explicitly)

	ports     []portSpec        // physical ports of the profile
	links     map[string]bool   // physical link state by port
	ifaceIP   map[string]string // configured IP overrides by port
	counters  map[string]*ifCounters
	installed float64 // sessions installed since boot

	ready readiness // what the upgrade-readiness commands show

	faults   map[string]Fault // by command; "" applies to all
	requests map[string]int
}

func newPeer(i int, version string, now time.Time, ports []portSpec) *peer {
	p := &peer{
		index:         i,
		hostname:      Hostname(i),
		serial:        fmt.Sprintf("00795100034120%d", i+1),
		version:       version,
		appVersion:    "8799-8509",
		threatVersion: "8799-8509",
		avVersion:     "4588-5106",
		priority:      100 + 10*i,
		ports:         ports,
		links:         map[string]bool{},
		counters:      map[string]*ifCounters{},
		requests:      map[string]int{},
		ready:         healthyReadiness(),
	}
	for _, ps := range ports {
		p.links[ps.name] = ps.role != roleUnused
	}
	// Both peers have been up for a few days, B a little less than A.
	p.boot(now.Add(-(79*time.Hour + 41*time.Minute) + time.Duration(i)*29*time.Minute))
	// Seed counters so that they look like a firewall that has been
	// forwarding traffic for days.
	for _, name := range []string{IfaceUntrust, IfaceTrust} {
		c := p.counters[name]
		base := float64(918273645*(2-i)) * 7
		c.ibytes, c.obytes = base*0.62, base*0.38
		if name == IfaceTrust {
			c.ibytes, c.obytes = c.obytes, c.ibytes
		}
		c.ipackets, c.opackets = c.ibytes/avgPacket, c.obytes/avgPacket
	}
	p.installed = float64(2-i) * 4.3e6
	p.state = StatePassive
	if i == PeerA {
		p.state = StateActive
	}
	p.stateSince = now.Add(-(77*time.Hour + 3*time.Minute))
	return p
}

// boot restarts the peer at t: counters from zero, uptime from t.
func (p *peer) boot(t time.Time) {
	p.bootTime = t
	p.installed = 0
	for _, ps := range p.ports {
		p.counters[ps.name] = &ifCounters{}
	}
	if p.pendingVersion != "" {
		p.version, p.pendingVersion = p.pendingVersion, ""
	}
}

// setState changes the HA state and restarts its duration.
func (p *peer) setState(state string, t time.Time) {
	p.state = state
	p.stateSince = t
}

// down reports whether the peer is rebooting.
func (p *peer) down() bool { return p.booting }

// activeNow reports whether the peer is up and active.
func (p *peer) activeNow() bool { return !p.booting && p.state == StateActive }

// floatingOf is the floating IP of a data-plane port in secondary-ip mode.
func floatingOf(name string) string {
	switch name {
	case IfaceUntrust:
		return FloatingUntrustIP
	case IfaceTrust:
		return FloatingTrustIP
	}
	return ""
}
