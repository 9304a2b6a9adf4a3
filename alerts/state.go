package alerts

import (
	"maps"
	"slices"
	"time"
)

// pairState is everything the engine keeps about one pair.
type pairState struct {
	hist   *History
	alerts map[string]*Alert // by labelsKey
	rules  map[string]*rule  // rule of each alert, by labelsKey
	conv   convergence
}

// newPairState returns the state of a pair not seen before.
func newPairState() *pairState {
	return &pairState{hist: newHistory(), alerts: map[string]*Alert{}, rules: map[string]*rule{}}
}

// found is one instance of a rule in the current evaluation.
type found struct {
	rule  *rule
	alert *Alert
}

// step moves the pair's alerts through Prometheus's states for one
// evaluation at now, given the instances found:
//
//   - a new instance is pending, and firing at once when For is zero;
//   - a pending alert fires when it has held for For;
//   - a pending alert whose condition no longer holds is forgotten;
//   - a firing alert whose condition no longer holds stays firing for
//     KeepFiringFor, then resolves;
//   - a resolved alert is kept for retention so that its resolution is
//     sent (and resent), then forgotten. If its condition holds again, a
//     new alert replaces it.
func (ps *pairState) step(now time.Time, cur map[string]found, retention time.Duration) {
	for k, f := range cur {
		a, ok := ps.alerts[k]
		if !ok || a.State == StateInactive {
			a = f.alert
			a.State, a.ActiveAt = StatePending, now
			ps.alerts[k], ps.rules[k] = a, f.rule
		} else {
			a.Annotations = f.alert.Annotations
			a.KeepFiringSince, a.KeepFiringUntil = time.Time{}, time.Time{}
		}
		if a.State == StatePending && now.Sub(a.ActiveAt) >= f.rule.For {
			a.State, a.FiredAt = StateFiring, now
		}
	}
	for k, a := range ps.alerts {
		if _, ok := cur[k]; ok {
			continue
		}
		switch a.State {
		case StatePending:
			ps.forget(k)
		case StateInactive:
			if now.Sub(a.ResolvedAt) > retention {
				ps.forget(k)
			}
		case StateFiring:
			if keep := ps.rules[k].KeepFiringFor; keep > 0 {
				if a.KeepFiringSince.IsZero() {
					a.KeepFiringSince, a.KeepFiringUntil = now, now.Add(keep)
				}
				if now.Sub(a.KeepFiringSince) < keep {
					continue
				}
			}
			a.State, a.ResolvedAt, a.KeepFiringSince, a.KeepFiringUntil = StateInactive, now, time.Time{}, time.Time{}
		}
	}
}

// forget drops an alert.
func (ps *pairState) forget(k string) {
	delete(ps.alerts, k)
	delete(ps.rules, k)
}

// resolveAll resolves every firing alert and forgets pending ones, for a
// pair that is no longer watched.
func (ps *pairState) resolveAll(now time.Time) {
	for k, a := range ps.alerts {
		switch a.State {
		case StatePending:
			ps.forget(k)
		case StateFiring:
			a.State, a.ResolvedAt, a.KeepFiringSince, a.KeepFiringUntil = StateInactive, now, time.Time{}, time.Time{}
		}
	}
}

// needsSending reports whether an alert is due to go to Alertmanager: a
// firing or resolved alert that was never sent, resolved since it was last
// sent, or last sent resendDelay ago or more.
func needsSending(a *Alert, now time.Time, resendDelay time.Duration) bool {
	if a.State == StatePending {
		return false
	}
	if a.LastSentAt.IsZero() || a.ResolvedAt.After(a.LastSentAt) {
		return true
	}
	return !now.Before(a.LastSentAt.Add(resendDelay))
}

// due marks the alerts due at now as sent and returns copies of them, in a
// stable order. validUntil is the endsAt of firing alerts.
func (ps *pairState) due(now time.Time, resendDelay time.Duration, validUntil time.Time) []Alert {
	var out []Alert
	for _, k := range slices.Sorted(maps.Keys(ps.alerts)) {
		a := ps.alerts[k]
		if !needsSending(a, now, resendDelay) {
			continue
		}
		a.LastSentAt = now
		if a.State == StateFiring {
			a.ValidUntil = validUntil
		}
		out = append(out, a.clone())
	}
	return out
}
