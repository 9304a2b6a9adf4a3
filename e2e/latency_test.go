package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// TestDetectionLatency measures, in one run, how long a fault takes to
// become an alert in Alertmanager through hawatch's own push and through
// the shipped Prometheus rules: a failover (HAPairFailover, no hold), then
// every data-plane link of both peers going down (HAPairLinksDown, 1 min
// hold). Two Prometheus servers scrape the same hawatch, one with a
// resend delay of 1 s and one with Prometheus's default of 1 min. It runs
// only with HAWATCH_LATENCY=1 (scripts/latency.sh), with production's
// holds on both paths (hold scale 1).
func TestDetectionLatency(t *testing.T) {
	if os.Getenv("HAWATCH_LATENCY") != "1" {
		t.Skip("set HAWATCH_LATENCY=1 (or run scripts/latency.sh) to measure detection latency")
	}
	const resend = time.Second
	st := startStack(t, stackOptions{Prometheus: true, ResendDelay: resend, PromResendDelay: time.Second})
	slow := startTap(t, st.am.URL)
	slowProm := startPrometheus(t, promOptions{
		Target:       strings.TrimPrefix(st.hawatch.URL, "http://"),
		Alertmanager: slow.Host(),
		Rules:        st.rules,
		ResendDelay:  time.Minute,
	})
	slowProm.waitEvaluating(t)
	paths := []struct {
		name string
		tp   *tap
	}{
		{"direct (hawatch push)", st.direct},
		{"prometheus rule, resend-delay 1s", st.rule},
		{"prometheus rule, resend-delay 1m", slow},
	}

	measure := func(alertname string, fault func()) []time.Duration {
		at := time.Now()
		fault()
		out := make([]time.Duration, len(paths))
		eventually(t, within(at, st.hold(alertname)+slack), alertname+" delivered on every path", func() error {
			for i, p := range paths {
				got, ok := p.tp.firstFiring(alertname, at)
				if !ok {
					return fmt.Errorf("%s has not delivered %s", p.name, alertname)
				}
				out[i] = got.Sub(at)
			}
			return nil
		})
		return out
	}
	failover := measure("HAPairFailover", st.world.Failover)
	links := measure("HAPairLinksDown", func() {
		for i := range 2 {
			st.world.SetInterface(i, sim.IfaceUntrust, false)
			st.world.SetInterface(i, sim.IfaceTrust, false)
		}
	})

	var b strings.Builder
	fmt.Fprintf(&b, "settings: hold scale %g on both paths; hawatch poll 1s (AWS 2s), hawatch resend-delay %s; Prometheus scrape 1s, evaluation 1s; Alertmanager group_wait 1s\n",
		st.scale, resend)
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "path\tHAPairFailover (for 0s)\tHAPairLinksDown (for %s)\tbeyond the hold\n", st.hold("HAPairLinksDown"))
	for i, p := range paths {
		fmt.Fprintf(w, "%s\t%.2fs\t%.2fs\t%.2fs\n", p.name, failover[i].Seconds(), links[i].Seconds(),
			(links[i] - st.hold("HAPairLinksDown")).Seconds())
	}
	_ = w.Flush()
	t.Logf("time from fault until the alert is accepted by Alertmanager:\n%s", b.String())
	fmt.Print(b.String())
}
