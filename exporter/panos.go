package exporter

import (
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// collectPANOS writes the peer, HA and session metrics of every peer.
func (c *Collector) collectPANOS(e *emitter, pairs []*snapshot.Pair) {
	for _, p := range pairs {
		v := p.HAView()
		for _, peer := range p.Peers {
			c.collectPeer(e, p.Name, peer, v.Peer(peer.Name))
		}
	}
}

// collectPeer writes the metrics of one peer. An unreachable peer gives only
// peer_up, its HA state (unknown) and its system info, which is refreshed
// rarely and outlives a short outage.
func (c *Collector) collectPeer(e *emitter, pair string, peer *probe.PeerStatus, ph *snapshot.PeerHA) {
	d := c.d
	e.boolean(d.peerUp, peer.Up, pair, peer.Name)
	stateSet(e, d.haState, ph.State, pair, peer.Name)
	if s := peer.System; s != nil {
		e.gauge(d.peerInfo, 1, pair, peer.Name, s.Hostname, s.Model, s.Serial, s.SWVersion)
	}
	if !peer.Up {
		return
	}
	if peer.HA != nil {
		e.boolean(d.haEnabled, peer.HA.Enabled, pair, peer.Name)
		if peer.HA.Enabled {
			c.collectHA(e, pair, peer.Name, peer.HA)
			e.boolean(d.haSuspendedByUser, ph.SuspendedByUser, pair, peer.Name)
		}
	}
	if s := peer.Sessions; s != nil {
		e.gauge(d.sessionsActive, float64(s.Active), pair, peer.Name)
		e.gauge(d.sessionsMax, float64(s.Max), pair, peer.Name)
		e.gauge(d.sessionsCPS, float64(s.CPS), pair, peer.Name)
		// PAN-OS reports kilobits; export bytes, the base unit.
		e.gauge(d.throughputBytes, float64(s.Kbps)*125, pair, peer.Name)
		e.gauge(d.throughputPkts, float64(s.PPS), pair, peer.Name)
	}
}

// collectHA writes the HA metrics of a peer with HA enabled.
func (c *Collector) collectHA(e *emitter, pair, peer string, ha *probe.HAInfo) {
	d := c.d
	if ha.Mode != "" {
		e.gauge(d.haModeInfo, 1, pair, peer, ha.Mode)
	}
	stateSet(e, d.haPeerState, ha.PeerState, pair, peer)
	e.gauge(d.haStateDuration, ha.LocalStateDuration.Seconds(), pair, peer)
	e.boolean(d.haPeerConnected, ha.PeerConnected, pair, peer)
	seen := map[string]bool{}
	for _, l := range ha.Links {
		if !seen[l.Name] {
			seen[l.Name] = true
			e.boolean(d.haLinkUp, l.Up, pair, peer, l.Name)
		}
	}
	e.boolean(d.haConfigSyncEnabled, ha.RunningSyncEnabled, pair, peer)
	if ha.RunningSyncEnabled {
		e.boolean(d.haConfigSynced, ha.ConfigSynchronized, pair, peer)
	}
	if ha.StateSync != "" {
		e.boolean(d.haSessionSync, strings.EqualFold(strings.TrimSpace(ha.StateSync), "complete"), pair, peer)
	}
	e.gauge(d.haFlaps, float64(ha.PreemptFlapCount), pair, peer, "preempt")
	e.gauge(d.haFlaps, float64(ha.NonfuncFlapCount), pair, peer, "nonfunc")
	if ha.MaxFlaps > 0 {
		e.gauge(d.haMaxFlaps, float64(ha.MaxFlaps), pair, peer)
	}
	for item, v := range ha.Compat {
		if t := probe.CompatVerdict(v); t != probe.Unknown {
			e.boolean(d.haCompat, t == probe.Yes, pair, peer, item)
		}
	}
	v := ha.LocalVersions
	e.gauge(d.haVersionInfo, 1, pair, peer, v.Build, v.App, v.Threat, v.AV)
	monitorGroups(e, d.haLinkMonFailed, ha.LinkMonitoring, pair, peer)
	monitorGroups(e, d.haPathMonFailed, ha.PathMonitoring, pair, peer)
}

// stateSet writes one series per state of probe.HAStates, 1 for the given
// state and 0 for the others.
func stateSet(e *emitter, d *prometheus.Desc, state probe.HAState, pair, peer string) {
	for _, s := range probe.HAStates {
		e.boolean(d, s == state, pair, peer, string(s))
	}
}

// monitorGroups writes the failure of every enabled group of an enabled
// monitoring section; a disabled group cannot cause a failover.
func monitorGroups(e *emitter, d *prometheus.Desc, m probe.Monitoring, pair, peer string) {
	if !m.Enabled {
		return
	}
	seen := map[string]bool{}
	for _, g := range m.Groups {
		if g.Enabled && !seen[g.Name] {
			seen[g.Name] = true
			e.boolean(d, g.Failed, pair, peer, g.Name)
		}
	}
}

// itoa formats an int label value.
func itoa(i int) string { return strconv.Itoa(i) }
