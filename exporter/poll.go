package exporter

import (
	"slices"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// collectPoll writes how polling went for each pair, the PAN-OS API
// counters and the pair-level derived metrics.
func (c *Collector) collectPoll(e *emitter, pairs []*snapshot.Pair) {
	d := c.d
	for _, p := range pairs {
		e.boolean(d.pollSuccess, p.Success(), p.Name)
		e.gauge(d.pollDuration, p.Duration().Seconds(), p.Name)
		if p.Config.PollInterval > 0 {
			e.gauge(d.pollInterval, p.Config.PollInterval.Seconds(), p.Name)
		}
		if !p.End.IsZero() {
			e.gauge(d.lastPoll, float64(p.End.UnixNano())/1e9, p.Name)
		}
		e.counter(d.polls, float64(p.Stats.Polls), p.Name)
		e.counter(d.pollFailures, float64(p.Stats.Failed), p.Name)
		e.counter(d.pollsSkipped, float64(p.Stats.Skipped), p.Name)
		c.collectAPIStats(e, p)
		for _, peer := range p.Peers {
			c.collectCommands(e, p.Name, peer)
		}
		c.collectTraffic(e, p)
	}
}

// collectAPIStats writes the cumulative PAN-OS API counters of a pair. A
// failures series is emitted beside every totals series, 0 when none failed.
func (c *Collector) collectAPIStats(e *emitter, p *snapshot.Pair) {
	for _, peer := range sortedKeys(p.Stats.APIRequests, p.Stats.APIFailures) {
		reqs, fails := p.Stats.APIRequests[peer], p.Stats.APIFailures[peer]
		for _, cmd := range sortedKeys(reqs, fails) {
			e.counter(c.d.apiRequests, float64(reqs[cmd]), p.Name, peer, string(cmd))
			e.counter(c.d.apiFailures, float64(fails[cmd]), p.Name, peer, string(cmd))
		}
		e.counter(c.d.panics, float64(p.Stats.Panics[peer]), p.Name, peer)
	}
}

// collectCommands writes how each command of the last poll went on a peer.
func (c *Collector) collectCommands(e *emitter, pair string, peer *probe.PeerStatus) {
	seen := make(map[probe.Command]bool, len(peer.Results))
	for _, r := range peer.Results {
		if seen[r.Command] {
			continue
		}
		seen[r.Command] = true
		cmd := string(r.Command)
		e.boolean(c.d.cmdUnsupported, r.Unsupported, pair, peer.Name, cmd)
		e.gauge(c.d.cmdDuration, r.Duration.Seconds(), pair, peer.Name, cmd)
		if !r.Unsupported {
			e.boolean(c.d.cmdSuccess, r.Err == nil, pair, peer.Name, cmd)
		}
	}
}

// collectTraffic writes the pair-level derived metrics.
func (c *Collector) collectTraffic(e *emitter, p *snapshot.Pair) {
	d := c.d
	e.gauge(d.pairActivePeers, float64(len(p.HAView().Reporting)), p.Name)
	if p.Traffic.Known {
		e.gauge(d.pairTraffic, p.Traffic.BytesPerSecond, p.Name)
	}
	for _, peer := range p.Peers {
		if rate, ok := p.Traffic.PeerBytesPerSecond[peer.Name]; ok {
			e.gauge(d.peerTraffic, rate, p.Name, peer.Name)
		}
	}
	if f := p.Config.TrafficFloorBytesPerSecond; f > 0 {
		e.gauge(d.pairFloor, f, p.Name)
	}
}

// sortedKeys returns the union of the keys of two maps, sorted, so that
// the output is stable.
func sortedKeys[K ~string, V any](a, b map[K]V) []K {
	keys := make([]K, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
