package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/alerts"
	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/sim"
)

// awsAlertRows are the rows about EC2 and Alertmanager.
func awsAlertRows() []faultRow {
	return []faultRow{
		{"10 EC2 throttled", rowThrottled},
		{"11 EC2 unauthorized on one action", rowUnauthorized},
		{"12 Alertmanager down", rowAlertmanagerDown},
		{"13 Alertmanager answers 400", rowAlertmanager400},
	}
}

// The EC2 calls of a region serve all its pairs: their failures are
// logged once for the region, with the operation and how many pairs it
// hit (the pairs' own lines are at debug level).
const (
	awsFailing   = "aws calls failing"
	awsRecovered = "aws calls recovered"
)

// throttleFor stands for the ten minutes of throttling, scaled
// down: long enough for several AWS polls (every 2 s) to be throttled.
const throttleFor = 10 * time.Second

func rowThrottled(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	failing := len(fx.d.logLines(awsFailing, nil))
	fx.world.SetThrottle(true)
	fx.d.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "0")
	fx.d.waitMetric(t, 10*time.Second, `hawatch_aws_throttled{pair="edge"}`, "1")
	time.Sleep(throttleFor)
	fx.alive(t)
	fx.d.waitMetric(t, 5*time.Second, peerUp("fw-a"), "1")
	lines := fx.d.logLines(awsFailing, nil)[failing:]
	throttled := false
	for _, l := range lines {
		throttled = throttled || strings.Contains(l.str("err"), "RequestLimitExceeded")
	}
	if !throttled {
		t.Errorf("no line says the region's EC2 calls are throttled: %v", lines)
	}
	// With a 1.6 s AWS deadline the SDK's retries of a throttled call
	// sometimes run out of time: the error then alternates between the
	// throttle and the deadline, a change each time.
	byOp := checkAWSLines(t, lines, 1+int(throttleFor/(2*time.Second)))
	fx.note("%d operations logged failing over %s", len(byOp), throttleFor)
	fx.cleared()
	fx.world.SetThrottle(false)
	fx.recovered(t, 30*time.Second, "aws up again", func() error {
		for series, want := range map[string]float64{`hawatch_aws_up{pair="edge"}`: 1, `hawatch_aws_throttled{pair="edge"}`: 0} {
			if v, _ := fx.d.gauge(t, series); v != want {
				return fmt.Errorf("%s = %v", series, v)
			}
		}
		return nil
	})
	if len(fx.d.logLines(awsRecovered, nil)) == 0 {
		t.Error("no line says the EC2 calls recovered")
	}
	fx.finish(t, 32)
}

func rowUnauthorized(t *testing.T, row string) {
	fx := newFixture(t, row, fixtureOpts{})
	fx.d.waitSample(t, "hawatch_aws_route_on_active_peer", []string{`pair="edge"`}, "1")
	fx.world.SetUnauthorized(probe.OpDescribeRouteTables)
	fx.d.waitAbsent(t, "hawatch_aws_route_on_active_peer")
	fx.d.waitMetric(t, 10*time.Second, `hawatch_aws_up{pair="edge"}`, "0")
	// The other calls still answer: their facts stay known.
	fx.d.waitSample(t, "hawatch_aws_eni_attached", []string{`pair="edge"`, `peer="fw-a"`}, "1")
	fx.d.waitSample(t, "hawatch_aws_interface_subnet_match", []string{`pair="edge"`}, "1")
	fx.d.waitSample(t, "hawatch_aws_floating_ip_on_active_peer", []string{`pair="edge"`}, "1")
	if v, _ := fx.d.gauge(t, `hawatch_aws_throttled{pair="edge"}`); v != 0 {
		t.Errorf("hawatch_aws_throttled = %v on an authorization failure", v)
	}
	time.Sleep(3 * time.Second)
	byOp := checkAWSLines(t, fx.d.logLines(awsFailing, nil), 1)
	for op, ls := range byOp {
		if op != probe.OpDescribeRouteTables {
			t.Errorf("%s logged failing: %s", op, ls[0].str("err"))
		} else if !strings.Contains(ls[0].str("err"), "UnauthorizedOperation") {
			t.Errorf("%s: %q does not say it is unauthorized", op, ls[0].str("err"))
		}
	}
	if len(byOp[probe.OpDescribeRouteTables]) == 0 {
		t.Error("no line names DescribeRouteTables as failing")
	}
	fx.cleared()
	fx.world.SetUnauthorized()
	fx.recovered(t, 30*time.Second, "routes known again", func() error {
		if v, ok := fx.d.gauge(t, `hawatch_aws_up{pair="edge"}`); !ok || v != 1 {
			return fmt.Errorf("aws_up = %v", v)
		}
		body, err := get(fx.d.URL + "/metrics")
		if err != nil {
			return err
		}
		if !strings.Contains(body, "\nhawatch_aws_route_on_active_peer{") {
			return fmt.Errorf("routes still unknown")
		}
		return nil
	})
	fx.finish(t, 32)
}

