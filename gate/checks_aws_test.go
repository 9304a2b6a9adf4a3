package gate

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

func TestAWSChecks(t *testing.T) {
	runCheckCases(t, []checkCase{{
		name: "instances ok", check: CheckAWSInstances, status: StatusPass,
		evidence: []string{"i-a of fw-a running, status checks ok/ok", "i-b of fw-b running"},
	}, {
		name: "instance impaired",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Instances[1] = snapshot.InstanceCheck{Peer: "fw-b", InstanceID: "i-b", State: "running",
				SystemStatus: "ok", InstanceStatus: "impaired", OK: probe.No,
				Problem: "instance i-b of fw-b fails its status checks: system ok, instance impaired"}
		},
		check: CheckAWSInstances, status: StatusFail,
		evidence: []string{"instance i-b of fw-b fails its status checks: system ok, instance impaired"}, exit: exitIs(1),
	}, {
		name: "instance status not known yet",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Instances[1].OK, p.AWSView.Instances[1].InstanceStatus = probe.Unknown, "initializing"
			p.AWS.Errors["DescribeInstanceStatus"] = errors.New("throttled")
		},
		check: CheckAWSInstances, status: StatusUnknown,
		evidence: []string{"i-b of fw-b: state running, status checks ok/initializing: DescribeInstanceStatus: throttled"},
		exit:     exitIs(2),
	}, {
		name: "ENIs attached", check: CheckAWSENIs, status: StatusPass,
		evidence: []string{"4 ENI(s) attached where they belong (mode interface-move, active fw-a)"},
	}, {
		name: "data-plane ENI left on the passive",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.ENIs[2] = snapshot.ENICheck{Peer: "fw-b", ENI: "eni-a2", DeviceIndex: 2, Interface: "ethernet1/2",
				Role: probe.RoleDataPlane, Status: "in-use", Attached: probe.No, SourceDestCheck: true,
				Problem: "data-plane eni-a2 (ethernet1/2) is attached to fw-b (i-b), not to active peer fw-a (i-a); " +
					"source/destination check is enabled on eni-a2 (ethernet1/2) of fw-b; the firewall cannot forward through it"}
		},
		check: CheckAWSENIs, status: StatusFail,
		evidence: []string{"data-plane eni-a2 (ethernet1/2) is attached to fw-b (i-b), not to active peer fw-a (i-a)"},
	}, {
		name: "ENI attachment cannot be told",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.ENIs[1].Attached = probe.Unknown
			p.AWSView.ActivePeer = ""
		},
		check: CheckAWSENIs, status: StatusUnknown,
		evidence: []string{"eni-a1 (ethernet1/1) of fw-a: where it belongs cannot be told (no single active peer to compare with)"},
	}, {
		name: "ENIs not readable",
		mutate: func(p *snapshot.Pair) {
			p.AWS.Errors["DescribeNetworkInterfaces"] = errors.New("UnauthorizedOperation")
			p.AWSView.ENIs = nil
		},
		check: CheckAWSENIs, status: StatusUnknown,
		evidence: []string{"ENIs cannot be told: DescribeNetworkInterfaces: UnauthorizedOperation"}, exit: exitIs(2),
	}, {
		name: "source/dest check off", check: CheckAWSSourceDest, status: StatusPass,
		evidence: []string{"off on 2 data-plane ENI(s)"},
	}, {
		name:   "source/dest check left on",
		mutate: func(p *snapshot.Pair) { p.AWSView.ENIs[2].SourceDestCheck = true },
		check:  CheckAWSSourceDest, status: StatusFail,
		evidence: []string{"source/destination check is enabled on eni-a2 (ethernet1/2) of fw-a"}, exit: exitIs(1),
	}, {
		name: "interfaces in their subnets", check: CheckAWSSubnets, status: StatusPass,
		evidence: []string{"ethernet1/1 of fw-a has 10.0.1.10/24, in subnet 10.0.1.0/24 of eni-a1"},
	}, {
		name: "interface IP outside its ENI subnet (the incident)",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Interfaces[1] = snapshot.SubnetCheck{Peer: "fw-a", Interface: "ethernet1/2", ENI: "eni-a2",
				IP: "10.0.9.11/24", SubnetCIDR: "10.0.2.0/24", Match: probe.No,
				Problem: "ethernet1/2 of fw-a has 10.0.9.11/24, outside subnet subnet-2 10.0.2.0/24 of eni-a2"}
		},
		check: CheckAWSSubnets, status: StatusFail,
		evidence: []string{"ethernet1/2 of fw-a has 10.0.9.11/24, outside subnet subnet-2 10.0.2.0/24 of eni-a2"}, exit: exitIs(1),
	}, {
		name: "subnet not readable",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Interfaces[0].Match, p.AWSView.Interfaces[0].SubnetCIDR = probe.Unknown, ""
			p.AWS.Errors["DescribeSubnets"] = errors.New("RequestLimitExceeded")
		},
		check: CheckAWSSubnets, status: StatusUnknown,
		evidence: []string{"ethernet1/1 of fw-a (10.0.1.10/24) cannot be compared with eni-a1: DescribeSubnets: RequestLimitExceeded"},
	}, {
		name: "routes on the active", check: CheckAWSRoutes, status: StatusPass,
		evidence: []string{"0.0.0.0/0 in rtb-1 -> eni-a2 (fw-a)"},
	}, {
		name: "route left on the passive",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Routes[0] = snapshot.RouteCheck{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-b2",
				TargetPeer: "fw-b", OnActive: probe.No,
				Problem: "route 0.0.0.0/0 in rtb-1 targets eni-b2 of fw-b, not active peer fw-a (i-a)"}
		},
		check: CheckAWSRoutes, status: StatusFail,
		evidence: []string{"route 0.0.0.0/0 in rtb-1 targets eni-b2 of fw-b, not active peer fw-a (i-a)"}, exit: exitIs(1),
	}, {
		name: "blackhole route",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Routes[0].Blackhole = true
			p.AWSView.Routes[0].Problem = "route 0.0.0.0/0 in rtb-1 is a blackhole (target eni-a2)"
		},
		check: CheckAWSRoutes, status: StatusFail,
		evidence: []string{"is a blackhole (target eni-a2)"},
	}, {
		name: "route owner unknown",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Routes[0].OnActive, p.AWSView.Routes[0].TargetPeer = probe.Unknown, ""
		},
		check: CheckAWSRoutes, status: StatusUnknown,
		evidence: []string{"route 0.0.0.0/0 in rtb-1 targets eni-a2, whose peer cannot be told"},
	}, {
		name: "routes not readable",
		mutate: func(p *snapshot.Pair) {
			p.AWS.Errors["DescribeRouteTables"] = errors.New("RequestLimitExceeded")
			p.AWSView.Routes = nil
		},
		check: CheckAWSRoutes, status: StatusUnknown,
		evidence: []string{"routes cannot be told: DescribeRouteTables: RequestLimitExceeded"}, exit: exitIs(2),
	}, {
		name: "floating IP owner unknown",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Mode, p.AWSView.ActivePeer = probe.AWSModeSecondaryIP, ""
			p.AWSView.FloatingIPs = []snapshot.FloatingIPCheck{{IP: "10.0.1.100", Kind: "secondary-ip", ENI: "eni-a1", Peer: "fw-a"}}
		},
		check: CheckAWSFloatingIPs, status: StatusUnknown,
		evidence: []string{"secondary-ip 10.0.1.100 on eni-a1 of fw-a: whether it is on the active peer cannot be told (no single active peer to compare with)"},
	}, {
		name: "floating IPs not used in interface-move", check: CheckAWSFloatingIPs, status: StatusPass,
		evidence: []string{"no floating IPs to follow the active peer (mode interface-move)"},
	}, {
		name: "floating IP on the passive in secondary-ip mode",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Mode = probe.AWSModeSecondaryIP
			p.AWSView.FloatingIPs = []snapshot.FloatingIPCheck{
				{IP: "10.0.1.100", Kind: "secondary-ip", ENI: "eni-a1", Peer: "fw-a", OnActive: probe.Yes},
				{IP: "10.0.2.100", Kind: "secondary-ip", ENI: "eni-b2", Peer: "fw-b", OnActive: probe.No,
					Problem: "floating IP 10.0.2.100 is on eni-b2 (ethernet1/2) of fw-b, not on active peer fw-a (i-a)"},
			}
		},
		check: CheckAWSFloatingIPs, status: StatusFail,
		evidence: []string{"floating IP 10.0.2.100 is on eni-b2 (ethernet1/2) of fw-b, not on active peer fw-a (i-a)"},
	}, {
		name: "floating IPs on the active",
		mutate: func(p *snapshot.Pair) {
			p.AWSView.Mode = probe.AWSModeSecondaryIP
			p.AWSView.FloatingIPs = []snapshot.FloatingIPCheck{
				{IP: "203.0.113.7", Kind: "eip", ENI: "eni-a1", Peer: "fw-a", OnActive: probe.Yes},
			}
		},
		check: CheckAWSFloatingIPs, status: StatusPass,
		evidence: []string{"eip 203.0.113.7 on eni-a1 of fw-a"},
	}})
}

