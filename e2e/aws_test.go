package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/sim"
)

// waitSample waits until a series of metric whose labels contain every
// fragment has the value.
func (d *daemon) waitSample(t *testing.T, metric string, fragments []string, value string) {
	t.Helper()
	eventually(t, 30*time.Second, fmt.Sprintf("%s%v = %s", metric, fragments, value), func() error {
		body, err := get(d.URL + "/metrics")
		if err != nil {
			return err
		}
		var seen []string
		for series, v := range samples(body) {
			if !strings.HasPrefix(series, metric+"{") {
				continue
			}
			ok := true
			for _, f := range fragments {
				ok = ok && strings.Contains(series, f)
			}
			if ok {
				if v == value {
					return nil
				}
				seen = append(seen, series+" "+v)
			}
		}
		return fmt.Errorf("seen %v", seen)
	})
}

// waitAbsent waits until no series of metric is exported.
func (d *daemon) waitAbsent(t *testing.T, metric string) {
	t.Helper()
	eventually(t, 30*time.Second, metric+" absent", func() error {
		body, err := get(d.URL + "/metrics")
		if err != nil {
			return err
		}
		if strings.Contains(body, "\n"+metric+"{") {
			return fmt.Errorf("%s still exported", metric)
		}
		return nil
	})
}

// TestAWSFaults injects each AWS fault of the simulator in turn and checks
// the correlation metrics the daemon exports through the real SDK client.
func TestAWSFaults(t *testing.T) {
	s := startSim(t, sim.Options{})
	w := s.World()
	d := startDaemon(t, simEnv(s))
	d.waitMetric(t, 30*time.Second, `hawatch_aws_mode_info{mode="secondary-ip",pair="edge"}`, "1")
	untrustB := w.ENI(sim.PeerB, sim.IfaceUntrust)
	trustA := w.ENI(sim.PeerA, sim.IfaceTrust)

	t.Run("interface outside its ENI subnet", func(t *testing.T) {
		w.SetInterfaceIP(sim.PeerB, sim.IfaceUntrust, "10.0.9.11/24")
		d.waitSample(t, "hawatch_aws_interface_subnet_match", []string{`eni="` + untrustB + `"`, `peer="fw-b"`, `interface="ethernet1/2"`}, "0")
		w.SetInterfaceIP(sim.PeerB, sim.IfaceUntrust, "")
		d.waitSample(t, "hawatch_aws_interface_subnet_match", []string{`eni="` + untrustB + `"`}, "1")
	})
	t.Run("source/dest check on", func(t *testing.T) {
		w.SetSourceDestCheck(trustA, true)
		d.waitSample(t, "hawatch_aws_source_dest_check_enabled", []string{`eni="` + trustA + `"`}, "1")
		w.RestoreAWS()
		d.waitSample(t, "hawatch_aws_source_dest_check_enabled", []string{`eni="` + trustA + `"`}, "0")
	})
	t.Run("blackhole route", func(t *testing.T) {
		w.BlackholeRoute()
		d.waitSample(t, "hawatch_aws_route_blackhole", []string{`destination="0.0.0.0/0"`}, "1")
		w.RestoreAWS()
		d.waitSample(t, "hawatch_aws_route_blackhole", []string{`destination="0.0.0.0/0"`}, "0")
	})
	t.Run("instance impaired", func(t *testing.T) {
		w.SetInstanceStatus(sim.PeerB, "impaired")
		d.waitSample(t, "hawatch_aws_instance_status_ok", []string{`peer="fw-b"`}, "0")
		w.RestoreAWS()
		d.waitSample(t, "hawatch_aws_instance_status_ok", []string{`peer="fw-b"`}, "1")
	})
	t.Run("ENI detached", func(t *testing.T) {
		w.DetachENI(untrustB)
		d.waitSample(t, "hawatch_aws_eni_attached", []string{`eni="` + untrustB + `"`}, "0")
		w.RestoreAWS()
		d.waitSample(t, "hawatch_aws_eni_attached", []string{`eni="` + untrustB + `"`}, "1")
	})
	t.Run("AWS does not follow a failover", func(t *testing.T) {
		w.SetAWSFollowsFailover(false)
		w.Failover()
		d.waitMetric(t, 30*time.Second, `hawatch_ha_state{pair="edge",peer="fw-b",state="active"}`, "1")
		d.waitSample(t, "hawatch_aws_route_on_active_peer", []string{`destination="0.0.0.0/0"`}, "0")
		d.waitSample(t, "hawatch_aws_floating_ip_on_active_peer", []string{`kind="eip"`}, "0")
		w.RestoreAWS()
		d.waitSample(t, "hawatch_aws_route_on_active_peer", []string{`destination="0.0.0.0/0"`}, "1")
		d.waitSample(t, "hawatch_aws_floating_ip_on_active_peer", []string{`kind="eip"`}, "1")
	})
	t.Run("throttled: unknown, and PAN-OS still watched", func(t *testing.T) {
		w.SetThrottle(true)
		d.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "0")
		d.waitAbsent(t, "hawatch_aws_route_on_active_peer")
		d.waitMetric(t, 5*time.Second, `hawatch_peer_up{pair="edge",peer="fw-a"}`, "1")
		w.SetThrottle(false)
		d.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "1")
	})
	t.Run("every EC2 call unauthorized", func(t *testing.T) {
		w.SetUnauthorized(probe.AWSOperations()...)
		d.waitMetric(t, 30*time.Second, `hawatch_aws_up{pair="edge"}`, "0")
		d.waitAbsent(t, "hawatch_aws_interface_subnet_match")
		d.waitMetric(t, 5*time.Second, `hawatch_peer_up{pair="edge",peer="fw-b"}`, "1")
		d.waitMetric(t, 5*time.Second, `hawatch_poll_success{pair="edge"}`, "1")
		if !strings.Contains(d.logs.String(), "UnauthorizedOperation") {
			t.Error("no log line names the refused EC2 call")
		}
		w.SetUnauthorized()
	})
}

// TestAWSInterfaceMove: in interface-move mode a failover moves the
// data-plane ENIs to the new active peer, and hawatch follows them.
func TestAWSInterfaceMove(t *testing.T) {
	s := startSim(t, sim.Options{WorldOptions: sim.WorldOptions{Mode: sim.AWSModeInterfaceMove, MoveTime: 2 * time.Second}})
	w := s.World()
	d := startDaemon(t, simEnv(s))
	d.waitMetric(t, 30*time.Second, `hawatch_aws_mode_info{mode="interface-move",pair="edge"}`, "1")
	d.waitSample(t, "hawatch_aws_eni_attached", []string{`peer="fw-a"`, `device_index="2"`}, "1")
	w.Failover()
	d.waitSample(t, "hawatch_aws_eni_attached", []string{`peer="fw-b"`, `device_index="2"`}, "1")
	d.waitSample(t, "hawatch_aws_route_on_active_peer", []string{`destination="0.0.0.0/0"`}, "1")
}
