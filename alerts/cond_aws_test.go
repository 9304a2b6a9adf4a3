package alerts

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// awsPair returns a healthy pair with the given AWS view.
// awsPair is a healthy pair with the given AWS view; a nil view means AWS
// monitoring is off.
func awsPair(v *snapshot.AWSView) *snapshot.Pair {
	p := healthy()
	if v != nil {
		p.AWSView, p.AWS = v, &probe.AWSStatus{Region: "eu-west-1"}
		p.Config.AWSEnabled = true
	}
	return p
}

// awsHealthy is the AWS view of a healthy pair with a active.
func awsHealthy() *snapshot.AWSView {
	return &snapshot.AWSView{
		Mode: probe.AWSModeSecondaryIP, Known: true, ActivePeer: "a",
		ENIs: []snapshot.ENICheck{
			{Peer: "a", ENI: "eni-a0", Interface: "management", Role: "management", Attached: probe.Yes, SourceDestCheck: true},
			{Peer: "a", ENI: "eni-a1", Interface: "ethernet1/1", Role: probe.RoleDataPlane, Attached: probe.Yes},
			{Peer: "b", ENI: "eni-b1", Interface: "ethernet1/1", Role: probe.RoleDataPlane, Attached: probe.Yes},
		},
		Interfaces: []snapshot.SubnetCheck{
			{Peer: "a", Interface: "ethernet1/1", ENI: "eni-a1", IP: "10.0.1.10/24", SubnetCIDR: "10.0.1.0/24", Match: probe.Yes},
			{Peer: "b", Interface: "ethernet1/1", ENI: "eni-b1", IP: "10.0.2.10/24", SubnetCIDR: "10.0.2.0/24", Match: probe.Yes},
		},
		Routes: []snapshot.RouteCheck{
			{RouteTable: "rtb-1", Destination: "0.0.0.0/0", TargetENI: "eni-a1", TargetPeer: "a", OnActive: probe.Yes},
		},
		FloatingIPs: []snapshot.FloatingIPCheck{
			{IP: "10.0.1.100", Kind: "secondary-ip", ENI: "eni-a1", Peer: "a", OnActive: probe.Yes},
		},
		Instances: []snapshot.InstanceCheck{
			{Peer: "a", InstanceID: "i-a", State: "running", SystemStatus: "ok", InstanceStatus: "ok", OK: probe.Yes},
			{Peer: "b", InstanceID: "i-b", State: "running", SystemStatus: "ok", InstanceStatus: "ok", OK: probe.Yes},
		},
	}
}

// awsBroken is a view in which every check fails.
func awsBroken(inGrace bool) *snapshot.AWSView {
	v := awsHealthy()
	v.InGrace = inGrace
	v.ENIs[1].SourceDestCheck = true
	v.ENIs[2].Attached, v.ENIs[2].Problem = probe.No, "detached"
	v.Interfaces[0].Match, v.Interfaces[0].IP = probe.No, "10.0.9.10/24"
	v.Interfaces[0].Problem = "10.0.9.10 is outside subnet 10.0.1.0/24"
	v.Routes[0].OnActive, v.Routes[0].Blackhole = probe.No, true
	v.FloatingIPs[0].OnActive = probe.No
	v.Instances[1].OK, v.Instances[1].InstanceStatus = probe.No, "impaired"
	return v
}

