package snapshot

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// eniChecks checks every ENI of the pair: attached where it belongs, and
// source/destination check off on data-plane ENIs.
func (c *correlator) eniChecks() []ENICheck {
	if c.failed(opENIs) {
		return nil
	}
	out := make([]ENICheck, 0, len(c.enis))
	for _, info := range c.enis {
		e := info.eni
		ck := ENICheck{
			Peer:            info.peer,
			ENI:             e.ID,
			DeviceIndex:     e.DeviceIndex,
			Interface:       info.iface,
			Role:            info.role,
			Status:          e.Status,
			SourceDestCheck: e.SourceDestCheck,
		}
		if isDetached(e) {
			ck.DeviceIndex = -1
		}
		var problems []string
		var problem string
		ck.Attached, problem = c.attachment(info)
		if problem != "" {
			problems = append(problems, problem)
		}
		if info.role == probe.RoleDataPlane && e.SourceDestCheck {
			problems = append(problems, fmt.Sprintf(
				"source/destination check is enabled on %s%s; the firewall cannot forward through it",
				eniName(info), c.ofPeer(info.peer)))
		}
		ck.Problem = strings.Join(problems, "; ")
		out = append(out, ck)
	}
	slices.SortFunc(out, func(a, b ENICheck) int {
		return cmp.Or(cmp.Compare(a.Peer, b.Peer), cmp.Compare(a.DeviceIndex, b.DeviceIndex), cmp.Compare(a.ENI, b.ENI))
	})
	return out
}

// attachment decides whether an ENI is attached where it belongs: any peer's
// instance for management and HA ENIs and in secondary-ip mode, the active
// peer's instance for a data-plane ENI in interface-move mode.
func (c *correlator) attachment(info *eniInfo) (probe.Tri, string) {
	e := info.eni
	name := eniName(info)
	moves := info.role == probe.RoleDataPlane && c.mode == probe.AWSModeInterfaceMove
	if isDetached(e) {
		msg := fmt.Sprintf("%s is %s, attached to no instance", name, cmp.Or(e.Status, "detached"))
		if moves && c.active != "" {
			msg += "; it belongs on active peer " + c.peerInst(c.active)
		}
		return probe.No, msg
	}
	if e.Status != "in-use" || e.AttachmentStatus != "attached" {
		return probe.No, fmt.Sprintf("%s%s is not attached to %s: status %s, attachment %s",
			name, c.ofPeer(info.peer), e.InstanceID, cmp.Or(e.Status, "none"), cmp.Or(e.AttachmentStatus, "none"))
	}
	if info.peer == "" {
		if c.allMapped() {
			return probe.No, fmt.Sprintf("%s is attached to %s, an instance of no peer of the pair", name, e.InstanceID)
		}
		return probe.Unknown, ""
	}
	if !moves {
		return probe.Yes, ""
	}
	switch c.active {
	case "":
		return probe.Unknown, ""
	case info.peer:
		return probe.Yes, ""
	}
	return probe.No, fmt.Sprintf("data-plane %s is attached to %s, not to active peer %s",
		name, c.peerInst(info.peer), c.peerInst(c.active))
}

// allMapped reports whether every peer has a known instance.
func (c *correlator) allMapped() bool {
	for _, p := range c.peers {
		if c.instOf[p.Name] == "" {
			return false
		}
	}
	return len(c.peers) > 0
}

// eniName names an ENI with its interface, for problem texts.
func eniName(info *eniInfo) string {
	if info.iface == "" {
		return info.eni.ID
	}
	return info.eni.ID + " (" + info.iface + ")"
}

// ofPeer is " of PEER", or "" for no peer.
func (c *correlator) ofPeer(peer string) string {
	if peer == "" {
		return ""
	}
	return " of " + peer
}

// subnetChecks compares the address of every data-plane interface of every
// reachable peer with the ENI at the interface's device index.
func (c *correlator) subnetChecks() []SubnetCheck {
	var out []SubnetCheck
	for _, p := range c.peers {
		if !p.Up || p.Interfaces == nil {
			continue
		}
		for _, l := range p.Interfaces.Logical {
			n, ok := ethernetIndex(l.Name)
			if !ok {
				continue
			}
			pfx, err := netip.ParsePrefix(strings.TrimSpace(l.IP))
			if err != nil || !pfx.Addr().Is4() || c.roleOf(p.Name, l.Name) != probe.RoleDataPlane {
				continue
			}
			if ck, ok := c.subnetCheck(p.Name, l.Name, n, l.IP, pfx); ok {
				out = append(out, ck)
			}
		}
	}
	slices.SortFunc(out, func(a, b SubnetCheck) int {
		na, _ := ethernetIndex(a.Interface)
		nb, _ := ethernetIndex(b.Interface)
		return cmp.Or(cmp.Compare(a.Peer, b.Peer), cmp.Compare(na, nb), cmp.Compare(a.IP, b.IP))
	})
	return out
}

