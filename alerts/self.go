package alerts

import (
	"maps"
	"slices"
	"time"
)

// selfConditions are the alerts about hawatch itself rather than a pair.
// They carry no pair label; the engine evaluates them with EvalSelf.
func selfConditions() []Condition {
	return []Condition{{
		Name: "HAWatchNotificationsFailing", Severity: SeverityWarning, Labels: []string{LabelAlertmanager},
		For:         5 * time.Minute,
		Self:        true,
		Summary:     "hawatch cannot deliver alerts to Alertmanager {{ $labels.alertmanager }}",
		Description: "Every delivery to {{ $labels.alertmanager }} fails ({{ $values.error }}); alerts wait in hawatch's queue and are dropped when it fills.",
	}}
}

// LabelAlertmanager names the Alertmanager of a self alert, as the
// notifier's metrics do.
const LabelAlertmanager = "alertmanager"

// EvalSelf evaluates the self conditions at now. failing maps each
// Alertmanager whose deliveries currently fail to the error. It returns the
// alerts due to be sent.
func (e *Engine) EvalSelf(now time.Time, failing map[string]string) []Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	cur := map[string]found{}
	for _, r := range e.rules {
		if r.Name != "HAWatchNotificationsFailing" {
			continue
		}
		for _, am := range slices.Sorted(maps.Keys(failing)) {
			in := Instance{Labels: map[string]string{LabelAlertmanager: am}, Values: map[string]string{"error": failing[am]}}
			ls, ok := r.labelsOf("", in)
			if !ok {
				continue
			}
			cur[labelsKey(ls)] = found{rule: r, alert: &Alert{Labels: ls, Annotations: r.annotations(ls, in.Values)}}
		}
	}
	e.self.step(now, cur, e.opts.ResolvedRetention)
	return e.self.due(now, e.opts.ResendDelay, now.Add(4*max(e.opts.ResendDelay, e.opts.PollInterval)))
}
