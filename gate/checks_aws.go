package gate

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hawatch/hawatch/probe"
	"github.com/hawatch/hawatch/snapshot"
)

// The EC2 operations behind each AWS check; their errors explain an
// unknown.
const (
	opInstances      = probe.OpDescribeInstances
	opInstanceStatus = probe.OpDescribeInstanceStatus
	opENIs           = probe.OpDescribeNetworkInterfaces
	opSubnets        = probe.OpDescribeSubnets
	opRouteTables    = probe.OpDescribeRouteTables
	opAddresses      = probe.OpDescribeAddresses
)

// awsCheckNames are the AWS checks in the order they are reported.
var awsCheckNames = []string{
	CheckAWSInstances, CheckAWSENIs, CheckAWSSourceDest,
	CheckAWSSubnets, CheckAWSRoutes, CheckAWSFloatingIPs,
}

// awsChecks compares the AWS data plane with the HA state: every check of
// snapshot.AWSView must be Yes. A pair without AWS monitoring has no AWS
// checks; one whose AWS poll failed has them all unknown.
func awsChecks(p *snapshot.Pair) []Check {
	v := p.AWSView
	if v == nil {
		if !p.AWSOn() {
			return nil
		}
		return allAWSUnknown("AWS monitoring is on but no AWS poll has completed")
	}
	if !v.Known {
		return allAWSUnknown("AWS could not be read" + opErrors(p.AWS))
	}
	checks := []Check{
		awsInstances(p, v), awsENIs(p, v), awsSourceDest(p, v),
		awsSubnets(p, v), awsRoutes(p, v), awsFloatingIPs(p, v),
	}
	if v.InGrace {
		note := fmt.Sprintf(" (the last failover is recent: AWS may still be converging until %s; check again then)",
			v.GraceUntil.UTC().Format(time.RFC3339))
		for i := range checks {
			if checks[i].Status == StatusFail {
				checks[i].Evidence += note
			}
		}
	}
	return checks
}

// allAWSUnknown returns every AWS check as unknown for one reason.
func allAWSUnknown(why string) []Check {
	out := make([]Check, 0, len(awsCheckNames))
	for _, name := range awsCheckNames {
		out = append(out, Check{Name: name, Status: StatusUnknown, Evidence: why})
	}
	return out
}

