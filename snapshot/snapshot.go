// Package snapshot holds the immutable view of one HA pair that every
// consumer (exporter, alerts, status page, upgrade gate) reads. A poll builds
// a new Pair and swaps it in; nothing modifies a Pair once it is published.
package snapshot

import (
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// Pair is the state of one HA pair after one poll.
type Pair struct {
	Name string
	// Seq counts the polls of this pair since start, from 1.
	Seq   uint64
	Start time.Time
	End   time.Time
	// Peers holds peer A then peer B.
	Peers []*probe.PeerStatus
	// AWS is the latest AWS poll of the pair (AWS runs on its own, slower
	// interval, so it may be older than the PAN-OS side); nil when AWS
	// monitoring is off for the pair.
	AWS *probe.AWSStatus
	// AWSView correlates AWS with the HA state; nil when AWS is off.
	AWSView *AWSView
	// Traffic is derived from this poll and the previous one.
	Traffic Traffic
	// Stats are the cumulative counters up to this poll.
	Stats Stats
	// Config describes how the pair is watched, for the status page and
	// the exporter.
	Config PairInfo
}

// PairInfo is the part of a pair's configuration that consumers show.
type PairInfo struct {
	PollInterval time.Duration
	PollTimeout  time.Duration
	AWSEnabled   bool
	AWSMode      string // configured: secondary-ip, interface-move or auto
	AWSRegion    string
	// TrafficFloorBytesPerSecond is the configured traffic floor, 0 if unset.
	TrafficFloorBytesPerSecond float64
}

// Duration is how long the poll took.
func (p *Pair) Duration() time.Duration { return p.End.Sub(p.Start) }

// Success reports whether every peer answered every poll command.
func (p *Pair) Success() bool {
	for _, peer := range p.Peers {
		if !peer.Up {
			return false
		}
		for _, r := range peer.Results {
			if r.Err != nil && !r.Unsupported {
				return false
			}
		}
	}
	return len(p.Peers) > 0
}

// Peer returns the peer with the given label, or nil.
func (p *Pair) Peer(name string) *probe.PeerStatus {
	for _, peer := range p.Peers {
		if peer.Name == name {
			return peer
		}
	}
	return nil
}

// Reachable returns the peers that answered this poll.
func (p *Pair) Reachable() []*probe.PeerStatus {
	var out []*probe.PeerStatus
	for _, peer := range p.Peers {
		if peer.Up {
			out = append(out, peer)
		}
	}
	return out
}

// HAEnabled reports whether any reachable peer has HA configured. A pair of
// standalone firewalls raises no HA alert.
func (p *Pair) HAEnabled() bool {
	for _, peer := range p.Reachable() {
		if peer.HA != nil && peer.HA.Enabled {
			return true
		}
	}
	return false
}

// State returns the peer's own HA state as it reports it, or
// StateUnknown when the peer or its HA reply is missing.
func State(peer *probe.PeerStatus) probe.HAState {
	if peer == nil || !peer.Up || peer.HA == nil {
		return probe.StateUnknown
	}
	return peer.HA.LocalState
}

// HAState is the peer's own HA state as hawatch reports it in metrics and
// alerts alike: unknown unless the peer answered with HA enabled, and
// unknown for any value outside probe.HAStates.
func HAState(peer *probe.PeerStatus) probe.HAState {
	if peer == nil || peer.HA == nil || !peer.HA.Enabled {
		return probe.StateUnknown
	}
	return probe.ParseHAState(string(State(peer)))
}

// ActivePeers returns the names of the peers that report an active state
// themselves.
func (p *Pair) ActivePeers() []string {
	var out []string
	for _, peer := range p.Peers {
		if State(peer).IsActive() {
			out = append(out, peer.Name)
		}
	}
	return out
}

// ActivePeer returns the single active peer, or "" when there is none or
// more than one.
func (p *Pair) ActivePeer() string {
	a := p.ActivePeers()
	if len(a) == 1 {
		return a[0]
	}
	return ""
}

// DataPlaneLinksUp returns how many of the peer's data-plane hardware
// interfaces are up, and how many there are.
func DataPlaneLinksUp(peer *probe.PeerStatus) (up, total int) {
	if peer == nil || peer.Interfaces == nil {
		return 0, 0
	}
	for _, hw := range peer.Interfaces.Hardware {
		if hw.Role != probe.RoleDataPlane {
			continue
		}
		total++
		if hw.Up {
			up++
		}
	}
	return up, total
}

// SuspendedByUser reports whether the peer is suspended and the suspension
// was requested by an operator (a planned maintenance step). PAN-OS gives
// the reason in the peer's own last-error fields on some releases and in the
// other peer's view of it (peer-info) on others; either counts.
func (p *Pair) SuspendedByUser(name string) bool {
	peer := p.Peer(name)
	if State(peer) != probe.StateSuspended {
		return false
	}
	if isUserRequested(peer.HA.LastErrorReason) {
		return true
	}
	for _, other := range p.Reachable() {
		if other.Name != name && other.HA != nil && isUserRequested(other.HA.PeerLastErrorReason) {
			return true
		}
	}
	return false
}

func isUserRequested(reason string) bool {
	return strings.EqualFold(strings.TrimSpace(reason), "User requested")
}
