package snapshot

import (
	"cmp"
	"fmt"
	"net/netip"

	"github.com/hawatch/hawatch/probe"
)

// interfaceMoveChecks checks, for every data-plane ENI of the active peer,
// that the passive could take it: the passive's interface is configured
// for it, the passive's instance is in its zone with its device index
// free, and the ENI can leave the active's instance.
func (p *predictor) interfaceMoveChecks() {
	enis := p.activeDataENIs()
	if len(enis) == 0 {
		for _, name := range modeChecks(probe.AWSModeInterfaceMove) {
			p.addf(name, "data-plane ENIs", p.passive, probe.Unknown,
				"active peer %s holds no data-plane ENI, so what a failover would move cannot be told", p.c.peerInst(p.active))
		}
		return
	}
	for _, info := range enis {
		p.interfaceAddress(info)
	}
	for _, info := range enis {
		p.availabilityZone(info)
	}
	for _, info := range enis {
		p.deviceIndex(info)
	}
	for _, info := range enis {
		p.eniDetachable(info)
	}
}

// interfaceAddress checks the passive's interface against the ENI it
// would receive. `show interface all` lists an interface's configured
// address even while its link is down, as it is on a passive peer without
// its ENIs.
func (p *predictor) interfaceAddress(info *eniInfo) {
	item, iface := eniName(info), info.iface
	passive := p.peer(p.passive)
	if !answeredInterfaces(passive) {
		p.addf(FailoverCheckInterfaceAddress, item, p.passive, probe.Unknown,
			"passive peer %s did not answer show interface all this poll, so its %s cannot be compared with %s",
			p.passive, iface, info.eni.ID)
		return
	}
	l, found := logical(passive, iface)
	if !found {
		p.addf(FailoverCheckInterfaceAddress, item, p.passive, probe.No,
			"%s is not configured on passive peer %s, while active %s forwards on it through %s: at failover %s "+
				"moves to %s and its traffic would be dropped", iface, p.passive, p.active, info.eni.ID, info.eni.ID, p.passive)
		return
	}
	raw, static := staticAddr(l)
	if !static {
		p.addf(FailoverCheckInterfaceAddress, item, p.passive, probe.Unknown,
			"%s of passive peer %s has no static address (DHCP or none), so whether it fits %s cannot be told",
			iface, p.passive, info.eni.ID)
		return
	}
	pfx, err := netip.ParsePrefix(raw)
	if err != nil || !pfx.Addr().Is4() {
		p.addf(FailoverCheckInterfaceAddress, item, p.passive, probe.Unknown,
			"%s of passive peer %s has %q, which hawatch cannot compare with the IPv4 addresses of %s",
			iface, p.passive, raw, info.eni.ID)
		return
	}
	subnet, cidr, haveSubnet := p.c.subnetOf(info.eni)
	r, msg := p.c.matchIP(p.passive, iface, raw, pfx, info, subnet.ID, cidr, haveSubnet)
	switch r {
	case probe.No:
		p.addf(FailoverCheckInterfaceAddress, item, p.passive, probe.No,
			"%s; today %s is on active %s, but at failover it moves to %s, which would answer on an address "+
				"AWS does not deliver there: traffic through %s would stop", msg, info.eni.ID, p.active, p.passive, iface)
	case probe.Unknown:
		p.addf(FailoverCheckInterfaceAddress, item, p.passive, probe.Unknown,
			"%s of passive peer %s has %s, one of the addresses of %s, but the subnet of %s is unknown "+
				"(DescribeSubnets failed or did not return it), so its prefix length cannot be checked",
			iface, p.passive, raw, info.eni.ID, info.eni.ID)
	default:
		p.add(FailoverCheckInterfaceAddress, item, p.passive, probe.Yes, "")
	}
}

// availabilityZone checks that the passive's instance is in the ENI's
// zone: EC2 attaches an ENI only to an instance in its own zone.
func (p *predictor) availabilityZone(info *eniInfo) {
	item := info.eni.ID
	eniAZ := info.eni.AZ
	if eniAZ == "" {
		if s, _, ok := p.c.subnetOf(info.eni); ok {
			eniAZ = s.AZ
		}
	}
	inst := p.c.instOf[p.passive]
	instAZ := p.c.insts[inst].AZ
	switch {
	case inst == "":
		p.addf(FailoverCheckAvailabilityZone, item, p.passive, probe.Unknown,
			"the EC2 instance of passive peer %s is unknown, so its Availability Zone cannot be compared with %s's", p.passive, item)
	case eniAZ == "" || instAZ == "":
		p.addf(FailoverCheckAvailabilityZone, item, p.passive, probe.Unknown,
			"the Availability Zone of %s or of %s is unknown this poll", item, p.c.peerInst(p.passive))
	case eniAZ != instAZ:
		p.addf(FailoverCheckAvailabilityZone, item, p.passive, probe.No,
			"%s is in %s but passive peer %s is in %s: EC2 cannot attach a network interface to an instance in "+
				"another Availability Zone, so at failover %s would stay behind and its traffic would stop",
			eniName(info), eniAZ, p.c.peerInst(p.passive), instAZ, info.iface)
	default:
		p.add(FailoverCheckAvailabilityZone, item, p.passive, probe.Yes, "")
	}
}

// deviceIndex checks that the passive's instance has the ENI's device
// index free, else AttachNetworkInterface fails.
func (p *predictor) deviceIndex(info *eniInfo) {
	dev, held, ok := p.passiveSlot(info)
	if !ok {
		p.addf(FailoverCheckDeviceIndex, fmt.Sprintf("%s device index %d", info.eni.ID, info.eni.DeviceIndex), p.passive,
			probe.Unknown, "the EC2 instance of passive peer %s is unknown, so its free device indexes cannot be told", p.passive)
		return
	}
	item := fmt.Sprintf("%s device index %d", p.c.instOf[p.passive], dev)
	if held == nil {
		p.add(FailoverCheckDeviceIndex, item, p.passive, probe.Yes, "")
		return
	}
	p.addf(FailoverCheckDeviceIndex, item, p.passive, probe.No,
		"passive peer %s already has %s at device index %d, where %s belongs: at failover attaching %s would fail "+
			"and traffic through %s would stop", p.c.peerInst(p.passive), held.eni.ID, dev, info.iface, info.eni.ID, info.iface)
}

// eniDetachable checks that the ENI can leave the active's instance: a
// primary ENI (device index 0) cannot be detached. DeleteOnTermination
// does not stop a failover but loses the ENI with its instance.
func (p *predictor) eniDetachable(info *eniInfo) {
	e := info.eni
	item, owner := e.ID, p.c.peerInst(p.active)
	if e.DeviceIndex == 0 {
		p.addf(FailoverCheckENIDetachable, item, p.active, probe.No,
			"%s is the primary network interface (device index 0) of active peer %s: EC2 cannot detach it, "+
				"so at failover %s would stay on %s and its traffic would stop", eniName(info), owner, info.iface, p.active)
		return
	}
	if e.DeleteOnTermination {
		c := p.addf(FailoverCheckENIDetachable, item, p.active, probe.No,
			"%s has DeleteOnTermination set on its attachment to %s: if that instance is terminated (replaced after "+
				"a failure), EC2 deletes %s and its addresses %s, and there is nothing left for %s to take over; "+
				"clear the flag", eniName(info), owner, e.ID, ipList(e), cmp.Or(p.passive, "the other peer"))
		c.Warning = true
		return
	}
	p.add(FailoverCheckENIDetachable, item, p.active, probe.Yes, "")
}
