package web

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Status is the overall state of a pair on the status page.
type Status string

// The statuses of a pair, from best to worst; see Classify for the rule.
const (
	StatusHealthy  Status = "healthy"
	StatusDegraded Status = "degraded"
	StatusDown     Status = "down"
	StatusUnknown  Status = "unknown"
)

// trafficStoppedAlert is the alert whose presence shows that the pair
// stopped forwarding after it had been forwarding.
const trafficStoppedAlert = "HAPairTrafficStopped"

// ClassifyInput is what Classify needs besides the snapshot.
type ClassifyInput struct {
	Now time.Time
	// Alerts are the pair's active alerts.
	Alerts []AlertInfo
	// WasFlowing is set when the pair is known to have forwarded traffic
	// before, so that traffic stopped now counts as down.
	WasFlowing bool
}

// Classify gives a pair's overall status and the reasons for it, worst
// first. The rule:
//
//   - unknown: there is no poll yet, or the last poll is older than three
//     poll intervals plus the poll timeout (hawatch itself is stuck), so
//     nothing current can be said.
//   - down: a pair-level critical condition, where the pair as a whole
//     does not forward: no peer answers the API; HA is on and no peer is
//     active (neither by its own report nor as seen by its HA peer); two
//     peers are active in an active/passive pair (split brain); the active
//     peer, or every peer that answers, has data-plane ports and none up;
//     traffic stopped after it had been flowing (or below a configured
//     traffic floor).
//   - degraded: a working active peer, but anything else is wrong: a peer
//     does not answer or fails part of the poll, a peer is in a state other
//     than active or passive, an HA link or a data-plane port is down, a
//     peer has lost sight of its HA peer, the running configuration is not
//     synchronized, the peers run different PAN-OS versions, the AWS state
//     cannot be read or an AWS check fails, or a warning or critical alert
//     of the pair is firing.
//   - healthy: none of the above.
func Classify(p *snapshot.Pair, in ClassifyInput) (Status, []string) {
	if p == nil || len(p.Peers) == 0 || p.End.IsZero() {
		return StatusUnknown, []string{"no poll yet"}
	}
	if stale, age := isStale(p, in.Now); stale {
		return StatusUnknown, []string{fmt.Sprintf("last poll %s ago; polling is stuck", formatAge(age))}
	}
	down := downReasons(p, in)
	degraded := degradedReasons(p, in)
	if len(down) > 0 {
		return StatusDown, append(down, degraded...)
	}
	if len(degraded) > 0 {
		return StatusDegraded, degraded
	}
	return StatusHealthy, nil
}

// isStale reports whether the last poll is too old to show as current.
func isStale(p *snapshot.Pair, now time.Time) (bool, time.Duration) {
	age := now.Sub(p.End)
	iv := p.Config.PollInterval
	if iv <= 0 {
		return false, age
	}
	return age > 3*iv+p.Config.PollTimeout, age
}

// downReasons lists the pair-level critical conditions.
func downReasons(p *snapshot.Pair, in ClassifyInput) []string {
	reach := p.Reachable()
	if len(reach) == 0 {
		return []string{"no peer answers the API"}
	}
	var out []string
	active, known := journal.ActiveOf(p)
	switch {
	case known && p.HAEnabled() && active == "":
		out = append(out, "no active peer")
	case strings.Contains(active, "+") && !activeActive(p):
		out = append(out, "split brain: "+strings.ReplaceAll(active, "+", " and ")+" are both active")
	}
	if allDataPlaneDown(reach) {
		out = append(out, "every data-plane port is down on every peer that answers")
	} else if peer := p.Peer(active); peer != nil && peer.Up {
		if up, total := snapshot.DataPlaneLinksUp(peer); total > 0 && up == 0 {
			out = append(out, fmt.Sprintf("active peer %s has no data-plane port up", active))
		}
	}
	if p.Traffic.Flowing() == probe.No && (in.WasFlowing || p.Config.TrafficFloorBytesPerSecond > 0 || hasAlert(in.Alerts, trafficStoppedAlert)) {
		out = append(out, "traffic stopped: "+journal.Rate(p.Traffic.BytesPerSecond)+" with no new connections")
	}
	return out
}

// activeActive reports whether a peer that answered runs active/active.
func activeActive(p *snapshot.Pair) bool {
	return slices.ContainsFunc(p.Reachable(), func(peer *probe.PeerStatus) bool {
		return peer.HA != nil && peer.HA.Mode == "active-active"
	})
}

// allDataPlaneDown reports whether every given peer with data-plane ports
// has none up (and at least one has ports).
func allDataPlaneDown(peers []*probe.PeerStatus) bool {
	ports := false
	for _, peer := range peers {
		up, total := snapshot.DataPlaneLinksUp(peer)
		if up > 0 {
			return false
		}
		ports = ports || total > 0
	}
	return ports
}

