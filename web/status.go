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
	// StatusRecovered: nothing is wrong now, but alerts of what was
	// wrong are still held firing (keep_firing_for).
	StatusRecovered Status = "recovered"
	StatusDown      Status = "down"
	StatusUnknown   Status = "unknown"
)

// rank orders pairs on the page: the most broken first.
func (s Status) rank() int {
	switch s {
	case StatusDown:
		return 0
	case StatusUnknown:
		return 1
	case StatusDegraded:
		return 2
	case StatusRecovered:
		return 3
	}
	return 4
}

// trafficStoppedAlert is the alert whose presence shows that the pair
// stopped forwarding after it had been forwarding.
const trafficStoppedAlert = "HAPairTrafficStopped"

// ClassifyInput is what Classify needs besides the snapshot.
type ClassifyInput struct {
	Now time.Time
	// Alerts are the pair's active alerts.
	Alerts []AlertInfo
	// Maintenance is the pair's announced maintenance; nil outside one.
	Maintenance *MaintenanceView
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
//     of the pair is firing (its condition holds now, and no announced
//     maintenance expects it).
//   - recovered: none of the above, but warning or critical alerts are
//     still held firing after their condition cleared (keep_firing_for).
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
	_, held := alertReasons(in.Alerts, in.Now)
	switch {
	case len(down) > 0:
		return StatusDown, appendNonEmpty(append(down, degraded...), held)
	case len(degraded) > 0:
		return StatusDegraded, appendNonEmpty(degraded, held)
	case held != "":
		return StatusRecovered, []string{held}
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
	v := p.HAView()
	switch {
	case v.Known && v.Enabled && len(v.Actives) == 0:
		out = append(out, "no active peer")
	case len(v.Actives) > 1 && v.Mode != snapshot.ModeActiveActive:
		out = append(out, "split brain: "+strings.Join(v.Actives, " and ")+" are both active")
	}
	if v.DataPlaneDown() {
		out = append(out, "every data-plane port is down on every peer that answers")
	} else if ph := v.Peer(v.Active); ph != nil && ph.Answered && ph.DataPlane.AllDown() {
		out = append(out, fmt.Sprintf("active peer %s has no data-plane port up", v.Active))
	}
	if p.Traffic.Flowing() == probe.No && (p.Traffic.EverFlowed || p.Config.TrafficFloorBytesPerSecond > 0 || hasAlert(in.Alerts, trafficStoppedAlert)) {
		out = append(out, "traffic stopped: "+journal.Rate(p.Traffic.BytesPerSecond)+" with no new connections")
	}
	return out
}

func hasAlert(alerts []AlertInfo, name string) bool {
	return slices.ContainsFunc(alerts, func(a AlertInfo) bool { return a.Name == name })
}

// degradedReasons lists what is wrong besides the pair-level conditions.
func degradedReasons(p *snapshot.Pair, in ClassifyInput) []string {
	var out, later []string
	v := p.HAView()
	for _, peer := range p.Peers {
		// In interface-move mode the passive holds no data-plane ENI, so
		// its data-plane ports are down by design.
		if r := peerReasons(peer, v.Peer(peer.Name), p.PortsExpectedDown(peer.Name)); !peer.Up {
			out = append(out, r...)
		} else {
			later = append(later, r...)
		}
	}
	// Peers that do not answer come first: the worst news of a pair
	// that still works.
	out = append(out, later...)
	if d := versionsDiffer(v); d != "" {
		out = append(out, "peers run different PAN-OS versions: "+d)
	}
	out = append(out, awsReasons(p)...)
	if f := p.Failover; f != nil && f.Ready == probe.No {
		out = append(out, "a failover now would fail: "+f.FirstProblem())
	}
	if firing, _ := alertReasons(in.Alerts, in.Now); len(firing) > 0 {
		out = append(out, "alerts firing: "+strings.Join(firing, ", "))
	}
	return out
}

// appendNonEmpty appends s to list unless it is empty.
func appendNonEmpty(list []string, s string) []string {
	if s == "" {
		return list
	}
	return append(list, s)
}

// peerReasons lists what is wrong with one peer; portsExpectedDown leaves
// its data-plane ports out.
func peerReasons(peer *probe.PeerStatus, ph *snapshot.PeerHA, portsExpectedDown bool) []string {
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
	if ha := peer.HA; ph.HA {
		switch st := ph.State; {
		case st.IsActive(), st == probe.StatePassive:
		case st == probe.StateUnknown:
			out = append(out, fmt.Sprintf("%s reports an HA state hawatch does not know: %q", peer.Name, ph.StateRaw))
		default:
			out = append(out, fmt.Sprintf("%s is %s", peer.Name, st))
		}
		for _, l := range ph.Links {
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
	if down := ph.DownPorts(); len(down) > 0 && !portsExpectedDown {
		out = append(out, fmt.Sprintf("data-plane ports down on %s: %s", peer.Name, strings.Join(down, ", ")))
	}
	return out
}

// versionsDiffer returns "a 10.1, b 10.2" when the peers that answered run
// different PAN-OS builds, else "".
func versionsDiffer(v *snapshot.HAView) string {
	var parts []string
	seen := map[string]bool{}
	for _, ph := range v.Peers {
		if ph.Version != "" {
			seen[ph.Version] = true
			parts = append(parts, ph.Name+" "+ph.Version)
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
