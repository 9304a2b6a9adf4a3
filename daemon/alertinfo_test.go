package daemon

import (
	"testing"
	"time"

	"github.com/hawatch/hawatch/alerts"
)

// TestAlertInfosExpected: an expected warning is marked held back only
// while HAPairMaintenance fires for its own pair, as Alertmanager's
// inhibit rule holds it back; a critical never is.
func TestAlertInfosExpected(t *testing.T) {
	mk := func(name, pair, sev string) alerts.Alert {
		return alerts.Alert{State: alerts.StateFiring, Labels: map[string]string{
			alerts.LabelAlertName: name, alerts.LabelPair: pair, alerts.LabelSeverity: sev}}
	}
	held := mk("HALinkDown", "edge", "warning")
	held.KeepFiringSince, held.KeepFiringUntil = time.Unix(100, 0), time.Unix(400, 0)
	got := alertInfos([]alerts.Alert{
		mk("HAPairMaintenance", "edge", "info"),
		mk("HAPeerUnreachable", "edge", "warning"),
		mk("HAPairLinksDown", "edge", "critical"),
		mk("HAPeerUnreachable", "core", "warning"),
		held,
	})
	want := []bool{false, true, false, false, true}
	for i, a := range got {
		if a.Expected != want[i] {
			t.Errorf("%s of %s: expected %v, want %v", a.Name, a.Pair, a.Expected, want[i])
		}
	}
	if !got[4].HeldSince.Equal(time.Unix(100, 0)) || !got[4].HeldUntil.Equal(time.Unix(400, 0)) {
		t.Errorf("held alert: %v to %v", got[4].HeldSince, got[4].HeldUntil)
	}
}