func TestAWSUnknownAsAWhole(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(p *snapshot.Pair)
		evidence string
	}{{
		name: "poll failed",
		mutate: func(p *snapshot.Pair) {
			p.AWS.Errors = map[string]error{"DescribeInstances": errors.New("ExpiredToken"), "DescribeNetworkInterfaces": errors.New("ExpiredToken")}
			p.AWSView = &snapshot.AWSView{Known: false}
		},
		evidence: "AWS could not be read: DescribeInstances: ExpiredToken, DescribeNetworkInterfaces: ExpiredToken",
	}, {
		name:     "no AWS poll yet",
		mutate:   func(p *snapshot.Pair) { p.AWS, p.AWSView = nil, nil },
		evidence: "AWS monitoring is on but no AWS poll has completed",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := healthyPair()
			tc.mutate(p)
			r := Evaluate([]*snapshot.Pair{p}, Options{})
			if r.ExitCode != ExitCannotTell || !r.Pairs[0].CannotTell {
				t.Fatalf("exit %d cannotTell %v, want 2 and true", r.ExitCode, r.Pairs[0].CannotTell)
			}
			for _, name := range awsCheckNames {
				c := findCheck(t, r, name)
				if c.Status != StatusUnknown || c.Evidence != tc.evidence {
					t.Errorf("%s = %s %q, want unknown %q", name, c.Status, c.Evidence, tc.evidence)
				}
			}
		})
	}
}

