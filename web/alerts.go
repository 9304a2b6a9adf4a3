package web

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Groups of a pair's alerts on the page, in the order shown.
const (
	// GroupFiring: the condition holds now.
	GroupFiring = "firing"
	// GroupHeld: the condition cleared; the alert is kept firing for its
	// keep_firing_for hold, so that a condition that comes back does not
	// page twice.
	GroupHeld = "held"
	// GroupExpected: an expected step of an announced maintenance, held
	// back from Alertmanager while the pair is in maintenance.
	GroupExpected = "expected"
	// GroupPending: the condition holds, not yet for its `for` hold.
	GroupPending = "pending"
)

// AlertView is an active (pending or firing) alert of a pair.
type AlertView struct {
	Name        string    `json:"name"`
	Peer        string    `json:"peer,omitempty"`
	Severity    string    `json:"severity"`
	State       string    `json:"state"`
	ActiveAt    time.Time `json:"active_at"`
	Summary     string    `json:"summary,omitempty"`
	Description string    `json:"description,omitempty"`
	// Group is firing, held, expected or pending (see the Group
	// constants); Note says it in words, e.g. "resolved 2m ago, held 3m
	// more".
	Group string `json:"group"`
	Note  string `json:"note,omitempty"`
	// ClearedAt and HeldUntil bound a held alert's hold.
	ClearedAt  *time.Time `json:"cleared_at,omitempty"`
	HeldUntil  *time.Time `json:"held_until,omitempty"`
	RunbookURL string     `json:"runbook_url,omitempty"`
}

// MaintenanceView is a pair's announced maintenance.
type MaintenanceView struct {
	Until  time.Time `json:"until"`
	Reason string    `json:"reason,omitempty"`
}

// alertView builds the view of one alert at now.
func alertView(a AlertInfo, now time.Time) AlertView {
	v := AlertView{Name: a.Name, Peer: a.Peer, Severity: a.Severity, State: a.State,
		ActiveAt: a.ActiveAt, Summary: a.Summary, Description: a.Description, RunbookURL: a.RunbookURL}
	switch {
	case a.State != "firing":
		v.Group, v.Note = GroupPending, "pending since "+a.ActiveAt.UTC().Format("15:04:05")+" UTC"
	case a.Expected:
		v.Group, v.Note = GroupExpected, "expected in maintenance: held back from Alertmanager"
	case !a.HeldSince.IsZero():
		since, until := a.HeldSince, a.HeldUntil
		v.Group, v.ClearedAt, v.HeldUntil = GroupHeld, &since, &until
		v.Note = fmt.Sprintf("resolved %s ago, held %s more", formatAge(now.Sub(since)), formatAge(until.Sub(now)))
	default:
		v.Group = GroupFiring
	}
	return v
}

// alertViews orders a pair's alerts by group (firing, held, expected,
// pending), then by severity, name and peer.
func alertViews(alerts []AlertInfo, now time.Time) []AlertView {
	out := make([]AlertView, 0, len(alerts))
	for _, a := range alerts {
		out = append(out, alertView(a, now))
	}
	groups := []string{GroupFiring, GroupHeld, GroupExpected, GroupPending}
	sev := func(s string) int {
		if r, ok := map[string]int{"critical": 0, "warning": 1, "info": 2}[s]; ok {
			return r
		}
		return 3
	}
	slices.SortFunc(out, func(a, b AlertView) int {
		return cmp.Or(cmp.Compare(slices.Index(groups, a.Group), slices.Index(groups, b.Group)),
			cmp.Compare(sev(a.Severity), sev(b.Severity)), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Peer, b.Peer))
	})
	return out
}

// alertReasons says what the pair's alerts add to its status: the
// warnings and criticals firing now, and, apart, those only held after
// their condition cleared (held is true when there are any).
func alertReasons(alerts []AlertInfo, now time.Time) (firing []string, held string) {
	var names []string
	var until time.Time
	for _, a := range alerts {
		if a.State != "firing" || a.Expected || (a.Severity != "critical" && a.Severity != "warning") {
			continue
		}
		if a.HeldSince.IsZero() {
			if !slices.Contains(firing, a.Name) {
				firing = append(firing, a.Name)
			}
			continue
		}
		if !slices.Contains(names, a.Name) {
			names = append(names, a.Name)
		}
		if a.HeldUntil.After(until) {
			until = a.HeldUntil
		}
	}
	if len(names) > 0 {
		held = fmt.Sprintf("recovered, alerts held %s more: %s", formatAge(until.Sub(now)), strings.Join(names, ", "))
	}
	return firing, held
}
