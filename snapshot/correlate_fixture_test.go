package snapshot

import (
	"errors"
	"testing"
	"time"

	"github.com/hawatch/hawatch/probe"
)

// The test pair: fw-a on i-a and fw-b on i-b, management in 10.0.0.0/24,
// HA2 on ethernet1/1 in 10.0.1.0/24, untrust ethernet1/2 in 10.0.2.0/24 and
// trust ethernet1/3 in 10.0.3.0/24.

var (
	testNow     = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	errThrottle = errors.New("api error RequestLimitExceeded: request limit exceeded")
)

// testPeer builds a reachable peer with HA2 on ethernet1/1 and data-plane
// addresses on ethernet1/2 and ethernet1/3.
func testPeer(name string, state probe.HAState, mgmt, peerMgmt, ha2, untrust, trust string) *probe.PeerStatus {
	return &probe.PeerStatus{
		Name: name,
		Up:   true,
		HA: &probe.HAInfo{
			Enabled:     true,
			Mode:        "active-passive",
			LocalState:  state,
			LocalMgmtIP: mgmt + "/24",
			PeerMgmtIP:  peerMgmt,
			Links: []probe.HALink{
				{Name: probe.LinkHA1, Port: "management", Up: true},
				{Name: probe.LinkHA2, Port: "ethernet1/1", Up: true},
			},
		},
		System: &probe.SystemInfo{Hostname: name, MgmtIP: mgmt, VMMode: "Amazon AWS"},
		Interfaces: &probe.Interfaces{
			Hardware: []probe.HardwareInterface{
				{Name: "ethernet1/1", Kind: probe.KindPhysical, Up: true, Role: probe.RoleHA},
				{Name: "ethernet1/2", Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane},
				{Name: "ethernet1/3", Kind: probe.KindPhysical, Up: true, Role: probe.RoleDataPlane},
			},
			Logical: []probe.LogicalInterface{
				{Name: "ethernet1/1", IP: ha2, Forwarding: "ha"},
				{Name: "ethernet1/2", IP: untrust, Forwarding: "vr:default", Zone: "untrust"},
				{Name: "ethernet1/3", IP: trust, Forwarding: "vr:default", Zone: "trust"},
				{Name: "loopback.1", IP: "192.168.255.1/32", Forwarding: "vr:default"},
				{Name: "tunnel", IP: "N/A", Forwarding: "N/A"},
			},
		},
	}
}

func testENI(id, inst string, dev int, subnet string, ips ...string) probe.AWSENI {
	e := probe.AWSENI{
		ID: id, SubnetID: subnet, VPCID: "vpc-1", AZ: "eu-west-1a",
		Status: "in-use", InstanceID: inst, DeviceIndex: dev, AttachmentStatus: "attached",
	}
	for i, ip := range ips {
		e.PrivateIPs = append(e.PrivateIPs, probe.AWSPrivateIP{IP: ip, Primary: i == 0})
	}
	return e
}

func testInstance(id, ip string) probe.AWSInstance {
	return probe.AWSInstance{
		ID: id, State: "running", SystemStatus: "ok", InstanceStatus: "ok",
		PrivateIP: ip, SubnetID: "subnet-mgmt", AZ: "eu-west-1a", VPCID: "vpc-1",
	}
}

func testSubnets() []probe.AWSSubnet {
	return []probe.AWSSubnet{
		{ID: "subnet-mgmt", VPCID: "vpc-1", CIDR: "10.0.0.0/24"},
		{ID: "subnet-ha", VPCID: "vpc-1", CIDR: "10.0.1.0/24"},
		{ID: "subnet-untrust", VPCID: "vpc-1", CIDR: "10.0.2.0/24"},
		{ID: "subnet-trust", VPCID: "vpc-1", CIDR: "10.0.3.0/24"},
	}
}

