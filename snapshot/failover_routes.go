package snapshot

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/hawatch/hawatch/probe"
)

// actionReplaceRoute is the EC2 action that repoints a route in
// secondary-ip mode.
const actionReplaceRoute = "ec2:ReplaceRoute"

// routeChecks lists every route that targets an ENI of the active peer
// with what a failover would do to it: in interface-move mode the route
// follows its ENI; in secondary-ip mode the VM-Series plugin must repoint
// it to the passive's ENI, which needs ec2:ReplaceRoute.
func (p *predictor) routeChecks() {
	if p.c.failed(opRouteTables) {
		p.add(FailoverCheckRoutes, "route tables", "", probe.Unknown,
			"DescribeRouteTables failed this poll, so the routes a failover must carry over are unknown")
		return
	}
	for _, rt := range p.c.aws.RouteTables {
		for _, r := range rt.Routes {
			info := p.c.eniByID[r.ENI]
			if r.ENI == "" || info == nil || info.peer != p.active || p.active == "" {
				continue
			}
			fr := FailoverRoute{
				RouteTable: bound(rt.ID, maxItemLen), Destination: bound(r.Destination, maxItemLen),
				TargetENI: info.eni.ID, Interface: info.iface,
			}
			if p.mode == probe.AWSModeInterfaceMove {
				p.routeFollows(&fr, info)
			} else {
				p.routeRepointed(&fr, info)
			}
			fr.AtFailover, fr.Problem = bound(fr.AtFailover, maxProblemLen), bound(fr.Problem, maxProblemLen)
			p.routes = append(p.routes, fr)
		}
	}
	slices.SortFunc(p.routes, func(a, b FailoverRoute) int {
		return cmp.Or(cmp.Compare(a.RouteTable, b.RouteTable), cmp.Compare(a.Destination, b.Destination))
	})
}

// routeFollows judges a route in interface-move mode: it targets the ENI,
// so it follows the ENI when the ENI moves.
func (p *predictor) routeFollows(fr *FailoverRoute, info *eniInfo) {
	if info.role == probe.RoleDataPlane && info.eni.DeviceIndex != 0 {
		fr.Result = probe.Yes
		fr.AtFailover = fmt.Sprintf("follows %s to %s", eniName(info), p.passive)
		return
	}
	fr.Result = probe.No
	fr.AtFailover = fmt.Sprintf("stays on %s with %s", p.active, eniName(info))
	fr.Problem = fmt.Sprintf("route %s in %s targets %s of %s, an ENI that does not move at failover: "+
		"after a failover traffic for %s would still go to %s", fr.Destination, fr.RouteTable, eniName(info),
		p.c.peerInst(p.active), fr.Destination, p.active)
}

// routeRepointed judges a route in secondary-ip mode: the plugin on the
// new active replaces the target with its own ENI at the same device
// index.
func (p *predictor) routeRepointed(fr *FailoverRoute, info *eniInfo) {
	_, held, known := p.passiveSlot(info)
	switch {
	case !known:
		fr.AtFailover = "repointed by the VM-Series plugin to " + p.passive
		fr.Problem = fmt.Sprintf("the EC2 instance of passive peer %s is unknown, so where route %s would go cannot be told",
			p.passive, fr.Destination)
		return
	case held == nil:
		fr.Result = probe.No
		fr.AtFailover = "cannot be repointed: " + p.passive + " has no ENI for " + info.iface
		fr.Problem = fmt.Sprintf("route %s in %s targets %s of active %s, but passive peer %s has no ENI for %s: "+
			"after a failover traffic for %s would still go to %s", fr.Destination, fr.RouteTable, eniName(info),
			p.active, p.c.peerInst(p.passive), info.iface, fr.Destination, p.active)
		return
	}
	fr.AtFailover = fmt.Sprintf("repointed by the VM-Series plugin to %s of %s (%s)", eniName(held), p.passive, actionReplaceRoute)
	switch r, why := p.allowed(p.passive, actionReplaceRoute); r {
	case probe.Yes:
		fr.Result = probe.Yes
	case probe.No:
		fr.Result = probe.No
		fr.Problem = fmt.Sprintf("route %s in %s must be repointed to %s at failover, but the IAM role of passive peer %s "+
			"is denied %s: traffic for %s would still go to %s", fr.Destination, fr.RouteTable, held.eni.ID, p.passive,
			actionReplaceRoute, fr.Destination, p.active)
	default:
		fr.Problem = fmt.Sprintf("route %s in %s must be repointed to %s at failover; whether passive peer %s may call %s "+
			"is unknown%s", fr.Destination, fr.RouteTable, held.eni.ID, p.passive, actionReplaceRoute, why)
	}
}

// allowed returns the IAM finding for a peer and action, and for Unknown
// a suffix saying why.
func (p *predictor) allowed(peer, action string) (probe.Tri, string) {
	f, ok := p.in.IAM[peer]
	if !ok {
		return probe.Unknown, " (its IAM permissions were not checked)"
	}
	r := f.Actions[action]
	if r != probe.Yes && r != probe.No {
		r = probe.Unknown
	}
	if r == probe.Unknown && f.Reason != "" {
		return r, " (" + f.Reason + ")"
	}
	return r, ""
}
