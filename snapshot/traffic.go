package snapshot

import (
	"cmp"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// Traffic is the pair's traffic, summed over both peers so that it does not
// depend on which peer is active.
type Traffic struct {
	// Known is false when no rate could be computed: first poll, no counters
	// from any peer, or a counter reset (reboot) on a peer.
	Known bool
	// BytesPerSecond is the rate of data-plane bytes (received plus sent)
	// over both peers since the previous poll.
	BytesPerSecond float64
	// PeerBytesPerSecond is the same rate per peer; a peer is absent when
	// its rate is unknown.
	PeerBytesPerSecond map[string]float64
	// SessionsActive, Kbps and CPS are summed from `show session info`
	// of the peers that answered.
	SessionsActive uint64
	Kbps           uint64
	CPS            uint64
	// EverFlowed is true once the pair is known to have forwarded traffic:
	// seen flowing by this or an earlier poll (or, at the first poll, by
	// the event journal of an earlier run). Traffic stopped counts as an
	// outage only after it.
	EverFlowed bool
	// LastFlowingBytesPerSecond is the rate the pair flowed at, so that
	// stopped traffic can say what it was: that of the poll before the
	// last that saw it flowing, since the last one usually saw it stop
	// partway through; 0 before a known rate.
	LastFlowingBytesPerSecond float64
	// StoppedSince is the end of the last poll that saw the traffic
	// flowing (or could not tell) before it stopped: the counters show no
	// bytes since. Zero while it flows.
	StoppedSince time.Time
}

// Flowing reports whether the pair forwards traffic: data-plane bytes move,
// or the session table reports throughput or new connections.
func (t Traffic) Flowing() probe.Tri {
	if t.Kbps > 0 || t.CPS > 0 || (t.Known && t.BytesPerSecond > 0) {
		return probe.Yes
	}
	if !t.Known {
		return probe.Unknown
	}
	return probe.No
}

// dataPlaneBytes sums received and sent bytes over the peer's data-plane
// hardware interfaces. ok is false when the peer gave no counters.
func dataPlaneBytes(peer *probe.PeerStatus) (sum uint64, ok bool) {
	if peer == nil || peer.Counters == nil || peer.Interfaces == nil {
		return 0, false
	}
	link := make(map[string]bool, len(peer.Interfaces.Hardware))
	for _, hw := range peer.Interfaces.Hardware {
		link[hw.Name] = hw.CarriesLink()
	}
	for _, c := range peer.Counters.Hardware {
		if link[c.Name] {
			sum += c.RxBytes + c.TxBytes
		}
	}
	return sum, true
}

// ComputeTraffic derives the pair's traffic from the current poll and the
// previous snapshot (nil on the first poll).
func ComputeTraffic(prev *Pair, peers []*probe.PeerStatus) Traffic {
	t := Traffic{PeerBytesPerSecond: map[string]float64{}}
	for _, peer := range peers {
		if peer.Up && peer.Sessions != nil {
			t.SessionsActive += peer.Sessions.Active
			t.Kbps += peer.Sessions.Kbps
			t.CPS += peer.Sessions.CPS
		}
	}
	if prev == nil {
		t.EverFlowed = t.Flowing() == probe.Yes
		return t
	}
	t.addRates(prev, peers)
	t.EverFlowed = prev.Traffic.EverFlowed || t.Flowing() == probe.Yes
	t.carry(prev)
	return t
}

// carry keeps the last flowing rate and the time the traffic stopped from
// poll to poll; a poll that cannot tell keeps both.
func (t *Traffic) carry(prev *Pair) {
	was := prev.Traffic
	t.LastFlowingBytesPerSecond = was.LastFlowingBytesPerSecond
	switch t.Flowing() {
	case probe.Yes:
		switch {
		case !t.Known:
		case was.Known && was.Flowing() == probe.Yes:
			t.LastFlowingBytesPerSecond = was.BytesPerSecond
		default:
			t.LastFlowingBytesPerSecond = t.BytesPerSecond
		}
	case probe.No:
		if t.EverFlowed {
			t.StoppedSince = cmp.Or(was.StoppedSince, prev.End)
		}
	default:
		t.StoppedSince = was.StoppedSince
	}
}

// addRates sets the byte rates from the counters of two polls.
func (t *Traffic) addRates(prev *Pair, peers []*probe.PeerStatus) {
	for _, peer := range peers {
		old := prev.Peer(peer.Name)
		cur, ok1 := dataPlaneBytes(peer)
		was, ok2 := dataPlaneBytes(old)
		if !ok1 || !ok2 || cur < was {
			continue
		}
		dt := peer.End.Sub(old.End).Seconds()
		if dt <= 0 {
			continue
		}
		rate := float64(cur-was) / dt
		t.PeerBytesPerSecond[peer.Name] = rate
		t.BytesPerSecond += rate
		t.Known = true
	}
}
