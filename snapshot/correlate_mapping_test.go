package snapshot

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

func TestCorrelateThrottled(t *testing.T) {
	all := []string{"DescribeInstances", "DescribeInstanceStatus", "DescribeNetworkInterfaces",
		"DescribeSubnets", "DescribeRouteTables", "DescribeAddresses"}

	t.Run("every operation failed", func(t *testing.T) {
		w := secondaryIPWorld()
		w.aws = &probe.AWSStatus{Region: "eu-west-1", Throttled: true, Errors: map[string]error{}}
		for _, op := range all {
			w.aws.Errors[op] = errThrottle
		}
		v := w.correlate()
		if v.Known || v.ENIs != nil || v.Interfaces != nil || v.Routes != nil || v.FloatingIPs != nil || v.Instances != nil {
			t.Errorf("view %+v", v)
		}
		if v.ActivePeer != "fw-a" {
			t.Errorf("active %q", v.ActivePeer)
		}
	})
	t.Run("failure under an unknown name with nothing returned", func(t *testing.T) {
		w := secondaryIPWorld()
		w.aws = &probe.AWSStatus{Errors: map[string]error{"credentials": errors.New("no credentials")}}
		if v := w.correlate(); v.Known || len(v.Instances) != 0 {
			t.Errorf("view %+v", v)
		}
	})
	t.Run("everything but instances failed", func(t *testing.T) {
		w := secondaryIPWorld()
		w.aws.Errors = map[string]error{}
		for _, op := range all[2:] {
			w.aws.Errors[op] = errThrottle
		}
		w.aws.ENIs, w.aws.Subnets, w.aws.RouteTables, w.aws.Addresses = nil, nil, nil, nil
		v := w.correlate()
		if !v.Known || v.Mode != "" {
			t.Fatalf("known %v mode %q", v.Known, v.Mode)
		}
		if len(v.ENIs)+len(v.Routes)+len(v.FloatingIPs) != 0 {
			t.Errorf("checks without data: %+v %+v %+v", v.ENIs, v.Routes, v.FloatingIPs)
		}
		if len(v.Interfaces) != 4 {
			t.Fatalf("interfaces %+v", v.Interfaces)
		}
		for _, c := range v.Interfaces {
			if c.Match != probe.Unknown || c.Problem != "" {
				t.Errorf("interface %+v", c)
			}
		}
		if c := instanceCheck(t, v, "i-a"); c.OK != probe.Yes {
			t.Errorf("instance %+v", c)
		}
	})
	t.Run("configured mode survives a failed poll", func(t *testing.T) {
		w := interfaceMoveWorld()
		w.in.Mode = probe.AWSModeInterfaceMove
		w.aws = nil
		v := w.correlate()
		if v.Known || v.Mode != probe.AWSModeInterfaceMove {
			t.Errorf("known %v mode %q", v.Known, v.Mode)
		}
	})
	t.Run("nil AWS under auto", func(t *testing.T) {
		w := secondaryIPWorld()
		w.aws = nil
		if v := w.correlate(); v.Known || v.Mode != "" {
			t.Errorf("known %v mode %q", v.Known, v.Mode)
		}
	})
}

