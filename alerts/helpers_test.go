package alerts

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// t0 is the start of every fake clock.
var t0 = time.Date(2025, 3, 1, 3, 0, 0, 0, time.UTC)

// at returns t0 plus d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// peerOpt changes a test peer.
type peerOpt func(*probe.PeerStatus)

// okPeer returns a peer that answers, with HA enabled in the given state,
// all links up and sync complete.
func okPeer(name string, state probe.HAState, opts ...peerOpt) *probe.PeerStatus {
	other := probe.StatePassive
	if state != probe.StateActive {
		other = probe.StateActive
	}
	p := &probe.PeerStatus{
		Name: name, Address: name + ".example.net", Up: true,
		HA: &probe.HAInfo{
			Enabled: true, Mode: "active-passive",
			LocalState: state, LocalStateDuration: time.Hour, PromotionHold: 2 * time.Second,
			StateSync: "Complete", RunningSyncEnabled: true, ConfigSynchronized: true,
			PeerState: other, PeerConnected: true,
			Compat: map[string]string{"build": "Match", "app": "Match", "threat": "Match"},
			Links: []probe.HALink{
				{Name: probe.LinkHA1, Port: "management", Status: "up", Up: true},
				{Name: probe.LinkHA2, Port: "ethernet1/3", Status: "up", Up: true},
			},
		},
		Interfaces: &probe.Interfaces{Hardware: []probe.HardwareInterface{
			{Name: "ethernet1/1", Kind: probe.KindPhysical, Up: true, State: "up", Role: probe.RoleDataPlane},
			{Name: "ethernet1/2", Kind: probe.KindPhysical, Up: true, State: "up", Role: probe.RoleDataPlane},
			{Name: "ethernet1/3", Kind: probe.KindPhysical, Up: true, State: "up", Role: probe.RoleHA},
		}},
		Sessions: &probe.SessionInfo{Active: 1000, Kbps: 8000, CPS: 20},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

// downPeer returns a peer that does not answer.
func downPeer(name string) *probe.PeerStatus {
	return &probe.PeerStatus{Name: name, Address: name + ".example.net", Err: errors.New("dial tcp: connection refused")}
}

// withHA changes a peer's HA reply.
func withHA(f func(*probe.HAInfo)) peerOpt {
	return func(p *probe.PeerStatus) { f(p.HA) }
}

// dataPlaneDown takes every data-plane port of a peer down.
func dataPlaneDown(p *probe.PeerStatus) {
	for i := range p.Interfaces.Hardware {
		if p.Interfaces.Hardware[i].Role == probe.RoleDataPlane {
			p.Interfaces.Hardware[i].Up = false
		}
	}
}

// haLinksDown takes every HA link of a peer down.
func haLinksDown(p *probe.PeerStatus) {
	for i := range p.HA.Links {
		p.HA.Links[i].Up, p.HA.Links[i].Status = false, "down"
	}
}

// standalonePeer has HA disabled.
func standalonePeer(p *probe.PeerStatus) {
	p.HA = &probe.HAInfo{Enabled: false, LocalState: probe.StateUnknown}
}

// flowing is the traffic of a healthy pair.
var flowing = snapshot.Traffic{Known: true, BytesPerSecond: 1e6, SessionsActive: 2000, Kbps: 8000, CPS: 20}

// stopped is traffic standing still.
var stopped = snapshot.Traffic{Known: true}

// mkPair returns a snapshot of pair "p1" with the given peers.
func mkPair(peers ...*probe.PeerStatus) *snapshot.Pair {
	return &snapshot.Pair{
		Name: "p1", Peers: peers, Traffic: flowing,
		Config: snapshot.PairInfo{PollInterval: 30 * time.Second},
	}
}

// healthy returns a healthy active/passive pair.
func healthy() *snapshot.Pair {
	return mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StatePassive))
}

// withTraffic sets a snapshot's traffic.
func withTraffic(p *snapshot.Pair, t snapshot.Traffic) *snapshot.Pair {
	p.Traffic = t
	return p
}

// alertIDs renders alerts as "Name{k=v,...}:state" in a stable order.
func alertIDs(as []Alert) []string {
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, alertID(a.Labels)+":"+a.State.String())
	}
	slices.Sort(out)
	return out
}

// alertID renders a label set as Name{k=v,...} without pair, alertname.
func alertID(ls map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(ls)) {
		if k != LabelAlertName && k != LabelPair {
			parts = append(parts, k+"="+ls[k])
		}
	}
	return ls[LabelAlertName] + "{" + strings.Join(parts, ",") + "}"
}

// firingNames returns the IDs of the firing alerts of an engine.
func firingNames(e *Engine) []string {
	var out []Alert
	for _, a := range e.Alerts() {
		if a.State == StateFiring {
			out = append(out, a)
		}
	}
	return alertIDs(out)
}

// evalOnce evaluates every default condition over one snapshot with a
// fresh engine and returns the IDs of the instances found (any state).
func evalOnce(p *snapshot.Pair) []string {
	e := NewEngine(EngineOptions{})
	e.Eval(t0, p)
	return alertIDs(e.Alerts())
}