// world is one test scenario's input; tests change it before correlating.
type world struct {
	peers []*probe.PeerStatus
	aws   *probe.AWSStatus
	in    CorrelateInput
}

func (w *world) correlate() *AWSView {
	in := w.in
	in.Peers, in.AWS = w.peers, w.aws
	return Correlate(in)
}

func (w *world) eni(id string) *probe.AWSENI {
	for i := range w.aws.ENIs {
		if w.aws.ENIs[i].ID == id {
			return &w.aws.ENIs[i]
		}
	}
	panic("no ENI " + id)
}

func (w *world) peer(name string) *probe.PeerStatus {
	for _, p := range w.peers {
		if p.Name == name {
			return p
		}
	}
	panic("no peer " + name)
}

// setIP sets a logical interface's address on a peer.
func (w *world) setIP(peer, iface, ip string) {
	p := w.peer(peer)
	for i := range p.Interfaces.Logical {
		if p.Interfaces.Logical[i].Name == iface {
			p.Interfaces.Logical[i].IP = ip
		}
	}
}

// setAddresses sets an interface's further addresses (addr/member).
func (w *world) setAddresses(peer, iface string, addrs ...string) {
	p := w.peer(peer)
	for i := range p.Interfaces.Logical {
		if p.Interfaces.Logical[i].Name == iface {
			p.Interfaces.Logical[i].Addresses = addrs
		}
	}
}

// failover makes fw-b active and fw-a passive on the PAN-OS side only.
func (w *world) failover(ago time.Duration) {
	w.peer("fw-a").HA.LocalState = probe.StatePassive
	w.peer("fw-b").HA.LocalState = probe.StateActive
	w.in.LastFailover = testNow.Add(-ago)
}

// secondaryIPWorld is a healthy secondary-ip pair with fw-a active: each
// peer has its own four ENIs, the floating IPs 10.0.2.100 (with the EIP
// 203.0.113.100) and 10.0.3.100 sit on fw-a's ENIs, and the trust route
// points at fw-a's trust ENI. Each management ENI has its own EIP.
func secondaryIPWorld() *world {
	return &world{
		peers: []*probe.PeerStatus{
			testPeer("fw-a", probe.StateActive, "10.0.0.10", "10.0.0.11", "10.0.1.10/24", "10.0.2.10/24", "10.0.3.10/24"),
			testPeer("fw-b", probe.StatePassive, "10.0.0.11", "10.0.0.10", "10.0.1.11/24", "10.0.2.11/24", "10.0.3.11/24"),
		},
		aws: &probe.AWSStatus{
			Region:    "eu-west-1",
			Instances: []probe.AWSInstance{testInstance("i-a", "10.0.0.10"), testInstance("i-b", "10.0.0.11")},
			ENIs: []probe.AWSENI{
				testENI("eni-a0", "i-a", 0, "subnet-mgmt", "10.0.0.10"),
				testENI("eni-a1", "i-a", 1, "subnet-ha", "10.0.1.10"),
				testENI("eni-a2", "i-a", 2, "subnet-untrust", "10.0.2.10", "10.0.2.100"),
				testENI("eni-a3", "i-a", 3, "subnet-trust", "10.0.3.10", "10.0.3.100"),
				testENI("eni-b0", "i-b", 0, "subnet-mgmt", "10.0.0.11"),
				testENI("eni-b1", "i-b", 1, "subnet-ha", "10.0.1.11"),
				testENI("eni-b2", "i-b", 2, "subnet-untrust", "10.0.2.11"),
				testENI("eni-b3", "i-b", 3, "subnet-trust", "10.0.3.11"),
			},
			Subnets: testSubnets(),
			RouteTables: []probe.AWSRouteTable{
				{ID: "rtb-trust", VPCID: "vpc-1", Routes: []probe.AWSRoute{
					{Destination: "0.0.0.0/0", ENI: "eni-a3", InstanceID: "i-a", State: "active"},
				}},
			},
			Addresses: []probe.AWSAddress{
				{AllocationID: "eipalloc-float", PublicIP: "203.0.113.100", ENI: "eni-a2", PrivateIP: "10.0.2.100", InstanceID: "i-a"},
				{AllocationID: "eipalloc-a", PublicIP: "203.0.113.10", ENI: "eni-a0", PrivateIP: "10.0.0.10", InstanceID: "i-a"},
				{AllocationID: "eipalloc-b", PublicIP: "203.0.113.11", ENI: "eni-b0", PrivateIP: "10.0.0.11", InstanceID: "i-b"},
			},
		},
		in: CorrelateInput{
			Mode:          probe.AWSModeAuto,
			PeerInstances: map[string]string{"fw-a": "i-a", "fw-b": "i-b"},
			Grace:         2 * time.Minute,
			Now:           testNow,
		},
	}
}

