package e2e

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/hawatch/hawatch/sim"
)

// amExample is the example Alertmanager configuration shipped for users.
const amExample = "../deploy/alertmanager/alertmanager.yml"

// shippedInhibitRules returns the inhibit_rules section of the shipped
// example Alertmanager configuration, as configuration text.
func shippedInhibitRules(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(amExample)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", amExample, err)
	}
	rules, ok := doc["inhibit_rules"]
	if !ok {
		t.Fatalf("%s has no inhibit_rules", amExample)
	}
	out, err := yaml.Marshal(map[string]any{"inhibit_rules": rules})
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// paged returns the firing warnings and criticals the webhook received:
// what would have reached a pager or a warnings channel.
func (h *webhook) paged() []string {
	var out []string
	for _, n := range h.notifications() {
		for _, a := range n.Alerts {
			if a.Status != "firing" || (a.Labels["severity"] != "warning" && a.Labels["severity"] != "critical") {
				continue
			}
			if k := labelKey(a.Labels); !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// upgradeReboot is how long each peer is down for its upgrade reboot:
// longer than HAPeerUnreachable's hold at the tests' scale, so that the
// planned reboot is seen, and recorded, as one.
const upgradeReboot = 15 * time.Second

// TestPlannedUpgradePagesNobody plays a planned upgrade as the runbook
// tells it — the passive peer suspended, upgraded, rebooted and back; the
// active peer suspended (the failover), upgraded, rebooted and back —
// against a real Alertmanager with the shipped inhibit rules and both
// alerting paths. No warning or critical reaches the receiver; each step
// is recorded as info, identically on both paths. Then the incident's
// links-down step still pages HAPairLinksDown.
func TestPlannedUpgradePagesNobody(t *testing.T) {
	t.Parallel()
	st := startStack(t, stackOptions{Prometheus: true, Inhibit: true, HoldScale: alertHoldScale,
		World: sim.WorldOptions{InitialHold: 2 * time.Second}})
	start := time.Now()
	state := func(peer, s string) string {
		return fmt.Sprintf(`hawatch_ha_state{pair="edge",peer=%q,state=%q}`, peer, s)
	}
	step := func(what string) time.Time {
		t.Logf("upgrade: %s, %s into the test", what, time.Since(start).Round(100*time.Millisecond))
		return time.Now()
	}
	var kept []want // info alerts that stay for their window
	for _, p := range []struct {
		idx  int
		name string
	}{{sim.PeerB, "fw-b"}, {sim.PeerA, "fw-a"}} {
		at := step("suspend " + p.name)
		st.world.Suspend(p.idx)
		if p.idx == sim.PeerA {
			// Suspending the active peer is the failover.
			kept = append(kept, by("HAPairFailover", "info", "peer", "fw-b"))
		}
		suspended := by("HAPeerSuspended", "info", "peer", p.name)
		st.expectFiring(t, within(at, st.hold("HAPeerSuspended")+slack), append(slices.Clone(kept), suspended)...)

		at = step("upgrade and reboot " + p.name)
		st.world.Upgrade(p.idx, sim.IncidentUpgradeVersion)
		st.world.Reboot(p.idx, upgradeReboot)
		rebooting := by("HAPeerUnreachable", "info", "peer", p.name)
		st.expectFiring(t, within(at, st.hold("HAPeerUnreachable")+slack), append(slices.Clone(kept), rebooting)...)

		step(p.name + " back")
		st.hawatch.waitMetric(t, upgradeReboot+slack, state(p.name, "passive"), "1")
		st.expectFiring(t, 30*time.Second, kept...)
	}
	// Let every hold that a step may have started run out, and
	// Alertmanager flush its groups.
	time.Sleep(st.keep("HALinkDown") + 5*time.Second)
	if got := st.hook.paged(); len(got) > 0 {
		t.Errorf("the planned upgrade reached the receiver as warnings or criticals: %v", got)
	}

	at := step("links down (the incident)")
	for _, s := range sim.IncidentScaled(alertHoldScale).Steps {
		if s.Name == sim.StepNameLinksDown {
			s.Apply(st.world)
		}
	}
	links := by("HAPairLinksDown", "critical")
	eventually(t, within(at, st.hold("HAPairLinksDown")+slack), "the incident pages", func() error {
		for _, k := range st.hook.paged() {
			if _, ls := parseSeries("x" + k); links.matches(ls) {
				return nil
			}
		}
		return fmt.Errorf("no firing HAPairLinksDown notification; paged %v", st.hook.paged())
	})
	t.Logf("the incident paged %s after links down", time.Since(at).Round(100*time.Millisecond))
}
