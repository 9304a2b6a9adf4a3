package sim

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/hawatch/hawatch/sim/ec2sim"
)

// World returns a deep copy of the AWS side of the world as it is now, so
// that *World is an ec2sim.Backend.
func (w *World) World() ec2sim.World {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.awsWorldLocked(w.advance())
}

func (w *World) awsWorldLocked(now time.Time) ec2sim.World {
	a := &w.aws
	out := ec2sim.World{
		Region: Region,
		VPCID:  VPCID,
		Faults: ec2sim.Faults{
			Throttle:     a.throttle,
			Unauthorized: slices.Clone(a.unauthorized),
			DelayMillis:  int(a.delay / time.Millisecond),
		},
	}
	for i := range w.peers {
		out.Instances = append(out.Instances, ec2sim.Instance{
			ID:             InstanceID(i),
			State:          "running",
			SystemStatus:   "ok",
			InstanceStatus: a.instanceStatus[i],
			PrivateIP:      a.primaryIP(ENIID(i, DeviceMgmt)),
			SubnetID:       SubnetID(DeviceMgmt),
			AZ:             cmp.Or(a.instanceAZ[i], AZ),
			VPCID:          VPCID,
			InstanceType:   "m5.xlarge",
			IAMProfileARN:  a.iam.profileARN(i),
		})
	}
	for dev := range subnetNames {
		out.Subnets = append(out.Subnets, ec2sim.Subnet{ID: SubnetID(dev), VPCID: VPCID, CIDR: subnetCIDR(dev), AZ: AZ})
	}
	for _, id := range a.eniIDs() {
		out.ENIs = append(out.ENIs, a.eni(id, now))
	}
	out.RouteTables = []ec2sim.RouteTable{
		{
			ID: UntrustRouteTable, VPCID: VPCID,
			Subnets: []string{SubnetID(DeviceMgmt), SubnetID(DeviceUntrust)},
			Routes: []ec2sim.Route{
				{Destination: VPCCIDR, GatewayID: "local", State: "active"},
				{Destination: "0.0.0.0/0", GatewayID: IGWID, State: "active"},
			},
		},
		{
			ID: TrustRouteTable, VPCID: VPCID,
			Subnets: []string{SubnetID(DeviceTrust)},
			Routes: []ec2sim.Route{
				{Destination: VPCCIDR, GatewayID: "local", State: "active"},
				a.defaultRoute(now),
			},
		},
	}
	eip := ec2sim.Address{
		AllocationID:  EIPAllocationID,
		PublicIP:      EIPPublicIP,
		AssociationID: fmt.Sprintf("eipassoc-0a000000000000%02d", a.eipAssoc%100),
		ENI:           a.eipENI(),
		PrivateIP:     FloatingUntrustIP,
	}
	if p, _ := a.holder(eip.ENI, now); p >= 0 {
		eip.InstanceID = InstanceID(p)
	}
	out.Addresses = []ec2sim.Address{eip}
	return out
}

// eniIDs lists the ENIs that exist in the current mode.
func (a *awsState) eniIDs() []string {
	var ids []string
	for i := range 2 {
		ids = append(ids, ENIID(i, DeviceMgmt), ENIID(i, DeviceHA2))
		if a.mode != AWSModeInterfaceMove {
			ids = append(ids, ENIID(i, DeviceUntrust), ENIID(i, DeviceTrust))
		}
	}
	if a.mode == AWSModeInterfaceMove {
		ids = append(ids, SharedENIID(DeviceUntrust), SharedENIID(DeviceTrust))
	}
	return ids
}

// eni describes one ENI at t.
func (a *awsState) eni(id string, t time.Time) ec2sim.ENI {
	owner, dev, _ := eniKey(id)
	e := ec2sim.ENI{
		ID:              id,
		SubnetID:        SubnetID(dev),
		VPCID:           VPCID,
		AZ:              AZ,
		MAC:             macOf(owner, dev),
		Description:     eniDescription(owner, dev),
		PrivateIPs:      []ec2sim.PrivateIP{{IP: a.primaryIP(id), Primary: true}},
		SourceDestCheck: a.sdCheck(id),
		DeviceIndex:     -1,
		Status:          "available",
	}
	if a.mode != AWSModeInterfaceMove && int(owner-'a') == a.floatOwner {
		switch dev {
		case DeviceUntrust:
			e.PrivateIPs = append(e.PrivateIPs, ec2sim.PrivateIP{IP: FloatingUntrustIP})
		case DeviceTrust:
			e.PrivateIPs = append(e.PrivateIPs, ec2sim.PrivateIP{IP: FloatingTrustIP})
		}
	}
	p, st := a.holder(id, t)
	if p < 0 {
		return e
	}
	e.InstanceID = InstanceID(p)
	e.DeviceIndex = dev
	e.AttachmentStatus = st
	e.Status = "in-use"
	if st != attAttached {
		e.Status = st
	}
	e.AttachmentID = fmt.Sprintf("eni-attach-0a000000000000%c%02d", owner, dev)
	if owner == 'c' {
		e.AttachmentID = fmt.Sprintf("eni-attach-0a0000000000%02dc%02d", a.attachSeq%100, dev)
	}
	return e
}

// macOf returns the MAC address of an ENI (or unused port) by owner and
// device index.
func macOf(owner byte, dev int) string { return fmt.Sprintf("0e:00:00:%02x:00:%02x", owner, dev) }

func eniDescription(owner byte, dev int) string {
	if owner == 'c' {
		return fmt.Sprintf("hawatch-sim %s (moves with the active peer)", subnetNames[dev])
	}
	return fmt.Sprintf("hawatch-sim fw-%c %s", owner, subnetNames[dev])
}

// defaultRoute is the trust subnet's route to the active peer.
func (a *awsState) defaultRoute(t time.Time) ec2sim.Route {
	r := ec2sim.Route{Destination: "0.0.0.0/0", ENI: a.routeENI(), State: "blackhole"}
	if p, _ := a.holder(r.ENI, t); p >= 0 {
		r.InstanceID = InstanceID(p)
		r.State = "active"
	}
	return r
}

// ENIs returns the IDs of the ENIs attached to peer i now (attaching and
// detaching ones included), by device index.
func (w *World) ENIs(i int) []string {
	checkPeer(i)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.advance()
	var out []string
	for _, id := range w.aws.eniIDs() {
		if p, _ := w.aws.holder(id, now); p == i {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(x, y string) int { return int(x[len(x)-1]) - int(y[len(y)-1]) })
	return out
}

// ENI returns the ID of the ENI behind port name of peer i ("management"
// for device 0); in interface-move mode the data-plane ports share one ENI
// each.
func (w *World) ENI(i int, name string) string {
	checkPeer(i)
	if name == "management" {
		return ENIID(i, DeviceMgmt)
	}
	return w.aws.eniFor(i, name)
}
