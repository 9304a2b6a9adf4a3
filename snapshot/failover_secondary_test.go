package snapshot

import (
	"strconv"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

func TestPredictFailoverSecondaryIPReady(t *testing.T) {
	w := readyFor(secondaryIPWorld(), probe.AWSModeSecondaryIP)
	allYes(t, w.correlate())
	v := w.predict(allowAll(probe.AWSModeSecondaryIP))
	wantReady(t, v)
	// Floating 10.0.2.100 (with its EIP) and 10.0.3.100: three movable
	// checks, two capacity checks, two interface checks; two peers ×
	// (profile + eight actions); two ports; config sync; HA settings.
	if len(v.Checks) != 7+18+2+1+1 {
		t.Errorf("%d checks:\n%s", len(v.Checks), dumpChecks(v))
	}
	if len(v.Routes) != 1 || v.Routes[0].AtFailover != "repointed by the VM-Series plugin to eni-b3 (ethernet1/3) of fw-b (ec2:ReplaceRoute)" {
		t.Errorf("routes %+v", v.Routes)
	}
}

// manyIPs gives an ENI n private IPs, the first one primary.
func manyIPs(w *world, eni, prefix string, n int) {
	e := w.eni(eni)
	e.PrivateIPs = nil
	for i := range n {
		e.PrivateIPs = append(e.PrivateIPs, probe.AWSPrivateIP{IP: prefix + strconv.Itoa(11+i), Primary: i == 0})
	}
}

func TestPredictFailoverSecondaryIPChecks(t *testing.T) {
	const mode = probe.AWSModeSecondaryIP
	runFailoverCases(t, mode, secondaryIPWorld, []failoverCase{
		{name: "movable", check: FailoverCheckSecondaryIPMovable, item: "10.0.2.100 (ethernet1/2)", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "EIP movable", check: FailoverCheckSecondaryIPMovable, item: "203.0.113.100 → 10.0.2.100", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "passive ENI in another subnet",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.aws.Subnets = append(w.aws.Subnets, probe.AWSSubnet{ID: "subnet-untrust-b", VPCID: "vpc-1", CIDR: "10.0.12.0/24"})
				w.eni("eni-b2").SubnetID = "subnet-untrust-b"
			},
			check: FailoverCheckSecondaryIPMovable, item: "10.0.2.100 (ethernet1/2)", peer: "fw-b", want: probe.No,
			fragments: []string{"subnet-untrust 10.0.2.0/24", "subnet-untrust-b 10.0.12.0/24", "cannot move"}, ready: probe.No},
		{name: "EIP follows an IP that cannot move",
			setup: func(w *world, _ map[string]IAMFindings) { w.eni("eni-b2").SubnetID = "subnet-untrust-b" },
			check: FailoverCheckSecondaryIPMovable, item: "203.0.113.100 → 10.0.2.100", peer: "fw-b", want: probe.No,
			fragments: []string{"Elastic IP 203.0.113.100 follows 10.0.2.100"}, ready: probe.No},
		{name: "passive has no ENI for the interface",
			setup: func(w *world, _ map[string]IAMFindings) { w.detachENI("eni-b3") },
			check: FailoverCheckSecondaryIPMovable, item: "10.0.3.100 (ethernet1/3)", peer: "fw-b", want: probe.No,
			fragments: []string{"no ENI for ethernet1/3"}, ready: probe.No},
		{name: "movable with passive instance unknown",
			setup: func(w *world, _ map[string]IAMFindings) { forgetInstance(w, "fw-b", "i-b") },
			check: FailoverCheckSecondaryIPMovable, item: "10.0.2.100 (ethernet1/2)", peer: "fw-b", want: probe.Unknown,
			ready: probe.Unknown},

		{name: "capacity", check: FailoverCheckIPCapacity, item: "eni-b2 (ethernet1/2)", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "capacity exactly at the limit",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.instance("i-b").InstanceType = "m5.large"
				manyIPs(w, "eni-b2", "10.0.2.", 9)
			},
			check: FailoverCheckIPCapacity, item: "eni-b2 (ethernet1/2)", peer: "fw-b", want: probe.Yes, ready: probe.Yes},
		{name: "capacity exceeded",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.instance("i-b").InstanceType = "m5.large"
				manyIPs(w, "eni-b2", "10.0.2.", 10)
			},
			check: FailoverCheckIPCapacity, item: "eni-b2 (ethernet1/2)", peer: "fw-b", want: probe.No,
			fragments: []string{"holds 10 private IPs", "would need 11", "10 IPv4 addresses per network interface of m5.large"},
			ready:     probe.No},
		{name: "capacity of an unknown instance type",
			setup: func(w *world, _ map[string]IAMFindings) { w.instance("i-b").InstanceType = "t3.nano" },
			check: FailoverCheckIPCapacity, item: "eni-b2 (ethernet1/2)", peer: "fw-b", want: probe.Unknown,
			fragments: []string{"t3.nano"}, ready: probe.Unknown},

		{name: "interface carries the floating IP", check: FailoverCheckInterfaceSecondaryIPs,
			item: "10.0.3.100 on ethernet1/3", peer: "fw-b", want: probe.Yes, ready: probe.Yes},
		{name: "floating IP as a further address (addr/member)",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.setIP("fw-b", "ethernet1/3", "10.0.3.11/24")
				w.setAddresses("fw-b", "ethernet1/3", "10.0.3.100/24")
			},
			check: FailoverCheckInterfaceSecondaryIPs, item: "10.0.3.100 on ethernet1/3", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "interface without the floating IP",
			setup: func(w *world, _ map[string]IAMFindings) { w.setIP("fw-b", "ethernet1/3", "10.0.3.11/24") },
			check: FailoverCheckInterfaceSecondaryIPs, item: "10.0.3.100 on ethernet1/3", peer: "fw-b",
			want: probe.No, fragments: []string{"carries 10.0.3.11/24 but not 10.0.3.100"}, ready: probe.No},
		{name: "interface by DHCP",
			setup: func(w *world, _ map[string]IAMFindings) { w.setIP("fw-b", "ethernet1/3", "") },
			check: FailoverCheckInterfaceSecondaryIPs, item: "10.0.3.100 on ethernet1/3", peer: "fw-b",
			want: probe.Unknown, fragments: []string{"no static address"}, ready: probe.Unknown},
		{name: "interface missing on passive",
			setup: func(w *world, _ map[string]IAMFindings) { w.dropInterface("fw-b", "ethernet1/3") },
			check: FailoverCheckInterfaceSecondaryIPs, item: "10.0.3.100 on ethernet1/3", peer: "fw-b",
			want: probe.No, fragments: []string{"not configured on passive peer fw-b"}, ready: probe.No},
		{name: "passive unreachable",
			setup: func(w *world, _ map[string]IAMFindings) { w.peer("fw-b").Up = false },
			check: FailoverCheckInterfaceSecondaryIPs, item: "10.0.2.100 on ethernet1/2", peer: "fw-b",
			want: probe.Unknown, fragments: []string{"did not answer"}, ready: probe.Unknown},
	})
}

