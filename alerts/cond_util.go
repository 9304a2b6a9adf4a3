package alerts

import (
	"fmt"
	"strings"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// haPeers returns the peers that answered with HA enabled: the peers for
// which the exporter emits the hawatch_ha_* metrics.
func haPeers(p *snapshot.Pair) []*probe.PeerStatus {
	var out []*probe.PeerStatus
	for _, peer := range p.Peers {
		if peer.Up && peer.HA != nil && peer.HA.Enabled {
			out = append(out, peer)
		}
	}
	return out
}

// activePeers returns the peers in the state "active" (not active-primary
// or active-secondary, which belong to active/active).
func activePeers(p *snapshot.Pair) []*probe.PeerStatus {
	var out []*probe.PeerStatus
	v := p.HAView()
	for _, peer := range p.Peers {
		if v.Peer(peer.Name).State == probe.StateActive {
			out = append(out, peer)
		}
	}
	return out
}

// standalone reports whether every peer that answered the HA command has
// HA disabled (max by (pair) (hawatch_ha_enabled) == 0). A pair whose HA
// configuration is unknown — no peer answered it — is not standalone.
func standalone(p *snapshot.Pair) bool {
	known := false
	for _, peer := range p.Peers {
		if !peer.Up || peer.HA == nil {
			continue
		}
		if peer.HA.Enabled {
			return false
		}
		known = true
	}
	return known
}

// peerStates describes every peer's state for a description, e.g.
// "fw-a=passive, fw-b=unknown (not answering)".
func peerStates(p *snapshot.Pair) string {
	parts := make([]string, 0, len(p.Peers))
	v := p.HAView()
	for _, peer := range p.Peers {
		s := peer.Name + "=" + string(v.Peer(peer.Name).State)
		if !peer.Up {
			s += " (not answering)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// names joins the peers' names.
func names(peers []*probe.PeerStatus) string {
	parts := make([]string, 0, len(peers))
	for _, peer := range peers {
		parts = append(parts, peer.Name)
	}
	return strings.Join(parts, ", ")
}

// aggregate groups check results by their item labels the way the PromQL
// rules do with max by (...): a group holds a check's Yes if any member is
// Yes, and No only if some member is No and none is Yes. Unknown members
// are absent, as the exporter emits no sample for them.
type aggregate struct {
	order  []string
	groups map[string]*aggGroup
}

// aggGroup is one group of an aggregate.
type aggGroup struct {
	labels, values map[string]string
	yes, no        bool
}

// add records one check. values describe the first member of the group.
func (a *aggregate) add(labels map[string]string, t probe.Tri, values map[string]string) {
	if t == probe.Unknown {
		return
	}
	if a.groups == nil {
		a.groups = map[string]*aggGroup{}
	}
	k := labelsKey(labels)
	g := a.groups[k]
	if g == nil {
		g = &aggGroup{labels: labels, values: values}
		a.groups[k] = g
		a.order = append(a.order, k)
	}
	if t == probe.Yes {
		g.yes = true
	} else {
		g.no = true
	}
}

// whereNo returns an instance for every group whose maximum is No (== 0).
func (a *aggregate) whereNo() []Instance {
	return a.collect(func(g *aggGroup) bool { return g.no && !g.yes })
}

// whereYes returns an instance for every group whose maximum is Yes (== 1).
func (a *aggregate) whereYes() []Instance {
	return a.collect(func(g *aggGroup) bool { return g.yes })
}

// collect returns the groups that match, in the order they were first seen.
func (a *aggregate) collect(match func(*aggGroup) bool) []Instance {
	var out []Instance
	for _, k := range a.order {
		if g := a.groups[k]; match(g) {
			out = append(out, Instance{Labels: g.labels, Values: g.values})
		}
	}
	return out
}

// rate formats a rate in bytes per second.
func rate(v float64) string { return fmt.Sprintf("%.0f", v) }
