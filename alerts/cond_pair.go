package alerts

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// one returns a single pair-level instance with the given values.
func one(values map[string]string) []Instance {
	return []Instance{{Labels: map[string]string{}, Values: values}}
}

// evalLinksDown fires when, on every peer that answered, every data-plane
// interface is down, or every configured HA link (HA1, HA2 and their
// backups) is down. An unreachable peer is left out of the judgement
// rather than counted as healthy or broken: if the only peer that answers
// has lost all its links, the pair as far as it can be seen forwards
// nothing, and HAPeerUnreachable tells about the other peer. With no peer
// answering it is HAMonitoringBlind, never this.
func evalLinksDown(p *snapshot.Pair, _ *History) []Instance {
	reach := p.Reachable()
	if len(reach) == 0 || len(haPeers(p)) == 0 {
		return nil
	}
	// HA links are judged only when both peers answer: a peer that is down
	// (rebooting for an upgrade, say) takes the links down with it, which
	// HAPeerUnreachable reports. Data-plane ports are judged from the
	// peers that answer: if none of them can forward, nothing does.
	v := p.HAView()
	dpDown, haDown := v.DataPlaneDown(), len(reach) == len(p.Peers)
	for _, peer := range reach {
		if !v.Peer(peer.Name).AllLinksDown() {
			haDown = false
		}
	}
	var detail []string
	if dpDown {
		detail = append(detail, "Every data-plane interface is down.")
	}
	if haDown {
		detail = append(detail, "Every configured HA link (HA1, HA2, their backups and the heartbeat backup) is down.")
	}
	if len(detail) == 0 {
		return nil
	}
	peers := names(reach)
	if len(reach) < len(p.Peers) {
		peers += " (the other peer does not answer)"
	}
	return one(map[string]string{"detail": strings.Join(detail, " "), "peers": peers})
}

// evalTrafficStopped fires when the pair's data plane stands still after
// it had been forwarding: bytes at or below the floor (zero without one),
// no new connections and no session throughput, while traffic was above
// the floor within TrafficBaselineWindow or a floor is configured.
func evalTrafficStopped(p *snapshot.Pair, h *History) []Instance {
	t := p.Traffic
	if !t.Known || !anySessions(p) {
		return nil
	}
	floor := p.Config.TrafficFloorBytesPerSecond
	if t.BytesPerSecond > floor || float64(t.Kbps)*125 > floor || t.CPS > 0 {
		return nil
	}
	var baseline string
	switch last := h.LastAboveFloor(); {
	case floor > 0:
		baseline = fmt.Sprintf("falling to or below the configured floor of %s B/s", rate(floor))
	case !last.IsZero() && h.Now().Sub(last) < TrafficBaselineWindow:
		baseline = "forwarding traffic at " + last.UTC().Format("15:04:05 UTC")
	default:
		return nil
	}
	return one(map[string]string{"bytes": rate(t.BytesPerSecond), "baseline": baseline})
}

// anySessions reports whether a peer answered `show session info`.
func anySessions(p *snapshot.Pair) bool {
	for _, peer := range p.Peers {
		if peer.Up && peer.Sessions != nil {
			return true
		}
	}
	return false
}

// evalNoActivePeer fires when HA is on and no peer is active: neither by
// its own report nor, for a peer that does not answer, by the report of
// its HA peer over a connected HA link. An unknown state never counts as
// active.
func evalNoActivePeer(p *snapshot.Pair, _ *History) []Instance {
	if v := p.HAView(); !v.Enabled || len(v.Actives) > 0 {
		return nil
	}
	return one(map[string]string{"states": peerStates(p)})
}

// evalSplitBrain fires when two or more peers report the active state and
// no peer runs active/active.
func evalSplitBrain(p *snapshot.Pair, _ *History) []Instance {
	active := activePeers(p)
	if len(active) < 2 {
		return nil
	}
	if p.HAView().Mode == snapshot.ModeActiveActive {
		return nil
	}
	return one(map[string]string{"peers": names(active)})
}

// evalFailover fires for the single active peer while another peer was
// active within FailoverWindow. Two active peers are a split brain, not a
// failover.
func evalFailover(p *snapshot.Pair, h *History) []Instance {
	active := activePeers(p)
	if len(active) != 1 {
		return nil
	}
	peer := active[0]
	cut := h.Now().Add(-FailoverWindow)
	var prev []string
	for _, other := range p.Peers {
		if other.Name != peer.Name && h.LastActiveAt(other.Name).After(cut) {
			prev = append(prev, other.Name)
		}
	}
	if len(prev) == 0 {
		return nil
	}
	return []Instance{{
		Labels: map[string]string{LabelPeer: peer.Name},
		Values: map[string]string{"previous": strings.Join(prev, ", ")},
	}}
}

// evalFlapping fires when the peers' active state changed FlapChanges
// times within FlapWindow, or a peer's preempt or non-functional flap
// count reached its max-flaps.
func evalFlapping(p *snapshot.Pair, h *History) []Instance {
	var detail []string
	if n := h.ActiveChanges(h.Now().Add(-FlapWindow)); n >= FlapChanges {
		detail = append(detail, fmt.Sprintf("The peers entered or left the active state %d times in %v.", n, FlapWindow))
	}
	for _, peer := range haPeers(p) {
		ha := peer.HA
		if ha.MaxFlaps > 0 && (ha.PreemptFlapCount >= ha.MaxFlaps || ha.NonfuncFlapCount >= ha.MaxFlaps) {
			detail = append(detail, fmt.Sprintf("%s reached max-flaps %d (preempt %d, non-functional %d) and suspends itself.",
				peer.Name, ha.MaxFlaps, ha.PreemptFlapCount, ha.NonfuncFlapCount))
		}
	}
	if len(detail) == 0 {
		return nil
	}
	return one(map[string]string{"detail": strings.Join(detail, " ")})
}

// evalConfigNotSynchronized fires when a peer with config sync enabled
// reports the running configuration as not synchronized.
func evalConfigNotSynchronized(p *snapshot.Pair, _ *History) []Instance {
	var peers []*probe.PeerStatus
	for _, peer := range haPeers(p) {
		if peer.HA.RunningSyncEnabled && !peer.HA.ConfigSynchronized {
			peers = append(peers, peer)
		}
	}
	if len(peers) == 0 {
		return nil
	}
	return one(map[string]string{"peers": names(peers)})
}

// evalVersionMismatch fires when any compatibility item is Mismatch on a
// peer; the description lists all of them.
func evalVersionMismatch(p *snapshot.Pair, _ *History) []Instance {
	items := map[string]bool{}
	for _, peer := range haPeers(p) {
		for item, v := range peer.HA.Compat {
			if probe.CompatVerdict(v) == probe.No {
				items[item] = true
			}
		}
	}
	if len(items) == 0 {
		return nil
	}
	return one(map[string]string{"items": strings.Join(slices.Sorted(maps.Keys(items)), ", ")})
}

// evalMonitoringBlind fires when no peer of the pair answers.
func evalMonitoringBlind(p *snapshot.Pair, _ *History) []Instance {
	if len(p.Peers) == 0 || len(p.Reachable()) > 0 {
		return nil
	}
	var errs []string
	for _, peer := range p.Peers {
		if peer.Err != nil {
			errs = append(errs, peer.Name+": "+peer.Err.Error())
		}
	}
	return one(map[string]string{"errors": strings.Join(errs, "; ")})
}
