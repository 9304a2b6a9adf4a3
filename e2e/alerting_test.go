package e2e

import (
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/sim"
	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
)

// alertHoldScale is the hold scale of the alerting tests: hawatch runs
// with HAWATCH_ALERT_HOLD_SCALE set to it and Prometheus evaluates the
// rules with their holds scaled alike, so that a one-minute `for` lasts
// 6 s and a five-minute keep_firing_for 30 s on both paths. The windows
// the conditions look back over are not holds and keep their length on
// both paths: HAPairFailover's 10 min, HAPairFlapping's 30 min and the
// hour of HAPairTrafficStopped's baseline. The tests still wait for the
// holds, so they run in parallel with each other.
const alertHoldScale = 0.1

// by builds a want for an alert of the pair "edge".
func by(alertname, severity string, kv ...string) want {
	w := want{"alertname": alertname, "pair": "edge", "severity": severity}
	for i := 0; i+1 < len(kv); i += 2 {
		w[kv[i]] = kv[i+1]
	}
	return w
}

// within returns the time left until d after since.
func within(since time.Time, d time.Duration) time.Duration { return time.Until(since.Add(d)) }

// slack is what the alerting tests allow beyond a hold: a poll, a scrape,
// an evaluation, a push and a loaded race-enabled machine. It bounds the
// waits only; a passing test does not spend it.
const slack = 45 * time.Second

// TestIncidentAlertsBothPaths plays the incident step by step and checks
// after each step which alerts are active in Alertmanager, that hawatch
// and the shipped Prometheus rules delivered each of them with identical
// labels, that Alertmanager notified each once, and that after the
// recovery every one resolves on both paths but HAPairFailover, whose
// 10-minute window outlasts the test.
func TestIncidentAlertsBothPaths(t *testing.T) {
	t.Parallel()
	start := time.Now()
	st := startStack(t, stackOptions{Prometheus: true, HoldScale: alertHoldScale,
		World: sim.WorldOptions{InitialHold: 2 * time.Second}})
	steps := map[string]sim.Step{}
	for _, s := range sim.IncidentScaled(0.1).Steps {
		steps[s.Name] = s
	}
	apply := func(name string) time.Time {
		t.Logf("incident step %s, %s into the test", name, time.Since(start).Round(100*time.Millisecond))
		steps[name].Apply(st.world)
		return time.Now()
	}
	state := func(peer, s string) string {
		return fmt.Sprintf(`hawatch_ha_state{pair="edge",peer=%q,state=%q}`, peer, s)
	}

	apply(sim.StepNameHealthy)
	st.expectFiring(t, 10*time.Second)

	// B reboots for 2.5 s: HAPeerUnreachable (12 s) must hold, not fire; B
	// comes back on a newer version, which holds HAVersionMismatch (3 min)
	// pending.
	apply(sim.StepNameUpgradePassive)
	st.expectPending(t, 60*time.Second, "HAVersionMismatch")
	st.hawatch.waitMetric(t, 30*time.Second, state("fw-b", "passive"), "1")
	st.expectFiring(t, 10*time.Second)

	// A is suspended by the operator and B takes over. HAPairFailover has
	// no hold and stays for its window (10 min) to the end of the test.
	at := apply(sim.StepNameFailover)
	failover := by("HAPairFailover", "info", "peer", "fw-b")
	st.expectFiring(t, 30*time.Second, failover)
	suspended := by("HAPeerSuspended", "info", "peer", "fw-a")
	am := st.expectFiring(t, within(at, st.hold("HAPeerSuspended")+slack), failover, suspended)

	// A is upgraded and comes back passive: the suspension resolves.
	at = apply(sim.StepNameUpgradeOther)
	st.expectResolved(t, 60*time.Second, at, keysOf(am, suspended)...)
	st.hawatch.waitMetric(t, 30*time.Second, state("fw-a", "passive"), "1")
	st.expectFiring(t, 10*time.Second, failover)

	// Every link goes down, B's untrust address leaves its subnet, the
	// route is blackholed and traffic stops. The alerts fire as their
	// holds run out: links after 6 s, AWS after 12, traffic after 18, on
	// the traffic seen since the start (the hour-long baseline).
	at = apply(sim.StepNameLinksDown)
	links := []want{failover, by("HAPairLinksDown", "critical")}
	for _, peer := range []string{"fw-a", "fw-b"} {
		for _, link := range []string{sim.LinkHA1, sim.LinkHA2} {
			links = append(links, by("HALinkDown", "warning", "peer", peer, "link", link))
		}
	}
	st.expectFiring(t, within(at, st.hold("HAPairLinksDown")+slack), links...)
	// The blackholed route must raise HAAWSBlackholeRoute, and may raise
	// HAAWSRouteNotOnActivePeer (its target is on no peer); both paths
	// must agree on either. A missing HAAWSBlackholeRoute is reported at
	// the end, so that the recovery is still checked.
	blackhole := by("HAAWSBlackholeRoute", "critical", "route_table", sim.TrustRouteTable, "destination", "0.0.0.0/0")
	routes := []want{blackhole, by("HAAWSRouteNotOnActivePeer", "critical")}
	aws := append(slices.Clone(links),
		by("HAAWSInterfaceSubnetMismatch", "critical", "peer", "fw-b", "interface", sim.IfaceUntrust))
	st.expectFiringOpt(t, within(at, st.hold("HAAWSInterfaceSubnetMismatch")+slack), routes, aws...)
	all := append(slices.Clone(aws), by("HAPairTrafficStopped", "critical"))
	am = st.expectFiringOpt(t, within(at, st.hold("HAPairTrafficStopped")+slack), routes, all...)
	t.Logf("firing after links-down: %v", slices.Sorted(maps.Keys(am)))
	if len(keysOf(am, blackhole)) == 0 {
		t.Errorf("%v never fired on either path, %v after the incident blackholed the default route of %s (hawatch_aws_route_blackhole stays absent)",
			blackhole, time.Since(at).Round(time.Second), sim.TrustRouteTable)
	}

	// Recovery: both paths see the conditions clear and keep the alerts
	// firing for keep_firing_for (30 s), then resolve them and the webhook
	// is notified. HAPairFailover alone stays, on both paths, for the rest
	// of its window.
	at = apply(sim.StepNameRecovery)
	kept := slices.Clone(all[1:])
	for _, w := range routes {
		if len(keysOf(am, w)) > 0 {
			kept = append(kept, w)
		}
	}
	st.expectKeptFiring(t, within(at, st.keep("HAPairLinksDown")), kept)
	st.expectFiringOpt(t, 10*time.Second, routes, all...)
	var keys []string
	for _, w := range kept {
		keys = append(keys, keysOf(am, w)...)
	}
	st.expectResolved(t, within(at, st.keep("HAPairLinksDown")+slack), at, keys...)
	t.Logf("resolved %d alerts %s after the recovery", len(keys), time.Since(at).Round(100*time.Millisecond))
	st.expectFiring(t, 10*time.Second, failover)
}

