package alerts

import (
	"fmt"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// peerConditions are the conditions of one peer or one of its links or
// monitor groups.
func peerConditions() []Condition {
	peer := []string{LabelPeer}
	return []Condition{{
		Name: "HAPeerUnreachable", Severity: SeverityWarning, Labels: peer,
		Severities: []Severity{SeverityWarning, SeverityInfo},
		// One minute, no longer than HALinkDown's: the peer's silence is
		// the cause the other peer's HA links going down is a symptom of.
		For:     time.Minute,
		Summary: "Peer {{ $labels.peer }} of HA pair {{ $labels.pair }} does not answer the PAN-OS API",
		Description: "hawatch gets no answer from {{ $labels.peer }} ({{ $values.address }}): {{ $values.error }}. Its HA state is unknown. " +
			"A peer whose last answer was a suspension an operator requested is rebooting on purpose (severity info, for 30 minutes); any other silence is a warning.",
		Eval: evalPeerUnreachable,
	}, {
		Name: "HAPeerNonFunctional", Severity: SeverityWarning, Labels: peer,
		For: time.Minute, KeepFiringFor: 2 * time.Minute,
		Summary:     "Peer {{ $labels.peer }} of HA pair {{ $labels.pair }} is non-functional",
		Description: "{{ $labels.peer }} is in the non-functional HA state and cannot take over. Last error: {{ $values.reason }}.",
		Eval:        stateIs(probe.StateNonFunctional),
	}, {
		Name: "HAPeerSuspended", Severity: SeverityWarning, Labels: peer,
		Severities: []Severity{SeverityWarning, SeverityInfo},
		For:        time.Minute,
		Summary:    "Peer {{ $labels.peer }} of HA pair {{ $labels.pair }} is suspended",
		Description: "{{ $labels.peer }} is suspended and cannot take over. Reason: {{ $values.reason }}. " +
			"A suspension an operator requested is a planned step (severity info); any other is automatic (severity warning).",
		Eval: evalPeerSuspended,
	}, {
		Name: "HALinkDown", Severity: SeverityWarning, Labels: []string{LabelPeer, "link"},
		For: time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "HA link {{ $labels.link }} is down on peer {{ $labels.peer }} of HA pair {{ $labels.pair }}",
		Description: "{{ $labels.peer }} reports its {{ $labels.link }} link{{ with $values.port }} on port {{ . }}{{ end }} as {{ $values.status }}.",
		Eval:        evalLinkDown,
	}, {
		Name: "HAPeerStuckTransitional", Severity: SeverityWarning, Labels: peer,
		Summary:     "Peer {{ $labels.peer }} of HA pair {{ $labels.pair }} is stuck in a transitional HA state",
		Description: "{{ $labels.peer }} has been {{ $values.state }} for {{ $values.duration }}, longer than its promotion hold allows.",
		Eval:        evalStuckTransitional,
	}, {
		Name: "HASessionSyncIncomplete", Severity: SeverityWarning, Labels: peer,
		For:         10 * time.Minute,
		Summary:     "Session synchronization to passive peer {{ $labels.peer }} of HA pair {{ $labels.pair }} is incomplete",
		Description: "The passive peer {{ $labels.peer }} reports state-sync {{ $values.sync }}: a failover now would drop sessions.",
		Eval:        evalSessionSyncIncomplete,
	}, {
		Name: "HALinkMonitorFailed", Severity: SeverityWarning, Labels: []string{LabelPeer, "group"},
		For: time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "Link monitoring group {{ $labels.group }} failed on peer {{ $labels.peer }} of HA pair {{ $labels.pair }}",
		Description: "Group {{ $labels.group }}{{ with $values.condition }} (failure condition {{ . }}){{ end }} has failed{{ with $values.members }}: {{ . }}{{ end }}.",
		Eval:        monitorFailed(func(ha *probe.HAInfo) probe.Monitoring { return ha.LinkMonitoring }),
	}, {
		Name: "HAPathMonitorFailed", Severity: SeverityWarning, Labels: []string{LabelPeer, "group"},
		For: time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "Path monitoring group {{ $labels.group }} failed on peer {{ $labels.peer }} of HA pair {{ $labels.pair }}",
		Description: "Group {{ $labels.group }}{{ with $values.condition }} (failure condition {{ . }}){{ end }} has failed{{ with $values.members }}: {{ . }}{{ end }}.",
		Eval:        monitorFailed(func(ha *probe.HAInfo) probe.Monitoring { return ha.PathMonitoring }),
	}}
}

// peerInstance returns an instance labeled with the peer.
func peerInstance(peer string, values map[string]string) Instance {
	return Instance{Labels: map[string]string{LabelPeer: peer}, Values: values}
}

// evalPeerUnreachable fires for every peer that did not answer, at
// severity info for a planned reboot (see History.PlannedReboot). With no
// peer answering it is HAMonitoringBlind, which says it once for the pair.
func evalPeerUnreachable(p *snapshot.Pair, h *History) []Instance {
	if len(p.Reachable()) == 0 {
		return nil
	}
	var out []Instance
	for _, peer := range p.Peers {
		if peer.Up {
			continue
		}
		msg := "no reply"
		if peer.Err != nil {
			msg = peer.Err.Error()
		}
		in := peerInstance(peer.Name, map[string]string{"address": peer.Address, "error": msg})
		if h.PlannedReboot(peer.Name) {
			in.Severity = SeverityInfo
		}
		out = append(out, in)
	}
	return out
}

// stateIs returns an evaluation that fires for every peer in the state.
func stateIs(state probe.HAState) func(*snapshot.Pair, *History) []Instance {
	return func(p *snapshot.Pair, _ *History) []Instance {
		var out []Instance
		v := p.HAView()
		for _, peer := range p.Peers {
			if v.Peer(peer.Name).State == state {
				out = append(out, peerInstance(peer.Name, map[string]string{"reason": lastError(peer.HA)}))
			}
		}
		return out
	}
}

// lastError describes the peer's last error reason.
func lastError(ha *probe.HAInfo) string {
	if ha.LastErrorReason == "" {
		return "not reported"
	}
	return ha.LastErrorReason
}

// evalPeerSuspended fires for every suspended peer, at severity info when
// an operator asked for the suspension.
func evalPeerSuspended(p *snapshot.Pair, h *History) []Instance {
	out := stateIs(probe.StateSuspended)(p, h)
	for i := range out {
		if p.HAView().Peer(out[i].Labels[LabelPeer]).SuspendedByUser {
			out[i].Severity = SeverityInfo
		}
	}
	return out
}

// evalLinkDown fires for every configured HA link a peer reports down,
// while every peer answers: a peer that does not answer (rebooting, say)
// takes the links to it down, and HAPeerUnreachable reports that cause.
// Leaving the symptom out here, rather than inhibiting it in Alertmanager,
// keeps a reboot quiet whatever the holds: the peer's silence and the
// links' fall start at the same poll.
func evalLinkDown(p *snapshot.Pair, _ *History) []Instance {
	if len(p.Reachable()) < len(p.Peers) {
		return nil
	}
	var out []Instance
	for _, peer := range haPeers(p) {
		seen := map[string]bool{}
		for _, l := range peer.HA.Links {
			if seen[l.Name] {
				continue
			}
			seen[l.Name] = true
			if l.Up {
				continue
			}
			status := l.Status
			if status == "" {
				status = "down"
			}
			out = append(out, Instance{
				Labels: map[string]string{LabelPeer: peer.Name, "link": l.Name},
				Values: map[string]string{"port": l.Port, "status": status},
			})
		}
	}
	return out
}

// evalStuckTransitional fires for a peer that has been initial or
// tentative for longer than its promotion hold, and at least
// StuckTransitionalMinimum. The time in the state is the peer's reported
// state duration, or the time hawatch has seen it there if longer.
// (PAN-OS bounds the promotion hold to 60 s, so the PromQL rule, which
// does not know it, uses the minimum alone.)
func evalStuckTransitional(p *snapshot.Pair, h *History) []Instance {
	var out []Instance
	v := p.HAView()
	for _, peer := range p.Peers {
		st := v.Peer(peer.Name).State
		if !st.IsTransitional() {
			continue
		}
		in := max(peer.HA.LocalStateDuration, h.Now().Sub(h.StateSince(peer.Name)))
		if in <= max(StuckTransitionalMinimum, peer.HA.PromotionHold) {
			continue
		}
		out = append(out, peerInstance(peer.Name, map[string]string{
			"state": string(st), "duration": in.Round(time.Second).String(),
		}))
	}
	return out
}

// evalSessionSyncIncomplete fires for a passive peer whose session state
// synchronization is reported and not complete.
func evalSessionSyncIncomplete(p *snapshot.Pair, _ *History) []Instance {
	var out []Instance
	v := p.HAView()
	for _, peer := range p.Peers {
		if v.Peer(peer.Name).State != probe.StatePassive {
			continue
		}
		sync := strings.TrimSpace(peer.HA.StateSync)
		if sync == "" || strings.EqualFold(sync, "complete") {
			continue
		}
		out = append(out, peerInstance(peer.Name, map[string]string{"sync": sync}))
	}
	return out
}

// monitorFailed returns an evaluation that fires for every enabled group
// of an enabled monitoring section that meets its failure condition.
func monitorFailed(section func(*probe.HAInfo) probe.Monitoring) func(*snapshot.Pair, *History) []Instance {
	return func(p *snapshot.Pair, _ *History) []Instance {
		var out []Instance
		for _, peer := range haPeers(p) {
			m := section(peer.HA)
			if !m.Enabled {
				continue
			}
			seen := map[string]bool{}
			for _, g := range m.Groups {
				if !g.Enabled || seen[g.Name] {
					continue
				}
				seen[g.Name] = true
				if g.Failed {
					out = append(out, Instance{
						Labels: map[string]string{LabelPeer: peer.Name, "group": g.Name},
						Values: map[string]string{"condition": g.FailureCondition, "members": members(g)},
					})
				}
			}
		}
		return out
	}
}

// members describes the members of a monitor group.
func members(g probe.MonitorGroup) string {
	parts := make([]string, 0, len(g.Members))
	for _, m := range g.Members {
		state := "down"
		if m.Up {
			state = "up"
		}
		parts = append(parts, fmt.Sprintf("%s %s", m.Name, state))
	}
	return strings.Join(parts, ", ")
}