func TestAWSOffHasNoAWSChecks(t *testing.T) {
	p := healthyPair()
	p.AWS, p.AWSView, p.Config.AWSEnabled = nil, nil, false
	r := Evaluate([]*snapshot.Pair{p}, Options{})
	for _, c := range r.Pairs[0].Checks {
		for _, name := range awsCheckNames {
			if c.Name == name {
				t.Errorf("AWS check %s reported for a pair without AWS monitoring", name)
			}
		}
	}
	if r.ExitCode != ExitReady {
		t.Errorf("exit code = %d, want 0", r.ExitCode)
	}
}

func TestAWSFailureInGraceSaysSo(t *testing.T) {
	p := healthyPair()
	failover(p)
	p.AWSView.InGrace, p.AWSView.GraceUntil = true, t0.Add(90*time.Second)
	p.AWSView.Routes[0] = snapshot.RouteCheck{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a2",
		TargetPeer: "fw-a", OnActive: probe.No, Problem: "route 0.0.0.0/0 in rtb-1 targets eni-a2 of fw-a, not active peer fw-b (i-b)"}
	r := Evaluate([]*snapshot.Pair{p}, Options{ExpectActive: "fw-b"})
	c := findCheck(t, r, CheckAWSRoutes)
	want := "route 0.0.0.0/0 in rtb-1 targets eni-a2 of fw-a, not active peer fw-b (i-b) " +
		"(the last failover is recent: AWS may still be converging until 2025-03-04T05:07:37Z; check again then)"
	if c.Status != StatusFail || c.Evidence != want {
		t.Errorf("routes = %s %q, want fail %q", c.Status, c.Evidence, want)
	}
	if r.ExitCode != ExitNotReady {
		t.Errorf("exit code = %d, want 1", r.ExitCode)
	}
}

// When EC2 refuses the calls that find the pair's instances and ENIs, the
// probe never asks for routes or addresses. Every AWS check must then be
// unknown (exit 2), never a pass for finding nothing.
func TestAWSChecksUnknownWhenCallsFailOrWereNeverMade(t *testing.T) {
	denied := errors.New("ec2 DescribeInstances for pair prod: UnauthorizedOperation")
	notCalled := fmt.Errorf("%w: it needs what DescribeInstances and DescribeNetworkInterfaces should have returned", probe.ErrNotCalled)
	p := healthyPair()
	p.AWS = &probe.AWSStatus{Region: "eu-west-1", Errors: map[string]error{
		probe.OpDescribeInstances:         denied,
		probe.OpDescribeNetworkInterfaces: denied,
		probe.OpDescribeInstanceStatus:    notCalled,
		probe.OpDescribeRouteTables:       notCalled,
		probe.OpDescribeAddresses:         notCalled,
		probe.OpDescribeSubnets:           notCalled,
	}}
	p.AWSView = snapshot.Correlate(snapshot.CorrelateInput{Peers: p.Peers, AWS: p.AWS, Mode: "auto", Now: t0})
	r := Evaluate([]*snapshot.Pair{p}, Options{})
	for _, name := range awsCheckNames {
		if c := findCheck(t, r, name); c.Status != StatusUnknown {
			t.Errorf("%s = %s (%s), want unknown", name, c.Status, c.Evidence)
		}
	}
	if r.ExitCode != ExitCannotTell {
		t.Errorf("exit code %d, want %d", r.ExitCode, ExitCannotTell)
	}

	// Routes alone refused: the route check is unknown, and so is the
	// floating-IP check while the mode cannot be told.
	p = healthyPair()
	p.AWS.Errors[probe.OpDescribeRouteTables] = notCalled
	p.AWSView.Mode = ""
	r = Evaluate([]*snapshot.Pair{p}, Options{})
	for _, name := range []string{CheckAWSRoutes, CheckAWSFloatingIPs} {
		if c := findCheck(t, r, name); c.Status != StatusUnknown {
			t.Errorf("%s = %s (%s), want unknown", name, c.Status, c.Evidence)
		}
	}
}
