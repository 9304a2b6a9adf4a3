// Package journal keeps hawatch's event timeline: what changed in a pair
// between two polls (Diff), recorded in an append-only JSON-lines file that
// survives restarts (Journal), so that the war room shares one view of an
// incident and the post-mortem has its timeline.
package journal

import "time"

// Kinds of events. An event's kind names what changed; Subject then names
// the link, interface, AWS resource or alert it changed on.
const (
	KindHAState          = "ha-state"
	KindFailover         = "failover"
	KindPeerReachability = "peer-reachability"
	KindHALink           = "ha-link"
	KindInterface        = "interface"
	KindConfigSync       = "config-sync"
	KindVersion          = "version"
	KindTraffic          = "traffic"
	KindAWS              = "aws"
	KindAlert            = "alert"
	KindCause            = "cause"
	KindMaintenance      = "maintenance"
	// KindSnapshot records a state snapshot saved around a failover or
	// reboot; Subject is its name (GET /api/v1/snapshots/{name}).
	KindSnapshot = "snapshot"
)

// Event is one change in a pair, as the timeline shows it.
type Event struct {
	Time time.Time `json:"time"`
	Pair string    `json:"pair"`
	Peer string    `json:"peer,omitempty"`
	Kind string    `json:"kind"`
	// Subject names what changed within the kind: "ha1", "ethernet1/2",
	// "eni-…", an alert name; empty for pair-wide kinds.
	Subject string `json:"subject,omitempty"`
	Before  string `json:"before,omitempty"`
	After   string `json:"after,omitempty"`
	// Message is one sentence for humans.
	Message string `json:"message"`
}

// AlertEvent returns the event of an alert changing state, e.g. from
// "pending" to "firing" or from "firing" to "resolved". peer is empty for a
// pair-level alert.
func AlertEvent(at time.Time, pair, peer, name, before, after, summary string) Event {
	msg := name + " is " + after
	if summary != "" {
		msg += ": " + summary
	}
	return Event{
		Time: at, Pair: pair, Peer: peer, Kind: KindAlert, Subject: name,
		Before: before, After: after, Message: msg,
	}
}

// MaintenanceEvent returns the event of a pair's announced maintenance
// starting (after "in maintenance") or ending ("ended" by an operator,
// "expired" at its end time).
func MaintenanceEvent(at time.Time, pair, before, after, message string) Event {
	return Event{Time: at, Pair: pair, Kind: KindMaintenance, Before: before, After: after, Message: message}
}
