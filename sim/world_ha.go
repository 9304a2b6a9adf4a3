package sim

import (
	"time"
)

// applyDue applies the transitions due at t: a rebooting peer comes up in
// state initial, and a peer in initial settles as passive, or as active
// when the other peer is not active.
func (w *World) applyDue(t time.Time) {
	for _, p := range w.peers {
		if p.booting && !t.Before(p.upAt) {
			p.booting = false
			p.boot(p.upAt)
			p.setState(StateInitial, p.upAt)
			p.initialPending = true
			p.readyAt = p.upAt.Add(w.initialHold)
			w.logger.Info("peer booted", "peer", PeerName(p.index), "version", p.version, "state", p.state)
		}
	}
	for i, p := range w.peers {
		if p.initialPending && !t.Before(p.readyAt) {
			p.initialPending = false
			if w.peers[other(i)].activeNow() {
				w.transition(i, StatePassive, p.readyAt)
			} else {
				w.transition(i, StateActive, p.readyAt)
			}
		}
	}
}

// transition moves peer i to state at t; a peer that becomes active takes
// over the AWS data plane, as the VM-Series HA plugin does.
func (w *World) transition(i int, state string, t time.Time) {
	p := w.peers[i]
	if p.state == state {
		return
	}
	w.logger.Info("peer state changed", "peer", PeerName(i), "from", p.state, "to", state)
	p.setState(state, t)
	if state == StateActive {
		w.aws.takeOver(i, t)
	}
}

// promoteOther makes the other peer active when it is passive and up, after
// peer i stopped being active.
func (w *World) promoteOther(i int, t time.Time) {
	o := w.peers[other(i)]
	if !o.booting && o.state == StatePassive {
		w.transition(other(i), StateActive, t)
	}
}

// Failover suspends the active peer ("User requested") and makes the
// passive one active. It does nothing when no peer is active.
func (w *World) Failover() {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	for i, p := range w.peers {
		if p.activeNow() {
			w.suspendLocked(i, now)
			return
		}
	}
	w.logger.Warn("failover requested with no active peer")
}

// Suspend suspends peer i ("User requested"); if it was active, the other
// peer becomes active.
func (w *World) Suspend(i int) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.suspendLocked(i, w.advance())
}

func (w *World) suspendLocked(i int, now time.Time) {
	p := w.peers[i]
	if p.booting {
		return
	}
	wasActive := p.state == StateActive
	p.initialPending = false
	w.transition(i, StateSuspended, now)
	p.lastErrReason, p.lastErrState = "User requested", StateSuspended
	if wasActive {
		w.promoteOther(i, now)
	}
}

// Unsuspend returns a suspended peer to service: passive when the other
// peer is active, otherwise active.
func (w *World) Unsuspend(i int) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	if w.peers[i].state != StateSuspended || w.peers[i].booting {
		return
	}
	if w.peers[other(i)].activeNow() {
		w.transition(i, StatePassive, now)
	} else {
		w.transition(i, StateActive, now)
	}
}

// SetHAState forces peer i into state, recording reason as the last error
// when it is not empty; the other peer is left as it is. It lets tests build
// states the model does not reach by itself (non-functional, no active
// peer, both active).
func (w *World) SetHAState(i int, state, reason string) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	w.peers[i].initialPending = false
	w.transition(i, state, now)
	if reason != "" {
		w.peers[i].lastErrReason, w.peers[i].lastErrState = reason, state
	}
}

// Reboot takes peer i down for the given time: its API resets connections
// and HA1 to it is down. It then comes up in state initial for the
// world's initial hold, and settles as passive (active when the other peer
// is not active). Counters restart from zero and a version installed by
// Upgrade takes effect. If the peer was active, the passive peer becomes
// active at once.
func (w *World) Reboot(i int, down time.Duration) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	p := w.peers[i]
	wasActive := p.activeNow()
	p.booting, p.upAt = true, now.Add(down)
	p.initialPending = false
	w.logger.Info("peer rebooting", "peer", PeerName(i), "down", down)
	if wasActive {
		w.promoteOther(i, now)
	}
	p.setState(StateUnknown, now)
}

// Upgrade installs a PAN-OS version on peer i. Like a real upgrade it takes
// effect at the peer's next Reboot; until then the peer runs its old
// version.
func (w *World) Upgrade(i int, version string) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.peers[i].pendingVersion = version
	w.logger.Info("version installed", "peer", PeerName(i), "version", version)
}

// SetHALink brings an HA link ("ha1" or "ha2") up or down on both sides.
func (w *World) SetHALink(link string, up bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.haLink[link] = up
}

// SetHeartbeatBackup cuts (up false) or restores the management link
// peer i sends its heartbeat backup over. Like an HA link, a cut shows
// from both peers: each reports the peer's conn-mgmt down. It does not
// change HA1 (see SetHALink).
func (w *World) SetHeartbeatBackup(i int, up bool) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.hbBackup[i] = up
}

// SetConfigSync sets whether the running configuration is synchronized.
func (w *World) SetConfigSync(synced bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.configSync = synced
}

// SetReachable makes peer i's management API reachable or not (connections
// are reset), without changing its HA behavior.
func (w *World) SetReachable(i int, reachable bool) {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	w.peers[i].unreachable = !reachable
}

// State returns peer i's HA state; "unknown" while it reboots.
func (w *World) State(i int) string {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	return w.peers[i].state
}

// Version returns the PAN-OS version peer i runs.
func (w *World) Version(i int) string {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	return w.peers[i].version
}

// Reachable reports whether peer i's API answers (it is neither rebooting
// nor made unreachable).
func (w *World) Reachable(i int) bool {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	return w.reachableLocked(i)
}

func (w *World) reachableLocked(i int) bool {
	p := w.peers[i]
	return !p.booting && !p.unreachable
}

// ActivePeer returns the index of the single active peer, or -1 when none
// or both are active.
func (w *World) ActivePeer() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.advance()
	return w.activeLocked()
}

func (w *World) activeLocked() int {
	a := -1
	for i, p := range w.peers {
		if p.activeNow() {
			if a >= 0 {
				return -1
			}
			a = i
		}
	}
	return a
}

// ha1Up reports whether the HA1 control link connects the peers.
func (w *World) ha1Up() bool {
	up := w.haLink[LinkHA1] && !w.peers[0].down() && !w.peers[1].down()
	if w.profile == ProfileHardware {
		// HA1 has its own port, not the management interface.
		up = up && w.peers[0].links[IfaceHA1Dedicated] && w.peers[1].links[IfaceHA1Dedicated]
	}
	return up
}

// ha2Up reports whether the HA2 data link connects the peers: configured
// up, both peers up and their HA2 ports linked.
func (w *World) ha2Up() bool {
	ha2 := w.ha2Port()
	return w.haLink[LinkHA2] && !w.peers[0].down() && !w.peers[1].down() &&
		w.peers[0].links[ha2] && w.peers[1].links[ha2]
}

// hbBackupUp reports whether the management heartbeat backup connects
// the peers: both peers up and neither's management link cut.
func (w *World) hbBackupUp() bool {
	return w.hbBackup[0] && w.hbBackup[1] && !w.peers[0].down() && !w.peers[1].down()
}