// TestMonitoringBlind makes both peers unreachable: HAMonitoringBlind
// fires on both paths, said once for the pair (not HAPeerUnreachable per
// peer), HAPairLinksDown does not, and it resolves when the peers answer
// again.
func TestMonitoringBlind(t *testing.T) {
	t.Parallel()
	st := startStack(t, stackOptions{Prometheus: true, HoldScale: alertHoldScale})
	at := time.Now()
	st.world.SetReachable(sim.PeerA, false)
	st.world.SetReachable(sim.PeerB, false)
	blind := []want{by("HAMonitoringBlind", "critical")}
	am := st.expectFiring(t, within(at, st.hold("HAMonitoringBlind")+slack), blind...)
	st.expectNever(t, "HAPairLinksDown", "HAPairNoActivePeer", "HAPairTrafficStopped", "HAPeerUnreachable")

	at = time.Now()
	st.world.SetReachable(sim.PeerA, true)
	st.world.SetReachable(sim.PeerB, true)
	var keys []string
	for _, w := range blind {
		keys = append(keys, keysOf(am, w)...)
	}
	st.expectResolved(t, 60*time.Second, at, keys...)
	st.expectFiring(t, 10*time.Second)
}

// TestAlertmanagerOutageLosesNothing stops Alertmanager, lets an alert
// fire while it is down, and starts it again on the same port and
// storage: hawatch's queue delivers the alert, with its original start,
// and drops nothing.
func TestAlertmanagerOutageLosesNothing(t *testing.T) {
	t.Parallel()
	st := startStack(t, stackOptions{NoTap: true, HoldScale: alertHoldScale})
	series := func(name string) string { return fmt.Sprintf(`%s{alertmanager=%q}`, name, st.am.addr) }
	failed, dropped := series("hawatch_notifications_failed_total"), series("hawatch_notifications_dropped_total")
	if v := st.gauge(t, failed); v != 0 {
		t.Fatalf("%s = %v before the outage", failed, v)
	}

	st.am.stop()
	at := time.Now()
	st.world.SetHALink(sim.LinkHA1, false)
	down := []want{
		by("HALinkDown", "warning", "peer", "fw-a", "link", sim.LinkHA1),
		by("HALinkDown", "warning", "peer", "fw-b", "link", sim.LinkHA1),
	}
	var firstFailed float64
	eventually(t, within(at, st.hold("HALinkDown")+slack), "HALinkDown firing in hawatch, delivery failing", func() error {
		h, err := st.hawatchAlerts("firing")
		if err != nil {
			return err
		}
		for _, w := range down {
			if len(keysOf(h, w)) == 0 {
				return fmt.Errorf("hawatch does not hold %v firing", w)
			}
		}
		if firstFailed = st.gauge(t, failed); firstFailed == 0 {
			return fmt.Errorf("%s = 0", failed)
		}
		return nil
	})
	// Let hawatch retry at least once more before Alertmanager returns.
	eventually(t, 30*time.Second, "another failed delivery", func() error {
		if v := st.gauge(t, failed); v <= firstFailed {
			return fmt.Errorf("%s = %v", failed, v)
		}
		return nil
	})

	restarted := time.Now()
	st.am.start(t)
	am := st.expectFiring(t, 60*time.Second, down...)
	as, err := st.am.alerts()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if !a.StartsAt.Before(restarted) {
			t.Errorf("%s starts at %s, after Alertmanager came back at %s: not the alert that fired during the outage",
				labelKey(a.Labels), a.StartsAt, restarted)
		}
	}
	if len(am) != len(down) {
		t.Errorf("alertmanager holds %d alerts, want %d", len(am), len(down))
	}
	if v := st.gauge(t, dropped); v != 0 {
		t.Errorf("%s = %v, want 0", dropped, v)
	}
	if v := st.gauge(t, failed); v <= firstFailed {
		t.Errorf("%s = %v, want more than %v", failed, v, firstFailed)
	}
}