// requestID is the part of an EC2 error that differs on every request.
var requestID = regexp.MustCompile(`RequestID: [0-9a-fA-F-]+`)

// checkAWSLines groups "aws calls failing" lines by operation and checks
// that each operation logs at most maxPerOp different failures, never the
// same one twice in a row. Lines that differ from the previous one only by
// the EC2 request ID fail the test: the same failure, logged again.
func checkAWSLines(t *testing.T, lines []logLine, maxPerOp int) map[string][]logLine {
	t.Helper()
	byOp := map[string][]logLine{}
	for _, l := range lines {
		byOp[l.str("operation")] = append(byOp[l.str("operation")], l)
	}
	repeats := 0
	for op, ls := range byOp {
		changes := 0
		for i, l := range ls {
			switch {
			case i == 0:
				changes++
			case l.str("err") == ls[i-1].str("err"):
				t.Errorf("%s: the same failure logged twice in a row: %q", op, l.str("err"))
			case requestID.ReplaceAllString(l.str("err"), "") == requestID.ReplaceAllString(ls[i-1].str("err"), ""):
				repeats++
			default:
				changes++
			}
		}
		if changes > maxPerOp {
			t.Errorf("%s: %d different failures logged, want at most %d: %v", op, changes, maxPerOp, ls)
		}
	}
	t.Run("one log line per change", func(t *testing.T) {
		if repeats > 0 {
			t.Errorf("%d of %d lines repeat an EC2 failure that did not change but for its RequestID", repeats, len(lines))
		}
	})
	return byOp
}

// linkDownAlerts are the identities of HALinkDown for both peers on ha1.
func linkDownAlerts() []string {
	var out []string
	for _, p := range []string{"fw-a", "fw-b"} {
		out = append(out, labelKey(map[string]string{"alertname": "HALinkDown", "pair": "edge", "peer": p, "link": sim.LinkHA1}))
	}
	return out
}

// identityOf reduces an alert's labels to those linkDownAlerts keeps.
func identityOf(ls map[string]string) string {
	return labelKey(map[string]string{"alertname": ls["alertname"], "pair": ls["pair"], "peer": ls["peer"], "link": ls["link"]})
}

// scaledCondition returns a default condition with its holds scaled as
// hawatch scales them.
func scaledCondition(name string) alerts.Condition {
	for _, c := range alerts.ScaleHolds(alerts.DefaultConditions(), faultHoldScale) {
		if c.Name == name {
			return c
		}
	}
	panic("no condition " + name)
}

