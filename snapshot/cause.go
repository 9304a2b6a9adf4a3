package snapshot

import (
	"fmt"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// Cause is the one sentence naming what hawatch believes is wrong with the
// pair, for the operator who has to act on it: the root cause when the
// snapshot shows one, else the worst symptom. It is "" when nothing is
// wrong. The status page, the event timeline and `hawatch check` lead with
// it.
//
// Causes come before their effects: an interface outside its ENI's subnet
// or a data-plane ENI on the wrong peer explains dead ports and stopped
// traffic, so it is named first, with the effect after a dash.
func Cause(p *Pair) string { return Diagnose(p).Text }

// Diagnosis is the cause sentence with a key that stays the same while the
// cause does (the sentence may quote changing error text), so that the
// timeline records a change of cause, not a change of wording.
type Diagnosis struct {
	Key  string // e.g. "aws-subnet", "ports-down", "unreachable:fw-b"; "" when nothing is wrong
	Text string
}

// Diagnose is Cause with its key.
func Diagnose(p *Pair) Diagnosis {
	if p == nil || len(p.Peers) == 0 {
		return Diagnosis{}
	}
	v := p.HAView()
	if len(p.Reachable()) == 0 {
		return Diagnosis{"blind", "no peer answers the PAN-OS API: " + peerErrors(p)}
	}
	effect := effectOf(p, v)
	for _, f := range []struct {
		key  string
		find func(*Pair, *HAView) string
	}{
		{"aws", awsRootCause}, {"split-brain", splitBrain}, {"no-active", noActive},
		{"ports-down", portsDown}, {"route", routeCause},
	} {
		if c := f.find(p, v); c != "" {
			return Diagnosis{f.key, joinEffect(c, effect)}
		}
	}
	if effect != "" {
		return Diagnosis{"traffic-stopped", effect + " after it had been flowing: no data-plane bytes, no new connections"}
	}
	if f := p.Failover; f != nil && f.Ready == probe.No && (p.AWSView == nil || !p.AWSView.InGrace) {
		return Diagnosis{"failover-not-ready", fmt.Sprintf("a failover to %s now would fail: %s", f.Passive, f.FirstProblem())}
	}
	for _, ph := range v.Peers {
		if !ph.Answered {
			return Diagnosis{"unreachable:" + ph.Name,
				fmt.Sprintf("%s does not answer the PAN-OS API: %s", ph.Name, peerError(p.Peer(ph.Name)))}
		}
	}
	for _, ph := range v.Peers {
		if ph.AllLinksDown() {
			return Diagnosis{"ha-links:" + ph.Name, fmt.Sprintf("every HA link of %s is down", ph.Name)}
		}
	}
	return Diagnosis{}
}

// effectOf names what the pair's users feel, if anything: stopped traffic.
func effectOf(p *Pair, _ *HAView) string {
	t := p.Traffic
	if t.Flowing() == probe.No && (t.EverFlowed || p.Config.TrafficFloorBytesPerSecond > 0) {
		return "traffic stopped"
	}
	return ""
}

// awsRootCause names the first AWS check that explains an outage by
// itself: an interface address outside its ENI's subnet (the incident),
// then a data-plane ENI not on the active peer.
func awsRootCause(p *Pair, _ *HAView) string {
	a := p.AWSView
	if a == nil || !a.Known {
		return ""
	}
	for _, c := range a.Interfaces {
		if c.Match == probe.No && c.Problem != "" {
			return c.Problem
		}
	}
	if a.InGrace {
		return ""
	}
	for _, c := range a.ENIs {
		if c.Attached == probe.No && c.Role == probe.RoleDataPlane && c.Problem != "" {
			return c.Problem
		}
	}
	return ""
}

func splitBrain(_ *Pair, v *HAView) string {
	if len(v.Actives) > 1 && v.Mode != ModeActiveActive {
		return "split brain: " + strings.Join(v.Actives, " and ") + " are both active"
	}
	return ""
}

func noActive(_ *Pair, v *HAView) string {
	if !v.Known || !v.Enabled || len(v.Actives) > 0 {
		return ""
	}
	var states []string
	for _, ph := range v.Peers {
		states = append(states, ph.Name+" "+string(ph.State))
	}
	return "no peer is active (" + strings.Join(states, ", ") + ")"
}

// portsDown names data-plane ports down where they must carry traffic:
// on every peer that answers, or on the active peer.
func portsDown(p *Pair, v *HAView) string {
	if v.DataPlaneDown() {
		var all []string
		for _, ph := range v.Peers {
			if ph.Answered {
				all = append(all, ph.Name+" "+strings.Join(ph.DownPorts(), ", "))
			}
		}
		return "every data-plane port is down: " + strings.Join(all, "; ")
	}
	if ph := v.Peer(v.Active); ph != nil && ph.Answered && ph.DataPlane.AllDown() && !p.PortsExpectedDown(ph.Name) {
		return fmt.Sprintf("active peer %s has no data-plane port up (%s)", ph.Name, strings.Join(ph.DownPorts(), ", "))
	}
	return ""
}

// routeCause names a route that sends traffic nowhere or to the passive.
func routeCause(p *Pair, _ *HAView) string {
	a := p.AWSView
	if a == nil || !a.Known || a.InGrace {
		return ""
	}
	for _, r := range a.Routes {
		if (r.Blackhole || r.OnActive == probe.No) && r.Problem != "" {
			return r.Problem
		}
	}
	return ""
}

func joinEffect(cause, effect string) string {
	if effect == "" {
		return cause
	}
	return cause + " — " + effect
}

func peerErrors(p *Pair) string {
	parts := make([]string, 0, len(p.Peers))
	for _, peer := range p.Peers {
		parts = append(parts, peer.Name+": "+peerError(peer))
	}
	return strings.Join(parts, "; ")
}

func peerError(peer *probe.PeerStatus) string {
	if peer == nil || peer.Err == nil {
		return "no reply"
	}
	return ErrorText(peer.Err)
}