// ruleFile is a rule file decoded with every key kept.
type ruleFile struct {
	Groups []struct {
		Rules []map[string]any `yaml:"rules"`
		Rest  map[string]any   `yaml:",inline"`
	} `yaml:"groups"`
	Rest map[string]any `yaml:",inline"`
}

// TestScaledRules checks that the scaled copy of the rules differs from
// the shipped file only in its holds, and that each hold is the one
// hawatch gives the condition at the same scale.
func TestScaledRules(t *testing.T) {
	t.Parallel()
	conds := map[string]alerts.Condition{}
	for _, c := range alerts.ScaleHolds(alerts.DefaultConditions(), alertHoldScale) {
		conds[c.Name] = c
	}
	orig, scaled := readRules(t, rulesFile), readRules(t, scaledRules(t, alertHoldScale))
	if len(orig.Groups) == 0 || len(scaled.Groups) != len(orig.Groups) {
		t.Fatalf("%d groups, want %d", len(scaled.Groups), len(orig.Groups))
	}
	for i, g := range scaled.Groups {
		if len(g.Rules) != len(orig.Groups[i].Rules) {
			t.Fatalf("group %d: %d rules, want %d", i, len(g.Rules), len(orig.Groups[i].Rules))
		}
		for j, r := range g.Rules {
			name, _ := r["alert"].(string)
			c, ok := conds[name]
			promOnly := !ok && slices.Contains(alerts.PromQLOnly(), name)
			for key, want := range map[string]time.Duration{"for": c.For, "keep_firing_for": c.KeepFiringFor} {
				if promOnly {
					// No engine hold to compare with: only the scaling.
					if _, ok := orig.Groups[i].Rules[j][key]; ok {
						orig.Groups[i].Rules[j][key] = r[key]
					}
					continue
				}
				s, _ := r[key].(string)
				got, err := model.ParseDuration(s)
				if s == "" {
					got, err = 0, nil
				}
				if err != nil || time.Duration(got) != want {
					t.Errorf("%s: %s %q at scale %g, hawatch holds it %v (%v)", name, key, s, alertHoldScale, want, err)
				}
				if _, ok := orig.Groups[i].Rules[j][key]; ok {
					orig.Groups[i].Rules[j][key] = r[key]
				}
			}
		}
	}
	if !reflect.DeepEqual(scaled, orig) {
		t.Errorf("the scaled rules differ from %s in more than their holds", rulesFile)
	}
}

// readRules decodes a rule file.
func readRules(t *testing.T, path string) ruleFile {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}
