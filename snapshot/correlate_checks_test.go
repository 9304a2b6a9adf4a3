package snapshot

import (
	"strings"
	"testing"

	"github.com/hawatch/hawatch/probe"
)

func TestCorrelateENI(t *testing.T) {
	tests := []struct {
		name     string
		world    func() *world
		change   func(w *world)
		eni      string
		attached probe.Tri
		peer     string
		problem  string
	}{
		{
			name: "interface-move: ENI left available", world: interfaceMoveWorld,
			change: func(w *world) { w.detachENI("eni-x3") },
			eni:    "eni-x3", attached: probe.No,
			problem: "eni-x3 (ethernet1/3) is available, attached to no instance; it belongs on active peer fw-a (i-a)",
		},
		{
			name: "interface-move: data-plane ENI on the passive", world: interfaceMoveWorld,
			change: func(w *world) {
				w.in.Mode = probe.AWSModeInterfaceMove
				w.moveENI("eni-x3", "i-b")
			},
			eni: "eni-x3", attached: probe.No, peer: "fw-b",
			problem: "data-plane eni-x3 (ethernet1/3) is attached to fw-b (i-b), not to active peer fw-a (i-a)",
		},
		{
			name: "interface-move: ENI stuck detaching", world: interfaceMoveWorld,
			change: func(w *world) {
				e := w.eni("eni-x2")
				e.AttachmentStatus = "detaching"
			},
			eni: "eni-x2", attached: probe.No, peer: "fw-a",
			problem: "eni-x2 (ethernet1/2) of fw-a is not attached to i-a: status in-use, attachment detaching",
		},
		{
			name: "interface-move: ENI stuck attaching", world: interfaceMoveWorld,
			change: func(w *world) {
				e := w.eni("eni-x2")
				e.Status, e.AttachmentStatus = "attaching", "attaching"
			},
			eni: "eni-x2", attached: probe.No, peer: "fw-a",
			problem: "eni-x2 (ethernet1/2) of fw-a is not attached to i-a: status attaching, attachment attaching",
		},
		{
			name: "interface-move: HA2 and management ENIs stay on the passive", world: interfaceMoveWorld,
			change: func(*world) {}, eni: "eni-b1", attached: probe.Yes, peer: "fw-b",
		},
		{
			name: "secondary-ip: passive's data-plane ENI is fine", world: secondaryIPWorld,
			change: func(*world) {}, eni: "eni-b2", attached: probe.Yes, peer: "fw-b",
		},
		{
			name: "secondary-ip: detached data-plane ENI", world: secondaryIPWorld,
			change: func(w *world) {
				w.in.Mode = probe.AWSModeSecondaryIP
				w.detachENI("eni-b2")
			},
			eni: "eni-b2", attached: probe.No,
			problem: "eni-b2 (ethernet1/2) is available, attached to no instance",
		},
		{
			name: "source/destination check on a data-plane ENI", world: secondaryIPWorld,
			change: func(w *world) { w.eni("eni-a2").SourceDestCheck = true },
			eni:    "eni-a2", attached: probe.Yes, peer: "fw-a",
			problem: "source/destination check is enabled on eni-a2 (ethernet1/2) of fw-a; the firewall cannot forward through it",
		},
		{
			name: "source/destination check on the management ENI is fine", world: secondaryIPWorld,
			change: func(w *world) { w.eni("eni-a0").SourceDestCheck = true },
			eni:    "eni-a0", attached: probe.Yes, peer: "fw-a",
		},
		{
			name: "ENI on an instance of no peer", world: secondaryIPWorld,
			change: func(w *world) { w.eni("eni-b3").InstanceID = "i-other" },
			eni:    "eni-b3", attached: probe.No,
			problem: "eni-b3 (ethernet1/3) is attached to i-other, an instance of no peer of the pair",
		},
		{
			name: "interface-move with both peers active", world: interfaceMoveWorld,
			change: func(w *world) { w.peer("fw-b").HA.LocalState = probe.StateActive },
			eni:    "eni-x2", attached: probe.Unknown, peer: "fw-a",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.world()
			tt.change(w)
			c := eniCheck(t, w.correlate(), tt.eni)
			if c.Attached != tt.attached || c.Peer != tt.peer || c.Problem != tt.problem {
				t.Errorf("got %+v\nwant attached %v peer %q problem %q", c, tt.attached, tt.peer, tt.problem)
			}
		})
	}
}

