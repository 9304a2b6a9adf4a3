package alerts

import (
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Windows over which the history-based conditions look back. The PromQL
// rules use the same numbers; rules_test.go keeps the two in step through
// the promtool tests.
const (
	// FailoverWindow is how long HAPairFailover stays after the active peer
	// changed.
	FailoverWindow = 10 * time.Minute
	// FlapWindow is the window in which HAPairFlapping counts changes of
	// the peers' active state.
	FlapWindow = 30 * time.Minute
	// FlapChanges is how many changes of the peers' active state within
	// FlapWindow make the pair flap: a failover is two changes (one peer
	// leaves active, the other enters it), so 6 is three failovers, one
	// more than a planned upgrade with fail-back takes.
	FlapChanges = 6
	// TrafficBaselineWindow is how far back traffic above the floor counts
	// as a learnt baseline for HAPairTrafficStopped.
	TrafficBaselineWindow = time.Hour
	// StuckTransitionalMinimum is the least time a peer may stay initial
	// or tentative before HAPeerStuckTransitional fires.
	StuckTransitionalMinimum = 2 * time.Minute
	// PlannedRebootWindow is how long a peer that went silent right after
	// an operator suspended it counts as rebooting on purpose: long enough
	// for a VM-Series or hardware upgrade reboot, after which the silence
	// is a failed upgrade and HAPeerUnreachable turns into a warning.
	PlannedRebootWindow = 30 * time.Minute
)

// Failover is a change of the pair's single active peer.
type Failover struct {
	// At is when the new peer became active: from its reported state
	// duration when that is plausible, otherwise the evaluation time.
	At       time.Time
	From, To string
}

// peerHistory is what the engine remembers of one peer.
type peerHistory struct {
	seen         bool
	active       bool // state was exactly "active" at the last evaluation
	lastActiveAt time.Time
	changes      []time.Time // changes of active within FlapWindow
	state        probe.HAState
	stateSince   time.Time
	// lastAnswerAt is the last evaluation at which the peer answered
	// with HA on, and userSuspended what it then said of a suspension
	// by an operator: the last word of a peer that went silent.
	lastAnswerAt  time.Time
	userSuspended bool
}

// History is what the engine remembers of a pair between evaluations, for
// the conditions that depend on more than the current snapshot. Conditions
// only read it.
type History struct {
	now            time.Time
	lastEval       time.Time
	peers          map[string]*peerHistory
	lastAboveFloor time.Time
	single         string // last single active peer seen
	failover       Failover
	failovers      uint64
	// maintenance is the pair's announced maintenance at this evaluation.
	maintenance   Maintenance
	inMaintenance bool
}

// newHistory returns an empty history.
func newHistory() *History {
	return &History{peers: map[string]*peerHistory{}}
}

// Now is the time of the evaluation in progress.
func (h *History) Now() time.Time { return h.now }

// ActiveChanges counts the changes of the peers' "active" state after
// since, summed over the peers.
func (h *History) ActiveChanges(since time.Time) int {
	n := 0
	for _, ph := range h.peers {
		for _, t := range ph.changes {
			if t.After(since) {
				n++
			}
		}
	}
	return n
}

// LastActiveAt is the last evaluation at which the peer reported itself
// active, zero if never.
func (h *History) LastActiveAt(peer string) time.Time {
	if ph, ok := h.peers[peer]; ok {
		return ph.lastActiveAt
	}
	return time.Time{}
}

// StateSince is when the engine first saw the peer in its current state.
func (h *History) StateSince(peer string) time.Time {
	if ph, ok := h.peers[peer]; ok {
		return ph.stateSince
	}
	return time.Time{}
}

// PlannedReboot reports whether the peer's last answer, within
// PlannedRebootWindow, was that an operator had suspended it: a peer that
// then goes silent is being rebooted on purpose (an upgrade), not lost.
// The PromQL rules read the same from
// last_over_time(hawatch_ha_suspended_by_user[30m]).
func (h *History) PlannedReboot(peer string) bool {
	ph, ok := h.peers[peer]
	return ok && ph.userSuspended && h.now.Sub(ph.lastAnswerAt) < PlannedRebootWindow
}

// Maintenance returns the pair's announced maintenance at the evaluation
// in progress.
func (h *History) Maintenance() (Maintenance, bool) { return h.maintenance, h.inMaintenance }

// LastAboveFloor is the last evaluation at which the pair's data-plane
// traffic was known and above its floor (above zero without a floor).
func (h *History) LastAboveFloor() time.Time { return h.lastAboveFloor }

// LastFailover returns the latest change of the single active peer.
func (h *History) LastFailover() (Failover, bool) {
	return h.failover, h.failovers > 0
}

// update records the snapshot evaluated at now.
func (h *History) update(now time.Time, p *snapshot.Pair) {
	h.now = now
	seen := make(map[string]bool, len(p.Peers))
	v := p.HAView()
	for _, peer := range p.Peers {
		seen[peer.Name] = true
		ph := v.Peer(peer.Name)
		h.updatePeer(now, peer.Name, ph.State)
		if ph.Answered && ph.HA {
			h.peers[peer.Name].lastAnswerAt = now
			h.peers[peer.Name].userSuspended = ph.SuspendedByUser
		}
	}
	for name := range h.peers {
		if !seen[name] {
			delete(h.peers, name)
		}
	}
	t := p.Traffic
	if t.Known && t.BytesPerSecond > p.Config.TrafficFloorBytesPerSecond {
		h.lastAboveFloor = now
	}
	h.updateFailover(now, p)
	h.lastEval = now
}

// updatePeer records one peer's state.
func (h *History) updatePeer(now time.Time, name string, st probe.HAState) {
	ph := h.peers[name]
	if ph == nil {
		ph = &peerHistory{}
		h.peers[name] = ph
	}
	active := st == probe.StateActive
	if ph.seen && active != ph.active {
		ph.changes = append(ph.changes, now)
	}
	ph.seen, ph.active = true, active
	if active {
		ph.lastActiveAt = now
	}
	if st != ph.state || ph.stateSince.IsZero() {
		ph.state, ph.stateSince = st, now
	}
	cut := now.Add(-FlapWindow)
	for len(ph.changes) > 0 && ph.changes[0].Before(cut) {
		ph.changes = ph.changes[1:]
	}
}

// updateFailover notices a change of the single active peer.
func (h *History) updateFailover(now time.Time, p *snapshot.Pair) {
	active := activePeers(p)
	if len(active) != 1 {
		return
	}
	to := active[0]
	if h.single != "" && h.single != to.Name {
		at := now
		// The peer's own state duration dates the change more precisely
		// than the poll that saw it, when it falls after the last poll.
		if d := to.HA.LocalStateDuration; d > 0 && !h.lastEval.IsZero() && d < now.Sub(h.lastEval) {
			at = now.Add(-d)
		}
		h.failover = Failover{At: at, From: h.single, To: to.Name}
		h.failovers++
	}
	h.single = to.Name
}