// rowAlertmanagerDown takes the Alertmanager away (connections refused)
// for at least outage while HALinkDown fires and resolves, and checks that
// both alerts reach it, resolved, with their start in the outage, once it
// is back.
func rowAlertmanagerDown(t *testing.T, row string) {
	const outage = 30 * time.Second
	am := startFakeAM(t)
	amProxy := startSwitchProxy(t, am.Addr)
	fx := newFixture(t, row, fixtureOpts{env: func(_ *fixture, env map[string]string) {
		env["HAWATCH_ALERTMANAGER_URLS"] = "http://" + amProxy.Addr
		env["HAWATCH_ALERTMANAGER_RESEND_DELAY"] = "2s"
	}})
	series := func(name string) string { return fmt.Sprintf(`%s{alertmanager=%q}`, name, amProxy.Addr) }
	down := time.Now()
	amProxy.Refuse()
	fx.world.SetHALink(sim.LinkHA1, false)
	fx.d.waitSample(t, "hawatch_alert_active", []string{`alertname="HALinkDown"`, `peer="fw-b"`, `state="firing"`}, "1")
	eventually(t, 20*time.Second, "failed deliveries", func() error {
		if v, _ := fx.d.gauge(t, series("hawatch_notifications_failed_total")); v == 0 {
			return fmt.Errorf("none failed yet")
		}
		return nil
	})
	fx.world.SetHALink(sim.LinkHA1, true)
	keep := scaledCondition("HALinkDown").KeepFiringFor
	eventually(t, keep+30*time.Second, "HALinkDown resolved in hawatch", func() error {
		body, err := get(fx.d.URL + "/metrics")
		if err != nil {
			return err
		}
		for s, v := range samples(body) {
			if strings.HasPrefix(s, "hawatch_alert_active{") && strings.Contains(s, `alertname="HALinkDown"`) && v == "1" {
				return fmt.Errorf("%s still active", s)
			}
		}
		return nil
	})
	time.Sleep(time.Until(down.Add(outage)))
	back := time.Now()
	fx.cleared()
	amProxy.Forward(am.Addr)
	want := linkDownAlerts()
	fx.recovered(t, 60*time.Second, "the alerts of the outage delivered", func() error {
		got := map[string]postedAlert{}
		for _, p := range am.received() {
			for _, a := range p.Alerts {
				if !p.At.Before(back) {
					got[identityOf(a.Labels)] = a
				}
			}
		}
		for _, k := range want {
			a, ok := got[k]
			switch {
			case !ok:
				return fmt.Errorf("%s not delivered", k)
			case a.StartsAt.Before(down) || a.StartsAt.After(back):
				return fmt.Errorf("%s starts at %s, outside the outage %s–%s", k, a.StartsAt, down, back)
			case a.EndsAt.After(back):
				return fmt.Errorf("%s delivered unresolved (endsAt %s)", k, a.EndsAt)
			}
		}
		return nil
	})
	fx.note("outage %s", back.Sub(down).Round(time.Second))
	if v, _ := fx.d.gauge(t, series("hawatch_notifications_dropped_total")); v != 0 {
		t.Errorf("%d alerts dropped", int(v))
	}
	attrs := map[string]string{"alertmanager": "http://" + amProxy.Addr}
	if n := len(fx.d.logLines("alertmanager is unreachable, alerts wait in the queue", attrs)); n != 1 {
		t.Errorf("%d lines say the alertmanager is unreachable, want 1", n)
	}
	eventually(t, 10*time.Second, "a line says the alertmanager is back", func() error {
		if n := len(fx.d.logLines("alertmanager is reachable again", attrs)); n != 1 {
			return fmt.Errorf("%d lines", n)
		}
		return nil
	})
	fx.finish(t, 32)
}

// rowAlertmanager400 has the Alertmanager reject every post with 400: the
// alerts are counted as dropped and logged, not retried in a loop.
func rowAlertmanager400(t *testing.T, row string) {
	am := startFakeAM(t)
	fx := newFixture(t, row, fixtureOpts{env: func(_ *fixture, env map[string]string) {
		env["HAWATCH_ALERTMANAGER_URLS"] = "http://" + am.Addr
		env["HAWATCH_ALERTMANAGER_RESEND_DELAY"] = "2s"
	}})
	series := func(name string) string { return fmt.Sprintf(`%s{alertmanager=%q}`, name, am.Addr) }
	am.status.Store(http.StatusBadRequest)
	fx.world.SetHALink(sim.LinkHA1, false)
	eventually(t, 30*time.Second, "alerts dropped", func() error {
		if v, _ := fx.d.gauge(t, series("hawatch_notifications_dropped_total")); v == 0 {
			return fmt.Errorf("none dropped")
		}
		return nil
	})
	const window = 10 * time.Second
	before := len(am.received())
	time.Sleep(window)
	posts := len(am.received()) - before
	fx.note("%d posts in %s while rejected", posts, window)
	// hawatch resends every 2 s; a retry loop would post hundreds of times.
	if posts > 12 {
		t.Errorf("%d posts in %s to an Alertmanager answering 400: a retry storm", posts, window)
	}
	rejected := fx.d.logLines("alertmanager rejected alerts, not retrying", map[string]string{"alertmanager": "http://" + am.Addr})
	if len(rejected) == 0 || !strings.Contains(rejected[0].str("err"), "400") {
		t.Errorf("no line names the alertmanager and its 400: %v", rejected)
	}
	fx.cleared()
	am.status.Store(http.StatusOK)
	fx.recovered(t, 30*time.Second, "alerts accepted again", func() error {
		if v, _ := fx.d.gauge(t, series("hawatch_notifications_sent_total")); v == 0 {
			return fmt.Errorf("none sent")
		}
		return nil
	})
	fx.world.SetHALink(sim.LinkHA1, true)
	fx.finish(t, 32)
}
