package snapshot

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// ethernetPrefix is the name prefix of VM-Series data-plane ports.
const ethernetPrefix = "ethernet1/"

// index maps peers to instances and ENIs to peers and PAN-OS interfaces.
func (c *correlator) index() {
	for _, inst := range c.aws.Instances {
		c.insts[inst.ID] = inst
	}
	for i := range c.aws.ENIs {
		e := &c.aws.ENIs[i]
		info := &eniInfo{eni: e}
		c.enis = append(c.enis, info)
		if _, dup := c.eniByID[e.ID]; !dup {
			c.eniByID[e.ID] = info
		}
		if e.InstanceID != "" && e.DeviceIndex >= 0 && !isDetached(e) {
			c.byDev[devKey{e.InstanceID, e.DeviceIndex}] = info
		}
	}
	for _, p := range c.peers {
		if ip, ok := c.mgmtIPOf(p); ok {
			c.mgmt[p.Name] = ip
		}
	}
	c.mapInstances()
	for _, p := range c.peers {
		c.swapped[p.Name] = c.isSwapped(p.Name)
	}
	for _, info := range c.enis {
		e := info.eni
		if e.InstanceID != "" && e.DeviceIndex >= 0 && !isDetached(e) {
			info.peer = c.peerOf[e.InstanceID]
			info.iface = ifaceForDevice(e.DeviceIndex, c.swapped[info.peer])
		} else {
			info.iface = c.ifaceByIP(e)
		}
		info.role = c.roleOf(info.peer, info.iface)
	}
}

// mapInstances gives each peer its instance: configured IDs first, so that
// discovery cannot take a configured instance from its peer.
func (c *correlator) mapInstances() {
	claim := func(peer, id string) {
		if id == "" || c.instOf[peer] != "" || c.peerOf[id] != "" {
			return
		}
		c.instOf[peer] = id
		c.peerOf[id] = peer
	}
	for _, p := range c.peers {
		claim(p.Name, c.in.PeerInstances[p.Name])
	}
	for _, p := range c.peers {
		if c.instOf[p.Name] == "" {
			claim(p.Name, c.discoverInstance(p.Name))
		}
	}
}

// discoverInstance finds a peer's instance in the AWS reply: by the label
// the AWS probe gave it, then by the management IP on the instance or on
// one of its ENIs (the management ENI is not device 0 after a swap).
func (c *correlator) discoverInstance(peer string) string {
	for _, inst := range c.aws.Instances {
		if inst.Peer == peer && c.peerOf[inst.ID] == "" {
			return inst.ID
		}
	}
	mgmt, ok := c.mgmt[peer]
	if !ok {
		return ""
	}
	for _, inst := range c.aws.Instances {
		if ip, ok := parseAddr(inst.PrivateIP); ok && ip == mgmt && c.peerOf[inst.ID] == "" {
			return inst.ID
		}
	}
	for _, info := range c.enis {
		e := info.eni
		if ip, ok := primaryIP(e); ok && ip == mgmt && e.InstanceID != "" && c.peerOf[e.InstanceID] == "" {
			return e.InstanceID
		}
	}
	return ""
}

// mgmtIPOf returns a peer's management IP as it reports it, or as its
// partner reports it when the peer itself did not answer.
func (c *correlator) mgmtIPOf(p *probe.PeerStatus) (netip.Addr, bool) {
	if p.System != nil {
		if ip, ok := parseAddr(p.System.MgmtIP); ok {
			return ip, true
		}
	}
	if p.HA != nil {
		if ip, ok := parseAddr(p.HA.LocalMgmtIP); ok {
			return ip, true
		}
	}
	for _, q := range c.peers {
		if q != p && q.HA != nil {
			if ip, ok := parseAddr(q.HA.PeerMgmtIP); ok {
				return ip, true
			}
		}
	}
	return netip.Addr{}, false
}

