// Package snapshot holds the immutable view of one HA pair that every
// consumer (exporter, alerts, status page, upgrade gate) reads. A poll builds
// a new Pair and swaps it in; nothing modifies a Pair once it is published.
package snapshot

import (
	"time"

	"github.com/hawatch/hawatch/probe"
)

// Pair is the state of one HA pair after one poll.
type Pair struct {
	Name string
	// Seq counts the polls of this pair since start, from 1.
	Seq uint64
	// Scheduled is the time the poll was due: the pair's slot, which the
	// alert engine evaluates at, so that holds count whole poll intervals
	// whatever the poll's lag and duration. Start is when the poll
	// actually began, End when it finished.
	Scheduled time.Time
	Start     time.Time
	End       time.Time
	// Peers holds peer A then peer B.
	Peers []*probe.PeerStatus
	// AWS is the latest AWS poll of the pair (AWS runs on its own, slower
	// interval, so it may be older than the PAN-OS side); nil when AWS
	// monitoring is off for the pair.
	AWS *probe.AWSStatus
	// HA is the pair's HA state as hawatch judges it; see HAView.
	HA *HAView
	// AWSView correlates AWS with the HA state; nil when AWS is off.
	AWSView *AWSView
	// Failover predicts whether a failover would work now; nil when AWS
	// is off.
	Failover *FailoverView
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

// HAView returns the pair's HA view: the one the poll computed, or, for a
// Pair assembled by hand (tests), one computed now from its peers.
func (p *Pair) HAView() *HAView {
	if p.HA != nil {
		return p.HA
	}
	return BuildHA(p.Peers)
}

// AWSOn reports whether AWS monitoring is on for the pair: configured, or
// shown by an AWS poll or view in the snapshot.
func (p *Pair) AWSOn() bool {
	return p.AWS != nil || p.AWSView != nil || p.Config.AWSEnabled
}

// PortsExpectedDown reports whether the named peer's data-plane ports are
// down by design: in interface-move mode the passive peer holds no
// data-plane ENI.
func (p *Pair) PortsExpectedDown(name string) bool {
	ph := p.HAView().Peer(name)
	return ph != nil && ph.State == probe.StatePassive &&
		p.AWSView != nil && p.AWSView.Mode == probe.AWSModeInterfaceMove
}