// TestAWSConditions checks the AWS conditions, unknown results and the
// failover grace period.
func TestAWSConditions(t *testing.T) {
	always := []string{
		"HAAWSInstanceStatusFailed{peer=b,severity=warning}:pending",
		"HAAWSInterfaceSubnetMismatch{interface=ethernet1/1,peer=a,severity=critical}:pending",
		"HAAWSSourceDestCheckEnabled{eni=eni-a1,peer=a,severity=warning}:pending",
	}
	followActive := []string{
		"HAAWSBlackholeRoute{destination=0.0.0.0/0,route_table=rtb-1,severity=critical}:pending",
		"HAAWSDataPlaneENIDetached{eni=eni-b1,peer=b,severity=critical}:pending",
		"HAAWSFloatingIPNotOnActivePeer{ip=10.0.1.100,severity=warning}:pending",
		"HAAWSRouteNotOnActivePeer{destination=0.0.0.0/0,route_table=rtb-1,severity=critical}:pending",
	}
	unknown := awsBroken(false)
	unknown.ENIs[2].Attached = probe.Unknown
	unknown.Interfaces[0].Match = probe.Unknown
	unknown.Routes[0].OnActive = probe.Unknown
	unknown.FloatingIPs[0].OnActive = probe.Unknown
	unknown.Instances[1].OK = probe.Unknown

	tests := []struct {
		name string
		view *snapshot.AWSView
		want []string
	}{
		{"healthy", awsHealthy(), nil},
		{"everything broken", awsBroken(false), sorted(always, followActive)},
		{"in grace: only checks independent of the active peer", awsBroken(true), always},
		{"unknown never fires", unknown, []string{
			"HAAWSBlackholeRoute{destination=0.0.0.0/0,route_table=rtb-1,severity=critical}:pending",
			"HAAWSSourceDestCheckEnabled{eni=eni-a1,peer=a,severity=warning}:pending",
		}},
		{"AWS off", nil, nil},
	}
	blind := awsPair(&snapshot.AWSView{})
	blind.AWS.Errors = map[string]error{probe.OpDescribeInstances: errors.New("UnauthorizedOperation")}
	if got := evalOnce(blind); !slices.Equal(got, []string{"HAWatchAWSBlind{severity=warning}:pending"}) {
		t.Errorf("AWS unreadable: %q", got)
	}
	noPoll := healthy()
	noPoll.Config.AWSEnabled = true
	if got := evalOnce(noPoll); !slices.Equal(got, []string{"HAWatchAWSBlind{severity=warning}:pending"}) {
		t.Errorf("AWS on, no poll yet: %q", got)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := evalOnce(awsPair(tc.view))
			if !slices.Equal(got, tc.want) {
				t.Errorf("alerts:\n got  %q\n want %q", got, tc.want)
			}
		})
	}
}

// TestSubnetMismatchDescription checks that the incident's alert says
// what is wrong.
func TestSubnetMismatchDescription(t *testing.T) {
	e := NewEngine(EngineOptions{})
	e.Eval(t0, awsPair(awsBroken(false)))
	for _, a := range e.Alerts() {
		if a.Name() != "HAAWSInterfaceSubnetMismatch" {
			continue
		}
		d := a.Annotations[AnnotationDescription]
		for _, want := range []string{"10.0.9.10/24", "eni-a1", "10.0.1.0/24", "outside subnet"} {
			if !strings.Contains(d, want) {
				t.Errorf("description %q lacks %q", d, want)
			}
		}
		return
	}
	t.Fatal("no HAAWSInterfaceSubnetMismatch")
}

// TestAggregateLikeMaxBy checks that checks of the same item aggregate
// like PromQL's max by: one Yes hides the No of another member.
func TestAggregateLikeMaxBy(t *testing.T) {
	v := awsHealthy()
	v.FloatingIPs = append(v.FloatingIPs,
		snapshot.FloatingIPCheck{IP: "10.0.1.100", Kind: "eip", ENI: "eni-b1", Peer: "b", OnActive: probe.No},
		snapshot.FloatingIPCheck{IP: "10.0.1.200", Kind: "eip", ENI: "eni-b1", Peer: "b", OnActive: probe.No})
	got := evalOnce(awsPair(v))
	want := []string{"HAAWSFloatingIPNotOnActivePeer{ip=10.0.1.200,severity=warning}:pending"}
	if !slices.Equal(got, want) {
		t.Errorf("alerts %q, want %q", got, want)
	}
}

// sorted concatenates and sorts string lists.
func sorted(lists ...[]string) []string {
	out := slices.Concat(lists...)
	slices.Sort(out)
	return out
}

func TestFailoverNotReady(t *testing.T) {
	const id = "HAFailoverNotReady{severity=warning}:pending"
	for _, tc := range []struct {
		name  string
		ready probe.Tri
		grace bool
		fires bool
	}{
		{"ready", probe.Yes, false, false},
		{"cannot tell", probe.Unknown, false, false},
		{"would fail", probe.No, false, true},
		{"would fail, but AWS converges after a failover", probe.No, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := awsPair(awsHealthy())
			p.AWSView.InGrace = tc.grace
			p.Failover = &snapshot.FailoverView{Ready: tc.ready, Reason: "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet 10.0.2.0/24"}
			if got := slices.Contains(evalOnce(p), id); got != tc.fires {
				t.Errorf("fires %v, want %v", got, tc.fires)
			}
		})
	}
}
