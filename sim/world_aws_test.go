package sim

import (
	"slices"
	"testing"
	"time"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

func findENI(t *testing.T, w ec2sim.World, id string) ec2sim.ENI {
	t.Helper()
	for _, e := range w.ENIs {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("eni %s not in world", id)
	return ec2sim.ENI{}
}

func hasIP(e ec2sim.ENI, ip string) bool {
	return slices.ContainsFunc(e.PrivateIPs, func(p ec2sim.PrivateIP) bool { return p.IP == ip })
}

func defaultRoute(t *testing.T, w ec2sim.World) ec2sim.Route {
	t.Helper()
	for _, rt := range w.RouteTables {
		if rt.ID != TrustRouteTable {
			continue
		}
		for _, r := range rt.Routes {
			if r.Destination == "0.0.0.0/0" {
				return r
			}
		}
	}
	t.Fatal("no default route in the trust route table")
	return ec2sim.Route{}
}

// wantSecondaryIPOn checks that floating IPs, EIP and route point at peer i.
func wantSecondaryIPOn(t *testing.T, w ec2sim.World, i int) {
	t.Helper()
	o := other(i)
	if e := findENI(t, w, ENIID(i, DeviceUntrust)); !hasIP(e, FloatingUntrustIP) {
		t.Errorf("floating untrust IP not on %s's ENI: %+v", PeerName(i), e.PrivateIPs)
	}
	if e := findENI(t, w, ENIID(i, DeviceTrust)); !hasIP(e, FloatingTrustIP) {
		t.Errorf("floating trust IP not on %s's ENI: %+v", PeerName(i), e.PrivateIPs)
	}
	if e := findENI(t, w, ENIID(o, DeviceUntrust)); hasIP(e, FloatingUntrustIP) || len(e.PrivateIPs) != 1 {
		t.Errorf("%s's untrust ENI has %+v, want only its primary IP", PeerName(o), e.PrivateIPs)
	}
	if eip := w.Addresses[0]; eip.ENI != ENIID(i, DeviceUntrust) || eip.InstanceID != InstanceID(i) || eip.PrivateIP != FloatingUntrustIP {
		t.Errorf("EIP %+v, want on %s's untrust ENI", eip, PeerName(i))
	}
	if r := defaultRoute(t, w); r.ENI != ENIID(i, DeviceTrust) || r.InstanceID != InstanceID(i) || r.State != "active" {
		t.Errorf("default route %+v, want active via %s's trust ENI", r, PeerName(i))
	}
}

func TestAWSWorldShape(t *testing.T) {
	w, _ := newTestWorld(t, "")
	aw := w.World()
	if aw.Region != Region || aw.VPCID != VPCID || len(aw.Instances) != 2 || len(aw.Subnets) != 4 {
		t.Fatalf("world %s/%s with %d instances and %d subnets", aw.Region, aw.VPCID, len(aw.Instances), len(aw.Subnets))
	}
	if len(aw.ENIs) != 8 {
		t.Errorf("%d ENIs in secondary-ip mode, want 8", len(aw.ENIs))
	}
	for i := range 2 {
		inst := aw.Instances[i]
		if inst.State != "running" || inst.InstanceStatus != "ok" || inst.PrivateIP != []string{"10.0.0.10", "10.0.0.11"}[i] {
			t.Errorf("instance %+v", inst)
		}
		for dev := range 4 {
			e := findENI(t, aw, ENIID(i, dev))
			if e.InstanceID != InstanceID(i) || e.DeviceIndex != dev || e.AttachmentStatus != "attached" || e.Status != "in-use" {
				t.Errorf("eni %s attachment %+v", e.ID, e)
			}
			if e.SourceDestCheck != (dev < DeviceUntrust) {
				t.Errorf("eni %s source/dest check %v", e.ID, e.SourceDestCheck)
			}
			if e.SubnetID != SubnetID(dev) {
				t.Errorf("eni %s in %s, want %s", e.ID, e.SubnetID, SubnetID(dev))
			}
		}
	}
	wantSecondaryIPOn(t, aw, PeerA)

	// World returns a copy: changing it does not change the world.
	aw.ENIs[0].PrivateIPs[0].IP = "192.0.2.1"
	aw.Faults.Unauthorized = append(aw.Faults.Unauthorized, "x")
	if again := w.World(); again.ENIs[0].PrivateIPs[0].IP == "192.0.2.1" || len(again.Faults.Unauthorized) != 0 {
		t.Error("World shares memory with the simulator")
	}
}

func TestAWSFollowsFailoverSecondaryIP(t *testing.T) {
	w, _ := newTestWorld(t, AWSModeSecondaryIP)
	before := w.World().Addresses[0].AssociationID
	w.Failover()
	aw := w.World()
	wantSecondaryIPOn(t, aw, PeerB)
	if aw.Addresses[0].AssociationID == before {
		t.Error("EIP association ID unchanged by re-association")
	}
	if c := w.Carrier(); c != PeerB {
		t.Errorf("carrier = %d after failover, want B", c)
	}
}

func TestAWSDoesNotFollowUnderFault(t *testing.T) {
	for _, mode := range []string{AWSModeSecondaryIP, AWSModeInterfaceMove} {
		t.Run(mode, func(t *testing.T) {
			w, clk := newTestWorld(t, mode)
			w.SetAWSFollowsFailover(false)
			w.Failover()
			clk.Advance(time.Minute)
			wantStates(t, w, StateSuspended, StateActive)
			aw := w.World()
			if r := defaultRoute(t, aw); r.InstanceID != InstanceID(PeerA) {
				t.Errorf("route %+v, want left on A", r)
			}
			if eip := aw.Addresses[0]; eip.InstanceID != InstanceID(PeerA) {
				t.Errorf("EIP %+v, want left on A", eip)
			}
			if c := w.Carrier(); c != -1 {
				t.Errorf("carrier = %d with AWS on the suspended peer, want -1", c)
			}
			w.RestoreAWS()
			clk.Advance(time.Minute)
			if r := defaultRoute(t, w.World()); r.InstanceID != InstanceID(PeerB) {
				t.Errorf("route %+v after RestoreAWS, want on B", r)
			}
			if c := w.Carrier(); c != PeerB {
				t.Errorf("carrier = %d after RestoreAWS, want B", c)
			}
		})
	}
}

func TestAWSFollowsFailoverInterfaceMove(t *testing.T) {
	w, clk := newTestWorld(t, AWSModeInterfaceMove)
	aw := w.World()
	if len(aw.ENIs) != 6 {
		t.Fatalf("%d ENIs in interface-move mode, want 6", len(aw.ENIs))
	}
	if got := w.ENIs(PeerB); !slices.Equal(got, []string{ENIID(PeerB, 0), ENIID(PeerB, 1)}) {
		t.Errorf("B holds %v, want only mgmt and HA2", got)
	}
	if got := w.ENIs(PeerA); len(got) != 4 || got[2] != SharedENIID(2) || got[3] != SharedENIID(3) {
		t.Errorf("A holds %v, want mgmt, HA2 and both shared ENIs", got)
	}
	if ip := w.InterfaceIP(PeerB, IfaceTrust); ip != "10.0.3.100/24" {
		t.Errorf("B trust IP %q, want the shared ENI's 10.0.3.100/24", ip)
	}

	w.Failover()
	e := findENI(t, w.World(), SharedENIID(DeviceTrust))
	if e.AttachmentStatus != "detaching" || e.InstanceID != InstanceID(PeerA) {
		t.Errorf("right after failover: %s %s on %s, want detaching from A", e.ID, e.AttachmentStatus, e.InstanceID)
	}
	clk.Advance(DefaultMoveTime / 2)
	e = findENI(t, w.World(), SharedENIID(DeviceTrust))
	if e.AttachmentStatus != "attaching" || e.InstanceID != InstanceID(PeerB) || e.DeviceIndex != DeviceTrust {
		t.Errorf("mid move: %s %s on %s, want attaching to B", e.ID, e.AttachmentStatus, e.InstanceID)
	}
	if c := w.Carrier(); c != -1 {
		t.Errorf("carrier = %d while ENIs move, want -1", c)
	}
	clk.Advance(DefaultMoveTime / 2)
	aw = w.World()
	for _, dev := range []int{DeviceUntrust, DeviceTrust} {
		e := findENI(t, aw, SharedENIID(dev))
		if e.AttachmentStatus != "attached" || e.InstanceID != InstanceID(PeerB) || e.Status != "in-use" {
			t.Errorf("after move: %s %s/%s on %s, want attached to B", e.ID, e.Status, e.AttachmentStatus, e.InstanceID)
		}
	}
	if r := defaultRoute(t, aw); r.ENI != SharedENIID(DeviceTrust) || r.InstanceID != InstanceID(PeerB) || r.State != "active" {
		t.Errorf("route %+v, want active via the shared ENI on B", r)
	}
	if eip := aw.Addresses[0]; eip.InstanceID != InstanceID(PeerB) {
		t.Errorf("EIP %+v, want on B", eip)
	}
	if got := w.ENIs(PeerA); len(got) != 2 {
		t.Errorf("A still holds %v", got)
	}
	if v, _ := w.view(PeerA); v.ifaces[1].up || v.ifaces[2].up {
		t.Error("A's data-plane links up without their ENIs")
	}
	if c := w.Carrier(); c != PeerB {
		t.Errorf("carrier = %d after move, want B", c)
	}
}

func TestAWSFaultSteps(t *testing.T) {
	w, _ := newTestWorld(t, "")
	w.BlackholeRoute()
	if r := defaultRoute(t, w.World()); r.State != "blackhole" || r.ENI != DeletedENIID || r.InstanceID != "" {
		t.Errorf("route %+v, want blackhole to a deleted ENI", r)
	}
	w.DetachENI(ENIID(PeerB, DeviceUntrust))
	e := findENI(t, w.World(), ENIID(PeerB, DeviceUntrust))
	if e.InstanceID != "" || e.Status != "available" || e.DeviceIndex != -1 {
		t.Errorf("detached eni %+v", e)
	}
	w.SetSourceDestCheck(ENIID(PeerA, DeviceTrust), true)
	w.SetThrottle(true)
	w.SetUnauthorized("DescribeRouteTables")
	w.SetAWSDelay(250 * time.Millisecond)
	w.SetInstanceStatus(PeerB, "impaired")
	aw := w.World()
	if !findENI(t, aw, ENIID(PeerA, DeviceTrust)).SourceDestCheck {
		t.Error("source/dest check still off")
	}
	if !aw.Faults.Throttle || !slices.Equal(aw.Faults.Unauthorized, []string{"DescribeRouteTables"}) || aw.Faults.DelayMillis != 250 {
		t.Errorf("faults %+v", aw.Faults)
	}
	if aw.Instances[PeerB].InstanceStatus != "impaired" {
		t.Errorf("B instance status %q", aw.Instances[PeerB].InstanceStatus)
	}

	w.RestoreAWS()
	aw = w.World()
	wantSecondaryIPOn(t, aw, PeerA)
	if aw.Faults.Throttle || len(aw.Faults.Unauthorized) != 0 || aw.Instances[PeerB].InstanceStatus != "ok" {
		t.Errorf("faults left after RestoreAWS: %+v", aw.Faults)
	}
	if e := findENI(t, aw, ENIID(PeerB, DeviceUntrust)); e.InstanceID != InstanceID(PeerB) {
		t.Errorf("eni %s still detached", e.ID)
	}
}

func TestSourceDestCheckStopsTraffic(t *testing.T) {
	w, _ := newTestWorld(t, "")
	w.SetSourceDestCheck(ENIID(PeerA, DeviceTrust), true)
	if c := w.Carrier(); c != -1 {
		t.Errorf("carrier = %d with source/dest check on, want -1", c)
	}
}