// convergeSecondaryIP moves the floating IPs, the EIP and the route to fw-b.
func (w *world) convergeSecondaryIP() {
	w.moveSecondary("eni-a2", "eni-b2")
	w.moveSecondary("eni-a3", "eni-b3")
	w.aws.Addresses[0].ENI, w.aws.Addresses[0].InstanceID = "eni-b2", "i-b"
	w.aws.RouteTables[0].Routes[0].ENI, w.aws.RouteTables[0].Routes[0].InstanceID = "eni-b3", "i-b"
}

// moveSecondary moves the secondary IPs of one ENI to another.
func (w *world) moveSecondary(from, to string) {
	src, dst := w.eni(from), w.eni(to)
	var keep []probe.AWSPrivateIP
	for _, ip := range src.PrivateIPs {
		if ip.Primary {
			keep = append(keep, ip)
		} else {
			dst.PrivateIPs = append(dst.PrivateIPs, ip)
		}
	}
	src.PrivateIPs = keep
}

// interfaceMoveWorld is a healthy interface-move pair with fw-a active: the
// data-plane ENIs eni-x2 and eni-x3 are attached to i-a, fw-b holds only its
// management and HA2 ENIs, and both peers carry the same (synchronized)
// data-plane addresses.
func interfaceMoveWorld() *world {
	return &world{
		peers: []*probe.PeerStatus{
			testPeer("fw-a", probe.StateActive, "10.0.0.10", "10.0.0.11", "10.0.1.10/24", "10.0.2.10/24", "10.0.3.10/24"),
			testPeer("fw-b", probe.StatePassive, "10.0.0.11", "10.0.0.10", "10.0.1.11/24", "10.0.2.10/24", "10.0.3.10/24"),
		},
		aws: &probe.AWSStatus{
			Region:    "eu-west-1",
			Instances: []probe.AWSInstance{testInstance("i-a", "10.0.0.10"), testInstance("i-b", "10.0.0.11")},
			ENIs: []probe.AWSENI{
				testENI("eni-a0", "i-a", 0, "subnet-mgmt", "10.0.0.10"),
				testENI("eni-a1", "i-a", 1, "subnet-ha", "10.0.1.10"),
				testENI("eni-x2", "i-a", 2, "subnet-untrust", "10.0.2.10"),
				testENI("eni-x3", "i-a", 3, "subnet-trust", "10.0.3.10"),
				testENI("eni-b0", "i-b", 0, "subnet-mgmt", "10.0.0.11"),
				testENI("eni-b1", "i-b", 1, "subnet-ha", "10.0.1.11"),
			},
			Subnets: testSubnets(),
			RouteTables: []probe.AWSRouteTable{
				{ID: "rtb-trust", VPCID: "vpc-1", Routes: []probe.AWSRoute{
					{Destination: "0.0.0.0/0", ENI: "eni-x3", InstanceID: "i-a", State: "active"},
				}},
			},
		},
		in: CorrelateInput{
			Mode:          probe.AWSModeAuto,
			PeerInstances: map[string]string{"fw-a": "i-a", "fw-b": "i-b"},
			Grace:         2 * time.Minute,
			Now:           testNow,
		},
	}
}

