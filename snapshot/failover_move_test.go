package snapshot

import (
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

// failoverCase is one table case: a change to a ready pair, the check it
// must move and the verdict it must leave.
type failoverCase struct {
	name  string
	setup func(w *world, iam map[string]IAMFindings)
	check string
	item  string
	peer  string
	want  probe.Tri
	// fragments must appear in the check's problem.
	fragments []string
	ready     probe.Tri
}

func runFailoverCases(t *testing.T, mode string, base func() *world, cases []failoverCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := readyFor(base(), mode)
			iam := allowAll(mode)
			if tc.setup != nil {
				tc.setup(w, iam)
			}
			v := w.predict(iam)
			wantResult(t, failoverCheck(t, v, tc.check, tc.item, tc.peer), tc.want, tc.fragments...)
			if v.Ready != tc.ready {
				t.Errorf("ready %v, want %v (%s)", v.Ready, tc.ready, v.Reason)
			}
		})
	}
}

func TestPredictFailoverInterfaceMoveReady(t *testing.T) {
	w := readyFor(interfaceMoveWorld(), probe.AWSModeInterfaceMove)
	v := w.predict(allowAll(probe.AWSModeInterfaceMove))
	wantReady(t, v)
	if v.Mode != probe.AWSModeInterfaceMove || v.Active != "fw-a" || v.Passive != "fw-b" {
		t.Errorf("mode %q active %q passive %q", v.Mode, v.Active, v.Passive)
	}
	// Two data-plane ENIs × four ENI checks, two peers × (profile + four
	// actions), two data-plane ports, config sync, HA settings.
	if len(v.Checks) != 8+10+2+1+1 {
		t.Errorf("%d checks:\n%s", len(v.Checks), dumpChecks(v))
	}
	if len(v.Routes) != 1 || v.Routes[0].AtFailover != "follows eni-x3 (ethernet1/3) to fw-b" {
		t.Errorf("routes %+v", v.Routes)
	}
}

// TestPredictFailoverIncident is the outage behind hawatch: the pair works
// today, but the passive's untrust interface is configured in another
// subnet than the untrust ENI it would receive.
func TestPredictFailoverIncident(t *testing.T) {
	w := readyFor(interfaceMoveWorld(), probe.AWSModeInterfaceMove)
	w.setIP("fw-b", "ethernet1/2", "10.0.9.11/24")

	allYes(t, w.correlate())
	v := w.predict(allowAll(probe.AWSModeInterfaceMove))
	if v.Ready != probe.No {
		t.Fatalf("ready %v, want no:\n%s", v.Ready, dumpChecks(v))
	}
	for _, f := range []string{"ethernet1/2", "10.0.9.11/24", "10.0.2.0/24"} {
		if !strings.Contains(v.Reason, f) {
			t.Errorf("reason %q does not name %s", v.Reason, f)
		}
	}
	wantResult(t, failoverCheck(t, v, FailoverCheckInterfaceAddress, "eni-x2 (ethernet1/2)", "fw-b"), probe.No,
		"outside subnet subnet-untrust 10.0.2.0/24", "moves to fw-b")
}