// subnetCheck checks one interface; false means the interface is not
// expected to have an ENI (the passive peer in interface-move mode).
func (c *correlator) subnetCheck(peer, iface string, n int, raw string, pfx netip.Prefix) (SubnetCheck, bool) {
	ck := SubnetCheck{Peer: peer, Interface: iface, IP: raw}
	inst := c.instOf[peer]
	if c.failed(opENIs) || inst == "" {
		return ck, true
	}
	dev := deviceForIface(n, c.swapped[peer])
	info := c.byDev[devKey{inst, dev}]
	if info == nil {
		switch c.needsENI(peer) {
		case probe.Unknown:
			return ck, true
		case probe.No:
			return ck, false
		}
		ck.Match = probe.No
		ck.Problem = fmt.Sprintf("%s of %s has %s, but %s has no ENI at device index %d", iface, peer, raw, inst, dev)
		return ck, true
	}
	ck.ENI = info.eni.ID
	subnet, cidr, haveSubnet := c.subnetOf(info.eni)
	if haveSubnet {
		ck.SubnetCIDR = subnet.CIDR
	}
	ck.Match, ck.Problem = c.matchIP(peer, iface, raw, pfx, info, subnet.ID, cidr, haveSubnet)
	return ck, true
}

// needsENI tells whether a peer's data-plane interface must have an ENI:
// always in secondary-ip mode, only on the active peer in interface-move.
func (c *correlator) needsENI(peer string) probe.Tri {
	switch c.mode {
	case probe.AWSModeSecondaryIP:
		return probe.Yes
	case probe.AWSModeInterfaceMove:
		return c.onActive(peer)
	}
	return probe.Unknown
}

// subnetOf returns the subnet of an ENI when DescribeSubnets returned it.
func (c *correlator) subnetOf(e *probe.AWSENI) (probe.AWSSubnet, netip.Prefix, bool) {
	if c.failed(opSubnets) {
		return probe.AWSSubnet{}, netip.Prefix{}, false
	}
	for _, s := range c.aws.Subnets {
		if s.ID != e.SubnetID {
			continue
		}
		cidr, err := netip.ParsePrefix(s.CIDR)
		return s, cidr.Masked(), err == nil
	}
	return probe.AWSSubnet{}, netip.Prefix{}, false
}

// matchIP compares an interface address with its ENI and subnet.
func (c *correlator) matchIP(peer, iface, raw string, pfx netip.Prefix, info *eniInfo,
	subnetID string, cidr netip.Prefix, haveSubnet bool) (probe.Tri, string) {
	ip := pfx.Addr()
	what := fmt.Sprintf("%s of %s has %s", iface, peer, raw)
	if haveSubnet && !cidr.Contains(ip) {
		return probe.No, fmt.Sprintf("%s, outside subnet %s %s of %s", what, subnetID, cidr, info.eni.ID)
	}
	if !hasIP(info.eni, ip) && !c.floatingHeldElsewhere(peer, info, ip) {
		msg := fmt.Sprintf("%s, which is not a private IP of %s (%s)", what, info.eni.ID, ipList(info.eni))
		if other := c.eniWithIP(ip); other != nil {
			msg += fmt.Sprintf("; it is on %s%s", other.eni.ID, c.ofPeer(other.peer))
		}
		return probe.No, msg
	}
	if !haveSubnet {
		return probe.Unknown, ""
	}
	if pfx.Bits() != cidr.Bits() {
		return probe.No, fmt.Sprintf("%s, but subnet %s of %s is %s: the prefix length differs", what, subnetID, info.eni.ID, cidr)
	}
	return probe.Yes, ""
}

// floatingHeldElsewhere reports whether ip is a floating secondary IP that
// the other peer's ENI holds: in secondary-ip mode both peers carry the
// floating address in their (synchronized) configuration, while only the
// active peer's ENI holds it.
func (c *correlator) floatingHeldElsewhere(peer string, own *eniInfo, ip netip.Addr) bool {
	if c.mode != probe.AWSModeSecondaryIP || peer == c.active {
		return false
	}
	other := c.eniWithIP(ip)
	if other == nil || other == own || other.peer == peer || other.role != probe.RoleDataPlane {
		return false
	}
	for _, p := range other.eni.PrivateIPs {
		if a, ok := parseAddr(p.IP); ok && a == ip {
			return !p.Primary
		}
	}
	return false
}

// eniWithIP returns the pair ENI that holds ip, or nil.
func (c *correlator) eniWithIP(ip netip.Addr) *eniInfo {
	for _, info := range c.enis {
		if hasIP(info.eni, ip) {
			return info
		}
	}
	return nil
}

// ipList lists an ENI's private IPs.
func ipList(e *probe.AWSENI) string {
	ips := make([]string, 0, len(e.PrivateIPs))
	for _, p := range e.PrivateIPs {
		ips = append(ips, p.IP)
	}
	if len(ips) == 0 {
		return "none"
	}
	return strings.Join(ips, ", ")
}