// moveENI attaches an ENI to an instance.
func (w *world) moveENI(id, inst string) {
	e := w.eni(id)
	e.InstanceID, e.Status, e.AttachmentStatus = inst, "in-use", "attached"
}

// detachENI leaves an ENI available.
func (w *world) detachENI(id string) {
	e := w.eni(id)
	e.InstanceID, e.DeviceIndex, e.Status, e.AttachmentStatus = "", -1, "available", "detached"
}

func eniCheck(t *testing.T, v *AWSView, id string) ENICheck {
	t.Helper()
	for _, c := range v.ENIs {
		if c.ENI == id {
			return c
		}
	}
	t.Fatalf("no ENI check for %s in %+v", id, v.ENIs)
	return ENICheck{}
}

func subnetCheck(t *testing.T, v *AWSView, peer, iface string) SubnetCheck {
	t.Helper()
	for _, c := range v.Interfaces {
		if c.Peer == peer && c.Interface == iface {
			return c
		}
	}
	t.Fatalf("no subnet check for %s %s in %+v", peer, iface, v.Interfaces)
	return SubnetCheck{}
}

func hasSubnetCheck(v *AWSView, peer, iface string) bool {
	for _, c := range v.Interfaces {
		if c.Peer == peer && c.Interface == iface {
			return true
		}
	}
	return false
}

func floatingCheck(t *testing.T, v *AWSView, ip string) FloatingIPCheck {
	t.Helper()
	for _, c := range v.FloatingIPs {
		if c.IP == ip {
			return c
		}
	}
	t.Fatalf("no floating IP check for %s in %+v", ip, v.FloatingIPs)
	return FloatingIPCheck{}
}

func instanceCheck(t *testing.T, v *AWSView, id string) InstanceCheck {
	t.Helper()
	for _, c := range v.Instances {
		if c.InstanceID == id {
			return c
		}
	}
	t.Fatalf("no instance check for %s in %+v", id, v.Instances)
	return InstanceCheck{}
}

// problems lists every problem text of the view.
func problems(v *AWSView) []string {
	var out []string
	add := func(p string) {
		if p != "" {
			out = append(out, p)
		}
	}
	for _, c := range v.ENIs {
		add(c.Problem)
	}
	for _, c := range v.Interfaces {
		add(c.Problem)
	}
	for _, c := range v.Routes {
		add(c.Problem)
	}
	for _, c := range v.FloatingIPs {
		add(c.Problem)
	}
	for _, c := range v.Instances {
		add(c.Problem)
	}
	return out
}

// allYes fails unless every check of the view is Yes with no problem.
func allYes(t *testing.T, v *AWSView) {
	t.Helper()
	if ps := problems(v); len(ps) > 0 {
		t.Errorf("problems: %q", ps)
	}
	for _, c := range v.ENIs {
		if c.Attached != probe.Yes {
			t.Errorf("ENI %s attached %v", c.ENI, c.Attached)
		}
	}
	for _, c := range v.Interfaces {
		if c.Match != probe.Yes {
			t.Errorf("%s %s match %v", c.Peer, c.Interface, c.Match)
		}
	}
	for _, c := range v.Routes {
		if c.OnActive != probe.Yes || c.Blackhole {
			t.Errorf("route %s %s on active %v, blackhole %v", c.RouteTable, c.Destination, c.OnActive, c.Blackhole)
		}
	}
	for _, c := range v.FloatingIPs {
		if c.OnActive != probe.Yes {
			t.Errorf("floating %s on active %v", c.IP, c.OnActive)
		}
	}
	for _, c := range v.Instances {
		if c.OK != probe.Yes {
			t.Errorf("instance %s ok %v", c.InstanceID, c.OK)
		}
	}
}
