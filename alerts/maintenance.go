package alerts

import (
	"slices"
	"time"

	"github.com/hawatch/hawatch/snapshot"
)

// Maintenance is a pair's announced maintenance window, as the engine sees
// it: until when, and why.
type Maintenance struct {
	Until  time.Time
	Reason string
}

// MaintenanceFunc tells whether a pair is in maintenance at now.
type MaintenanceFunc func(pair string, now time.Time) (Maintenance, bool)

// MaintenanceKeep is how long HAPairMaintenance keeps firing after the
// window ends: as long as the longest keep_firing_for of the alerts it
// holds back (HAPairFlapping's), so that a symptom of the maintenance
// still kept firing does not page once the window closes.
const MaintenanceKeep = 10 * time.Minute

// MaintenanceExpected names the warnings that the steps of a planned
// maintenance raise — a peer suspended, rebooted or upgraded, a failover,
// a version mismatch, the links of a rebooting peer — and that
// Alertmanager holds back while HAPairMaintenance fires (the inhibit rule
// of deploy/alertmanager/alertmanager.yml lists the same names). The
// incident's alerts are not among them: every critical (links down,
// traffic stopped, no active peer, split brain, the AWS data plane not on
// the active peer) and the AWS warnings still page.
func MaintenanceExpected() []string {
	return []string{
		"HAConfigNotSynchronized", "HAFailoverNotReady", "HAAWSInstanceStatusFailed",
		"HALinkDown", "HALinkMonitorFailed", "HAPairFlapping", "HAPathMonitorFailed",
		"HAPeerNonFunctional", "HAPeerStuckTransitional", "HAPeerSuspended",
		"HAPeerUnreachable", "HASessionSyncIncomplete", "HAVersionMismatch",
	}
}

// ExpectedInMaintenance reports whether an alert is one a maintenance
// window holds back: a warning named in MaintenanceExpected.
func ExpectedInMaintenance(a *Alert) bool {
	return a.Severity() == SeverityWarning && slices.Contains(MaintenanceExpected(), a.Name())
}

// maintenanceConditions are the conditions of an announced maintenance.
func maintenanceConditions() []Condition {
	return []Condition{{
		Name: "HAPairMaintenance", Severity: SeverityInfo,
		KeepFiringFor: MaintenanceKeep,
		Summary:       "HA pair {{ $labels.pair }} is in maintenance",
		Description: "An operator announced maintenance until {{ $values.until }}: {{ $values.reason }}. " +
			"Warnings of the expected steps (suspension, reboot, failover, version change) are held back; the incident's alerts still page.",
		Eval: evalMaintenance,
	}}
}

// evalMaintenance fires while the pair is in an announced maintenance.
func evalMaintenance(_ *snapshot.Pair, h *History) []Instance {
	m, ok := h.Maintenance()
	if !ok {
		return nil
	}
	reason := m.Reason
	if reason == "" {
		reason = "no reason given"
	}
	return one(map[string]string{"until": m.Until.UTC().Format(time.RFC3339), "reason": reason})
}