func TestCorrelateENIAvailableEffects(t *testing.T) {
	w := interfaceMoveWorld()
	w.detachENI("eni-x3")
	v := w.correlate()
	c := eniCheck(t, v, "eni-x3")
	if c.DeviceIndex != -1 || c.Role != probe.RoleDataPlane || c.Interface != "ethernet1/3" || c.Status != "available" {
		t.Errorf("eni %+v", c)
	}
	if s := subnetCheck(t, v, "fw-a", "ethernet1/3"); s.Match != probe.No || !strings.Contains(s.Problem, "has no ENI at device index 3") {
		t.Errorf("subnet %+v", s)
	}
	r := v.Routes[0]
	if r.OnActive != probe.No || r.TargetPeer != "" ||
		r.Problem != "route 0.0.0.0/0 in rtb-trust targets eni-x3, which is on no peer" {
		t.Errorf("route %+v", r)
	}
}

func TestCorrelateRoutes(t *testing.T) {
	tests := []struct {
		name      string
		route     probe.AWSRoute
		change    func(w *world)
		onActive  probe.Tri
		peer      string
		blackhole bool
		problem   string
	}{
		{
			name:     "route left on the passive",
			route:    probe.AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-b3", InstanceID: "i-b", State: "active"},
			onActive: probe.No, peer: "fw-b",
			problem: "route 0.0.0.0/0 in rtb-trust targets eni-b3 of fw-b, not active peer fw-a (i-a)",
		},
		{
			name:      "blackhole",
			route:     probe.AWSRoute{Destination: "10.8.0.0/16", ENI: "eni-gone", State: "blackhole"},
			onActive:  probe.Unknown,
			blackhole: true,
			problem:   "route 10.8.0.0/16 in rtb-trust is a blackhole (target eni-gone)",
		},
		{
			name:     "instance target on the active",
			route:    probe.AWSRoute{Destination: "10.9.0.0/16", InstanceID: "i-a", State: "active"},
			onActive: probe.Yes, peer: "fw-a",
		},
		{
			name:     "no active peer",
			route:    probe.AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-a3", State: "active"},
			change:   func(w *world) { w.peer("fw-a").HA.LocalState = probe.StatePassive },
			onActive: probe.Unknown, peer: "fw-a",
		},
		{
			name:     "both peers active",
			route:    probe.AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-b3", State: "active"},
			change:   func(w *world) { w.peer("fw-b").HA.LocalState = probe.StateActive },
			onActive: probe.Unknown, peer: "fw-b",
		},
		{
			name:     "active peer unreachable",
			route:    probe.AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-a3", State: "active"},
			change:   func(w *world) { w.peer("fw-a").Up = false },
			onActive: probe.Unknown, peer: "fw-a",
		},
		{
			name:  "ENIs unknown",
			route: probe.AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-b3", State: "active"},
			change: func(w *world) {
				w.aws.Errors = map[string]error{"DescribeNetworkInterfaces": errThrottle}
				w.aws.ENIs = nil
			},
			onActive: probe.Unknown,
		},
		{
			name:  "ENIs unknown, instance told by the route",
			route: probe.AWSRoute{Destination: "0.0.0.0/0", ENI: "eni-b3", InstanceID: "i-b", State: "active"},
			change: func(w *world) {
				w.aws.Errors = map[string]error{"DescribeNetworkInterfaces": errThrottle}
				w.aws.ENIs = nil
			},
			onActive: probe.No, peer: "fw-b",
			problem: "route 0.0.0.0/0 in rtb-trust targets eni-b3 of fw-b, not active peer fw-a (i-a)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := secondaryIPWorld()
			w.aws.RouteTables[0].Routes = []probe.AWSRoute{tt.route}
			if tt.change != nil {
				tt.change(w)
			}
			v := w.correlate()
			if len(v.Routes) != 1 {
				t.Fatalf("routes %+v", v.Routes)
			}
			r := v.Routes[0]
			if r.OnActive != tt.onActive || r.TargetPeer != tt.peer || r.Blackhole != tt.blackhole || r.Problem != tt.problem {
				t.Errorf("got %+v\nwant on active %v peer %q blackhole %v problem %q", r, tt.onActive, tt.peer, tt.blackhole, tt.problem)
			}
			if r.RouteTable != "rtb-trust" || r.TargetENI != tt.route.ENI || r.TargetInstance != tt.route.InstanceID {
				t.Errorf("route identity %+v", r)
			}
		})
	}
}

