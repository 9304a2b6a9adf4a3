package sim

import (
	"maps"
	"slices"
	"time"
)

// peerInfo is what one peer's HA reply says about a peer.
type peerInfo struct {
	hostname, serial, version   string
	app, threat, av             string
	priority                    int
	state                       string
	stateDuration               time.Duration
	lastErrReason, lastErrState string
	mgmtIP, ha2IP               string // without prefix length
}

// ifaceView is one physical port of a peer.
type ifaceView struct {
	name string
	id   int
	typ  string // hw/entry type
	role int
	up   bool
	ip   string // with prefix length; empty for ports without one
	// addrs are the further addresses (addr/member): the floating IPs a
	// secondary-ip pair configures on both peers' data-plane interfaces.
	addrs    []string
	mac      string
	counters ifCounters // wire counters
}

// peerView is a consistent copy of everything a peer's API replies show,
// taken under the world's lock so that replies render without it.
type peerView struct {
	index      int
	now        time.Time
	self, peer peerInfo
	profile    string
	offload    float64 // data-plane share of the wire bytes
	ha1Up      bool
	ha2Up      bool
	hbUp       bool // management heartbeat backup
	configSync bool
	compat     map[string]bool // build, app, threat, av: true when equal
	bootTime   time.Time
	ifaces     []ifaceView
	sessions   sessionView
	// ready and pairReady are the upgrade-readiness state; forwards tells
	// that the peer carries the traffic now.
	ready     readiness
	pairReady pairReadiness
	forwards  bool
}

// view returns peer i's view, and whether its API is reachable.
func (w *World) view(i int) (peerView, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	if !w.reachableLocked(i) {
		return peerView{}, false
	}
	self, o := w.peers[i], w.peers[other(i)]
	v := peerView{
		index:      i,
		now:        now,
		self:       w.infoLocked(i, now),
		peer:       w.infoLocked(other(i), now),
		profile:    w.profile,
		offload:    w.offload,
		ha1Up:      w.ha1Up(),
		ha2Up:      w.ha2Up(),
		hbUp:       w.hbBackupUp(),
		configSync: w.configSync,
		compat: map[string]bool{
			"build":  self.version == o.version,
			"app":    self.appVersion == o.appVersion,
			"threat": self.threatVersion == o.threatVersion,
			"av":     self.avVersion == o.avVersion,
		},
		bootTime:  self.bootTime,
		sessions:  w.sessionsLocked(i, now),
		ready:     self.ready,
		pairReady: w.ready,
		forwards:  w.carrier(now) == i,
	}
	v.ready.downloaded = slices.Clone(self.ready.downloaded)
	v.pairReady.arpMissing = maps.Clone(w.ready.arpMissing)
	if w.ready.noSessions {
		v.sessions = sessionView{installed: v.sessions.installed}
	}
	for n, ps := range w.ports() {
		name := ps.name
		iv := ifaceView{
			name: name,
			id:   ps.id,
			typ:  ps.typ,
			role: ps.role,
			up:   w.linkUp(i, name, now),
			mac:  macOf(byte('a'+i), n+1),
		}
		if eni := w.aws.eniFor(i, name); eni != "" {
			owner, dev, _ := eniKey(eni)
			iv.mac = macOf(owner, dev)
		}
		if isDataPlane(name) {
			iv.ip = w.ifaceIPLocked(i, name)
			if f := floatingOf(name); f != "" && w.mode == AWSModeSecondaryIP {
				iv.addrs = []string{f + "/24"}
			}
		}
		if c := self.counters[name]; c != nil {
			iv.counters = *c
		}
		v.ifaces = append(v.ifaces, iv)
	}
	return v, true
}

func (w *World) infoLocked(i int, now time.Time) peerInfo {
	p := w.peers[i]
	return peerInfo{
		hostname:      p.hostname,
		serial:        p.serial,
		version:       p.version,
		app:           p.appVersion,
		threat:        p.threatVersion,
		av:            p.avVersion,
		priority:      p.priority,
		state:         p.state,
		stateDuration: now.Sub(p.stateSince),
		lastErrReason: p.lastErrReason,
		lastErrState:  p.lastErrState,
		mgmtIP:        w.aws.primaryIP(ENIID(i, DeviceMgmt)),
		ha2IP:         w.aws.primaryIP(ENIID(i, DeviceHA2)),
	}
}