func TestPredictFailoverInterfaceMoveChecks(t *testing.T) {
	const mode = probe.AWSModeInterfaceMove
	addr := func(iface, ip string) func(*world, map[string]IAMFindings) {
		return func(w *world, _ map[string]IAMFindings) { w.setIP("fw-b", iface, ip) }
	}
	runFailoverCases(t, mode, interfaceMoveWorld, []failoverCase{
		{name: "address pass", check: FailoverCheckInterfaceAddress, item: "eni-x3 (ethernet1/3)", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "address not the ENI's", setup: addr("ethernet1/3", "10.0.3.99/24"),
			check: FailoverCheckInterfaceAddress, item: "eni-x3 (ethernet1/3)", peer: "fw-b", want: probe.No,
			fragments: []string{"not a private IP of eni-x3", "10.0.3.10"}, ready: probe.No},
		{name: "address prefix length differs", setup: addr("ethernet1/3", "10.0.3.10/16"),
			check: FailoverCheckInterfaceAddress, item: "eni-x3 (ethernet1/3)", peer: "fw-b", want: probe.No,
			fragments: []string{"prefix length differs"}, ready: probe.No},
		{name: "interface not configured on passive",
			setup: func(w *world, _ map[string]IAMFindings) { w.dropInterface("fw-b", "ethernet1/3") },
			check: FailoverCheckInterfaceAddress, item: "eni-x3 (ethernet1/3)", peer: "fw-b", want: probe.No,
			fragments: []string{"not configured on passive peer fw-b"}, ready: probe.No},
		{name: "address DHCP", setup: addr("ethernet1/3", "N/A"),
			check: FailoverCheckInterfaceAddress, item: "eni-x3 (ethernet1/3)", peer: "fw-b", want: probe.Unknown,
			fragments: []string{"no static address"}, ready: probe.Unknown},
		{name: "address with subnets unknown",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.aws.Subnets = nil
				w.aws.Errors = map[string]error{probe.OpDescribeSubnets: errThrottle}
			},
			check: FailoverCheckInterfaceAddress, item: "eni-x3 (ethernet1/3)", peer: "fw-b", want: probe.Unknown,
			fragments: []string{"subnet of eni-x3 is unknown"}, ready: probe.Unknown},
		{name: "passive unreachable",
			setup: func(w *world, _ map[string]IAMFindings) { w.peer("fw-b").Up = false },
			check: FailoverCheckInterfaceAddress, item: "eni-x2 (ethernet1/2)", peer: "fw-b", want: probe.Unknown,
			fragments: []string{"did not answer"}, ready: probe.Unknown},

		{name: "zone pass", check: FailoverCheckAvailabilityZone, item: "eni-x2", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "zone differs",
			setup: func(w *world, _ map[string]IAMFindings) { w.instance("i-b").AZ = "eu-west-1b" },
			check: FailoverCheckAvailabilityZone, item: "eni-x2", peer: "fw-b", want: probe.No,
			fragments: []string{"eu-west-1a", "eu-west-1b", "another Availability Zone"}, ready: probe.No},
		{name: "zone unknown",
			setup: func(w *world, _ map[string]IAMFindings) { w.instance("i-b").AZ = "" },
			check: FailoverCheckAvailabilityZone, item: "eni-x2", peer: "fw-b", want: probe.Unknown, ready: probe.Unknown},

		{name: "device index free", check: FailoverCheckDeviceIndex, item: "i-b device index 3", peer: "fw-b",
			want: probe.Yes, ready: probe.Yes},
		{name: "device index taken",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.aws.ENIs = append(w.aws.ENIs, testENI("eni-bz", "i-b", 3, "subnet-trust", "10.0.3.50"))
			},
			check: FailoverCheckDeviceIndex, item: "i-b device index 3", peer: "fw-b", want: probe.No,
			fragments: []string{"eni-bz", "device index 3"}, ready: probe.No},
		{name: "device index with passive instance unknown",
			setup: func(w *world, _ map[string]IAMFindings) { forgetInstance(w, "fw-b", "i-b") },
			check: FailoverCheckDeviceIndex, item: "eni-x2 device index 2", peer: "fw-b", want: probe.Unknown,
			fragments: []string{"instance of passive peer fw-b is unknown"}, ready: probe.Unknown},

		{name: "detachable", check: FailoverCheckENIDetachable, item: "eni-x2", peer: "fw-a",
			want: probe.Yes, ready: probe.Yes},
		{name: "delete on termination is a warning",
			setup: func(w *world, _ map[string]IAMFindings) { w.eni("eni-x2").DeleteOnTermination = true },
			check: FailoverCheckENIDetachable, item: "eni-x2", peer: "fw-a", want: probe.No,
			fragments: []string{"DeleteOnTermination", "EC2 deletes eni-x2"}, ready: probe.Yes},
		{name: "detachable with ENIs unknown",
			setup: func(w *world, _ map[string]IAMFindings) {
				w.aws.ENIs = nil
				w.aws.Errors = map[string]error{probe.OpDescribeNetworkInterfaces: errThrottle}
			},
			check: FailoverCheckENIDetachable, item: "data-plane ENIs", peer: "fw-b", want: probe.Unknown,
			fragments: []string{"DescribeNetworkInterfaces failed"}, ready: probe.Unknown},
	})
}

