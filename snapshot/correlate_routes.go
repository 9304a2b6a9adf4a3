package snapshot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hawatch/hawatch/probe"
)

// routeChecks checks every route that targets a pair ENI or instance: not a
// blackhole, and pointing at the active peer. In interface-move mode the
// ENI moves, so a route to it is on the active peer iff the ENI is attached
// to the active peer's instance; that is the same test as in secondary-ip
// mode, where the route itself must move.
func (c *correlator) routeChecks() []RouteCheck {
	if c.failed(opRouteTables) {
		return nil
	}
	var out []RouteCheck
	for _, rt := range c.aws.RouteTables {
		for _, r := range rt.Routes {
			ck := RouteCheck{
				RouteTable:     rt.ID,
				Destination:    r.Destination,
				TargetENI:      r.ENI,
				TargetInstance: r.InstanceID,
				Blackhole:      r.State == "blackhole",
			}
			owner, known := c.routeOwner(r)
			ck.TargetPeer = owner
			if known {
				ck.OnActive = c.onActive(owner)
			}
			var problems []string
			target := cmp.Or(r.ENI, r.InstanceID)
			if ck.Blackhole {
				problems = append(problems, fmt.Sprintf("route %s in %s is a blackhole (target %s)", r.Destination, rt.ID, target))
			}
			if ck.OnActive == probe.No {
				if owner == "" {
					problems = append(problems, fmt.Sprintf("route %s in %s targets %s, which is on no peer", r.Destination, rt.ID, target))
				} else {
					problems = append(problems, fmt.Sprintf("route %s in %s targets %s of %s, not active peer %s",
						r.Destination, rt.ID, target, owner, c.peerInst(c.active)))
				}
			}
			ck.Problem = strings.Join(problems, "; ")
			out = append(out, ck)
		}
	}
	slices.SortFunc(out, func(a, b RouteCheck) int {
		return cmp.Or(cmp.Compare(a.RouteTable, b.RouteTable), cmp.Compare(a.Destination, b.Destination),
			cmp.Compare(a.TargetENI, b.TargetENI), cmp.Compare(a.TargetInstance, b.TargetInstance))
	})
	return out
}

// routeOwner returns the peer a route's target belongs to; known is false
// when that cannot be told. An ENI target counts by where the ENI is
// attached now; an instance target by the instance's peer.
func (c *correlator) routeOwner(r probe.AWSRoute) (peer string, known bool) {
	if r.ENI != "" && !c.failed(opENIs) {
		if info := c.eniByID[r.ENI]; info != nil {
			if info.peer == "" && !isDetached(info.eni) && !c.allMapped() {
				return "", false
			}
			return info.peer, true
		}
	}
	if r.InstanceID != "" {
		if p := c.peerOf[r.InstanceID]; p != "" {
			return p, true
		}
		if c.allMapped() {
			return "", true
		}
	}
	return "", false
}

// floatingChecks checks, in secondary-ip mode, that every floating IP is on
// the active peer: the secondary private IPs of data-plane ENIs and the
// Elastic IPs associated with them. Primary IPs never move, so an EIP on a
// primary IP (a peer's own public address) is not floating.
func (c *correlator) floatingChecks() []FloatingIPCheck {
	if c.mode != probe.AWSModeSecondaryIP || c.failed(opENIs) {
		return nil
	}
	var out []FloatingIPCheck
	for _, info := range c.enis {
		if info.role != probe.RoleDataPlane {
			continue
		}
		for _, p := range info.eni.PrivateIPs {
			if !p.Primary {
				out = append(out, c.floatingCheck(p.IP, FloatingKindSecondaryIP, p.IP, info))
			}
		}
	}
	if !c.failed(opAddresses) {
		for _, a := range c.aws.Addresses {
			info := c.eniByID[a.ENI]
			if info == nil || info.role != probe.RoleDataPlane || !isSecondary(info.eni, a.PrivateIP) {
				continue
			}
			out = append(out, c.floatingCheck(a.PublicIP, FloatingKindEIP, a.PrivateIP, info))
		}
	}
	slices.SortFunc(out, func(a, b FloatingIPCheck) int {
		ia, _ := parseAddr(a.IP)
		ib, _ := parseAddr(b.IP)
		return cmp.Or(ia.Compare(ib), cmp.Compare(a.IP, b.IP), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ENI, b.ENI))
	})
	return out
}