func TestPredictFailoverRoutes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mode  string
		base  func() *world
		setup func(w *world, iam map[string]IAMFindings)
		want  probe.Tri
		at    string
	}{
		{"interface-move follows the ENI", probe.AWSModeInterfaceMove, interfaceMoveWorld, nil,
			probe.Yes, "follows eni-x3 (ethernet1/3) to fw-b"},
		{"interface-move to a primary ENI", probe.AWSModeInterfaceMove, interfaceMoveWorld,
			func(w *world, _ map[string]IAMFindings) { w.aws.RouteTables[0].Routes[0].ENI = "eni-a0" },
			probe.No, "stays on fw-a with eni-a0 (management)"},
		{"secondary-ip repointed", probe.AWSModeSecondaryIP, secondaryIPWorld, nil,
			probe.Yes, "repointed by the VM-Series plugin to eni-b3 (ethernet1/3) of fw-b (ec2:ReplaceRoute)"},
		{"secondary-ip ReplaceRoute denied", probe.AWSModeSecondaryIP, secondaryIPWorld,
			func(_ *world, iam map[string]IAMFindings) { iam["fw-b"].Actions[actionReplaceRoute] = probe.No },
			probe.No, "repointed by the VM-Series plugin to eni-b3 (ethernet1/3) of fw-b (ec2:ReplaceRoute)"},
		{"secondary-ip ReplaceRoute unknown", probe.AWSModeSecondaryIP, secondaryIPWorld,
			func(_ *world, iam map[string]IAMFindings) { delete(iam["fw-b"].Actions, actionReplaceRoute) },
			probe.Unknown, "repointed by the VM-Series plugin to eni-b3 (ethernet1/3) of fw-b (ec2:ReplaceRoute)"},
		{"secondary-ip passive without the ENI", probe.AWSModeSecondaryIP, secondaryIPWorld,
			func(w *world, _ map[string]IAMFindings) { w.detachENI("eni-b3") },
			probe.No, "cannot be repointed: fw-b has no ENI for ethernet1/3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := readyFor(tc.base(), tc.mode)
			iam := allowAll(tc.mode)
			if tc.setup != nil {
				tc.setup(w, iam)
			}
			v := w.predict(iam)
			if len(v.Routes) != 1 {
				t.Fatalf("routes:\n%s", dumpChecks(v))
			}
			r := v.Routes[0]
			if r.Result != tc.want || r.AtFailover != tc.at || (tc.want != probe.Yes) == (r.Problem == "") {
				t.Errorf("route %v %q %q, want %v %q", r.Result, r.AtFailover, r.Problem, tc.want, tc.at)
			}
			if tc.want != probe.Yes && v.Ready != tc.want {
				t.Errorf("ready %v, want %v", v.Ready, tc.want)
			}
		})
	}
}

func TestPredictFailoverRoutesUnknown(t *testing.T) {
	w := readyFor(secondaryIPWorld(), probe.AWSModeSecondaryIP)
	w.aws.RouteTables = nil
	w.aws.Errors = map[string]error{probe.OpDescribeRouteTables: errThrottle}
	v := w.predict(allowAll(probe.AWSModeSecondaryIP))
	wantResult(t, failoverCheck(t, v, FailoverCheckRoutes, "route tables", ""), probe.Unknown, "DescribeRouteTables failed")
	if v.Ready != probe.Unknown {
		t.Errorf("ready %v", v.Ready)
	}
}