// isSwapped reports whether the peer's instance uses the VM-Series
// management interface swap.
func (c *correlator) isSwapped(peer string) bool {
	inst, mgmt := c.instOf[peer], c.mgmt[peer]
	d0, d1 := c.byDev[devKey{inst, 0}], c.byDev[devKey{inst, 1}]
	if inst == "" || !mgmt.IsValid() || d0 == nil || d1 == nil {
		return false
	}
	ip0, _ := primaryIP(d0.eni)
	ip1, ok1 := primaryIP(d1.eni)
	return ip0 != mgmt && ok1 && ip1 == mgmt
}

// ifaceByIP names the interface of a detached ENI by finding one of its
// private IPs on a peer's interface.
func (c *correlator) ifaceByIP(e *probe.AWSENI) string {
	for _, p := range c.peers {
		if p.Interfaces == nil {
			continue
		}
		for _, l := range p.Interfaces.Logical {
			pfx, err := netip.ParsePrefix(l.IP)
			if _, ok := ethernetIndex(l.Name); ok && err == nil && hasIP(e, pfx.Addr()) {
				return l.Name
			}
		}
	}
	return ""
}

// roleOf returns the role of a PAN-OS interface of a peer: from the peer's
// own configuration, else from its partner's (HA peers share interface
// configuration). Without either, ethernet1/1 is taken as HA2, as VM-Series
// HA on AWS requires.
func (c *correlator) roleOf(peer, iface string) string {
	switch iface {
	case InterfaceManagement:
		return ENIRoleManagement
	case "":
		return probe.RoleDataPlane
	}
	for _, p := range c.peers {
		if p.Name == peer {
			if r, ok := configuredRole(p, iface); ok {
				return r
			}
		}
	}
	for _, p := range c.peers {
		if p.Name != peer {
			if r, ok := configuredRole(p, iface); ok {
				return r
			}
		}
	}
	if iface == ethernetPrefix+"1" {
		return probe.RoleHA
	}
	return probe.RoleDataPlane
}

// configuredRole returns RoleHA or RoleDataPlane for an interface the peer
// reports, and false when the peer does not report it.
func configuredRole(p *probe.PeerStatus, iface string) (string, bool) {
	if p.HA != nil {
		for _, l := range p.HA.Links {
			if l.Port == iface {
				return probe.RoleHA, true
			}
		}
	}
	if p.Interfaces == nil {
		return "", false
	}
	found := false
	for _, hw := range p.Interfaces.Hardware {
		if hw.Name == iface {
			if hw.Role == probe.RoleHA {
				return probe.RoleHA, true
			}
			found = true
		}
	}
	for _, l := range p.Interfaces.Logical {
		if l.Name == iface {
			if l.Forwarding == "ha" {
				return probe.RoleHA, true
			}
			found = true
		}
	}
	if found {
		return probe.RoleDataPlane, true
	}
	return "", false
}

// ifaceForDevice names the PAN-OS interface of an ENI device index.
func ifaceForDevice(idx int, swapped bool) string {
	switch {
	case idx < 0:
		return ""
	case (idx == 0 && swapped) || (idx == 1 && !swapped):
		return ethernetPrefix + "1"
	case idx <= 1:
		return InterfaceManagement
	}
	return ethernetPrefix + strconv.Itoa(idx)
}

// deviceForIface is the inverse of ifaceForDevice for ethernet1/N.
func deviceForIface(n int, swapped bool) int {
	if n == 1 && swapped {
		return 0
	}
	return n
}

// ethernetIndex returns N of a port "ethernet1/N"; subinterfaces and other
// interfaces give false.
func ethernetIndex(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, ethernetPrefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

// parseAddr parses an IP address, dropping a "/len" suffix.
func parseAddr(s string) (netip.Addr, bool) {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "/")
	ip, err := netip.ParseAddr(s)
	return ip, err == nil
}

// primaryIP returns an ENI's primary private IP.
func primaryIP(e *probe.AWSENI) (netip.Addr, bool) {
	for _, p := range e.PrivateIPs {
		if p.Primary {
			return parseAddr(p.IP)
		}
	}
	return netip.Addr{}, false
}

// hasIP reports whether ip is one of the ENI's private IPs.
func hasIP(e *probe.AWSENI, ip netip.Addr) bool {
	for _, p := range e.PrivateIPs {
		if a, ok := parseAddr(p.IP); ok && a == ip {
			return true
		}
	}
	return false
}
