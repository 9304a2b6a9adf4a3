package e2e

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// hawatchCLI runs the hawatch binary with args and returns its output.
func hawatchCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(binary, args...).CombinedOutput()
	return string(out), err
}

// TestMaintenanceHoldsBackExpectedSteps puts the pair in maintenance with
// `hawatch maintenance start`, then reboots the passive peer without
// suspending it first and fails over — steps that raise warnings outside
// maintenance — against a real Alertmanager with the shipped inhibit
// rules: HAPairMaintenance fires on both paths, no warning or critical
// reaches the receiver, and the incident's links-down still pages.
func TestMaintenanceHoldsBackExpectedSteps(t *testing.T) {
	t.Parallel()
	st := startStack(t, stackOptions{Prometheus: true, Inhibit: true, HoldScale: alertHoldScale,
		World: sim.WorldOptions{InitialHold: 2 * time.Second},
		Env:   map[string]string{"HAWATCH_WEB_ENABLE_LIFECYCLE": "true", "HAWATCH_DATA_DIR": t.TempDir()}})
	if out, err := hawatchCLI(t, "maintenance", "start", "edge", "--for", "1h", "--reason", "PAN-OS upgrade", "--url", st.hawatch.URL); err != nil {
		t.Fatalf("maintenance start: %v: %s", err, out)
	}
	maint := by("HAPairMaintenance", "info")
	st.expectFiring(t, 30*time.Second, maint)

	// B reboots unannounced: outside maintenance its silence is a warning.
	at := time.Now()
	st.world.Reboot(sim.PeerB, upgradeReboot)
	unreachable := by("HAPeerUnreachable", "warning", "peer", "fw-b")
	// Both paths raise it and Alertmanager holds it, inhibited: the
	// receiver is never notified (checked below).
	eventually(t, within(at, st.hold("HAPeerUnreachable")+slack), "HAPeerUnreachable firing on every path", func() error {
		return st.agree([]want{maint, unreachable}, nil)
	})
	st.hawatch.waitMetric(t, upgradeReboot+slack, `hawatch_ha_state{pair="edge",peer="fw-b",state="passive"}`, "1")
	st.world.Failover()
	st.expectFiring(t, 30*time.Second, maint, by("HAPairFailover", "info", "peer", "fw-b"))
	time.Sleep(10 * time.Second) // Alertmanager's groups flush
	if got := st.hook.paged(); len(got) > 0 {
		t.Errorf("in maintenance, expected steps reached the receiver as warnings or criticals: %v", got)
	}

	at = time.Now()
	for _, s := range sim.IncidentScaled(alertHoldScale).Steps {
		if s.Name == sim.StepNameLinksDown {
			s.Apply(st.world)
		}
	}
	eventually(t, within(at, st.hold("HAPairLinksDown")+slack), "the incident pages in maintenance", func() error {
		for _, k := range st.hook.paged() {
			if strings.Contains(k, `alertname="HAPairLinksDown"`) && strings.Contains(k, `severity="critical"`) {
				return nil
			}
		}
		return fmt.Errorf("no firing HAPairLinksDown notification; paged %v", st.hook.paged())
	})
}

// TestMaintenanceSurvivesRestart starts maintenance through the command,
// restarts hawatch on the same data directory and finds it still there —
// in the metric, the list, the status page and the timeline — then stops
// it.
func TestMaintenanceSurvivesRestart(t *testing.T) {
	t.Parallel()
	s := startSim(t, sim.Options{})
	env := simEnv(s)
	env["HAWATCH_DATA_DIR"] = t.TempDir()
	env["HAWATCH_WEB_ENABLE_LIFECYCLE"] = "true"
	d := startDaemon(t, env)
	series := `hawatch_pair_maintenance{pair="edge"}`
	d.waitMetric(t, 20*time.Second, series, "0")
	if out, err := hawatchCLI(t, "maintenance", "start", "edge", "--for", "2h", "--reason", "PAN-OS 10.2.9 upgrade", "--url", d.URL); err != nil ||
		!strings.Contains(out, "edge is in maintenance until") {
		t.Fatalf("maintenance start: %v: %s", err, out)
	}
	d.waitMetric(t, 5*time.Second, series, "1")
	d.stop()

	d = startDaemon(t, env)
	d.waitMetric(t, 20*time.Second, series, "1")
	out, err := hawatchCLI(t, "maintenance", "list", "--url", d.URL)
	if err != nil || !strings.Contains(out, "edge") || !strings.Contains(out, "PAN-OS 10.2.9 upgrade") {
		t.Errorf("maintenance list after restart: %v: %s", err, out)
	}
	page, err := get(d.URL + "/")
	if err != nil || !strings.Contains(page, "In maintenance until") {
		t.Errorf("the status page does not show the maintenance: %v", err)
	}
	if out, err := hawatchCLI(t, "maintenance", "stop", "edge", "--url", d.URL); err != nil {
		t.Fatalf("maintenance stop: %v: %s", err, out)
	}
	d.waitMetric(t, 5*time.Second, series, "0")
	events, err := get(d.URL + "/api/v1/events?format=csv&limit=0")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Maintenance of edge until", "Maintenance of edge ended by an operator"} {
		if !strings.Contains(events, want) {
			t.Errorf("the timeline lacks %q", want)
		}
	}
}
