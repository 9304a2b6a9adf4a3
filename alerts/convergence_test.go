package alerts

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// failedOverTo returns the pair after a failover to b, b having been
// active for d, with the given AWS view and traffic.
func failedOverTo(d time.Duration, v *snapshot.AWSView, t snapshot.Traffic) *snapshot.Pair {
	p := mkPair(okPeer("a", probe.StatePassive),
		okPeer("b", probe.StateActive, withHA(func(h *probe.HAInfo) { h.LocalStateDuration = d })))
	p.AWSView, p.Traffic = v, t
	return p
}

// awsOn returns the healthy view with the given peer active, and whether
// the route and floating IP have followed it.
func awsOn(active string, followed bool) *snapshot.AWSView {
	v := awsHealthy()
	v.ActivePeer = active
	if !followed {
		v.Routes[0].OnActive, v.FloatingIPs[0].OnActive = probe.No, probe.No
	}
	return v
}

func TestFailoverConvergence(t *testing.T) {
	e := NewEngine(EngineOptions{})
	c := e.Collector()
	const names = "hawatch_failover_convergence_seconds"
	start := healthy()
	start.AWSView = awsOn("a", true)
	e.Eval(t0, start)
	// b took over 10s before the poll at 30s: the change dates from 20s.
	e.Eval(at(30*time.Second), failedOverTo(10*time.Second, awsOn("b", false), stopped))
	if err := testutil.CollectAndCompare(c, strings.NewReader(""), names); err != nil {
		t.Fatalf("convergence before measurement: %v", err)
	}
	e.Eval(at(60*time.Second), failedOverTo(40*time.Second, awsOn("b", false), flowing))
	e.Eval(at(90*time.Second), failedOverTo(70*time.Second, awsOn("b", true), flowing))
	want := `
# HELP hawatch_failover_convergence_seconds ` + convergenceHelp + `
# TYPE hawatch_failover_convergence_seconds gauge
hawatch_failover_convergence_seconds{pair="p1",phase="aws"} 70
hawatch_failover_convergence_seconds{pair="p1",phase="traffic"} 40
# HELP hawatch_failovers_total Changes of the pair's single active peer seen by hawatch.
# TYPE hawatch_failovers_total counter
hawatch_failovers_total{pair="p1"} 1
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), names, "hawatch_failovers_total"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(c, "hawatch_failover_convergence_duration_seconds"); n != 2 {
		t.Errorf("histogram series = %d, want 2", n)
	}
	// A later failover drops the old values until it is measured.
	back := healthy()
	back.AWSView, back.Traffic = awsOn("a", false), stopped
	e.Eval(at(5*time.Minute), back)
	if err := testutil.CollectAndCompare(c, strings.NewReader(""), names); err != nil {
		t.Fatalf("convergence of a new failover: %v", err)
	}
}

func TestConvergenceGivesUp(t *testing.T) {
	e := NewEngine(EngineOptions{})
	e.Eval(t0, healthy())
	for m := 1; m <= 40; m++ {
		e.Eval(at(time.Duration(m)*time.Minute), failedOverTo(time.Hour, awsOn("b", false), stopped))
	}
	e.Eval(at(41*time.Minute), failedOverTo(time.Hour, awsOn("b", true), flowing))
	if n := testutil.CollectAndCount(e.Collector(), "hawatch_failover_convergence_seconds"); n != 0 {
		t.Errorf("measured a convergence after %v", ConvergenceTimeout)
	}
}

func TestAlertActiveMetric(t *testing.T) {
	e := NewEngine(EngineOptions{})
	e.Eval(t0, suspendedB())
	e.Eval(at(time.Minute), mkPair(okPeer("a", probe.StateActive), okPeer("b", probe.StateSuspended,
		withHA(func(h *probe.HAInfo) { h.LastErrorReason = "Preemption flap"; h.Links[0].Up = false }))))
	want := `
# HELP hawatch_alert_active ` + alertActiveHelp + `
# TYPE hawatch_alert_active gauge
hawatch_alert_active{alertname="HALinkDown",link="ha1",pair="p1",peer="b",severity="warning",state="pending"} 1
hawatch_alert_active{alertname="HAPeerSuspended",pair="p1",peer="b",severity="warning",state="firing"} 1
`
	if err := testutil.CollectAndCompare(e.Collector(), strings.NewReader(want), "hawatch_alert_active"); err != nil {
		t.Fatal(err)
	}
	// Resolved alerts are not active.
	e.Eval(at(2*time.Minute), healthy())
	if n := testutil.CollectAndCount(e.Collector(), "hawatch_alert_active"); n != 0 {
		t.Errorf("%d active series after resolution", n)
	}
}
