package snapshot

import (
	"strings"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

func TestCorrelateHealthy(t *testing.T) {
	t.Run("secondary-ip", func(t *testing.T) {
		v := secondaryIPWorld().correlate()
		if !v.Known || v.Mode != probe.AWSModeSecondaryIP || v.ActivePeer != "fw-a" || v.InGrace {
			t.Fatalf("view: known %v mode %q active %q grace %v", v.Known, v.Mode, v.ActivePeer, v.InGrace)
		}
		allYes(t, v)
		if len(v.ENIs) != 8 || len(v.Interfaces) != 4 || len(v.Routes) != 1 || len(v.Instances) != 2 {
			t.Errorf("counts: %d ENIs, %d interfaces, %d routes, %d instances",
				len(v.ENIs), len(v.Interfaces), len(v.Routes), len(v.Instances))
		}
		// The management EIPs sit on primary IPs and do not float.
		var got []string
		for _, f := range v.FloatingIPs {
			got = append(got, f.Kind+":"+f.IP+"@"+f.Peer)
		}
		want := "secondary-ip:10.0.2.100@fw-a secondary-ip:10.0.3.100@fw-a eip:203.0.113.100@fw-a"
		if strings.Join(got, " ") != want {
			t.Errorf("floating IPs %q, want %q", strings.Join(got, " "), want)
		}
		roles := map[string]string{"eni-a0": "management", "eni-a1": "ha", "eni-a2": "data-plane", "eni-b3": "data-plane"}
		ifaces := map[string]string{"eni-a0": "management", "eni-a1": "ethernet1/1", "eni-a2": "ethernet1/2", "eni-b3": "ethernet1/3"}
		for id, role := range roles {
			c := eniCheck(t, v, id)
			if c.Role != role || c.Interface != ifaces[id] {
				t.Errorf("%s: role %q interface %q, want %q %q", id, c.Role, c.Interface, role, ifaces[id])
			}
		}
	})
	t.Run("interface-move", func(t *testing.T) {
		v := interfaceMoveWorld().correlate()
		if !v.Known || v.Mode != probe.AWSModeInterfaceMove || v.ActivePeer != "fw-a" {
			t.Fatalf("view: known %v mode %q active %q", v.Known, v.Mode, v.ActivePeer)
		}
		allYes(t, v)
		if hasSubnetCheck(v, "fw-b", "ethernet1/2") || hasSubnetCheck(v, "fw-b", "ethernet1/3") {
			t.Errorf("passive data-plane interfaces were checked: %+v", v.Interfaces)
		}
		if len(v.Interfaces) != 2 || len(v.FloatingIPs) != 0 {
			t.Errorf("%d interfaces, %d floating IPs", len(v.Interfaces), len(v.FloatingIPs))
		}
	})
}

func TestCorrelateFailover(t *testing.T) {
	t.Run("secondary-ip before AWS converged", func(t *testing.T) {
		w := secondaryIPWorld()
		w.failover(30 * time.Second)
		v := w.correlate()
		if v.ActivePeer != "fw-b" || !v.InGrace || !v.GraceUntil.Equal(testNow.Add(90*time.Second)) {
			t.Fatalf("active %q grace %v until %v", v.ActivePeer, v.InGrace, v.GraceUntil)
		}
		r := v.Routes[0]
		if r.OnActive != probe.No || r.TargetPeer != "fw-a" ||
			r.Problem != "route 0.0.0.0/0 in rtb-trust targets eni-a3 of fw-a, not active peer fw-b (i-b)" {
			t.Errorf("route %+v", r)
		}
		f := floatingCheck(t, v, "10.0.2.100")
		if f.OnActive != probe.No || f.Peer != "fw-a" ||
			f.Problem != "floating IP 10.0.2.100 is on eni-a2 (ethernet1/2) of fw-a, not on active peer fw-b (i-b)" {
			t.Errorf("floating %+v", f)
		}
		if e := floatingCheck(t, v, "203.0.113.100"); e.OnActive != probe.No || !strings.Contains(e.Problem, "Elastic IP 203.0.113.100 (10.0.2.100)") {
			t.Errorf("eip %+v", e)
		}
		for _, c := range v.ENIs {
			if c.Attached != probe.Yes {
				t.Errorf("secondary-ip ENI %s attached %v", c.ENI, c.Attached)
			}
		}
	})
	t.Run("secondary-ip after AWS converged", func(t *testing.T) {
		w := secondaryIPWorld()
		w.failover(10 * time.Minute)
		w.convergeSecondaryIP()
		v := w.correlate()
		if v.InGrace || v.ActivePeer != "fw-b" || v.Mode != probe.AWSModeSecondaryIP {
			t.Fatalf("grace %v active %q mode %q", v.InGrace, v.ActivePeer, v.Mode)
		}
		allYes(t, v)
		if f := floatingCheck(t, v, "10.0.3.100"); f.Peer != "fw-b" || f.ENI != "eni-b3" {
			t.Errorf("floating %+v", f)
		}
	})
	t.Run("interface-move before AWS converged", func(t *testing.T) {
		w := interfaceMoveWorld()
		w.failover(20 * time.Second)
		v := w.correlate()
		if v.Mode != probe.AWSModeInterfaceMove || !v.InGrace {
			t.Fatalf("mode %q grace %v", v.Mode, v.InGrace)
		}
		c := eniCheck(t, v, "eni-x2")
		if c.Attached != probe.No || c.Peer != "fw-a" ||
			c.Problem != "data-plane eni-x2 (ethernet1/2) is attached to fw-a (i-a), not to active peer fw-b (i-b)" {
			t.Errorf("eni %+v", c)
		}
		s := subnetCheck(t, v, "fw-b", "ethernet1/2")
		if s.Match != probe.No || s.Problem != "ethernet1/2 of fw-b has 10.0.2.10/24, but i-b has no ENI at device index 2" {
			t.Errorf("subnet %+v", s)
		}
		// The old active still holds the ENIs: its interfaces are checked
		// against them and match.
		if s := subnetCheck(t, v, "fw-a", "ethernet1/2"); s.Match != probe.Yes {
			t.Errorf("old active subnet %+v", s)
		}
		if r := v.Routes[0]; r.OnActive != probe.No || r.TargetPeer != "fw-a" {
			t.Errorf("route %+v", r)
		}
	})
	t.Run("interface-move after AWS converged", func(t *testing.T) {
		w := interfaceMoveWorld()
		w.failover(5 * time.Minute)
		w.moveENI("eni-x2", "i-b")
		w.moveENI("eni-x3", "i-b")
		w.aws.RouteTables[0].Routes[0].InstanceID = "i-b"
		v := w.correlate()
		if v.InGrace || v.Mode != probe.AWSModeInterfaceMove {
			t.Fatalf("grace %v mode %q", v.InGrace, v.Mode)
		}
		allYes(t, v)
		if hasSubnetCheck(v, "fw-a", "ethernet1/2") {
			t.Errorf("new passive was checked: %+v", v.Interfaces)
		}
		if c := eniCheck(t, v, "eni-x3"); c.Peer != "fw-b" || c.Interface != "ethernet1/3" {
			t.Errorf("eni %+v", c)
		}
	})
}

func TestCorrelateSubnet(t *testing.T) {
	tests := []struct {
		name    string
		mode    string
		subnets bool // DescribeSubnets fails when false
		ip      string
		match   probe.Tri
		problem string
	}{
		{
			name: "incident: address outside the ENI subnet", ip: "10.0.9.11/24", subnets: true, match: probe.No,
			problem: "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet subnet-untrust 10.0.2.0/24 of eni-b2",
		},
		{
			name: "address in the subnet but not on the ENI", ip: "10.0.2.99/24", subnets: true, match: probe.No,
			problem: "ethernet1/2 of fw-b has 10.0.2.99/24, which is not a private IP of eni-b2 (10.0.2.11)",
		},
		{
			name: "address of the other peer", ip: "10.0.2.10/24", subnets: true, match: probe.No,
			problem: "ethernet1/2 of fw-b has 10.0.2.10/24, which is not a private IP of eni-b2 (10.0.2.11); it is on eni-a2 of fw-a",
		},
		{
			name: "prefix length differs", ip: "10.0.2.11/16", subnets: true, match: probe.No,
			problem: "ethernet1/2 of fw-b has 10.0.2.11/16, but subnet subnet-untrust of eni-b2 is 10.0.2.0/24: the prefix length differs",
		},
		{name: "matching", ip: "10.0.2.11/24", subnets: true, match: probe.Yes},
		{name: "subnets unknown, address on the ENI", ip: "10.0.2.11/24", match: probe.Unknown},
		{
			name: "subnets unknown, address not on the ENI", ip: "10.0.9.11/24", match: probe.No,
			problem: "ethernet1/2 of fw-b has 10.0.9.11/24, which is not a private IP of eni-b2 (10.0.2.11)",
		},
		{
			name: "explicit secondary-ip mode", mode: probe.AWSModeSecondaryIP, ip: "10.0.9.11/24", subnets: true, match: probe.No,
			problem: "ethernet1/2 of fw-b has 10.0.9.11/24, outside subnet subnet-untrust 10.0.2.0/24 of eni-b2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := secondaryIPWorld()
			w.in.Mode = tt.mode
			w.setIP("fw-b", "ethernet1/2", tt.ip)
			if !tt.subnets {
				w.aws.Subnets = nil
				w.aws.Errors = map[string]error{"DescribeSubnets": errThrottle}
			}
			v := w.correlate()
			c := subnetCheck(t, v, "fw-b", "ethernet1/2")
			if c.Match != tt.match || c.Problem != tt.problem || c.ENI != "eni-b2" || c.IP != tt.ip {
				t.Errorf("got %+v\nwant match %v problem %q", c, tt.match, tt.problem)
			}
			if want := map[bool]string{true: "10.0.2.0/24", false: ""}[tt.subnets]; c.SubnetCIDR != want {
				t.Errorf("subnet CIDR %q, want %q", c.SubnetCIDR, want)
			}
			// The other interfaces stay as they were.
			if o := subnetCheck(t, v, "fw-a", "ethernet1/2"); (o.Match == probe.Yes) != tt.subnets {
				t.Errorf("fw-a ethernet1/2: %+v", o)
			}
		})
	}
}

