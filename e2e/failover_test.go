package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim"
)

// failoverEnv watches an interface-move pair with holds short enough that
// HAFailoverNotReady (10 m in production) fires within seconds.
func failoverEnv(s *sim.Sim) map[string]string {
	env := simEnv(s)
	env["HAWATCH_AWS_HA_MODE"] = sim.AWSModeInterfaceMove
	env["HAWATCH_ALERT_HOLD_SCALE"] = "0.01"
	return env
}

// TestFailoverPredictedBeforeTheIncident plays the latent incident: while
// the pair still forwards through the active peer, the passive's untrust
// interface is configured outside the subnet of the ENI it would receive.
// hawatch must say so before anyone fails over: HAFailoverNotReady fires,
// `hawatch check` exits 1 naming the interface, its address and the
// subnet, and the cause sentence leads with it. A healthy pair never
// raises it.
func TestFailoverPredictedBeforeTheIncident(t *testing.T) {
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{Mode: sim.AWSModeInterfaceMove, MoveTime: 2 * time.Second}})
	env := failoverEnv(s)
	d := startDaemon(t, env)
	d.waitMetric(t, 30*time.Second, `hawatch_failover_ready{pair="edge"}`, "1")
	if code, out := runCheck(t, env); code != 0 || !strings.Contains(out, "PASS    failover-ready") {
		t.Fatalf("healthy pair: exit %d\n%s", code, out)
	}
	time.Sleep(8 * time.Second) // more than the scaled hold
	if m := d.metrics(t); strings.Contains(m, `alertname="HAFailoverNotReady"`) {
		t.Fatal("HAFailoverNotReady raised on a healthy pair")
	}

	s.World().SetInterfaceIP(1, sim.IfaceUntrust, sim.LatentUntrustIP)
	d.waitMetric(t, 30*time.Second, `hawatch_failover_ready{pair="edge"}`, "0")
	eventually(t, 30*time.Second, "HAFailoverNotReady firing", func() error {
		if m := d.metrics(t); !strings.Contains(m, `alertname="HAFailoverNotReady",pair="edge",severity="warning",state="firing"`) {
			return fmt.Errorf("not firing yet")
		}
		return nil
	})
	if s.World().Carrier() < 0 {
		t.Fatal("the latent fault must not stop traffic before the failover")
	}
	code, out := runCheck(t, env)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (not ready)\n%s", code, out)
	}
	for _, want := range []string{"FAIL    failover-ready", "ethernet1/2 of fw-b has 10.0.20.100/24", "10.0.2.0/24",
		"cause: a failover to fw-b now would fail: ethernet1/2 of fw-b has 10.0.20.100/24"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
}

// TestFailoverReadyAWSFaults runs the prediction through the real AWS SDK
// against the simulator's EC2 and IAM: a role that denies an action the
// VM-Series needs, an instance without a profile and a passive in another
// zone each fail the failover-ready check, naming what is wrong; IAM that
// refuses hawatch's questions leaves it unknown, never ready.
func TestFailoverReadyAWSFaults(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fault  func(w *sim.World)
		exit   int
		status string
		want   []string
	}{
		{"denied action", func(w *sim.World) { w.DenyIAMActions("ec2:AttachNetworkInterface") }, 1, "FAIL",
			[]string{"ec2:AttachNetworkInterface"}},
		{"no instance profile", func(w *sim.World) { w.SetInstanceProfile(1, false) }, 1, "FAIL",
			[]string{"fw-b", "instance profile"}},
		{"passive in another zone", func(w *sim.World) { w.SetInstanceAZ(1, "us-east-1b") }, 1, "FAIL",
			[]string{"us-east-1b"}},
		{"hawatch may not ask IAM", func(w *sim.World) { w.SetIAMAccessDenied(true) }, 2, "UNKNOWN",
			[]string{"AccessDenied", "more like it"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{Mode: sim.AWSModeInterfaceMove, MoveTime: 2 * time.Second}})
			tc.fault(s.World())
			code, out := runCheck(t, failoverEnv(s))
			line := checkLine(out, "failover-ready")
			if code != tc.exit || !strings.HasPrefix(line, tc.status) {
				t.Fatalf("exit %d, failover-ready %q; want exit %d and %s\n%s", code, line, tc.exit, tc.status, out)
			}
			for _, want := range tc.want {
				if !strings.Contains(line, want) {
					t.Errorf("failover-ready %q lacks %q", line, want)
				}
			}
		})
	}
}

// checkLine returns the report line of the named check.
func checkLine(out, check string) string {
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 1 && f[1] == check {
			return l
		}
	}
	return ""
}

// metrics returns the daemon's /metrics page.
func (d *daemon) metrics(t *testing.T) string {
	t.Helper()
	body, err := get(d.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	return body
}