func hasAlert(alerts []AlertInfo, name string) bool {
	return slices.ContainsFunc(alerts, func(a AlertInfo) bool { return a.Name == name })
}

// degradedReasons lists what is wrong besides the pair-level conditions.
func degradedReasons(p *snapshot.Pair, in ClassifyInput) []string {
	var out, later []string
	// In interface-move mode the passive holds no data-plane ENI, so its
	// data-plane ports are down by design.
	moveMode := p.AWSView != nil && p.AWSView.Mode == probe.AWSModeInterfaceMove
	for _, peer := range p.Peers {
		portsExpectedDown := moveMode && snapshot.State(peer) == probe.StatePassive
		if r := peerReasons(peer, portsExpectedDown); !peer.Up {
			out = append(out, r...)
		} else {
			later = append(later, r...)
		}
	}
	// Peers that do not answer come first: the worst news of a pair
	// that still works.
	out = append(out, later...)
	if v := versionsDiffer(p); v != "" {
		out = append(out, "peers run different PAN-OS versions: "+v)
	}
	out = append(out, awsReasons(p)...)
	var firing []string
	for _, a := range in.Alerts {
		if a.State == "firing" && (a.Severity == "critical" || a.Severity == "warning") && !slices.Contains(firing, a.Name) {
			firing = append(firing, a.Name)
		}
	}
	if len(firing) > 0 {
		out = append(out, "alerts firing: "+strings.Join(firing, ", "))
	}
	return out
}

// peerReasons lists what is wrong with one peer; portsExpectedDown leaves
// its data-plane ports out.
func peerReasons(peer *probe.PeerStatus, portsExpectedDown bool) []string {
	if !peer.Up {
		return []string{fmt.Sprintf("%s does not answer the API", peer.Name)}
	}
	var out []string
	var failed []string
	for _, r := range peer.Results {
		if r.Err != nil && !r.Unsupported {
			failed = append(failed, string(r.Command))
		}
	}
	if len(failed) > 0 {
		out = append(out, fmt.Sprintf("%s failed part of the poll: %s", peer.Name, strings.Join(failed, ", ")))
	}
	if ha := peer.HA; ha != nil && ha.Enabled {
		switch st := ha.LocalState; {
		case st.IsActive(), st == probe.StatePassive:
		default:
			out = append(out, fmt.Sprintf("%s is %s", peer.Name, st))
		}
		for _, l := range ha.Links {
			if !l.Up {
				out = append(out, fmt.Sprintf("HA link %s of %s is down", l.Name, peer.Name))
			}
		}
		if !ha.PeerConnected {
			out = append(out, fmt.Sprintf("%s has lost sight of its HA peer", peer.Name))
		}
		if ha.RunningSyncEnabled && !ha.ConfigSynchronized {
			out = append(out, fmt.Sprintf("running configuration of %s is not synchronized", peer.Name))
		}
	}
	if down := downPorts(peer); len(down) > 0 && !portsExpectedDown {
		out = append(out, fmt.Sprintf("data-plane ports down on %s: %s", peer.Name, strings.Join(down, ", ")))
	}
	return out
}

// downPorts names the peer's data-plane ports that are down.
func downPorts(peer *probe.PeerStatus) []string {
	var out []string
	if peer.Interfaces == nil {
		return nil
	}
	for _, hw := range peer.Interfaces.Hardware {
		if hw.Role == probe.RoleDataPlane && !hw.Up {
			out = append(out, hw.Name)
		}
	}
	return out
}

// versionsDiffer returns "a 10.1, b 10.2" when the peers that answered run
// different PAN-OS builds, else "".
func versionsDiffer(p *snapshot.Pair) string {
	var parts []string
	seen := map[string]bool{}
	for _, peer := range p.Reachable() {
		if v := swVersion(peer); v != "" {
			seen[v] = true
			parts = append(parts, peer.Name+" "+v)
		}
	}
	if len(seen) < 2 {
		return ""
	}
	return strings.Join(parts, ", ")
}

// awsReasons lists what is wrong on the AWS side.
func awsReasons(p *snapshot.Pair) []string {
	v := p.AWSView
	if v == nil {
		return nil
	}
	if !v.Known {
		return []string{"AWS state cannot be read"}
	}
	n := len(awsFailures(v))
	switch {
	case n == 0:
		return nil
	case v.InGrace:
		return []string{fmt.Sprintf("%d AWS %s failing while AWS converges after the failover", n, plural(n, "check", "checks"))}
	}
	return []string{fmt.Sprintf("%d AWS %s failing", n, plural(n, "check", "checks"))}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