func TestCorrelateMapping(t *testing.T) {
	t.Run("by management IP", func(t *testing.T) {
		w := secondaryIPWorld()
		w.in.PeerInstances = nil
		allYes(t, w.correlate())
	})
	t.Run("by the AWS probe's label", func(t *testing.T) {
		w := secondaryIPWorld()
		w.in.PeerInstances = nil
		w.aws.Instances[0].PrivateIP, w.aws.Instances[1].PrivateIP = "", ""
		w.aws.Instances[0].Peer, w.aws.Instances[1].Peer = "fw-a", "fw-b"
		w.eni("eni-a0").PrivateIPs[0].IP, w.eni("eni-b0").PrivateIPs[0].IP = "10.0.0.20", "10.0.0.21"
		v := w.correlate()
		if c := instanceCheck(t, v, "i-b"); c.Peer != "fw-b" {
			t.Errorf("instance %+v", c)
		}
		if c := eniCheck(t, v, "eni-b2"); c.Peer != "fw-b" {
			t.Errorf("eni %+v", c)
		}
	})
	t.Run("partial configuration", func(t *testing.T) {
		w := secondaryIPWorld()
		w.in.PeerInstances = map[string]string{"fw-b": "i-b"}
		allYes(t, w.correlate())
	})
	t.Run("unreachable peer mapped through its partner", func(t *testing.T) {
		w := secondaryIPWorld()
		w.in.PeerInstances = nil
		b := w.peer("fw-b")
		b.Up, b.HA, b.System, b.Interfaces = false, nil, nil, nil
		v := w.correlate()
		if c := eniCheck(t, v, "eni-b2"); c.Peer != "fw-b" || c.Role != probe.RoleDataPlane || c.Attached != probe.Yes {
			t.Errorf("eni %+v", c)
		}
		if hasSubnetCheck(v, "fw-b", "ethernet1/2") {
			t.Errorf("unreachable peer's interfaces were checked")
		}
		if c := instanceCheck(t, v, "i-b"); c.Peer != "fw-b" || c.OK != probe.Yes {
			t.Errorf("instance %+v", c)
		}
	})
	t.Run("unmapped instance is still listed", func(t *testing.T) {
		w := secondaryIPWorld()
		w.in.PeerInstances = map[string]string{"fw-a": "i-a"}
		w.peer("fw-b").System.MgmtIP, w.peer("fw-b").HA.LocalMgmtIP, w.peer("fw-a").HA.PeerMgmtIP = "", "", ""
		v := w.correlate()
		if c := instanceCheck(t, v, "i-b"); c.Peer != "" || c.OK != probe.Yes {
			t.Errorf("instance %+v", c)
		}
		// Without knowing fw-b's instance its ENIs cannot be judged.
		if c := eniCheck(t, v, "eni-b2"); c.Attached != probe.Unknown || c.Peer != "" {
			t.Errorf("eni %+v", c)
		}
		if c := subnetCheck(t, v, "fw-b", "ethernet1/2"); c.Match != probe.Unknown {
			t.Errorf("subnet %+v", c)
		}
	})
}

func TestCorrelateManagementSwap(t *testing.T) {
	// With the management interface swap, device 0 is ethernet1/1 (here
	// the untrust interface) and device 1 is management; HA2 is ethernet1/3.
	w := secondaryIPWorld()
	w.in.PeerInstances = nil
	for _, p := range w.peers {
		p.HA.Links[1].Port = "ethernet1/3"
		p.Interfaces.Hardware[0].Role, p.Interfaces.Hardware[2].Role = probe.RoleDataPlane, probe.RoleHA
		l := p.Interfaces.Logical
		l[0].Forwarding, l[2].Forwarding = "vr:default", "ha"
	}
	w.setIP("fw-a", "ethernet1/1", "10.0.2.10/24")
	w.setIP("fw-b", "ethernet1/1", "10.0.2.11/24")
	w.setIP("fw-a", "ethernet1/3", "10.0.1.10/24")
	w.setIP("fw-b", "ethernet1/3", "10.0.1.11/24")
	w.aws.Instances[0].PrivateIP, w.aws.Instances[1].PrivateIP = "10.0.2.10", "10.0.2.11"
	w.aws.ENIs = []probe.AWSENI{
		testENI("eni-a0", "i-a", 0, "subnet-untrust", "10.0.2.10", "10.0.2.100"),
		testENI("eni-a1", "i-a", 1, "subnet-mgmt", "10.0.0.10"),
		testENI("eni-a2", "i-a", 2, "subnet-trust", "10.0.3.10", "10.0.3.100"),
		testENI("eni-a3", "i-a", 3, "subnet-ha", "10.0.1.10"),
		testENI("eni-b0", "i-b", 0, "subnet-untrust", "10.0.2.11"),
		testENI("eni-b1", "i-b", 1, "subnet-mgmt", "10.0.0.11"),
		testENI("eni-b2", "i-b", 2, "subnet-trust", "10.0.3.11"),
		testENI("eni-b3", "i-b", 3, "subnet-ha", "10.0.1.11"),
	}
	w.setIP("fw-a", "ethernet1/2", "10.0.3.10/24")
	w.setIP("fw-b", "ethernet1/2", "10.0.3.11/24")
	w.aws.RouteTables[0].Routes[0].ENI = "eni-a2"
	w.aws.Addresses = nil
	v := w.correlate()
	allYes(t, v)
	want := map[string][2]string{
		"eni-a0": {"ethernet1/1", probe.RoleDataPlane},
		"eni-a1": {"management", ENIRoleManagement},
		"eni-b1": {"management", ENIRoleManagement},
		"eni-a3": {"ethernet1/3", probe.RoleHA},
	}
	for id, iw := range want {
		if c := eniCheck(t, v, id); c.Interface != iw[0] || c.Role != iw[1] {
			t.Errorf("%s: interface %q role %q, want %v", id, c.Interface, c.Role, iw)
		}
	}
	if c := subnetCheck(t, v, "fw-b", "ethernet1/1"); c.ENI != "eni-b0" || c.Match != probe.Yes {
		t.Errorf("subnet %+v", c)
	}
	if c := instanceCheck(t, v, "i-b"); c.Peer != "fw-b" {
		t.Errorf("instance %+v", c)
	}
	if len(v.FloatingIPs) != 2 {
		t.Errorf("floating %+v", v.FloatingIPs)
	}
}