func TestCorrelateSubnetInterfaceMoveIncident(t *testing.T) {
	// After an upgrade and failover the new active's ethernet1/2 came up
	// with an address that is not in the subnet of the ENI that moved to it.
	w := interfaceMoveWorld()
	w.failover(10 * time.Minute)
	w.moveENI("eni-x2", "i-b")
	w.moveENI("eni-x3", "i-b")
	w.setIP("fw-b", "ethernet1/2", "10.0.9.10/24")
	v := w.correlate()
	c := subnetCheck(t, v, "fw-b", "ethernet1/2")
	if c.Match != probe.No || c.ENI != "eni-x2" ||
		c.Problem != "ethernet1/2 of fw-b has 10.0.9.10/24, outside subnet subnet-untrust 10.0.2.0/24 of eni-x2" {
		t.Errorf("got %+v", c)
	}
	if got := problems(v); len(got) != 1 {
		t.Errorf("problems %q, want only the subnet mismatch", got)
	}
}

func TestCorrelateFloatingInterfaceAddress(t *testing.T) {
	// Both peers configure the floating secondary IP on ethernet1/2; only
	// the active peer's ENI holds it.
	w := secondaryIPWorld()
	w.setIP("fw-a", "ethernet1/2", "10.0.2.100/24")
	w.setIP("fw-b", "ethernet1/2", "10.0.2.100/24")
	v := w.correlate()
	for _, p := range []string{"fw-a", "fw-b"} {
		if c := subnetCheck(t, v, p, "ethernet1/2"); c.Match != probe.Yes {
			t.Errorf("%s: %+v", p, c)
		}
	}
	w.failover(time.Minute)
	v = w.correlate()
	c := subnetCheck(t, v, "fw-b", "ethernet1/2")
	if c.Match != probe.No || !strings.HasSuffix(c.Problem, "; it is on eni-a2 of fw-a") {
		t.Errorf("new active before the move: %+v", c)
	}
	if c := subnetCheck(t, v, "fw-a", "ethernet1/2"); c.Match != probe.Yes {
		t.Errorf("old active: %+v", c)
	}
}
