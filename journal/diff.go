package journal

import (
	"fmt"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// Diff returns what changed in a pair from the previous snapshot to the
// current one; it is a pure function of the two. With no previous snapshot
// (the first poll) there is nothing to compare and it returns nil.
//
// Every event carries the current poll's end time. Within one poll the
// events come peer by peer (in the pair's peer order: reachability, HA
// state, HA links, interfaces, config sync, version), then the failover,
// the traffic and the AWS checks, each list in the current snapshot's
// order, so that the same two snapshots always give the same events.
//
// A value that is not known on either side gives no event: a peer that did
// not answer has no links to compare, and an AWS check or a traffic state
// that is Unknown is neither a failure nor a recovery.
func Diff(prev, cur *snapshot.Pair) []Event {
	return DiffWith(prev, cur, VersionsOf(prev))
}

// DiffWith is Diff with the versions the peers reported up to prev, so
// that a version changed while a peer did not answer is still reported
// when it is back. It does not change seen; the caller observes cur.
func DiffWith(prev, cur *snapshot.Pair, seen Versions) []Event {
	if prev == nil || cur == nil {
		return nil
	}
	d := &differ{pair: cur.Name, at: cur.End, versions: seen}
	pv, cv := prev.HAView(), cur.HAView()
	for _, p := range cur.Peers {
		if old := prev.Peer(p.Name); old != nil && p != nil {
			d.peer(old, p, pv.Peer(p.Name), cv.Peer(p.Name))
		}
	}
	d.failover(pv, cv)
	d.cause(snapshot.Diagnose(prev), snapshot.Diagnose(cur))
	d.traffic(prev.Traffic, cur.Traffic)
	d.aws(prev.AWSView, cur.AWSView)
	return d.out
}

// differ collects the events of one Diff.
type differ struct {
	pair     string
	at       time.Time
	versions Versions
	out      []Event
}

func (d *differ) add(e Event) {
	e.Time, e.Pair = d.at, d.pair
	d.out = append(d.out, e)
}

// peer compares one peer across two polls.
func (d *differ) peer(old, cur *probe.PeerStatus, oh, ch *snapshot.PeerHA) {
	if old.Up != cur.Up {
		d.reachability(cur)
	}
	d.haState(cur, oh.State, ch.State)
	if hasHA(old) && hasHA(cur) {
		d.haLinks(cur.Name, old.HA, cur.HA)
		d.configSync(cur.Name, old.HA, cur.HA)
	}
	if old.Up && cur.Up && old.Interfaces != nil && cur.Interfaces != nil {
		d.interfaces(cur.Name, old.Interfaces, cur.Interfaces)
	}
	d.version(cur.Name, ch)
}

// hasHA reports whether the peer answered this poll with an HA reply.
func hasHA(p *probe.PeerStatus) bool { return p.Up && p.HA != nil }

func (d *differ) reachability(cur *probe.PeerStatus) {
	e := Event{Peer: cur.Name, Kind: KindPeerReachability, Before: "down", After: "up",
		Message: fmt.Sprintf("Peer %s answers the API again.", cur.Name)}
	if !cur.Up {
		e.Before, e.After = "up", "down"
		e.Message = fmt.Sprintf("Peer %s stopped answering the API", cur.Name)
		if cur.Err != nil {
			e.Message += ": " + snapshot.ErrorText(cur.Err)
		}
		e.Message += "."
	}
	d.add(e)
}

// haState reports a peer's own state change. Only a state the peer reported
// this poll counts: a peer that stops answering is a reachability event, not
// a change to "unknown"; one that answers again reports its state from
// "unknown".
func (d *differ) haState(cur *probe.PeerStatus, before, after probe.HAState) {
	if !hasHA(cur) || before == after {
		return
	}
	msg := fmt.Sprintf("Peer %s changed its HA state from %s to %s", cur.Name, before, after)
	if r := strings.TrimSpace(cur.HA.LastErrorReason); r != "" &&
		(after == probe.StateSuspended || after == probe.StateNonFunctional) {
		msg += " (reason: " + r + ")"
	}
	d.add(Event{Peer: cur.Name, Kind: KindHAState, Before: string(before), After: string(after), Message: msg + "."})
}

// haLinks reports each configured HA link that went up or down.
func (d *differ) haLinks(peer string, old, cur *probe.HAInfo) {
	for _, l := range cur.Links {
		ol, ok := old.Link(l.Name)
		if !ok || ol.Up == l.Up {
			continue
		}
		port := ""
		if l.Port != "" {
			port = " (" + l.Port + ")"
		}
		d.add(Event{Peer: peer, Kind: KindHALink, Subject: l.Name, Before: upDown(ol.Up), After: upDown(l.Up),
			Message: fmt.Sprintf("HA link %s%s of %s went %s.", l.Name, port, peer, upDown(l.Up))})
	}
}

// interfaces reports each hardware interface that went up or down; ports
// that are unused on both polls are left out.
func (d *differ) interfaces(peer string, old, cur *probe.Interfaces) {
	was := make(map[string]probe.HardwareInterface, len(old.Hardware))
	for _, hw := range old.Hardware {
		was[hw.Name] = hw
	}
	for _, hw := range cur.Hardware {
		o, ok := was[hw.Name]
		if !ok || o.Up == hw.Up || (hw.Role == probe.RoleUnused && o.Role == probe.RoleUnused) {
			continue
		}
		d.add(Event{Peer: peer, Kind: KindInterface, Subject: hw.Name, Before: upDown(o.Up), After: upDown(hw.Up),
			Message: fmt.Sprintf("%s interface %s of %s went %s.", roleName(hw.Role), hw.Name, peer, upDown(hw.Up))})
	}
}

// configSync reports a change of the running-config synchronization.
func (d *differ) configSync(peer string, old, cur *probe.HAInfo) {
	before, after := SyncState(old), SyncState(cur)
	if before == after {
		return
	}
	d.add(Event{Peer: peer, Kind: KindConfigSync, Before: before, After: after,
		Message: fmt.Sprintf("Running configuration of %s is now %s (was %s).", peer, after, before)})
}

// SyncState names a peer's running-config synchronization: "synchronized",
// "not synchronized" or "disabled"; "unknown" without an HA reply.
func SyncState(ha *probe.HAInfo) string {
	switch {
	case ha == nil:
		return "unknown"
	case !ha.RunningSyncEnabled:
		return "disabled"
	case ha.ConfigSynchronized:
		return "synchronized"
	}
	return "not synchronized"
}

// version reports a change of the PAN-OS version a peer runs, against
// what the same source said last (see Versions), so that neither a missing
// reply nor a stale system info looks like an upgrade.
func (d *differ) version(peer string, cur *snapshot.PeerHA) {
	before, ok := d.versions.change(peer, cur)
	if !ok {
		return
	}
	after := cur.Version
	d.add(Event{Peer: peer, Kind: KindVersion, Subject: "sw-version", Before: before, After: after,
		Message: fmt.Sprintf("Peer %s now runs PAN-OS %s (was %s).", peer, after, before)})
}

// failover reports a change of the active peer.
func (d *differ) failover(prev, cur *snapshot.HAView) {
	before, ok1 := ActiveOf(prev)
	after, ok2 := ActiveOf(cur)
	if !ok1 || !ok2 || before == after {
		return
	}
	var msg string
	switch {
	case after == "":
		msg = fmt.Sprintf("The pair lost its active peer; %s is no longer active.", before)
	case strings.Contains(after, "+"):
		msg = fmt.Sprintf("Peers %s are all active.", strings.ReplaceAll(after, "+", " and "))
	case before == "":
		msg = fmt.Sprintf("%s became the active peer; the pair had none.", after)
	default:
		msg = fmt.Sprintf("Failover: %s took over as the active peer from %s.", after, before)
	}
	d.add(Event{Kind: KindFailover, Before: before, After: after, Message: msg})
}

// cause records a change of what hawatch believes is wrong with the pair,
// in the sentence the status page leads with.
func (d *differ) cause(prev, cur snapshot.Diagnosis) {
	if prev.Key == cur.Key {
		return
	}
	e := Event{Kind: KindCause, Before: prev.Key, After: cur.Key}
	switch {
	case cur.Key == "":
		e.Message = "hawatch finds nothing wrong with the pair any more (was: " + prev.Text + ")."
	case prev.Key == "":
		e.Message = "Cause: " + cur.Text + "."
	default:
		e.Message = "Cause now: " + cur.Text + " (was: " + prev.Text + ")."
	}
	d.add(e)
}

// ActiveOf names the active peer of a pair from its HA view (see
// snapshot.HAView.Actives); several active peers are joined with "+", and
// "" means none. ok is false when that cannot be told: no peer answered
// with an HA reply.
func ActiveOf(v *snapshot.HAView) (name string, ok bool) {
	return strings.Join(v.Actives, "+"), v.Known
}

// traffic reports the pair starting or stopping to forward.
func (d *differ) traffic(prev, cur snapshot.Traffic) {
	before, after := prev.Flowing(), cur.Flowing()
	if before == probe.Unknown || after == probe.Unknown || before == after {
		return
	}
	e := Event{Kind: KindTraffic, Before: "stopped", After: "flowing",
		Message: fmt.Sprintf("Traffic flows again: %s, %d new connections per second.", Rate(cur.BytesPerSecond), cur.CPS)}
	if after == probe.No {
		e.Before, e.After = "flowing", "stopped"
		e.Message = fmt.Sprintf("Traffic stopped: the data plane moves %s with no new connections (was %s).",
			Rate(cur.BytesPerSecond), Rate(prev.BytesPerSecond))
	}
	d.add(e)
}

// Rate formats a byte rate with a decimal unit, e.g. "1.5 MB/s".
func Rate(bps float64) string { return snapshot.RateText(bps) }

func upDown(up bool) string {
	if up {
		return "up"
	}
	return "down"
}

func roleName(role string) string {
	switch role {
	case probe.RoleDataPlane:
		return "Data-plane"
	case probe.RoleHA:
		return "HA"
	}
	return "Unused"
}