func TestCorrelateMode(t *testing.T) {
	tests := []struct {
		name   string
		world  func() *world
		mode   string
		change func(w *world)
		want   string
	}{
		{name: "auto, secondary IPs", world: secondaryIPWorld, mode: probe.AWSModeAuto, want: probe.AWSModeSecondaryIP},
		{name: "auto, ENIs on one peer", world: interfaceMoveWorld, mode: probe.AWSModeAuto, want: probe.AWSModeInterfaceMove},
		{name: "empty means auto", world: interfaceMoveWorld, mode: "", want: probe.AWSModeInterfaceMove},
		{
			name: "auto, a data-plane ENI available", world: secondaryIPWorld, mode: probe.AWSModeAuto,
			change: func(w *world) { w.detachENI("eni-b3") }, want: probe.AWSModeInterfaceMove,
		},
		{
			name: "auto, nothing to tell", world: secondaryIPWorld, mode: probe.AWSModeAuto,
			change: func(w *world) {
				w.moveSecondary("eni-a2", "eni-b0")
				w.moveSecondary("eni-a3", "eni-b0")
				w.eni("eni-b0").PrivateIPs = w.eni("eni-b0").PrivateIPs[:1]
			},
			want: "",
		},
		{
			name: "auto, ENIs unknown", world: secondaryIPWorld, mode: probe.AWSModeAuto,
			change: func(w *world) {
				w.aws.Errors = map[string]error{"DescribeNetworkInterfaces": errThrottle}
				w.aws.ENIs = nil
			},
			want: "",
		},
		{name: "configured wins", world: interfaceMoveWorld, mode: probe.AWSModeSecondaryIP, want: probe.AWSModeSecondaryIP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.world()
			w.in.Mode = tt.mode
			if tt.change != nil {
				tt.change(w)
			}
			if got := w.correlate().Mode; got != tt.want {
				t.Errorf("mode %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCorrelateUnknownModeChecks(t *testing.T) {
	// With the mode unknown, a data-plane interface without an ENI cannot be
	// judged, and no floating IP is checked.
	w := secondaryIPWorld()
	w.moveSecondary("eni-a2", "eni-b0")
	w.moveSecondary("eni-a3", "eni-b0")
	w.eni("eni-b0").PrivateIPs = w.eni("eni-b0").PrivateIPs[:1]
	w.aws.ENIs = w.aws.ENIs[:7] // drop eni-b3
	v := w.correlate()
	if v.Mode != "" || len(v.FloatingIPs) != 0 {
		t.Fatalf("mode %q floating %+v", v.Mode, v.FloatingIPs)
	}
	if c := subnetCheck(t, v, "fw-b", "ethernet1/3"); c.Match != probe.Unknown || c.Problem != "" {
		t.Errorf("subnet %+v", c)
	}
	if c := eniCheck(t, v, "eni-a2"); c.Attached != probe.Yes {
		t.Errorf("eni %+v", c)
	}
}

func TestCorrelateGrace(t *testing.T) {
	w := secondaryIPWorld()
	if v := w.correlate(); v.InGrace || !v.GraceUntil.IsZero() {
		t.Errorf("never failed over: grace %v until %v", v.InGrace, v.GraceUntil)
	}
	w.in.LastFailover = testNow.Add(-2 * time.Minute)
	if v := w.correlate(); v.InGrace || !v.GraceUntil.Equal(testNow) {
		t.Errorf("grace just over: grace %v until %v", v.InGrace, v.GraceUntil)
	}
	w.in.LastFailover = testNow.Add(-time.Minute)
	if v := w.correlate(); !v.InGrace {
		t.Errorf("within grace: %v", v.InGrace)
	}
}

func TestCorrelateDeterministic(t *testing.T) {
	for _, build := range []func() *world{secondaryIPWorld, interfaceMoveWorld} {
		w := build()
		w.failover(time.Minute)
		w.aws.RouteTables = append(w.aws.RouteTables, probe.AWSRouteTable{ID: "rtb-a", Routes: []probe.AWSRoute{
			{Destination: "10.9.0.0/16", InstanceID: "i-b", State: "active"},
			{Destination: "10.1.0.0/16", InstanceID: "i-a", State: "blackhole"},
		}})
		want := w.correlate()
		rng := rand.New(rand.NewPCG(1, 2))
		for range 20 {
			rng.Shuffle(len(w.peers), func(i, j int) { w.peers[i], w.peers[j] = w.peers[j], w.peers[i] })
			a := w.aws
			rng.Shuffle(len(a.ENIs), func(i, j int) { a.ENIs[i], a.ENIs[j] = a.ENIs[j], a.ENIs[i] })
			rng.Shuffle(len(a.Instances), func(i, j int) { a.Instances[i], a.Instances[j] = a.Instances[j], a.Instances[i] })
			rng.Shuffle(len(a.RouteTables), func(i, j int) { a.RouteTables[i], a.RouteTables[j] = a.RouteTables[j], a.RouteTables[i] })
			rng.Shuffle(len(a.Addresses), func(i, j int) { a.Addresses[i], a.Addresses[j] = a.Addresses[j], a.Addresses[i] })
			for _, p := range w.peers {
				l := p.Interfaces.Logical
				rng.Shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
			}
			if got := w.correlate(); !reflect.DeepEqual(got, want) {
				t.Fatalf("order changed the view:\n got %+v\nwant %+v", got, want)
			}
		}
	}
}

func TestCorrelateDoesNotModifyInput(t *testing.T) {
	w := interfaceMoveWorld()
	w.failover(time.Minute)
	before := interfaceMoveWorld()
	before.failover(time.Minute)
	w.correlate()
	if !reflect.DeepEqual(w.aws, before.aws) || !reflect.DeepEqual(w.peers, before.peers) {
		t.Errorf("Correlate modified its input")
	}
}

func TestCorrelatePeersUnreachable(t *testing.T) {
	// With neither peer answering, roles fall back to the AWS convention
	// (HA2 on ethernet1/1) and nothing that needs an active peer is judged.
	w := interfaceMoveWorld()
	for _, p := range w.peers {
		p.Up, p.HA, p.Interfaces = false, nil, nil
	}
	v := w.correlate()
	if v.ActivePeer != "" || v.Mode != probe.AWSModeInterfaceMove || len(v.Interfaces) != 0 {
		t.Fatalf("active %q mode %q interfaces %+v", v.ActivePeer, v.Mode, v.Interfaces)
	}
	want := map[string][2]string{
		"eni-a0": {ENIRoleManagement, probe.Yes.String()},
		"eni-b1": {probe.RoleHA, probe.Yes.String()},
		"eni-x2": {probe.RoleDataPlane, probe.Unknown.String()},
	}
	for id, rw := range want {
		if c := eniCheck(t, v, id); c.Role != rw[0] || c.Attached.String() != rw[1] {
			t.Errorf("%s: role %q attached %v, want %v", id, c.Role, c.Attached, rw)
		}
	}
	if r := v.Routes[0]; r.OnActive != probe.Unknown || r.TargetPeer != "fw-a" || r.Problem != "" {
		t.Errorf("route %+v", r)
	}
}

func TestCorrelateRouteToUnknownInstance(t *testing.T) {
	w := secondaryIPWorld()
	w.aws.RouteTables[0].Routes = []probe.AWSRoute{{Destination: "10.7.0.0/16", InstanceID: "i-other", State: "active"}}
	r := w.correlate().Routes[0]
	if r.OnActive != probe.No || r.Problem != "route 10.7.0.0/16 in rtb-trust targets i-other, which is on no peer" {
		t.Errorf("all peers mapped: %+v", r)
	}
	// fw-b's instance unknown: i-other may be it.
	w.in.PeerInstances = map[string]string{"fw-a": "i-a"}
	w.peer("fw-b").System.MgmtIP, w.peer("fw-b").HA.LocalMgmtIP, w.peer("fw-a").HA.PeerMgmtIP = "", "", ""
	if r := w.correlate().Routes[0]; r.OnActive != probe.Unknown || r.Problem != "" {
		t.Errorf("partly mapped: %+v", r)
	}
}
