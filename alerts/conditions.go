package alerts

import (
	"slices"
	"strings"
	"time"

	"github.com/hawatch/hawatch/snapshot"
)

// DefaultRunbookBaseURL is where the runbooks live unless configured.
const DefaultRunbookBaseURL = "https://github.com/hawatch/hawatch/blob/main/docs/runbooks.md"

// Instance is one occurrence of a condition in a snapshot.
type Instance struct {
	// Labels are the item labels (peer, link, group, eni…); exactly the
	// names in the condition's Labels.
	Labels map[string]string
	// Severity overrides the condition's severity; it must be one of the
	// condition's Severities.
	Severity Severity
	// Values fill the description template as $values.
	Values map[string]string
}

// Condition is one alert: how it is named, labeled and held, and how it is
// found in a snapshot.
type Condition struct {
	Name     string
	Severity Severity
	// Severities lists every severity an instance may carry when there is
	// more than one; nil means Severity only.
	Severities []Severity
	// Labels are the names of the labels an instance adds to alertname,
	// pair and severity.
	Labels []string
	// For is how long the condition must hold before the alert fires.
	For time.Duration
	// KeepFiringFor is how long a firing alert stays firing after the
	// condition stopped holding.
	KeepFiringFor time.Duration
	// Summary and Description are templates in Prometheus's annotation
	// syntax: $labels holds the alert's labels and $values the instance's
	// values. Summary is the same text as in the PromQL rule.
	Summary     string
	Description string
	// Eval finds the instances of the condition. It is only called for
	// pairs that are not standalone firewalls; nil for Self conditions.
	Eval func(p *snapshot.Pair, h *History) []Instance
	// Self marks a condition about hawatch itself: it has no pair label
	// and is evaluated by Engine.EvalSelf.
	Self bool
}

// AllSeverities returns every severity an instance may carry.
func (c *Condition) AllSeverities() []Severity {
	if len(c.Severities) == 0 {
		return []Severity{c.Severity}
	}
	return slices.Clone(c.Severities)
}

// Anchor is the runbook section of the condition: its lower-case name.
func (c *Condition) Anchor() string { return strings.ToLower(c.Name) }

// RunbookURL returns the condition's runbook under base.
func (c *Condition) RunbookURL(base string) string {
	return strings.TrimRight(base, "#") + "#" + c.Anchor()
}

// PromQLOnly names the alerts that only the shipped Prometheus rules raise:
// hawatch cannot report its own death.
func PromQLOnly() []string { return []string{"HAWatchDown"} }

// DefaultConditions returns the alert conditions hawatch evaluates. The
// names are a contract with the PromQL rules, the runbooks and users'
// Alertmanager routes.
func DefaultConditions() []Condition {
	return slices.Concat(pairConditions(), maintenanceConditions(), peerConditions(), awsConditions(), selfConditions())
}

// pairConditions are the conditions of the pair as a whole.
func pairConditions() []Condition {
	return []Condition{{
		Name: "HAPairLinksDown", Severity: SeverityCritical,
		For: time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "HA pair {{ $labels.pair }} has lost its links on every peer that answers",
		Description: "{{ $values.detail }} Judged from the peers that answered: {{ $values.peers }}.",
		Eval:        evalLinksDown,
	}, {
		Name: "HAPairTrafficStopped", Severity: SeverityCritical,
		For: 3 * time.Minute, KeepFiringFor: 5 * time.Minute,
		Summary:     "HA pair {{ $labels.pair }} stopped forwarding traffic",
		Description: "The data plane of both peers together moves {{ $values.bytes }} B/s with no new connections and no session throughput, after {{ $values.baseline }}.",
		Eval:        evalTrafficStopped,
	}, {
		Name: "HAPairNoActivePeer", Severity: SeverityCritical,
		For: time.Minute, KeepFiringFor: 2 * time.Minute,
		Summary:     "HA pair {{ $labels.pair }} has no active peer",
		Description: "No peer reports itself active and no peer that answers sees its HA peer active. States: {{ $values.states }}.",
		Eval:        evalNoActivePeer,
	}, {
		Name: "HAPairSplitBrain", Severity: SeverityCritical,
		For: time.Minute, KeepFiringFor: 2 * time.Minute,
		Summary:     "HA pair {{ $labels.pair }} has two active peers (split brain)",
		Description: "Peers {{ $values.peers }} both report the active state in an active/passive pair: they both own the floating addresses and forward traffic.",
		Eval:        evalSplitBrain,
	}, {
		Name: "HAPairFailover", Severity: SeverityInfo, Labels: []string{LabelPeer},
		Summary:     "HA pair {{ $labels.pair }} failed over to {{ $labels.peer }}",
		Description: "{{ $labels.peer }} is now the active peer; {{ $values.previous }} was active within the last 10 minutes.",
		Eval:        evalFailover,
	}, {
		Name: "HAPairFlapping", Severity: SeverityWarning,
		KeepFiringFor: 10 * time.Minute,
		Summary:       "HA pair {{ $labels.pair }} is flapping",
		Description:   "{{ $values.detail }}",
		Eval:          evalFlapping,
	}, {
		Name: "HAConfigNotSynchronized", Severity: SeverityWarning,
		For:         10 * time.Minute,
		Summary:     "Running configuration of HA pair {{ $labels.pair }} is not synchronized",
		Description: "Config synchronization is enabled but {{ $values.peers }} report the running configuration as not synchronized: a failover would activate a different configuration.",
		Eval:        evalConfigNotSynchronized,
	}, {
		Name: "HAVersionMismatch", Severity: SeverityWarning,
		For:         30 * time.Minute,
		Summary:     "Peers of HA pair {{ $labels.pair }} run mismatched software or content versions",
		Description: "The HA compatibility check reports a mismatch for: {{ $values.items }}.",
		Eval:        evalVersionMismatch,
	}, {
		Name: "HAMonitoringBlind", Severity: SeverityCritical,
		For:         2 * time.Minute,
		Summary:     "hawatch cannot reach either peer of HA pair {{ $labels.pair }}",
		Description: "Neither peer answers the PAN-OS API, so the HA state of the pair is unknown. {{ $values.errors }}",
		Eval:        evalMonitoringBlind,
	}}
}

// ScaleHolds returns copies of conds with their For and KeepFiringFor
// holds multiplied by f: the demo and the end-to-end tests shorten them so
// that a scenario step is long enough for its alerts to fire and resolve.
func ScaleHolds(conds []Condition, f float64) []Condition {
	out := slices.Clone(conds)
	for i := range out {
		out[i].For = time.Duration(float64(out[i].For) * f)
		out[i].KeepFiringFor = time.Duration(float64(out[i].KeepFiringFor) * f)
	}
	return out
}
