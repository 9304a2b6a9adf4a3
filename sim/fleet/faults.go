package fleet

import (
	"maps"
	"slices"

	"github.com/hawatch/hawatch/sim"
)

// faults are the ways the control API can break a pair, each through the
// world's own controls; World.Reset undoes any of them.
var faults = map[string]func(w *sim.World){
	// The Incident's links-down step: HA links and data-plane ports of
	// both peers down, traffic stopped, the AWS side broken.
	"links-down": sim.LinksDown,
	// Clients stop sending; the pair is otherwise healthy.
	"traffic-stop": func(w *sim.World) { w.SetTraffic(false) },
	// The active peer is suspended and the passive one takes over.
	"failover": (*sim.World).Failover,
	// HA1 and HA2 down between the peers.
	"ha-links-down": func(w *sim.World) {
		w.SetHALink(sim.LinkHA1, false)
		w.SetHALink(sim.LinkHA2, false)
	},
	// The peers' configurations differ.
	"config-unsynced": func(w *sim.World) { w.SetConfigSync(false) },
	// Peer B's management interface stops answering.
	"peer-b-unreachable": func(w *sim.World) { w.SetReachable(sim.PeerB, false) },
	// Both peers refuse the API key.
	"api-forbidden": func(w *sim.World) {
		for i := range 2 {
			w.SetFault(i, sim.Fault{Kind: sim.FaultForbidden})
		}
	},
}

// FaultNames returns the faults Break accepts, sorted.
func FaultNames() []string { return slices.Sorted(maps.Keys(faults)) }

// Break applies the named fault to the pair; it reports false for an
// unknown fault. A second fault adds to the first.
func (p *Pair) Break(fault string) bool {
	apply, ok := faults[fault]
	if !ok {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	apply(p.World())
	if p.fault != "" {
		fault = p.fault + "," + fault
	}
	p.fault = fault
	return true
}

// Restore puts the pair back to healthy.
func (p *Pair) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.World().Reset()
	p.fault = ""
}

// Fault returns the faults applied since the last Restore, comma
// separated; empty when the pair is healthy.
func (p *Pair) Fault() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fault
}
