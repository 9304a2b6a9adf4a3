package snapshot

import (
	"fmt"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// floating is a floating secondary IP of an active data-plane ENI and the
// Elastic IP associated with it, if any.
type floating struct {
	ip  string
	eip string
}

// secondaryIPChecks checks, for every floating IP of the active peer, that
// the passive could take it: an ENI in its subnet at the same device
// index, room for it on that ENI, and the address in the passive's
// interface configuration.
func (p *predictor) secondaryIPChecks() {
	found := false
	for _, info := range p.activeDataENIs() {
		fl := p.floatingOf(info)
		if len(fl) == 0 {
			continue
		}
		found = true
		_, held, known := p.passiveSlot(info)
		for _, f := range fl {
			p.secondaryMovable(info, held, known, f)
		}
		p.ipCapacity(info, held, known, fl)
		for _, f := range fl {
			p.interfaceSecondaryIP(info, f)
		}
	}
	if !found {
		for _, name := range modeChecks(probe.AWSModeSecondaryIP) {
			p.addf(name, "floating IPs", p.passive, probe.Unknown,
				"active peer %s holds no secondary IP on a data-plane ENI, so what a failover would move cannot be told",
				p.c.peerInst(p.active))
		}
	}
}

// floatingOf lists an ENI's secondary private IPs with their Elastic IPs.
func (p *predictor) floatingOf(info *eniInfo) []floating {
	var out []floating
	for _, ip := range info.eni.PrivateIPs {
		if ip.Primary {
			continue
		}
		f := floating{ip: ip.IP, eip: ip.PublicIP}
		if !p.c.failed(opAddresses) {
			for _, a := range p.c.aws.Addresses {
				if a.ENI == info.eni.ID && a.PrivateIP == ip.IP && a.PublicIP != "" {
					f.eip = a.PublicIP
				}
			}
		}
		out = append(out, f)
	}
	return out
}

// secondaryMovable checks that a floating IP (and its Elastic IP) has an
// ENI of its subnet on the passive: EC2 assigns a private IP only to an
// ENI in the IP's subnet.
func (p *predictor) secondaryMovable(info, held *eniInfo, known bool, f floating) {
	item := f.ip + " (" + info.iface + ")"
	r, problem := probe.Yes, ""
	switch {
	case !known:
		r, problem = probe.Unknown, fmt.Sprintf("the EC2 instance of passive peer %s is unknown, so where %s would go cannot be told", p.passive, f.ip)
	case held == nil:
		r, problem = probe.No, fmt.Sprintf("passive peer %s has no ENI for %s: at failover floating IP %s "+
			"has nowhere to move and traffic to it would stop", p.c.peerInst(p.passive), info.iface, f.ip)
	case held.eni.SubnetID == "" || info.eni.SubnetID == "":
		r, problem = probe.Unknown, fmt.Sprintf("the subnet of %s or of %s is unknown", info.eni.ID, held.eni.ID)
	case held.eni.SubnetID != info.eni.SubnetID:
		r, problem = probe.No, fmt.Sprintf("floating IP %s is in subnet %s of %s, but %s of passive peer %s is in subnet %s: "+
			"EC2 assigns a private IP only to an ENI of its own subnet, so at failover %s cannot move and traffic to it would stop",
			f.ip, subnetText(p.c, info.eni), info.eni.ID, eniName(held), p.passive, subnetText(p.c, held.eni), f.ip)
	}
	p.add(FailoverCheckSecondaryIPMovable, item, p.passive, r, problem)
	if f.eip != "" {
		if r == probe.No {
			problem = fmt.Sprintf("Elastic IP %s follows %s, which cannot move: %s", f.eip, f.ip, problem)
		}
		p.add(FailoverCheckSecondaryIPMovable, f.eip+" → "+f.ip, p.passive, r, problem)
	}
}

// subnetText names a subnet with its CIDR when known.
func subnetText(c *correlator, e *probe.AWSENI) string {
	if s, _, ok := c.subnetOf(e); ok && s.CIDR != "" {
		return e.SubnetID + " " + s.CIDR
	}
	return e.SubnetID
}

// ipCapacity checks that the passive's ENI can hold the floating IPs on
// top of the addresses it has.
func (p *predictor) ipCapacity(info, held *eniInfo, known bool, fl []floating) {
	if !known || held == nil {
		return // secondaryMovable already says why nothing can move
	}
	item := eniName(held)
	inst := p.c.insts[held.eni.InstanceID]
	limit, ok := ipv4PerENI(inst.InstanceType)
	switch {
	case inst.InstanceType == "":
		p.addf(FailoverCheckIPCapacity, item, p.passive, probe.Unknown,
			"the instance type of %s is unknown this poll, so how many addresses %s can hold cannot be told",
			p.c.peerInst(p.passive), held.eni.ID)
		return
	case !ok:
		p.addf(FailoverCheckIPCapacity, item, p.passive, probe.Unknown,
			"instance type %s of %s is not in hawatch's table of IPv4 addresses per network interface",
			inst.InstanceType, p.c.peerInst(p.passive))
		return
	}
	need := len(held.eni.PrivateIPs)
	for _, f := range fl {
		if a, ok := parseAddr(f.ip); !ok || !hasIP(held.eni, a) {
			need++
		}
	}
	if need <= limit {
		p.add(FailoverCheckIPCapacity, item, p.passive, probe.Yes, "")
		return
	}
	p.addf(FailoverCheckIPCapacity, item, p.passive, probe.No,
		"%s of passive peer %s holds %d private IPs; taking the %d floating IPs of %s would need %d, above the %d "+
			"IPv4 addresses per network interface of %s: at failover AssignPrivateIpAddresses would fail and "+
			"traffic to those addresses would stop", eniName(held), p.passive, len(held.eni.PrivateIPs), len(fl),
		info.iface, need, limit, inst.InstanceType)
}

// interfaceSecondaryIP checks that the passive's interface configuration
// carries a floating IP, as its first address (ifnet ip) or a further one
// (addr/member).
func (p *predictor) interfaceSecondaryIP(info *eniInfo, f floating) {
	item := f.ip + " on " + info.iface
	passive := p.peer(p.passive)
	if !answeredInterfaces(passive) {
		p.addf(FailoverCheckInterfaceSecondaryIPs, item, p.passive, probe.Unknown,
			"passive peer %s did not answer show interface all this poll, so whether it carries %s cannot be told", p.passive, f.ip)
		return
	}
	l, found := logical(passive, info.iface)
	if !found {
		p.addf(FailoverCheckInterfaceSecondaryIPs, item, p.passive, probe.No,
			"%s is not configured on passive peer %s: at failover %s would move to %s but no interface would answer on it",
			info.iface, p.passive, f.ip, p.passive)
		return
	}
	want, _ := parseAddr(f.ip)
	var have []string
	for _, raw := range append([]string{l.IP}, l.Addresses...) {
		addr, ok := staticAddr(probe.LogicalInterface{IP: raw})
		if !ok {
			continue
		}
		have = append(have, addr)
		if got, ok := parseAddr(addr); ok && want.IsValid() && got == want {
			p.add(FailoverCheckInterfaceSecondaryIPs, item, p.passive, probe.Yes, "")
			return
		}
	}
	if len(have) == 0 {
		p.addf(FailoverCheckInterfaceSecondaryIPs, item, p.passive, probe.Unknown,
			"%s of passive peer %s has no static address (DHCP?), so whether it would answer on %s cannot be told",
			info.iface, p.passive, f.ip)
		return
	}
	p.addf(FailoverCheckInterfaceSecondaryIPs, item, p.passive, probe.No,
		"%s of passive peer %s carries %s but not %s: at failover %s would move to %s and no interface would answer on it",
		info.iface, p.passive, strings.Join(have, ", "), f.ip, f.ip, p.passive)
}
