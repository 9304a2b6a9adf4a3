package daemon

import (
	"sort"
	"strings"
	"sync"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/journal"
	"github.com/hawatch/hawatch/snapshot"
	"github.com/hawatch/hawatch/web"
)

// timeline turns consecutive snapshots and alert state changes into journal
// events.
type timeline struct {
	j *journal.Journal

	mu   sync.Mutex
	prev map[string]*snapshot.Pair
	// versions are what each pair's peers last reported, across the
	// polls a rebooting peer does not answer.
	versions map[string]journal.Versions
	firing   map[string]map[string]alerts.Alert // pair → alert key → alert
}

func newTimeline(j *journal.Journal) *timeline {
	return &timeline{j: j, prev: map[string]*snapshot.Pair{}, versions: map[string]journal.Versions{}, firing: map[string]map[string]alerts.Alert{}}
}

// record appends what changed since the pair's previous snapshot, and the
// alerts of the pair that fired or resolved.
func (t *timeline) record(snap *snapshot.Pair, active []alerts.Alert) []journal.Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	seen := t.versions[snap.Name]
	if seen == nil {
		seen = journal.Versions{}
		t.versions[snap.Name] = seen
	}
	events := journal.DiffWith(t.prev[snap.Name], snap, seen)
	seen.Observe(snap)
	t.prev[snap.Name] = snap
	now := map[string]alerts.Alert{}
	for _, a := range active {
		if a.Pair() == snap.Name && a.State == alerts.StateFiring {
			now[alertKey(a)] = a
		}
	}
	was := t.firing[snap.Name]
	for k, a := range now {
		if _, ok := was[k]; !ok {
			events = append(events, journal.AlertEvent(snap.End, snap.Name, a.Labels["peer"], a.Name(), "inactive", "firing", a.Annotations[alerts.AnnotationSummary]))
		}
	}
	for k, a := range was {
		if _, ok := now[k]; !ok {
			events = append(events, journal.AlertEvent(snap.End, snap.Name, a.Labels["peer"], a.Name(), "firing", "resolved", a.Annotations[alerts.AnnotationSummary]))
		}
	}
	t.firing[snap.Name] = now
	return events
}

// alertKey identifies an alert by its sorted label set.
func alertKey(a alerts.Alert) string {
	keys := make([]string, 0, len(a.Labels))
	for k := range a.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + a.Labels[k] + "\x00")
	}
	return b.String()
}

// alertInfos converts the active alerts for the status page.
func alertInfos(as []alerts.Alert) []web.AlertInfo {
	// An expected alert is held back by Alertmanager while
	// HAPairMaintenance fires for its pair, kept firing included.
	inMaint := map[string]bool{}
	for _, a := range as {
		if a.Name() == "HAPairMaintenance" && a.State == alerts.StateFiring {
			inMaint[a.Pair()] = true
		}
	}
	out := make([]web.AlertInfo, 0, len(as))
	for _, a := range as {
		out = append(out, web.AlertInfo{
			RunbookURL:  a.Annotations[alerts.AnnotationRunbookURL],
			HeldSince:   a.KeepFiringSince,
			HeldUntil:   a.KeepFiringUntil,
			Expected:    inMaint[a.Pair()] && alerts.ExpectedInMaintenance(&a),
			Name:        a.Name(),
			Pair:        a.Pair(),
			Peer:        a.Labels["peer"],
			Severity:    string(a.Severity()),
			State:       a.State.String(),
			ActiveAt:    a.ActiveAt,
			Summary:     a.Annotations[alerts.AnnotationSummary],
			Description: a.Annotations[alerts.AnnotationDescription],
		})
	}
	return out
}