// opErrors lists the failed EC2 operations of an AWS poll, restricted to
// ops when any are given, as ": Op: err, ...".
func opErrors(a *probe.AWSStatus, ops ...string) string {
	if a == nil {
		return ""
	}
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(a.Errors)) {
		if a.Errors[op] != nil && (len(ops) == 0 || slices.Contains(ops, op)) {
			parts = append(parts, fmt.Sprintf("%s: %v", op, a.Errors[op]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

// awsFailed reports whether any of the EC2 operations failed.
func awsFailed(a *probe.AWSStatus, ops ...string) bool {
	return opErrors(a, ops...) != ""
}

// awsInstances: every peer instance is running with both status checks ok.
func awsInstances(p *snapshot.Pair, v *snapshot.AWSView) Check {
	var o outcome
	if awsFailed(p.AWS, opInstances) {
		o.unknownf("instances cannot be told%s", opErrors(p.AWS, opInstances))
	}
	for _, in := range v.Instances {
		name := in.InstanceID + ofPeer(in.Peer)
		switch in.OK {
		case probe.Yes:
			o.passf("%s running, status checks %s/%s", name, in.SystemStatus, in.InstanceStatus)
		case probe.No:
			o.failf("%s", in.Problem)
		default:
			o.unknownf("%s: state %s, status checks %s/%s%s", name, cmp.Or(in.State, "unknown"),
				cmp.Or(in.SystemStatus, "unknown"), cmp.Or(in.InstanceStatus, "unknown"), opErrors(p.AWS, opInstanceStatus))
		}
	}
	if len(v.Instances) == 0 && len(o.unknown) == 0 {
		o.unknownf("no EC2 instance is matched to a peer; configure the peers' instance IDs")
	}
	return o.check(CheckAWSInstances)
}

// awsENIs: every ENI is attached where it belongs (the active peer for a
// data-plane ENI in interface-move mode).
func awsENIs(p *snapshot.Pair, v *snapshot.AWSView) Check {
	var o outcome
	if awsFailed(p.AWS, opENIs) {
		o.unknownf("ENIs cannot be told%s", opErrors(p.AWS, opENIs))
		return o.check(CheckAWSENIs)
	}
	attached := 0
	for _, e := range v.ENIs {
		switch e.Attached {
		case probe.Yes:
			attached++
		case probe.No:
			o.failf("%s", attachmentProblem(e))
		default:
			o.unknownf("%s%s: where it belongs cannot be told%s", eniName(e.ENI, e.Interface), ofPeer(e.Peer), noActive(v))
		}
	}
	switch {
	case len(v.ENIs) == 0:
		o.unknownf("%s returned no ENI of the pair", opENIs)
	case attached > 0:
		o.passf("%d ENI(s) attached where they belong (mode %s%s)", attached, cmp.Or(v.Mode, "unknown"), activeNote(v))
	}
	return o.check(CheckAWSENIs)
}

// attachmentProblem keeps the attachment part of an ENI's problem text;
// the source/destination check has a check of its own.
func attachmentProblem(e snapshot.ENICheck) string {
	var keep []string
	for part := range strings.SplitSeq(e.Problem, "; ") {
		if part != "" && !strings.Contains(part, "source/destination check") {
			keep = append(keep, part)
		}
	}
	if len(keep) == 0 {
		return eniName(e.ENI, e.Interface) + ofPeer(e.Peer) + " is not attached where it belongs"
	}
	return strings.Join(keep, "; ")
}

// awsSourceDest: source/destination check is off on every data-plane ENI,
// or the firewall cannot forward through it.
func awsSourceDest(p *snapshot.Pair, v *snapshot.AWSView) Check {
	var o outcome
	if awsFailed(p.AWS, opENIs) {
		o.unknownf("ENIs cannot be told%s", opErrors(p.AWS, opENIs))
		return o.check(CheckAWSSourceDest)
	}
	off := 0
	for _, e := range v.ENIs {
		if e.Role != probe.RoleDataPlane {
			continue
		}
		if e.SourceDestCheck {
			o.failf("source/destination check is enabled on %s%s", eniName(e.ENI, e.Interface), ofPeer(e.Peer))
			continue
		}
		off++
	}
	switch {
	case off > 0:
		o.passf("off on %d data-plane ENI(s)", off)
	case len(o.fail) == 0:
		o.unknownf("no ENI is known to carry a data-plane interface")
	}
	return o.check(CheckAWSSourceDest)
}

// awsSubnets: every data-plane interface address is a private IP of its
// ENI and lies in the ENI's subnet with the subnet's prefix length.
func awsSubnets(p *snapshot.Pair, v *snapshot.AWSView) Check {
	var o outcome
	if awsFailed(p.AWS, opENIs) {
		o.unknownf("ENIs cannot be told%s", opErrors(p.AWS, opENIs))
	}
	for _, peer := range p.Peers {
		if peer != nil && peer.Up && peer.Interfaces == nil {
			o.unknownf("%s gave no interface list", peer.Name)
		}
	}
	for _, s := range v.Interfaces {
		switch s.Match {
		case probe.Yes:
			o.passf("%s of %s has %s, in subnet %s of %s", s.Interface, s.Peer, s.IP, s.SubnetCIDR, s.ENI)
		case probe.No:
			o.failf("%s", s.Problem)
		default:
			o.unknownf("%s of %s (%s) cannot be compared with %s%s", s.Interface, s.Peer, s.IP,
				cmp.Or(s.ENI, "its ENI"), opErrors(p.AWS, opENIs, opSubnets))
		}
	}
	if len(v.Interfaces) == 0 && len(o.unknown) == 0 {
		o.passf("no data-plane interface has an address to compare")
	}
	return o.check(CheckAWSSubnets)
}

// awsRoutes: every route to a pair ENI or instance is active and points at
// the active peer.
func awsRoutes(p *snapshot.Pair, v *snapshot.AWSView) Check {
	var o outcome
	if awsFailed(p.AWS, opRouteTables) {
		o.unknownf("routes cannot be told%s", opErrors(p.AWS, opRouteTables))
		return o.check(CheckAWSRoutes)
	}
	for _, r := range v.Routes {
		target := cmp.Or(r.TargetENI, r.TargetInstance)
		switch {
		case r.Blackhole || r.OnActive == probe.No:
			o.failf("%s", cmp.Or(r.Problem, fmt.Sprintf("route %s in %s targets %s, not the active peer", r.Destination, r.RouteTable, target)))
		case r.OnActive == probe.Unknown:
			o.unknownf("route %s in %s targets %s, whose peer cannot be told%s%s", r.Destination, r.RouteTable, target,
				noActive(v), opErrors(p.AWS, opENIs))
		default:
			o.passf("%s in %s -> %s (%s)", r.Destination, r.RouteTable, target, r.TargetPeer)
		}
	}
	if len(v.Routes) == 0 {
		o.passf("no route targets an ENI or instance of the pair")
	}
	return o.check(CheckAWSRoutes)
}

// awsFloatingIPs: in secondary-ip mode every floating secondary IP and
// Elastic IP is on the active peer.
func awsFloatingIPs(p *snapshot.Pair, v *snapshot.AWSView) Check {
	var o outcome
	if v.Mode == "" {
		o.unknownf("the AWS HA mode cannot be told, so neither can the floating IPs%s", opErrors(p.AWS, opENIs, opAddresses))
		return o.check(CheckAWSFloatingIPs)
	}
	if v.Mode != probe.AWSModeSecondaryIP {
		o.passf("no floating IPs to follow the active peer (mode %s)", cmp.Or(v.Mode, "unknown"))
		return o.check(CheckAWSFloatingIPs)
	}
	if awsFailed(p.AWS, opENIs, opAddresses) {
		o.unknownf("floating IPs cannot be told%s", opErrors(p.AWS, opENIs, opAddresses))
	}
	for _, f := range v.FloatingIPs {
		switch f.OnActive {
		case probe.Yes:
			o.passf("%s %s on %s%s", f.Kind, f.IP, f.ENI, ofPeer(f.Peer))
		case probe.No:
			o.failf("%s", f.Problem)
		default:
			o.unknownf("%s %s on %s%s: whether it is on the active peer cannot be told%s", f.Kind, f.IP, f.ENI, ofPeer(f.Peer), noActive(v))
		}
	}
	if len(v.FloatingIPs) == 0 && len(o.unknown) == 0 {
		o.passf("no secondary IP or Elastic IP on a data-plane ENI")
	}
	return o.check(CheckAWSFloatingIPs)
}

// eniName names an ENI with its PAN-OS interface.
func eniName(id, iface string) string {
	if iface == "" {
		return id
	}
	return id + " (" + iface + ")"
}

// ofPeer is " of PEER", or "" for no peer.
func ofPeer(peer string) string {
	if peer == "" {
		return ""
	}
	return " of " + peer
}

// noActive explains an unknown that comes from having no single active peer.
func noActive(v *snapshot.AWSView) string {
	if v.ActivePeer == "" {
		return " (no single active peer to compare with)"
	}
	return ""
}

// activeNote names the active peer the checks were made against.
func activeNote(v *snapshot.AWSView) string {
	if v.ActivePeer == "" {
		return ""
	}
	return ", active " + v.ActivePeer
}
