// Package alerts evaluates hawatch's alert conditions over pair snapshots
// with Prometheus's alerting semantics (inactive → pending → firing with a
// `for` hold, keep_firing_for, resolved alerts kept until the resolution is
// sent, resends on a delay) and pushes the alerts to Alertmanager.
//
// The same alerts, with identical label sets, are also defined as PromQL
// rules in deploy/prometheus/hawatch-rules.yml, so that Alertmanager
// deduplicates an alert that reaches it through both paths.
package alerts

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// Severity is the severity label of an alert.
type Severity string

// The severities hawatch uses.
const (
	SeverityCritical Severity = "critical"
	SeverityWarning  Severity = "warning"
	SeverityInfo     Severity = "info"
)

// State is the state of an alert, as in Prometheus.
type State int

// Alert states. An inactive alert is one that was firing and has resolved;
// it is kept for ResolvedRetention so that the resolution is sent.
const (
	StateInactive State = iota
	StatePending
	StateFiring
)

// String returns "inactive", "pending" or "firing".
func (s State) String() string {
	switch s {
	case StatePending:
		return "pending"
	case StateFiring:
		return "firing"
	}
	return "inactive"
}

// Label names every alert carries.
const (
	LabelAlertName = "alertname"
	LabelPair      = "pair"
	LabelSeverity  = "severity"
	LabelPeer      = "peer"
)

// Annotation names.
const (
	AnnotationSummary     = "summary"
	AnnotationDescription = "description"
	AnnotationRunbookURL  = "runbook_url"
)

// Alert is one instance of a condition for one pair. Values returned by the
// engine are copies that the caller may keep.
type Alert struct {
	Labels      map[string]string
	Annotations map[string]string
	State       State
	// ActiveAt is when the condition started to hold (pending since).
	ActiveAt time.Time
	// FiredAt is when the alert went from pending to firing.
	FiredAt time.Time
	// ResolvedAt is when a firing alert stopped firing; zero while active.
	ResolvedAt time.Time
	// KeepFiringSince is when the condition stopped holding while the
	// alert is kept firing by KeepFiringFor; zero otherwise.
	KeepFiringSince time.Time
	// KeepFiringUntil is when an alert kept firing resolves unless its
	// condition holds again: KeepFiringSince plus the condition's
	// KeepFiringFor; zero otherwise.
	KeepFiringUntil time.Time
	// LastSentAt is when the alert was last handed to the notifier.
	LastSentAt time.Time
	// ValidUntil is the endsAt sent with a firing alert: Alertmanager
	// resolves the alert by itself at that time if hawatch stops sending.
	ValidUntil time.Time
	// GeneratorURL links back to hawatch; may be empty.
	GeneratorURL string
}

// Name returns the alertname label.
func (a *Alert) Name() string { return a.Labels[LabelAlertName] }

// Pair returns the pair label.
func (a *Alert) Pair() string { return a.Labels[LabelPair] }

// Severity returns the severity label.
func (a *Alert) Severity() Severity { return Severity(a.Labels[LabelSeverity]) }

// Resolved reports whether the alert has resolved.
func (a *Alert) Resolved() bool { return !a.ResolvedAt.IsZero() }

// StartsAt is the startsAt sent to Alertmanager: when the alert fired.
func (a *Alert) StartsAt() time.Time {
	if a.FiredAt.IsZero() {
		return a.ActiveAt
	}
	return a.FiredAt
}

// EndsAt is the endsAt sent to Alertmanager: the resolution time of a
// resolved alert, ValidUntil for a firing one.
func (a *Alert) EndsAt() time.Time {
	if a.Resolved() {
		return a.ResolvedAt
	}
	return a.ValidUntil
}

// clone returns a deep copy of the alert.
func (a *Alert) clone() Alert {
	c := *a
	c.Labels = maps.Clone(a.Labels)
	c.Annotations = maps.Clone(a.Annotations)
	return c
}

// labelsKey returns a canonical string for a label set, used as the
// identity of an alert.
func labelsKey(ls map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(ls)) {
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(ls[k])
		b.WriteByte(0xff)
	}
	return b.String()
}

// sortAlerts orders alerts by pair, alert name, then the rest of their
// labels, for stable output.
func sortAlerts(as []Alert) {
	slices.SortFunc(as, func(x, y Alert) int {
		if c := strings.Compare(x.Pair(), y.Pair()); c != 0 {
			return c
		}
		if c := strings.Compare(x.Name(), y.Name()); c != 0 {
			return c
		}
		return strings.Compare(labelsKey(x.Labels), labelsKey(y.Labels))
	})
}