// forgetInstance makes a peer's instance unknown to the AWS poll.
func forgetInstance(w *world, peer, id string) {
	delete(w.in.PeerInstances, peer)
	var insts []probe.AWSInstance
	for _, i := range w.aws.Instances {
		if i.ID != id {
			insts = append(insts, i)
		}
	}
	w.aws.Instances = insts
	var enis []probe.AWSENI
	for _, e := range w.aws.ENIs {
		if e.InstanceID != id {
			enis = append(enis, e)
		}
	}
	w.aws.ENIs = enis
}

func TestPredictFailoverDeleteOnTerminationReason(t *testing.T) {
	w := readyFor(interfaceMoveWorld(), probe.AWSModeInterfaceMove)
	w.eni("eni-x3").DeleteOnTermination = true
	v := w.predict(allowAll(probe.AWSModeInterfaceMove))
	c := failoverCheck(t, v, FailoverCheckENIDetachable, "eni-x3", "fw-a")
	if !c.Warning || v.Ready != probe.Yes || !strings.Contains(v.Reason, "warning") || !strings.Contains(v.Reason, "eni-x3") {
		t.Errorf("warning %v, ready %v, reason %q", c.Warning, v.Ready, v.Reason)
	}
}

// swapWorld is an interface-move pair using the VM-Series management
// interface swap: device index 0 is ethernet1/1 (untrust) and device
// index 1 is management, on both instances.
func swapWorld() *world {
	w := interfaceMoveWorld()
	for _, p := range w.peers {
		p.HA.Links = p.HA.Links[:1] // HA1 on management only
		p.Interfaces.Hardware[0].Role = probe.RoleDataPlane
	}
	for _, name := range []string{"fw-a", "fw-b"} {
		w.setLogical(name, "ethernet1/1", func(l *probe.LogicalInterface) {
			l.IP, l.Forwarding, l.Zone = "10.0.1.10/24", "vr:default", "untrust"
		})
	}
	w.aws.ENIs = []probe.AWSENI{
		testENI("eni-u", "i-a", 0, "subnet-ha", "10.0.1.10"),
		testENI("eni-a0", "i-a", 1, "subnet-mgmt", "10.0.0.10"),
		testENI("eni-x3", "i-a", 3, "subnet-trust", "10.0.3.10"),
		testENI("eni-bu", "i-b", 0, "subnet-ha", "10.0.1.11"),
		testENI("eni-b0", "i-b", 1, "subnet-mgmt", "10.0.0.11"),
	}
	return w
}

func TestPredictFailoverManagementSwap(t *testing.T) {
	w := readyFor(swapWorld(), probe.AWSModeInterfaceMove)
	v := w.predict(allowAll(probe.AWSModeInterfaceMove))
	wantResult(t, failoverCheck(t, v, FailoverCheckENIDetachable, "eni-u", "fw-a"), probe.No,
		"primary network interface (device index 0)", "ethernet1/1")
	wantResult(t, failoverCheck(t, v, FailoverCheckDeviceIndex, "i-b device index 0", "fw-b"), probe.No, "eni-bu")
	wantResult(t, failoverCheck(t, v, FailoverCheckENIDetachable, "eni-x3", "fw-a"), probe.Yes)
	if v.Ready != probe.No {
		t.Errorf("ready %v", v.Ready)
	}
}
