package alerts

import (
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// userSuspended is a peer an operator suspended.
func userSuspended(name string) *probe.PeerStatus {
	return okPeer(name, probe.StateSuspended, withHA(func(h *probe.HAInfo) { h.LastErrorReason = "User requested" }))
}

// phase is a stretch of a played scenario: the snapshot hawatch sees for
// a while.
type phase struct {
	name string
	snap *snapshot.Pair
	dur  time.Duration
}

// play evaluates the phases every 30 s and returns every alert the engine
// handed out to be sent, by the phase it was sent in.
func play(e *Engine, phases []phase) map[string][]Alert {
	out := map[string][]Alert{}
	now := t0
	for _, ph := range phases {
		for end := now.Add(ph.dur); now.Before(end); now = now.Add(30 * time.Second) {
			out[ph.name] = append(out[ph.name], e.Eval(now, ph.snap)...)
		}
	}
	return out
}

// paging returns the IDs of the firing warnings and criticals of sent.
func paging(sent map[string][]Alert) map[string][]string {
	out := map[string][]string{}
	for ph, as := range sent {
		for _, a := range as {
			if a.State == StateFiring && a.Severity() != SeverityInfo && !slices.Contains(out[ph], alertID(a.Labels)) {
				out[ph] = append(out[ph], alertID(a.Labels))
			}
		}
	}
	return out
}

// upgrade is a planned upgrade of the pair as an operator runs it: the
// passive peer suspended, rebooted (its HA links down on the other peer
// meanwhile), back as passive; a failover by suspending the active peer;
// the same for it. Each reboot lasts down.
func upgrade(down time.Duration) []phase {
	A, P := probe.StateActive, probe.StatePassive
	return []phase{
		{"healthy", healthy(), 5 * time.Minute},
		{"suspend b", mkPair(okPeer("a", A), userSuspended("b")), 3 * time.Minute},
		{"reboot b", mkPair(okPeer("a", A, haLinksDown), downPeer("b")), down},
		{"b back", healthy(), 5 * time.Minute},
		{"suspend a", mkPair(userSuspended("a"), okPeer("b", A)), 3 * time.Minute},
		{"reboot a", mkPair(downPeer("a"), okPeer("b", A, haLinksDown)), down},
		{"a back", mkPair(okPeer("a", P), okPeer("b", A)), 15 * time.Minute},
	}
}

// TestPlannedUpgradePagesNobody plays a planned upgrade with reboots of
// 12 minutes: no warning or critical is ever sent, and the steps are
// recorded as info (the suspensions, the reboots, the failover).
func TestPlannedUpgradePagesNobody(t *testing.T) {
	sent := play(NewEngine(EngineOptions{}), upgrade(12*time.Minute))
	if p := paging(sent); len(p) > 0 {
		t.Errorf("a planned upgrade sent warnings or criticals: %v", p)
	}
	var info []string
	for _, as := range sent {
		for _, a := range as {
			if a.State == StateFiring && !slices.Contains(info, alertID(a.Labels)) {
				info = append(info, alertID(a.Labels))
			}
		}
	}
	for _, want := range []string{
		"HAPeerSuspended{peer=b,severity=info}", "HAPeerUnreachable{peer=b,severity=info}",
		"HAPairFailover{peer=b,severity=info}", "HAPeerUnreachable{peer=a,severity=info}",
	} {
		if !slices.Contains(info, want) {
			t.Errorf("the upgrade did not record %s; sent %v", want, info)
		}
	}
}

// TestUnplannedRebootWarns reboots the passive peer without suspending it
// first, and lets a planned reboot outlast PlannedRebootWindow: both are
// warnings.
func TestUnplannedRebootWarns(t *testing.T) {
	A := probe.StateActive
	sent := play(NewEngine(EngineOptions{}), []phase{
		{"healthy", healthy(), 5 * time.Minute},
		{"reboot b", mkPair(okPeer("a", A, haLinksDown), downPeer("b")), 5 * time.Minute},
	})
	if got := paging(sent)["reboot b"]; !slices.Equal(got, []string{"HAPeerUnreachable{peer=b,severity=warning}"}) {
		t.Errorf("an unannounced reboot sent %v, want the peer's silence as a warning and not its links", got)
	}
	sent = play(NewEngine(EngineOptions{}), []phase{
		{"suspend b", mkPair(okPeer("a", A), userSuspended("b")), 3 * time.Minute},
		{"reboot b", mkPair(okPeer("a", A, haLinksDown), downPeer("b")), PlannedRebootWindow + 5*time.Minute},
	})
	if got := paging(sent)["reboot b"]; !slices.Equal(got, []string{"HAPeerUnreachable{peer=b,severity=warning}"}) {
		t.Errorf("a reboot silent past %v sent %v, want the peer's silence as a warning", PlannedRebootWindow, got)
	}
}

// TestMaintenanceAlert checks that HAPairMaintenance fires at once while
// the pair is in maintenance, stays MaintenanceKeep after the window, and
// that the incident's alerts still fire during maintenance.
func TestMaintenanceAlert(t *testing.T) {
	until := at(20 * time.Minute)
	e := NewEngine(EngineOptions{Maintenance: func(pair string, now time.Time) (Maintenance, bool) {
		return Maintenance{Until: until, Reason: "upgrade"}, pair == "p1" && now.Before(until)
	}})
	firing := func(name string) bool {
		for _, a := range e.Alerts() {
			if a.Name() == name && a.State == StateFiring {
				return true
			}
		}
		return false
	}
	e.Eval(at(0), healthy())
	if !firing("HAPairMaintenance") {
		t.Fatalf("HAPairMaintenance not firing at the start of maintenance: %v", alertIDs(e.Alerts()))
	}
	down := mkPair(okPeer("a", probe.StateActive, haLinksDown), okPeer("b", probe.StatePassive, haLinksDown))
	for d := time.Minute; d <= 3*time.Minute; d += time.Minute {
		e.Eval(at(d), down)
	}
	if !firing("HAPairLinksDown") {
		t.Errorf("HAPairLinksDown not firing during maintenance: %v", alertIDs(e.Alerts()))
	}
	for d := 4 * time.Minute; d <= 25*time.Minute; d += 30 * time.Second {
		e.Eval(at(d), healthy())
	}
	if !firing("HAPairMaintenance") {
		t.Errorf("HAPairMaintenance not kept firing 5 minutes after the window")
	}
	for d := 25 * time.Minute; d <= 31*time.Minute; d += 30 * time.Second {
		e.Eval(at(d), healthy())
	}
	if firing("HAPairMaintenance") {
		t.Errorf("HAPairMaintenance still firing %v after the window", 11*time.Minute)
	}
}

// TestKeepFiringBounds: an alert kept firing after its condition cleared
// carries when it cleared and when it will resolve, for the status page,
// and loses both when the condition holds again.
func TestKeepFiringBounds(t *testing.T) {
	e := NewEngine(EngineOptions{})
	down := mkPair(okPeer("a", probe.StateActive, haLinksDown), okPeer("b", probe.StatePassive, haLinksDown))
	e.Eval(at(0), down)
	e.Eval(at(time.Minute), down)
	e.Eval(at(2*time.Minute), healthy())
	held := func() *Alert {
		for _, a := range e.Alerts() {
			if a.Name() == "HAPairLinksDown" {
				return &a
			}
		}
		t.Fatal("HAPairLinksDown is gone")
		return nil
	}
	a := held()
	if a.State != StateFiring || !a.KeepFiringSince.Equal(at(2*time.Minute)) || !a.KeepFiringUntil.Equal(at(7*time.Minute)) {
		t.Errorf("held: state %v, since %v, until %v; want firing, 2m, 7m", a.State, a.KeepFiringSince.Sub(t0), a.KeepFiringUntil.Sub(t0))
	}
	e.Eval(at(3*time.Minute), down)
	if a := held(); !a.KeepFiringSince.IsZero() || !a.KeepFiringUntil.IsZero() {
		t.Errorf("the condition holds again, yet the alert is still held until %v", a.KeepFiringUntil)
	}
}