func TestCorrelateEIPOnPassive(t *testing.T) {
	w := secondaryIPWorld()
	w.moveSecondary("eni-a2", "eni-b2")
	w.aws.Addresses[0].ENI, w.aws.Addresses[0].InstanceID = "eni-b2", "i-b"
	v := w.correlate()
	e := floatingCheck(t, v, "203.0.113.100")
	if e.Kind != FloatingKindEIP || e.OnActive != probe.No || e.Peer != "fw-b" || e.ENI != "eni-b2" ||
		e.Problem != "Elastic IP 203.0.113.100 (10.0.2.100) is on eni-b2 (ethernet1/2) of fw-b, not on active peer fw-a (i-a)" {
		t.Errorf("eip %+v", e)
	}
	if s := floatingCheck(t, v, "10.0.2.100"); s.Kind != FloatingKindSecondaryIP || s.OnActive != probe.No || s.Peer != "fw-b" {
		t.Errorf("secondary %+v", s)
	}
	if s := floatingCheck(t, v, "10.0.3.100"); s.OnActive != probe.Yes {
		t.Errorf("untouched secondary %+v", s)
	}
	// With no single active peer the same placement cannot be judged.
	w.peer("fw-b").HA.LocalState = probe.StateActive
	for _, f := range w.correlate().FloatingIPs {
		if f.OnActive != probe.Unknown || f.Problem != "" {
			t.Errorf("both active: %+v", f)
		}
	}
}

func TestCorrelateInstances(t *testing.T) {
	tests := []struct {
		name    string
		change  func(w *world)
		id      string
		ok      probe.Tri
		problem string
	}{
		{
			name:   "stopped",
			change: func(w *world) { w.aws.Instances[1].State = "stopped" },
			id:     "i-b", ok: probe.No, problem: "instance i-b of fw-b is stopped",
		},
		{
			name:   "impaired",
			change: func(w *world) { w.aws.Instances[0].SystemStatus = "impaired" },
			id:     "i-a", ok: probe.No, problem: "instance i-a of fw-a fails its status checks: system impaired, instance ok",
		},
		{
			name:   "initializing",
			change: func(w *world) { w.aws.Instances[0].InstanceStatus = "initializing" },
			id:     "i-a", ok: probe.No, problem: "instance i-a of fw-a fails its status checks: system ok, instance initializing",
		},
		{
			name:   "insufficient data",
			change: func(w *world) { w.aws.Instances[0].InstanceStatus = "insufficient-data" },
			id:     "i-a", ok: probe.Unknown,
		},
		{
			name:   "missing from the reply",
			change: func(w *world) { w.aws.Instances = w.aws.Instances[:1] },
			id:     "i-b", ok: probe.No, problem: "instance i-b not returned by DescribeInstances",
		},
		{
			name:   "empty reply",
			change: func(w *world) { w.aws.Instances = nil },
			id:     "i-a", ok: probe.No, problem: "instance i-a not returned by DescribeInstances",
		},
		{
			name: "missing, but DescribeInstances failed",
			change: func(w *world) {
				w.aws.Instances = nil
				w.aws.Errors = map[string]error{"DescribeInstances": errThrottle}
			},
			id: "i-b", ok: probe.Unknown,
		},
		{
			name: "running, status checks failed to load",
			change: func(w *world) {
				w.aws.Instances[0].SystemStatus, w.aws.Instances[0].InstanceStatus = "", ""
				w.aws.Errors = map[string]error{"DescribeInstanceStatus": errThrottle}
			},
			id: "i-a", ok: probe.Unknown,
		},
		{
			name: "stopped, status checks failed to load",
			change: func(w *world) {
				w.aws.Instances[0].State = "stopped"
				w.aws.Errors = map[string]error{"DescribeInstanceStatus": errThrottle}
			},
			id: "i-a", ok: probe.No, problem: "instance i-a of fw-a is stopped",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := secondaryIPWorld()
			tt.change(w)
			v := w.correlate()
			c := instanceCheck(t, v, tt.id)
			if c.OK != tt.ok || c.Problem != tt.problem {
				t.Errorf("got %+v\nwant ok %v problem %q", c, tt.ok, tt.problem)
			}
			if len(v.Instances) != 2 || v.Instances[0].Peer != "fw-a" || v.Instances[1].Peer != "fw-b" {
				t.Errorf("instances %+v", v.Instances)
			}
		})
	}
}