// floatingCheck checks one floating IP; private is the private IP it is
// (or is associated with).
func (c *correlator) floatingCheck(ip, kind, private string, info *eniInfo) FloatingIPCheck {
	ck := FloatingIPCheck{IP: ip, Kind: kind, ENI: info.eni.ID, Peer: info.peer, OnActive: c.onActive(info.peer)}
	if ck.OnActive != probe.No {
		return ck
	}
	what := "floating IP " + ip
	if kind == FloatingKindEIP {
		what = fmt.Sprintf("Elastic IP %s (%s)", ip, private)
	}
	if info.peer == "" {
		ck.Problem = fmt.Sprintf("%s is on %s, which is attached to no peer; it belongs on active peer %s",
			what, eniName(info), c.peerInst(c.active))
	} else {
		ck.Problem = fmt.Sprintf("%s is on %s of %s, not on active peer %s",
			what, eniName(info), info.peer, c.peerInst(c.active))
	}
	return ck
}

// isSecondary reports whether ip is a secondary private IP of the ENI.
func isSecondary(e *probe.AWSENI, ip string) bool {
	want, ok := parseAddr(ip)
	if !ok {
		return false
	}
	for _, p := range e.PrivateIPs {
		if a, ok := parseAddr(p.IP); ok && a == want {
			return !p.Primary
		}
	}
	return false
}

// instanceChecks checks each peer's instance, and any other instance the
// AWS poll returned for the pair.
func (c *correlator) instanceChecks() []InstanceCheck {
	var out []InstanceCheck
	seen := map[string]bool{}
	for _, p := range c.peers {
		if id := c.instOf[p.Name]; id != "" && !seen[id] {
			seen[id] = true
			out = append(out, c.instanceCheck(p.Name, id))
		}
	}
	if !c.failed(opInstances) {
		for _, inst := range c.aws.Instances {
			if !seen[inst.ID] {
				seen[inst.ID] = true
				out = append(out, c.instanceCheck(inst.Peer, inst.ID))
			}
		}
	}
	slices.SortFunc(out, func(a, b InstanceCheck) int {
		return cmp.Or(cmp.Compare(a.Peer, b.Peer), cmp.Compare(a.InstanceID, b.InstanceID))
	})
	return out
}

// instanceCheck checks one instance: running, and both status checks ok.
// A status of insufficient-data or not-applicable, or none, is Unknown;
// initializing and impaired are No.
func (c *correlator) instanceCheck(peer, id string) InstanceCheck {
	ck := InstanceCheck{Peer: peer, InstanceID: id}
	if c.failed(opInstances) {
		return ck
	}
	inst, ok := c.insts[id]
	if !ok {
		ck.OK = probe.No
		ck.Problem = fmt.Sprintf("instance %s not returned by DescribeInstances", id)
		return ck
	}
	ck.State, ck.SystemStatus, ck.InstanceStatus = inst.State, inst.SystemStatus, inst.InstanceStatus
	name := "instance " + id + c.ofPeer(peer)
	if inst.State != "running" {
		ck.OK = probe.No
		ck.Problem = fmt.Sprintf("%s is %s", name, cmp.Or(inst.State, "in no state"))
		return ck
	}
	if c.failed(opInstanceStatus) {
		return ck
	}
	sys, ins := statusTri(inst.SystemStatus), statusTri(inst.InstanceStatus)
	switch {
	case sys == probe.No || ins == probe.No:
		ck.OK = probe.No
		ck.Problem = fmt.Sprintf("%s fails its status checks: system %s, instance %s",
			name, cmp.Or(inst.SystemStatus, "unknown"), cmp.Or(inst.InstanceStatus, "unknown"))
	case sys == probe.Yes && ins == probe.Yes:
		ck.OK = probe.Yes
	}
	return ck
}

// statusTri reads an EC2 status check.
func statusTri(s string) probe.Tri {
	switch s {
	case "ok":
		return probe.Yes
	case "", "insufficient-data", "not-applicable":
		return probe.Unknown
	}
	return probe.No
}
